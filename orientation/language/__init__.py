"""French as people write it: normalization, communes of France (resolution and mentions),
what a message says about the person, glossary terms."""
