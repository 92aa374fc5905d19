"""Slot filling: what the person said, on every turn, in or out of the form.

`action_validate_slot_mappings` runs after each user message (Rasa's
`action_extract_slots` calls it for the custom-mapped slots of domain.yml).
It folds DIET's entities into `orientation.language.understanding.read`, then lets
`profile_updates` decide what changes: what the person already said is never
overwritten by a word met in passing, and a correction ("non, j'habite à
Mayenne") changes it at any time. The commune is resolved against all French
communes once, and from then on travels as its INSEE code: a button's
payload carries the code, never a name to parse again.
"""

from __future__ import annotations

import re
from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction, ValidationAction

from actions import knowledge
from actions.safety import report_failure
from orientation.engine import Profile, age_matters, area_codes
from orientation.language.communes.cues import RESIDENCE, by_landmark, home_queries
from orientation.language.normalize import normalize
from orientation.language.understanding import (
    Context,
    profile_updates,
    read,
    speaks_as_professional,
)
from orientation.observatory import record_unresolved_commune  # never raises, never blocks
from orientation.text import messages
from orientation.vocabulary import BESOINS, SITUATIONS

# Intents whose words are about something else than the person's profile
# ("c'est quoi la Mission locale ?" does not say the person is young).
NOT_ABOUT_PROFILE = {"ask_definition", "out_of_scope", "bot_challenge", "restart", "help"}
# Intents whose whole text may be a commune when the commune was just asked.
ANSWERS = {
    "inform",
    "nlu_fallback",
    "declare_professional",
    "deny",
    "affirm",
    "out_of_scope",
    "other_language",
}
PROFILE_SLOTS = ("situations", "commune", "besoin")
# Intents a rule answers in the middle of the form (data/rules/interruptions.yml,
# restart and change_answer anywhere).
FORM_INTERRUPTIONS = {
    "ask_definition",
    "ask_prescriber",
    "help",
    "out_of_scope",
    "nlu_fallback",
    "bot_challenge",
    "other_language",
    "skip_question",
    "restart",
    "change_answer",
}
MAX_CANDIDATES = 6
MAX_TRIES = 3  # a question asked this many times in a row is then passed
# Questions "je sais pas" passes (to the need, it asks for advice: accompagnement).
DONT_KNOW_SKIPS = {"situations", "age", "commune"}
MAX_ECHO = 60  # characters of the person's text repeated back, at most
_PHONE_OR_MAIL = re.compile(
    r"(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|\bje m'appelle\b|\bmon nom (est|c'est)\b",
    re.IGNORECASE,
)


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def _entity_values(tracker: Tracker, entity: str) -> list[str]:
    """DIET's values for an entity, without fragments such as ">" cut out of markup."""
    return [
        str(e.get("value"))
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == entity and sum(ch.isalnum() for ch in str(e.get("value") or "")) >= 2
    ]


