"""Small French grammar for the bot's sentences: "au Mans (Sarthe, 72)", quotes without brackets."""

from __future__ import annotations

import re


def a_commune(nom: str, capital: bool = False) -> str:
    """ "à Laval", "au Mans", "aux Sables-d'Olonne", "à La Flèche"."""
    match = re.match(r"(Le|Les) (.+)", nom)
    if match:
        text = ("au " if match.group(1) == "Le" else "aux ") + match.group(2)
    else:
        text = "à " + nom
    return text[0].upper() + text[1:] if capital else text


def place(commune, capital: bool = False) -> str:
    """ "à Laval (Mayenne, 53)": the département, named, shows a mistake."""
    return f"{a_commune(commune.nom, capital)} ({_departement(commune)})"


def where(commune) -> str:
    """ "Laval (Mayenne, 53)"."""
    return f"{commune.nom} ({_departement(commune)})"


def _departement(commune) -> str:
    name = commune.departement_nom
    return f"{name}, {commune.departement}" if name else commune.departement


_BRACKETS = re.compile(r"\s*\([^)]*\)")


def without_brackets(text: str) -> str:
    """ "Plateforme mobilité de la Sarthe (Wimoov)" → "Plateforme mobilité de la Sarthe"."""
    return " ".join(_BRACKETS.sub("", text).split())


def with_article(platform_name: str) -> str:
    """ "la Plateforme mobilité de la Mayenne", but "Mobimauges" (brackets dropped: the card names the porteur)."""
    name = without_brackets(platform_name)
    return f"la {name}" if name.lower().startswith("plateforme") else name


def short_name(platform_name: str) -> str:
    """ "Plateforme mobilité de la Mayenne" → "Mayenne": to tell platforms apart in one list."""
    return re.sub(r"^Plateforme mobilité (de la |de l'|du |de )", "", without_brackets(platform_name))


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def quoted(text: str) -> str:
    """The source's words, on one line and without their brackets, between French quotes."""
    return f"« {without_brackets(text)} »"


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]
