"""Slot filling: what the person said, on every turn, in or out of the form.

`action_validate_slot_mappings` runs after each user message (Rasa's
`action_extract_slots` calls it for the custom-mapped slots of domain.yml).
It reads DIET's entities first and falls back on `orientation.understanding`
keywords and `find_commune_mentions`, so "je suis au RSA à Laval et je veux
passer le permis" fills three slots at once, and "non, j'habite à Mayenne"
corrects one at any time. The commune is resolved against all French
communes at run time: nothing is trained commune by commune.
"""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction, ValidationAction

from actions import knowledge, messages
from orientation import understanding
from orientation.communes import find_commune_mentions
from orientation.engine import Profile, age_matters
from orientation.vocabulary import BESOINS, SITUATIONS

# Intents whose words are about something else than the person's profile
# ("c'est quoi la Mission locale ?" does not say the person is young).
NOT_ABOUT_PROFILE = {"ask_definition", "out_of_scope", "bot_challenge", "restart", "help"}
# Intents whose whole text may be a commune when the commune was just asked.
ANSWERS = {"inform", "nlu_fallback", "declare_professional", "deny", "affirm"}
# The vague need: a more specific one found in the same words wins over it
# ("j'ai besoin d'une aide pour financer mes trajets" is about financing).
VAGUE_NEED = "accompagnement"
MAX_CANDIDATES = 6
MAX_ECHO = 60  # characters of the person's text repeated back, at most


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def _entity_values(tracker: Tracker, entity: str) -> list[str]:
    """DIET's values for an entity, without fragments such as ">" cut out of markup."""
    return [str(e.get("value")) for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == entity and _meaningful(e.get("value"))]


def _meaningful(value) -> bool:
    text = str(value or "")
    return sum(ch.isalnum() for ch in text) >= 2


def _about_profile(tracker: Tracker) -> bool:
    return _intent(tracker) not in NOT_ABOUT_PROFILE


def _known_value(tracker: Tracker, entity: str, allowed, find) -> Optional[str]:
    """A vocabulary value from DIET's entity (mapped by synonyms), else from keywords."""
    for value in _entity_values(tracker, entity):
        if value in allowed:
            return value
        found = find(value)
        if found:
            return found
    return find(_text(tracker))


def _echo(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…"


def _commune_buttons(candidates) -> list[dict]:
    return [{"title": c.label(), "payload": f'/inform{{"commune": "{c.code_insee}"}}'}
            for c in candidates[:MAX_CANDIDATES]]


class ValidateSlotMappings(ValidationAction):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def extract_role(self, dispatcher, tracker, domain) -> dict:
        if _intent(tracker) == "declare_professional":
            return {"role": "professionnel"}
        return {}

    async def extract_situation(self, dispatcher, tracker, domain) -> dict:
        if not _about_profile(tracker):
            return {}
        value = _known_value(tracker, "situation", SITUATIONS, understanding.find_situation)
        return {"situation": value} if value else {}

    async def extract_besoin(self, dispatcher, tracker, domain) -> dict:
        if not _about_profile(tracker):
            return {}
        value = _known_value(tracker, "besoin", BESOINS, understanding.find_besoin)
        if value == VAGUE_NEED:
            value = understanding.find_besoin(_text(tracker)) or value
        return {"besoin": value} if value else {}

    async def extract_age(self, dispatcher, tracker, domain) -> dict:
        if not _about_profile(tracker):
            return {}
        asked = tracker.get_slot("requested_slot") == "age"
        for value in _entity_values(tracker, "age"):
            age = understanding.find_age(value, asked=True)
            if age is not None:
                return {"age": float(age)}
        age = understanding.find_age(_text(tracker), asked=asked)
        if age is not None:
            return {"age": float(age)}
        if asked:
            dispatcher.utter_message(text=messages.AGE_INVALID)
        return {}

    async def extract_commune(self, dispatcher, tracker, domain) -> dict:
        """Resolve the commune the person named, or ask again politely.

        A failed resolution is only reported when the person clearly meant a
        commune (DIET tagged it, or we had just asked for it); a word that
        merely looks like a place in a sentence is ignored.
        """
        if not _about_profile(tracker):
            return {}
        snapshot = await knowledge.snapshot()
        asked = tracker.get_slot("requested_slot") == "commune"
        explicit = _entity_values(tracker, "commune")
        spotted = find_commune_mentions(_text(tracker), snapshot.communes)
        queries = explicit + [s for s in spotted if s not in explicit]
        if asked and not queries and _intent(tracker) in ANSWERS:
            queries = [_text(tracker)]
        first_failure = None
        for query in queries:
            resolution = snapshot.communes.resolve(query)
            # An ambiguous name with one much larger homonym is taken as that
            # one: the answer names the département, so a mistake shows.
            if resolution.commune is not None:
                c = resolution.commune
                return {"commune": c.nom, "code_insee": c.code_insee}
            if first_failure is None and (query in explicit or asked):
                first_failure = resolution
        if first_failure is None:
            return {}
        query = _echo(first_failure.query)
        if first_failure.status == "ambiguous":
            dispatcher.utter_message(text=messages.COMMUNE_AMBIGUOUS.format(query=query),
                                     buttons=_commune_buttons(first_failure.candidates))
        elif first_failure.candidates:
            dispatcher.utter_message(text=messages.COMMUNE_SUGGESTIONS.format(query=query),
                                     buttons=_commune_buttons(first_failure.candidates))
        else:
            dispatcher.utter_message(text=messages.COMMUNE_UNKNOWN.format(query=query))
        return {"commune": None, "code_insee": None}

    async def get_validation_events(self, dispatcher, tracker, domain) -> list:
        """The extract_ methods above already validated each value: keep them as they are."""
        return [SlotSet(name, value) for name, value in tracker.slots_to_validate().items()]


class ValidateOrientationForm(FormValidationAction):
    """Adds the age to the form's questions only when it changes the answer."""

    def name(self) -> str:
        return "validate_orientation_form"

    async def required_slots(self, domain_slots, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain) -> list[str]:
        slots = list(domain_slots)
        situation, code, besoin = (tracker.get_slot(s) for s in ("situation", "code_insee", "besoin"))
        if tracker.get_slot("age") is None and situation and code and besoin:
            snapshot = await knowledge.snapshot()
            commune = snapshot.communes.by_code(code)
            if commune and age_matters(snapshot, Profile.of(situation, besoin), commune):
                slots.append("age")
        return slots