def _echo(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…"


def asked_slot(tracker: Tracker) -> Optional[str]:
    """The profile question just asked, in `understanding.Context` terms."""
    return {"situations": "situation"}.get(
        tracker.get_slot("requested_slot"), tracker.get_slot("requested_slot")
    )


def _context(tracker: Tracker) -> Context:
    age = tracker.get_slot("age")
    return Context(
        situations=tuple(tracker.get_slot("situations") or ()),
        besoin=tracker.get_slot("besoin"),
        age=int(age) if age is not None else None,
        asked=asked_slot(tracker),
    )


def _diet_codes(tracker: Tracker, entity: str, vocabulary, understanding_find) -> list[str]:
    """DIET's values mapped to codes: a synonym already is one, else the keywords read the span."""
    codes = []
    for value in _entity_values(tracker, entity):
        code = value if value in vocabulary else understanding_find(value)
        if code and code not in codes:
            codes.append(code)
    return codes


def reading_of(tracker: Tracker):
    from orientation.language.understanding import find_besoin, find_situation

    reading = read(_text(tracker))
    return reading.with_entities(
        situations=_diet_codes(tracker, "situation", SITUATIONS, find_situation),
        besoins=_diet_codes(tracker, "besoin", BESOINS, find_besoin),
        ages=_entity_values(tracker, "age"),
    )


def set_this_turn(tracker: Tracker, slot: str) -> bool:
    """Whether an action set `slot` since the person's last message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == slot:
            return True
    return False


def rank_homonyms(candidates, snapshot) -> list:
    """Communes a platform covers first, then those of the same region, then by population."""
    zones = {code for p in snapshot.platforms for code in p.zone_eligibilite}
    regions = {r for p in snapshot.platforms for r in p.regions}
    return sorted(
        candidates, key=lambda c: (not (area_codes(c) & zones), c.region not in regions, -c.population, c.nom)
    )


def commune_buttons(candidates, snapshot) -> list[dict]:
    return [
        {"title": c.label(), "payload": messages.payload("inform", code_insee=c.code_insee)}
        for c in rank_homonyms(candidates, snapshot)[:MAX_CANDIDATES]
    ]


class ValidateSlotMappings(ValidationAction):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        try:
            return await self._understand(dispatcher, tracker)
        except Exception as error:  # noqa: BLE001 - see actions/safety.py
            return report_failure(self.name(), dispatcher, error)

    async def _understand(self, dispatcher, tracker: Tracker) -> list:
        intent = _intent(tracker)
        if intent == "restart":
            return []
        reading = reading_of(tracker)
        events = []
        if speaks_as_professional(reading, intent) and tracker.get_slot("role") != "professionnel":
            events.append(SlotSet("role", "professionnel"))
        if intent not in NOT_ABOUT_PROFILE:
            updates = profile_updates(reading, _context(tracker))
            if "situations" in updates:
                events.append(SlotSet("situations", list(updates["situations"])))
            if "besoin" in updates:
                events.append(SlotSet("besoin", updates["besoin"]))
            if "age" in updates:
                events.append(SlotSet("age", float(updates["age"])))
        events += await self._commune(dispatcher, tracker, reading, intent)
        if _PHONE_OR_MAIL.search(_text(tracker)[:2000]) and not tracker.get_slot("donnees_signalees"):
            # Said once: the bot needs no identity, and keeps none.
            dispatcher.utter_message(text=_voice(tracker)(messages.PERSONAL_DATA))
            events.append(SlotSet("donnees_signalees", True))
        return events

    async def _commune(self, dispatcher, tracker: Tracker, reading, intent: str) -> list:
        snapshot = await knowledge.snapshot()
        for code in _entity_values(tracker, "code_insee"):  # a button: the commune itself
            commune = snapshot.communes.by_code(code)
            if commune:
                return [SlotSet("commune", commune.nom), SlotSet("code_insee", commune.code_insee)]
        asked = tracker.get_slot("requested_slot") == "commune"
        if intent in NOT_ABOUT_PROFILE and not asked:
            return []
        text = _text(tracker)
        known = tracker.get_slot("code_insee")
        residence = bool(RESIDENCE.search(normalize(text[:1000])))
        if not (known is None or asked or reading.correction or residence):
            return []
        failure = None
        queries = self._queries(tracker, text, snapshot, asked, intent)
        if asked and len(text.split()) <= 5 and text not in queries and intent in ANSWERS:
            queries.insert(0, text)  # the answer to "quelle commune ?" is, first, the whole answer
        resolutions = [snapshot.communes.resolve(q) for q in queries]
        for n, resolution in enumerate(resolutions):
            commune = resolution.commune or by_landmark(resolution, resolutions[n + 1 :])
            if commune is not None:
                if commune.code_insee == known:
                    return []
                return [SlotSet("commune", commune.nom), SlotSet("code_insee", commune.code_insee)]
            if resolution.status == "ambiguous" and (asked or known is None):
                failure = resolution  # where the person lives has homonyms: ask, never guess from elsewhere
                break
            if n == 0 and asked and resolution.candidates:
                failure = resolution  # "chato gontié": offer the spellings, not a word of it read alone
                break
            if failure is None and (asked or (residence and known is None)):
                failure = resolution
        if failure is None or (asked and _attempt(tracker, "commune") > MAX_TRIES):
            return []  # asked three times already: the form passes the question
        self._report(dispatcher, tracker, failure, snapshot, asked)
        if failure.status != "ambiguous":  # the observatory counts communes not found, anonymously
            record_unresolved_commune(tracker.get_slot("role") == "professionnel")
        # The form's question would repeat what was just said: `commune_signalee` tells it.
        events = [
            SlotSet("relance", f"commune:{_attempt(tracker, 'commune')}"),
            SlotSet("commune_signalee", True),
        ]
        if asked:
            events += [SlotSet("commune", None), SlotSet("code_insee", None)]
        return events

    @staticmethod
    def _queries(tracker: Tracker, text: str, snapshot, asked: bool, intent: str) -> list[str]:
        """What may name the commune, most likely home first (orientation.language.communes.cues)."""
        queries = home_queries(text, snapshot.communes, _entity_values(tracker, "commune"), asked)
        if asked and not queries and intent in ANSWERS and normalize(text[:5000]):
            queries = [text]
        return queries

    @staticmethod
    def _report(dispatcher, tracker: Tracker, failure, snapshot, asked: bool) -> None:
        query = _echo(failure.query)
        marker = {"question": "commune", "choix": failure.status == "ambiguous" or bool(failure.candidates)}
        # The third try offers a way out, as every question does (see AskSlot).
        way_out = [messages.SKIP_BUTTON] if asked and _attempt(tracker, "commune") >= MAX_TRIES else []
        if failure.status == "ambiguous":
            text, buttons = messages.COMMUNE_AMBIGUOUS, commune_buttons(failure.candidates, snapshot)
        elif failure.candidates:
            text, buttons = messages.COMMUNE_SUGGESTIONS, commune_buttons(failure.candidates, snapshot)
        else:
            text, buttons = messages.COMMUNE_UNKNOWN, []
        dispatcher.utter_message(
            text=text.format(query=query), buttons=buttons + way_out, json_message=marker
        )

    async def get_validation_events(self, dispatcher, tracker, domain) -> list:
        return [SlotSet(name, value) for name, value in tracker.slots_to_validate().items()]


def _voice(tracker: Tracker):
    from orientation.text.wording import voice_for

    return voice_for(tracker.get_slot("role") == "professionnel")


def _attempt(tracker: Tracker, slot: str) -> int:
    """How many times this question will have been asked in a row, this one included."""
    previous = tracker.get_slot("relance") or ""
    name, _, count = previous.partition(":")
    return int(count) + 1 if name == slot and count.isdigit() else 1


class ValidateOrientationForm(FormValidationAction):
    """The form's questions: those not skipped, and the age only when it changes the answer."""

    def name(self) -> str:
        return "validate_orientation_form"

    async def run(self, dispatcher, tracker, domain) -> list:
        try:
            given_up = self._give_up(dispatcher, tracker)
            events = given_up + await super().run(dispatcher, tracker, domain)
        except Exception as error:  # noqa: BLE001 - see actions/safety.py
            return report_failure(self.name(), dispatcher, error)
        answered = any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)
        if not answered and _intent(tracker) not in FORM_INTERRUPTIONS:
            # Rasa rejects a form whose question got no answer and hands the turn to
            # the core fallback; the person must get the question again, rephrased.
            # An interruption ("c'est quoi un CCAS ?", "passer") must be rejected:
            # only then do the rules of data/rules/interruptions.yml answer it.
            events.append(SlotSet("relance", tracker.get_slot("relance")))
        return events

    @staticmethod
    def _give_up(dispatcher, tracker: Tracker) -> list:
        """After three tries the question is passed, so that no one loops on it; at once when
        the person says they do not know ("je sais pas", to the situation or the age)."""
        asked = tracker.get_slot("requested_slot")
        if not asked or tracker.slots_to_validate().get(asked):
            return []
        # Times asked before this answer; the commune check may have counted this turn already.
        times = _attempt(tracker, asked) - 1 - set_this_turn(tracker, "relance")
        dont_know = asked in DONT_KNOW_SKIPS and read(_text(tracker)).dont_know
        if times < MAX_TRIES and not dont_know:
            return []
        skipped = list(tracker.get_slot("questions_passees") or []) + [asked]
        tracker.slots["questions_passees"] = skipped  # seen by required_slots this turn
        dispatcher.utter_message(text=messages.SKIPPED if dont_know else messages.SKIPPED_AFTER_TRIES)
        return [SlotSet("questions_passees", skipped), SlotSet("relance", None)]

    async def required_slots(
        self, domain_slots, dispatcher: CollectingDispatcher, tracker: Tracker, domain
    ) -> list[str]:
        skipped = set(tracker.get_slot("questions_passees") or ())
        slots = [s for s in domain_slots if s not in skipped]
        situations, code, besoin = (tracker.get_slot(s) for s in ("situations", "code_insee", "besoin"))
        if (
            tracker.get_slot("age") is None
            and "age" not in skipped
            and code
            and all(tracker.get_slot(s) is not None or s in skipped for s in PROFILE_SLOTS)
        ):
            snapshot = await knowledge.snapshot()
            commune = snapshot.communes.by_code(code)
            if commune and age_matters(snapshot, Profile.of(situations, besoin), commune):
                slots.append("age")
        return slots
