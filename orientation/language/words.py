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

# SMS spellings of everyday words ("jsui pa a Laval", "ke", "ds", "dinsertion"): read as the
# words, so that every phrase of the lexicon matches them.
SPELLINGS = {
    normalize(k): normalize(str(v)).split() for k, v in (lexique().get("orthographes") or {}).items()
}


def respelled(words: list[str]) -> list[str]:
    return [part for w in words for part in SPELLINGS.get(w, (w,))]


def imperfect(token) -> bool:
    """A verb in the imperfect ("travaillais", "habitait"): spaCy's morphology, or the ending
    when a message without accents or capitals misleads it."""
    text = normalize(token.text)
    if "Imp" in token.morph.get("Tense"):
        return True
    if any(text.endswith(end) for end in WORDS["fins_de_conditionnel"]):
        return False  # "je voudrais", "j'aurais besoin"
    return any(text.endswith(end) and len(text) > len(end) + 2 for end in WORDS["fins_d_imparfait"])
