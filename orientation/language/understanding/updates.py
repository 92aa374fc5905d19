"""`profile_updates(reading, context)`: what a message changes, given what is known and asked.

A word met in passing never overwrites what the person said ("code postal" is
not a need for a licence, "ma conseillère" does not make the person a
professional); a correction ("non", "en fait", "je ne suis plus…") does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from orientation.language.understanding.reading import ASKED, Reading, subsumed


@dataclass(frozen=True)
class Context:
    """What the conversation already knows, and the question just asked (if any)."""

    situations: tuple[str, ...] = ()
    besoin: Optional[str] = None
    age: Optional[int] = None
    asked: Optional[str] = None  # requested_slot


def profile_updates(reading: Reading, context: Context) -> dict:
    """The slot values this message sets, given what is known and what was asked.

    A slot is filled when it is empty, when it was just asked, or when the
    person corrects it ("non", "en fait", "je ne suis plus…", "pas X mais Y").
    A need asked for in so many words ("je voudrais un vélo") replaces the
    previous one; a need met in passing does not.
    """
    out: dict = {}
    situations = _situations_update(reading, context)
    if situations is not None:
        out["situations"] = situations
    besoin = reading.besoin
    if reading.dont_know and context.asked not in (None, "besoin") and reading.besoin == "accompagnement":
        besoin = None  # "je sais pas" answers the question asked (situation, age…), not the need
    if (
        besoin
        and besoin != context.besoin
        and (
            context.besoin is None
            or context.asked == "besoin"
            or reading.correction
            or reading.besoin_strength == ASKED
        )
    ):
        out["besoin"] = besoin
    age = (
        reading.age if reading.age is not None else (reading.bare_number if context.asked == "age" else None)
    )
    if (
        age is not None
        and age != context.age
        and (context.age is None or context.asked == "age" or reading.correction or reading.age is not None)
    ):
        out["age"] = age
    return out


def _situations_update(reading: Reading, context: Context) -> Optional[tuple[str, ...]]:
    current = tuple(s for s in context.situations if s not in reading.situations_ended)
    new = tuple(s for s in reading.situations if s not in current)
    if not reading.situations and current == context.situations:
        return None
    if reading.correction and reading.situations and not reading.also:
        if not reading.situations_stated and context.situations:
            return None  # DIET's guess ("formation") must not replace what the person said
        updated = reading.situations_stated or reading.situations  # "en fait je suis demandeur d'emploi"
    elif not context.situations or context.asked or reading.correction or reading.also:
        # Empty, or the person is answering a question and says more about themselves.
        updated = current + new
    elif reading.situations_ended:
        updated = current
    else:
        return None  # a situation word in passing: the person already said theirs
    updated = subsumed(tuple(dict.fromkeys(updated)))
    if updated == context.situations:
        return None
    return updated or None


def speaks_as_professional(reading: Reading, intent: Optional[str] = None) -> bool:
    """A professional speaking about someone else: their words, or DIET's intent.

    DIET's intent is vetoed by a person speaking of themselves ("j'habite",
    "ma conseillère", "je suis au RSA"): answering a beneficiary as "la
    personne" is worse than answering a social worker as "vous".
    """
    return reading.professional or (intent == "declare_professional" and not reading.beneficiary)
