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

# SMS spellings of everyday words ("jsui pa a Laval", "ke", "ds"): read as the word, so that
# every phrase of the lexicon matches them; one word for one word, the positions stay.
SPELLINGS = {normalize(k): normalize(str(v)) for k, v in (lexique().get("orthographes") or {}).items()}


def respelled(words: list[str]) -> list[str]:
    return [SPELLINGS.get(w, w) for w in words]
