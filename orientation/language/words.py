"""The lexicon file (lexique.yml), read once: its small words by name (`WORDS["articles"]`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from orientation.language.normalize import normalize

LEXIQUE = Path(__file__).resolve().parent / "lexique.yml"


@cache
def lexique(path: Path = LEXIQUE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


WORDS = {name: frozenset(normalize(str(w)) for w in words) for name, words in lexique()["grammaire"].items()}
