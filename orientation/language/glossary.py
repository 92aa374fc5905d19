"""Finds the glossary term a question is about ("c'est quoi un garage solidaire ?")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Optional

from orientation.language.normalize import normalize

_SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "a", "un", "une", "en"}


def _key(text: str) -> str:
    words = normalize(str(text).replace("_", " ")).split()
    return " ".join(w for w in words if w not in _SMALL_WORDS)


def _names(term: dict) -> list[str]:
    return [term["id"], term["terme"], *(term.get("synonymes") or [])]


def find_term(glossary: dict[str, dict], entity_values: Iterable[str], text: str) -> Optional[dict]:
    """The term named by DIET's `terme` entity, else the longest name found in the text."""
    by_key = {}
    for term in glossary.values():
        for name in _names(term):
            by_key.setdefault(_key(name), term)
    for value in entity_values:
        term = by_key.get(_key(value or ""))
        if term:
            return term
    words = f" {_key(text[:500])} "
    for key in sorted(by_key, key=len, reverse=True):
        if key and f" {key} " in words:
            return by_key[key]
    return None


def definition_text(term: dict) -> str:
    return f"{term['terme']} : {' '.join(term['definition'].split())}"
