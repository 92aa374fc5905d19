"""Slot filling from the reading of each message: the actions never read the text.

`action_validate_slot_mappings` runs after each user message (Rasa's
`action_extract_slots` calls it for the custom-mapped slots of domain.yml). The
NLU step put the message's facts in the parse data (`lecture`:
`orientation.language.reading`); `profile_updates` decides what they change: what
the person already said is never overwritten by a word met in passing, and a
correction changes it at any time. The commune travels as its INSEE code; when
the reading is unsure of it (a bare word, a close spelling) the bot asks once:
"Vous habitez bien à Mamers, dans la Sarthe ?". A button's payload carries the
facts themselves (`/inform{"code_insee": "44210"}`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction, ValidationAction

from actions import knowledge
from actions.safety import report_failure
from orientation.engine import Profile, age_matters, area_codes
from orientation.language.reading import ASKED, Context, Reading, profile_updates, speaks_as_professional
from orientation.observatory import record_unresolved_commune  # never raises, never blocks
from orientation.text import messages
from orientation.vocabulary import BESOINS, SITUATIONS

READING = "lecture"  # where rasa_server.understanding puts the reading in the parse data
READER_NAME = "Understanding"  # its entities' extractor: the others come from a button's payload
# Intents whose words are about something else than the person's profile. A
# definition asked is not among them: the reading leaves the term asked about out
# ("c'est quoi la Mission locale ?" does not say the person is young).
NOT_ABOUT_PROFILE = {"out_of_scope", "bot_challenge", "restart", "help"}
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
MAX_CANDIDATES = 6
MAX_TRIES = 3  # a question asked this many times in a row is then passed
# Questions "je sais pas" passes (to the need, it asks for advice: accompagnement).
DONT_KNOW_SKIPS = {"situations", "age", "commune"}


def _intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def _buttons_facts(tracker: Tracker) -> dict:
    """The facts a button's payload carries (`/inform{"besoin": "permis"}`): no reading needed."""
    return {
        e.get("entity"): str(e.get("value"))
        for e in tracker.latest_message.get("entities") or []
        if e.get("extractor") != READER_NAME
    }


def reading_of(tracker: Tracker) -> Reading:
    reading = Reading.from_dict(tracker.latest_message.get(READING))
    facts = _buttons_facts(tracker)
    if facts.get("situation") in SITUATIONS:
        reading = replace(reading, situations=(facts["situation"],))
    if facts.get("besoin") in BESOINS:
        reading = replace(reading, besoin=facts["besoin"], besoin_strength=ASKED)
    return reading


def asked_slot(tracker: Tracker) -> Optional[str]:
    """The profile question just asked, in `reading.Context` terms."""
    asked = tracker.get_slot("requested_slot")
    return "situation" if asked == "situations" else asked


