"""What a reading changes, given what the conversation knows and the question just asked.

A word met in passing never overwrites what the person said ("code postal" is not
a need for a licence, "ma conseillère" does not make the person a professional);
a correction ("non", "en fait", "je ne suis plus…") does. DIET's intent stands
unless the facts plainly say otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from orientation.language.reading.facts import ASKED, Place, Reading
from orientation.vocabulary import ACTIVITIES, JEUNE_AGES, subsumed

# Intents a message about the person is taken for by mistake: the facts win.
SMALL_TALK = {"greet", "goodbye", "thanks", "affirm", "bot_challenge", "help", "out_of_scope", "nlu_fallback"}


@dataclass(frozen=True)
class Context:
    """What the conversation already knows, and the question just asked (if any)."""

    situations: tuple[str, ...] = ()
    besoin: Optional[str] = None
    age: Optional[int] = None
    asked: Optional[str] = None  # "situation", "commune", "besoin", "age"
    commune: Optional[str] = None  # the INSEE code known
    proposed: Optional[str] = None  # the code "Vous habitez bien à … ?" asked about
    professional: bool = False  # a professional speaks for someone (said in an earlier message)


def profile_updates(reading: Reading, context: Context) -> dict:
    """The slot values this message sets: situations, besoin, age.

    A slot is filled when it is empty, when it was just asked, or when the person
    corrects it. A need asked for in so many words ("je voudrais un vélo") replaces the
    previous one; a need met in passing does not.
    """
    out: dict = {}
    situations = _situations_update(reading, context)
    if situations is not None:
        out["situations"] = situations
    besoin = reading.besoin
    if reading.says("ne_sait_pas") and context.asked not in (None, "besoin") and besoin == "accompagnement":
        besoin = None  # "je sais pas" answers the question asked (situation, age…), not the need
    correction = reading.says("correction")
    if besoin and besoin != context.besoin:
        if (
            context.besoin is None
            or context.asked == "besoin"
            or correction
            or reading.besoin_strength == ASKED
        ):
            out["besoin"] = besoin
    age = reading.age if reading.age is not None else reading.number if context.asked == "age" else None
    if age is not None and age != context.age:
        out["age"] = age
        if age in JEUNE_AGES and not context.situations and not out.get("situations"):
            out["situations"] = ("jeune",)  # "j'ai 19 ans", nothing else said of the person
    return out


def commune_update(
    reading: Reading, context: Context, answering: bool, yes: bool = False, no: bool = False
) -> tuple[str, Optional[Place]]:
    """What the message does to the commune: ("set", place) (place None: the one proposed,
    "oui"), ("confirm", place) to ask "vous habitez bien à … ?", ("choose", place) among
    homonyms or spellings (or said unknown), ("deny", None) to the proposal, or ("", None).

    A commune in passing never replaces the one known: only an answer to the question, a
    correction, or "j'habite". `answering`: the whole message may answer "quelle commune ?".
    """
    asked = context.asked == "commune"
    # a professional correcting the person's town: "erreur de ma part, elle habite Grez"
    homes = reading.homes_for(context.professional and reading.says("correction"))
    named = [p for p in homes if p.codes or p.suggestions]
    if context.proposed and not named and (yes or no):
        return ("set" if yes else "deny"), None
    if not named:  # the answer named no commune of France: said back
        return ("choose", homes[0]) if asked and answering and homes else ("", None)
    place = named[0]
    if not asked and place.evidence == 0 and not place.found:
        return "", None  # a stray word close to a name, when nobody asked for a commune
    if context.commune and not (
        asked or reading.says("correction") or place.corrected or place.evidence >= 2
    ):
        return "", None
    if place.found and (place.strong or (asked and not place.approximate)):
        return ("", None) if place.codes[0] == context.commune else ("set", place)
    return ("confirm" if place.found else "choose"), place


def _situations_update(reading: Reading, context: Context) -> Optional[tuple[str, ...]]:
    current = tuple(s for s in context.situations if s not in reading.situations_ended)
    new = tuple(s for s in reading.situations if s not in current)
    correction = reading.says("correction")
    if not reading.situations and current == context.situations:
        return None
    # "en fait je suis demandeur d'emploi"; not "non, j'habite à Saint-Nazaire (je travaille à
    # Nantes)": a message that corrects the commune adds to the situations, it does not replace them.
    if correction and reading.situations and not reading.says("aussi") and not reading.homes:
        # "non, en fait je suis demandeur d'emploi" replaces what was said; "en fait le plus
        # urgent c'est d'aller au boulot" (at the RSA) only the activity said, not the RSA
        if reading.says("non"):
            replaced = current
        else:
            replaced = ACTIVITIES if set(reading.situations) & set(ACTIVITIES) else ()
        updated = tuple(s for s in current if s not in replaced and s not in reading.situations)
        updated += reading.situations
    # "jeune" is an age: a situation said later adds to it ("j'ai 19 ans" then "je suis en CDD")
    elif (
        not context.situations
        or context.asked
        or correction
        or reading.says("aussi")
        or context.situations == ("jeune",)
    ):
        updated = current + new  # empty, or answering a question and saying more
    elif reading.situations_ended:
        updated = current
    else:
        return None  # a situation word in passing: the person already said theirs
    updated = subsumed(updated)
    return updated or None if updated != context.situations else None


def speaks_as_professional(reading: Reading, intent: Optional[str] = None) -> bool:
    """A professional speaking about someone else: their words, or DIET's intent unless the
    person plainly speaks of themselves ("j'habite", "ma conseillère")."""
    return reading.professional or (intent == "declare_professional" and not reading.beneficiary)


def corrected_intent(
    intent: str, reading: Reading, names_commune: bool = False, close_to_commune: bool = False
) -> str:
    """DIET's intent, unless the facts plainly say something else.

    "je touche le revenu de solidarité active" is not a question about the RSA; a bare
    "Evron" answering "quelle commune ?" is not out of scope; "salut, j'ai besoin d'aide"
    is a greeting, not a goodbye. `close_to_commune`: the whole message is only close to a
    commune's name ("mamer"), which is asked about when nothing else is read.
    """
    about = reading.about_profile or names_commune
    if reading.says("illisible"):
        return "inform" if about else "nlu_fallback"  # DIET never saw markup: its guess is noise
    if intent in ("nlu_fallback", "out_of_scope") and close_to_commune and not about:
        return "inform"
    if reading.says("etranger"):
        return "other_language"
    if reading.says("passer") and not (reading.situations or reading.age is not None or names_commune):
        return "skip_question"
    if intent == "restart" and not reading.says("recommencer"):
        return "inform" if about else "nlu_fallback"
    if intent == "ask_definition" and not reading.says("question") and about:
        return "inform"
    # "… domicilié à Cossé-le-Vivien, je souhaiterais l'orienter vers un diagnostic mobilité :
    # est-ce possible et faut-il une prescription ?": the orientation says who prescribes
    asks = reading.besoin is not None and reading.besoin_strength == ASKED and bool(reading.homes)
    if (
        intent == "ask_prescriber"
        and about
        and (asks or not (reading.says("prescripteur") or reading.says("question")))
    ):
        return "declare_professional" if reading.professional else "inform"
    if intent == "change_answer" and about:
        return "inform"  # "je me suis trompé, j'habite à Ernée": the new answer is given
    if intent == "declare_professional" and not reading.professional:
        # "je m'occupe de ma fille", "J'ai un budget de 500 euros… ma sœur m'aide": no trade,
        # nobody accompanied; a person speaking of their own life is no professional.
        if reading.beneficiary or not reading.says("metier"):
            return "inform"
    if reading.topic and intent in SMALL_TALK:
        return "inform"  # "c'est quoi le numéro de la centrale ?": answered, then the orientation
    # "… j'habite Château-du-Loir, au RSA… il y a du transport bénévole par chez moi ?": a
    # question that asks for a need, the home said, is the person's request
    if intent in SMALL_TALK and about and (not reading.says("question") or asks):
        return "declare_professional" if reading.professional else "inform"
    if intent in ("goodbye", "out_of_scope", "nlu_fallback") and reading.says("aide") and not about:
        return "greet"  # "salut, j'ai besoin d'aide svp", "bonsoir, vous pouvez m'aider ?"
    if intent == "inform" and reading.professional:
        return "declare_professional"
    return intent
