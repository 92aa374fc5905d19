"""The lexicon file (lexique.yml), read once: its small words by name (`WORDS["articles"]`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from orientation.language.normalize import normalize
from orientation.yaml_lines import load_yaml

LEXIQUE = Path(__file__).resolve().parent / "lexique.yml"


@cache
def lexique(path: Path = LEXIQUE) -> dict:
    # Line-aware: a key written twice (the second would silently replace the first) is an
    # error naming the file and the line.
    return load_yaml(path)


WORDS = {name: frozenset(normalize(str(w)) for w in words) for name, words in lexique()["grammaire"].items()}
