"""How commune names are written: the keys a name is found by, its article."""

from __future__ import annotations

import re
from typing import Optional

from orientation.language.normalize import normalize
from orientation.language.words import WORDS


def without_article(key: str) -> Optional[str]:
    first, _, rest = key.partition(" ")
    return rest if first in WORDS["articles"] and rest else None


_PARENTHESIS = re.compile(r"\s*\(.*?\)")
_ARRONDISSEMENT = re.compile(r"^(.+) (\d+)(?:er|e) arrondissement$")


def name_keys(nom: str) -> set[str]:
    """The normalized spellings under which a (current or old) name is found."""
    key = normalize(nom)
    keys = {key}
    if "(" in nom:  # "Bors (Canton de Charente-Sud)" is also "Bors"
        keys.add(normalize(_PARENTHESIS.sub("", nom)))
    match = _ARRONDISSEMENT.match(key)
    if match:  # "Paris 11e Arrondissement" → "paris 11e", "paris 11eme", "paris 11"
        city, number = match.group(1), match.group(2)
        ordinal = "er" if number == "1" else "e"
        keys |= {
            f"{city} {number}",
            f"{city} {number}{ordinal}",
            f"{city} {number}eme",
            f"{city} {number}{ordinal} arrondissement",
            f"{city} {number}eme arrondissement",
        }
    return keys
