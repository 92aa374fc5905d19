"""Small French grammar for the bot's sentences: "au Mans, en Sarthe", quotes without brackets."""

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


# How French says "in" a département: "en Mayenne", "dans le Nord", "dans l'Ain", "dans les
# Landes", "à La Réunion". Feminine names take "en"; these are the others.
_MASCULINE = (
    "Ain", "Allier", "Aveyron", "Calvados", "Cantal", "Cher", "Doubs", "Eure-et-Loir", "Finistère", "Gard",
    "Gers", "Hérault", "Jura", "Loir-et-Cher", "Loiret", "Lot", "Lot-et-Garonne", "Maine-et-Loire",
    "Morbihan", "Nord", "Pas-de-Calais", "Puy-de-Dôme", "Bas-Rhin", "Haut-Rhin", "Rhône", "Tarn",
    "Tarn-et-Garonne", "Var", "Vaucluse", "Val-de-Marne", "Val-d'Oise", "Territoire de Belfort",
)  # fmt: skip
_PLURAL = (
    "Alpes-de-Haute-Provence", "Hautes-Alpes", "Alpes-Maritimes", "Ardennes", "Bouches-du-Rhône",
    "Côtes-d'Armor", "Landes", "Pyrénées-Atlantiques", "Hautes-Pyrénées", "Pyrénées-Orientales",
    "Yvelines", "Deux-Sèvres", "Vosges", "Hauts-de-Seine",
)  # fmt: skip
_AT = ("La Réunion", "Mayotte", "Paris", "Saint-Pierre-et-Miquelon", "Saint-Barthélemy", "Saint-Martin")


def in_departement(name: str) -> str:
    """ "en Mayenne", "dans le Nord", "dans l'Ain", "dans les Landes", "à La Réunion"."""
    if name in _AT:
        return f"à {name}"
    if name in _PLURAL:
        return f"dans les {name}"
    if name in _MASCULINE:
        return f"dans l'{name}" if name[0] in "AEÉHIOU" else f"dans le {name}"
    return f"en {name}"


def place(commune, capital: bool = False) -> str:
    """ "à Laval, en Mayenne": the département, named, shows a mistake (no brackets: plain French)."""
    return f"{a_commune(commune.nom, capital)}, {_departement(commune)}"


def where(commune) -> str:
    """ "Laval, en Mayenne"."""
    return f"{commune.nom}, {_departement(commune)}"


def _departement(commune) -> str:
    name = commune.departement_nom
    return in_departement(name) if name else f"dans le {commune.departement}"


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
