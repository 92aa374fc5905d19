"""The orientation actions: read slots, call the engine, send what it found."""
from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge, messages
from actions.slots import ValidateOrientationForm, ValidateSlotMappings  # noqa: F401 (registered)
from orientation import glossary, wording
from orientation.engine import Profile, choose_prescriber, orient
from orientation.observatory import record_orientation  # never raises, never blocks
from orientation.payload import orientation_payload

log = logging.getLogger(__name__)


def _professional(tracker: Tracker) -> bool:
    return tracker.get_slot("role") == "professionnel"


def _age(tracker: Tracker):
    age = tracker.get_slot("age")
    return int(age) if age is not None else None


class ActionOrienter(Action):
    """Gives the orientation: a short text, and the structured result in `custom`."""

    def name(self) -> str:
        return "action_orienter"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        situation, code, besoin = (tracker.get_slot(s) for s in ("situation", "code_insee", "besoin"))
        age = _age(tracker)
        key = f"{situation}|{code}|{besoin}|{age}"
        if key == tracker.get_slot("derniere_orientation"):
            dispatcher.utter_message(text=messages.ALREADY_ORIENTED)
            return []
        snapshot = await knowledge.snapshot()
        commune = snapshot.communes.by_code(code)
        voice = wording.voice_for(_professional(tracker))
        result = orient(snapshot, Profile.of(situation, besoin, age), commune)
        record_orientation(result, _professional(tracker))
        text = wording.chat_message(result, voice)
        payload = orientation_payload(result, snapshot, voice)
        payload["texte"] = text
        dispatcher.utter_message(text=text, json_message=payload)
        # Categories only, never the person's words (RGPD: no free text in logs).
        log.info("orientation statut=%s services=%d", result.statut, len(result.services))
        return [SlotSet("derniere_orientation", key)]


class ActionDefineTerm(Action):
    """Explains a word of the field, from knowledge/glossaire.yml."""

    def name(self) -> str:
        return "action_define_term"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        snapshot = await knowledge.snapshot()
        entities = [e.get("value") for e in tracker.latest_message.get("entities") or []
                    if e.get("entity") == "terme"]
        term = glossary.find_term(snapshot.glossary, entities, tracker.latest_message.get("text") or "")
        if term is None:
            terms = ", ".join(t["terme"].lower() for t in snapshot.glossary.values())
            dispatcher.utter_message(text=messages.DEFINITION_UNKNOWN.format(terms=terms))
        else:
            dispatcher.utter_message(text=glossary.definition_text(term))
        return []


class ActionPrescriber(Action):
    """"Qui est mon prescripteur ?": from the situation if known, else the general rule."""

    def name(self) -> str:
        return "action_prescriber"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        snapshot = await knowledge.snapshot()
        situation = tracker.get_slot("situation")
        if situation is None and _age(tracker) is None:
            dispatcher.utter_message(text=wording.prescribers_overview(snapshot.prescribers))
            dispatcher.utter_message(text=messages.question("situation", _professional(tracker)),
                                     buttons=messages.SITUATION_BUTTONS)
            return []
        profile = Profile.of(situation, None, _age(tracker))
        prescriber = choose_prescriber(snapshot.prescribers, profile.situations, profile.age)
        voice = wording.voice_for(_professional(tracker))
        dispatcher.utter_message(text=wording.prescriber_answer(prescriber, profile, voice))
        return []


class AskSlot(Action):
    """The form's question for one slot (`action_ask_<slot>`), in the right voice."""
    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        dispatcher.utter_message(text=messages.question(self.slot, _professional(tracker)),
                                 buttons=messages.QUESTION_BUTTONS.get(self.slot, []))
        return []


class AskSituation(AskSlot):
    slot = "situation"


class AskCommune(AskSlot):
    slot = "commune"


class AskBesoin(AskSlot):
    slot = "besoin"


class AskAge(AskSlot):
    slot = "age"


class ActionRestart(Action):
    """Overrides Rasa's `action_restart`: says that nothing is kept, then forgets."""

    def name(self) -> str:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        dispatcher.utter_message(text=messages.RESTARTED, buttons=messages.BESOIN_BUTTONS)
        return [Restarted()]
