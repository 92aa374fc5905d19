"""Text normalization shared by commune resolution and keyword matching."""

from __future__ import annotations

import re
import unicodedata

_SUR = re.compile(r"\bs/")
# Every non-alphanumeric character becomes a space, not only apostrophes,
# hyphens, dots and underscores: "Saint-Denis (974)" and "Laval, 53" must
# give the same words as "Saint-Denis 974" and "Laval 53".
_SEPARATORS = re.compile(r"[\W_]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
# "45 €" is read as "45 euros" (a cost), not as a number alone.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "€": " euros "})


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Lower case, no accents, words separated by one space, "St"/"Ste"/"s/" spelled out.

    >>> normalize("  Chalons s/ Marne")
    'chalons sur marne'
    >>> normalize("L'Haÿ-les-Roses")
    'l hay les roses'
    >>> normalize("Ste Marie-aux-Mines, St. Dié")
    'sainte marie aux mines saint die'
    """
    text = strip_accents(text.lower().translate(_LIGATURES))
    text = _SUR.sub(" sur ", text)
    words = _SEPARATORS.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)