def _context(tracker: Tracker) -> Context:
    age = tracker.get_slot("age")
    return Context(
        situations=tuple(tracker.get_slot("situations") or ()),
        besoin=tracker.get_slot("besoin"),
        age=int(age) if age is not None else None,
        asked=asked_slot(tracker),
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


def _commune_set(commune, tracker: Tracker) -> list:
    events = [SlotSet("commune", commune.nom), SlotSet("code_insee", commune.code_insee)]
    return events + ([SlotSet("commune_proposee", None)] if tracker.get_slot("commune_proposee") else [])


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
        if reading.topic in messages.SUJETS:  # "j'ai un permis marocain, comment l'échanger ?"
            voice = _voice(tracker)
            dispatcher.utter_message(text=messages.SUJETS[reading.topic] + voice(messages.SUJET_NEXT))
            if not reading.besoin and not tracker.get_slot("besoin"):
                events.append(SlotSet("besoin", "accompagnement"))  # the platform's first step
        skipped = list(tracker.get_slot("questions_passees") or [])
        if reading.says("retraite") and "age" not in skipped:
            events.append(SlotSet("questions_passees", skipped + ["age"]))  # no Mission locale at 60
        events += await self._commune(dispatcher, tracker, reading, intent)
        if reading.says("donnees_personnelles") and not tracker.get_slot("donnees_signalees"):
            # Said once: the bot needs no identity, and keeps none.
            dispatcher.utter_message(text=_voice(tracker)(messages.PERSONAL_DATA))
            events.append(SlotSet("donnees_signalees", True))
        return events

    async def _commune(self, dispatcher, tracker: Tracker, reading: Reading, intent: str) -> list:
        snapshot = await knowledge.snapshot()
        button = snapshot.communes.by_code(_buttons_facts(tracker).get("code_insee") or "")
        if button:  # a button: the commune itself
            return _commune_set(button, tracker)
        asked = tracker.get_slot("requested_slot") == "commune"
        proposed = snapshot.communes.by_code(tracker.get_slot("commune_proposee") or "")
        if proposed and (reading.says("oui") or intent == "affirm") and not reading.homes:
            return _commune_set(proposed, tracker)  # "Vous habitez bien à Mamers ?" "oui"
        if intent in NOT_ABOUT_PROFILE and not asked:
            return []
        known = tracker.get_slot("code_insee")
        homes = [p for p in reading.homes if p.codes or p.suggestions]
        if proposed and (reading.says("non") or intent == "deny") and not homes:  # "non"
            dispatcher.utter_message(
                text=messages.question("commune", _voice(tracker)), json_message={"question": "commune"}
            )
            return [SlotSet("commune_proposee", None), SlotSet("commune_signalee", True)]
        if not homes:
            unknown = reading.homes[:1]  # the answer named no commune of France: said back
            if asked and unknown and intent in ANSWERS:
                return self._not_found(dispatcher, tracker, unknown[0], snapshot)
            return []
        place = homes[0]
        if not asked and place.evidence == 0 and not place.found:
            return []  # a stray word close to a name, when nobody asked for a commune
        # A commune in passing never replaces the one known: only an answer, a correction, "j'habite".
        if known and not (asked or reading.says("correction") or place.corrected or place.evidence >= 2):
            return []
        if place.found and (place.strong or (asked and not place.approximate)):
            commune = snapshot.communes.by_code(place.codes[0])
            if commune.code_insee == known:
                return []
            if place.former:  # "Montjean-sur-Loire" is Mauges-sur-Loire today: said, not silently changed
                dispatcher.utter_message(
                    text=messages.FORMER_NAME.format(ancien=place.text, commune=messages.where(commune))
                )
            return _commune_set(commune, tracker)
        if place.found:  # a bare word, a close spelling: asked once, never taken for granted
            return self._confirm(dispatcher, tracker, snapshot.communes.by_code(place.codes[0]))
        return self._not_found(dispatcher, tracker, place, snapshot)

    def _confirm(self, dispatcher, tracker: Tracker, commune) -> list:
        voice = _voice(tracker)
        dispatcher.utter_message(
            text=voice(messages.COMMUNE_CONFIRM, commune=messages.where(commune)),
            buttons=[
                {"title": messages.YES, "payload": messages.payload("inform", code_insee=commune.code_insee)},
                {"title": messages.OTHER_COMMUNE, "payload": messages.payload("deny")},
            ],
            json_message={"question": "commune", "choix": True},
        )
        return [SlotSet("commune_proposee", commune.code_insee), SlotSet("commune_signalee", True)]

    def _not_found(self, dispatcher, tracker: Tracker, place, snapshot) -> list:
        """Homonyms, close spellings, or nothing: said once, with choices and a way out."""
        asked = tracker.get_slot("requested_slot") == "commune"
        if asked and _attempt(tracker, "commune") > MAX_TRIES:
            return []  # asked three times already: the form passes the question
        communes = [snapshot.communes.by_code(c) for c in (place.codes or place.suggestions)]
        if len(place.codes) > 1:
            text = messages.COMMUNE_POSTAL if place.postal else messages.COMMUNE_AMBIGUOUS
        elif communes:
            text = messages.COMMUNE_SUGGESTIONS
        else:
            text = messages.COMMUNE_UNKNOWN
            record_unresolved_commune(tracker.get_slot("role") == "professionnel")
        # The second answer not understood: a way out, as every question gives (see AskSlot).
        stuck = asked and not communes and _attempt(tracker, "commune") >= 2
        way_out = [messages.SKIP_BUTTON] if stuck else []
        text = text + (messages.WAY_OUT.format(prescriber=messages.SOCIAL_SERVICE) if stuck else "")
        dispatcher.utter_message(
            text=text.format(query=messages.echo(place.text)),
            buttons=commune_buttons(communes, snapshot) + way_out,
            json_message={"question": "commune", "choix": bool(communes)},
        )
        # The form's question would repeat what was just said: `commune_signalee` tells it.
        events = [
            SlotSet("relance", f"commune:{_attempt(tracker, 'commune')}"),
            SlotSet("commune_signalee", True),
        ]
        return events + ([SlotSet("commune", None), SlotSet("code_insee", None)] if asked else [])

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
        dont_know = asked in DONT_KNOW_SKIPS and reading_of(tracker).says("ne_sait_pas")
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
