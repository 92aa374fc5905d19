"""The knowledge base: YAML schema and loading (with file / entry / field / line errors),
the database build, the in-memory snapshot the engine reads, data·inclusion export and import."""
