"""The form's questions: the ones not skipped, the age only when it changes the answer, and
a question passed after three tries ("je sais pas" passes it at once)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions import knowledge
from actions.safety import not_twice, report_failure
from actions.slots import reading_of
from actions.turns import MAX_TRIES, attempt, intent, set_this_turn
from orientation.engine import Profile, age_matters
from orientation.text import messages

PROFILE_SLOTS = ("situations", "commune", "besoin")
# Questions "je sais pas" passes (to the need, it asks for advice: accompagnement).
DONT_KNOW_SKIPS = {"situations", "age", "commune"}
# Intents a rule answers in the middle of the form (data/rules/interruptions.yml,
# restart and change_answer anywhere).
FORM_INTERRUPTIONS = set(
    "ask_definition ask_prescriber help out_of_scope nlu_fallback bot_challenge other_language"
    " skip_question restart change_answer".split()
)


class ValidateOrientationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_orientation_form"

    async def run(self, dispatcher, tracker, domain) -> list:
        try:
            given_up = self._give_up(dispatcher, tracker)
            events = given_up + await super().run(dispatcher, tracker, domain)
        except Exception as error:  # noqa: BLE001 - see actions/safety.py
            return report_failure(self.name(), dispatcher, error)
        not_twice(dispatcher, tracker)
        answered = any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)
        if not answered and intent(tracker) not in FORM_INTERRUPTIONS:
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
        times = attempt(tracker, asked) - 1 - set_this_turn(tracker, "relance")
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
