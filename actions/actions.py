"""The orientation actions: read slots, call the engine, send what it found.

Every action is a `SafeAction`: whatever fails, the person gets an answer.
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.form import PROFILE_SLOTS, ValidateOrientationForm  # noqa: F401 - registered here
from actions.safety import SafeAction, bot_texts
from actions.slots import ValidateSlotMappings, reading_of  # noqa: F401 - registered here
from actions.turns import attempt, set_this_turn
from actions.turns import intent as _intent
from orientation.engine import Profile, choose_prescriber, orient
from orientation.observatory import record_orientation  # never raises, never blocks
from orientation.text import messages, wording
from orientation.text.payload import orientation_payload
from orientation.vocabulary import PLATFORM_TERM

log = logging.getLogger(__name__)


def _professional(tracker: Tracker) -> bool:
    return tracker.get_slot("role") == "professionnel"


def _voice(tracker: Tracker):
    return wording.voice_for(_professional(tracker))


def _profile(tracker: Tracker) -> Profile:
    return Profile.of(tracker.get_slot("situations"), tracker.get_slot("besoin"), tracker.get_slot("age"))


def _profile_given_this_turn(tracker: Tracker) -> bool:
    return any(set_this_turn(tracker, s) for s in ("situations", "besoin", "code_insee", "age"))


def _in_form(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == "orientation_form"


class ActionOrienter(SafeAction):
    """Gives the orientation: a short text, and the structured result in `custom`."""

    def name(self) -> str:
        return "action_orienter"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        snapshot = await knowledge.snapshot()
        profile, voice = _profile(tracker), _voice(tracker)
        code = tracker.get_slot("code_insee")
        commune = snapshot.communes.by_code(code) if code else None
        key = f"{'+'.join(profile.situations)}|{code}|{profile.besoin}|{profile.age}"
        if key == tracker.get_slot("derniere_orientation"):
            dispatcher.utter_message(text=messages.ALREADY_ORIENTED, buttons=messages.FOLLOW_UP_BUTTONS)
            return []
        if commune is None:  # the person skipped the commune question
            prescriber = choose_prescriber(snapshot.prescribers, profile.situations, profile.age)
            dispatcher.utter_message(
                text=wording.no_commune_message(snapshot, prescriber, voice),
                buttons=messages.FOLLOW_UP_BUTTONS,
            )
            return [SlotSet("derniere_orientation", key)]
        result = orient(snapshot, profile, commune)
        record_orientation(result, _professional(tracker))
        text = wording.chat_message(result, voice)
        payload = orientation_payload(result, snapshot, voice)
        payload["texte"] = text
        if text in bot_texts(tracker, 1):  # "45 ans" after the orientation: the same answer, said so
            text = messages.UNCHANGED
        dispatcher.utter_message(text=text, json_message=payload, buttons=messages.FOLLOW_UP_BUTTONS)
        # Categories only, never the person's words (RGPD: no free text in logs).
        log.info("orientation statut=%s services=%d", result.statut, len(result.services))
        return [SlotSet("derniere_orientation", key)]


class ActionAccueil(SafeAction):
    """The greeting, with the needs as buttons (built here: Rasa would try to fill
    the JSON payloads' braces as slot templates in a domain response)."""

    def name(self) -> str:
        return "action_accueil"

    async def act(self, dispatcher, tracker, domain) -> list:
        # The greeting asks for the need: tagged as the question it is.
        dispatcher.utter_message(
            text=messages.GREETING, buttons=messages.BESOIN_BUTTONS, json_message={"question": "besoin"}
        )
        return []


class ActionDefineTerm(SafeAction):
    """Explains a word of the field, from knowledge/glossaire.yml."""

    def name(self) -> str:
        return "action_define_term"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        snapshot = await knowledge.snapshot()
        named = reading_of(tracker).terms
        platforms = {PLATFORM_TERM + p.id: p for p in snapshot.platforms}
        terms = [snapshot.glossary[t] for t in named if t in snapshot.glossary]
        if named and named[0] in platforms:  # "c'est quoi Mobimauges ?"
            platform = platforms[named[0]]
            zone = ", ".join(snapshot.zone_label(z) for z in platform.zone_eligibilite)
            dispatcher.utter_message(text=messages.PLATFORM_IS.format(nom=platform.nom, zone=zone))
        elif not terms:
            names = "\n".join(f"• {t['terme']}" for t in snapshot.glossary.values())
            dispatcher.utter_message(text=messages.DEFINITION_UNKNOWN.format(terms=names))
        else:
            dispatcher.utter_message(text=messages.definition(terms[0]))
        if not _in_form(tracker) and _profile_given_this_turn(tracker):
            # "au RSA à Angers, c'est quoi le diagnostic mobilité et comment on l'obtient ?"
            return [FollowupAction("orientation_form")]
        if not _in_form(tracker) and not tracker.get_slot("derniere_orientation"):
            # Asked before anything else: the next step is the first question, not silence.
            dispatcher.utter_message(
                text=messages.question("besoin", _voice(tracker)),
                buttons=messages.BESOIN_BUTTONS,
                json_message={"question": "besoin"},
            )
        return []


class ActionPrescriber(SafeAction):
    """ "Qui est mon prescripteur ?": from the situation if known, else the general rule."""

    def name(self) -> str:
        return "action_prescriber"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        snapshot = await knowledge.snapshot()
        profile, voice = _profile(tracker), _voice(tracker)
        if not profile.situations and profile.age is None:
            dispatcher.utter_message(text=wording.prescribers_overview(snapshot.prescribers))
            if not _in_form(tracker):
                dispatcher.utter_message(
                    text=messages.question("situations", voice),
                    buttons=messages.SITUATION_BUTTONS,
                    json_message={"question": "situations"},
                )
            return []
        code = tracker.get_slot("code_insee")
        commune = snapshot.communes.by_code(code) if code and profile.besoin else None
        result = orient(snapshot, profile, commune) if commune else None
        if result is not None and result.services:
            # "Et pour ça il faut une prescription ?": about the services proposed, each
            dispatcher.utter_message(text=wording.prescription_of_services(result, voice))
            return []
        prescriber = choose_prescriber(snapshot.prescribers, profile.situations, profile.age)
        dispatcher.utter_message(text=wording.prescriber_answer(prescriber, profile, voice))
        return []


# A question of the person's own, answered in the middle of the form: the form's
# question is then asked again as it was. Not another language: answered in French
# each time, the question is rephrased, then passed.
ANSWERED_ASIDE = {"ask_definition", "ask_prescriber", "help", "bot_challenge"}


class AskSlot(SafeAction):
    """The form's question for one slot (`action_ask_<slot>`), rephrased when not understood.

    First time: the question. Again: what to write, with examples or buttons.
    A third time: a way out — skip the question, or ask a professional.
    """

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        if set_this_turn(tracker, "commune_signalee"):
            return [SlotSet("commune_signalee", None)]  # the commune check just said it, with choices
        voice = _voice(tracker)
        marker = {"question": self.slot}
        buttons = messages.QUESTION_BUTTONS.get(self.slot, [])
        tries = attempt(tracker, self.slot)
        if _intent(tracker) in ANSWERED_ASIDE and tries < 3:  # back to the question after answering theirs
            text = messages.question(self.slot, voice, 1)
            dispatcher.utter_message(text=text, buttons=buttons, json_message=marker)
            # Counted all the same: questions of theirs again and again pass it in the end.
            return [SlotSet("relance", f"{self.slot}:{tries}")]
        if tries >= 3:
            snapshot = await knowledge.snapshot()
            profile = _profile(tracker)
            prescriber = choose_prescriber(snapshot.prescribers, profile.situations, profile.age)
            text = messages.GIVE_UP.format(
                prescriber=prescriber.nom if prescriber else "le service social de votre mairie"
            )
            dispatcher.utter_message(text=text, buttons=buttons + [messages.SKIP_BUTTON], json_message=marker)
        else:
            dispatcher.utter_message(
                text=messages.question(self.slot, voice, tries), buttons=buttons, json_message=marker
            )
        return [SlotSet("relance", f"{self.slot}:{tries}")]


class AskSituations(AskSlot):
    slot = "situations"


class AskCommune(AskSlot):
    slot = "commune"


class AskBesoin(AskSlot):
    slot = "besoin"


class AskAge(AskSlot):
    slot = "age"


class ActionSkipQuestion(SafeAction):
    """ "Passer cette question": the form goes on without it (the answer says what is unknown)."""

    def name(self) -> str:
        return "action_passer_question"

    async def act(self, dispatcher, tracker, domain) -> list:
        asked = tracker.get_slot("requested_slot")
        skipped = list(tracker.get_slot("questions_passees") or [])
        if not asked and not tracker.get_slot("derniere_orientation"):
            # The greeting asked for the need: skipping it starts the questions.
            dispatcher.utter_message(text=messages.SKIPPED)
            return [SlotSet("questions_passees", skipped + ["besoin"]), FollowupAction("orientation_form")]
        if not asked:
            dispatcher.utter_message(text=messages.NOTHING_TO_SKIP, buttons=messages.BESOIN_BUTTONS)
            return []
        dispatcher.utter_message(text=messages.SKIPPED)
        return [SlotSet("questions_passees", skipped + [asked]), SlotSet("relance", None)]


class ActionNotUnderstood(SafeAction):
    """A message DIET could not place (and Rasa's core fallback): what the bot does,
    unless the message still told something useful."""

    def name(self) -> str:
        return "action_incompris"

    async def act(self, dispatcher, tracker, domain) -> list:
        as_core_fallback = _intent(tracker) != "nlu_fallback"
        if _profile_given_this_turn(tracker) and not as_core_fallback:
            return [] if _in_form(tracker) else [FollowupAction("orientation_form")]
        if _in_form(tracker) and not as_core_fallback:
            return []  # the form's rephrased question follows
        dispatcher.utter_message(
            text=messages.NOT_UNDERSTOOD, buttons=messages.BESOIN_BUTTONS, json_message={"question": "besoin"}
        )
        # As the core fallback nothing else will answer: wait for the person.
        return [FollowupAction("action_listen")] if as_core_fallback else []


def _short(tracker: Tracker) -> bool:
    return len((tracker.latest_message.get("text") or "").split()) <= 6


class ActionOutOfScope(SafeAction):
    def name(self) -> str:
        return "action_hors_sujet"

    async def act(self, dispatcher, tracker, domain) -> list:
        if _profile_given_this_turn(tracker):  # "Evron" alone, answering "quelle commune ?"
            return [] if _in_form(tracker) else [FollowupAction("orientation_form")]
        if _in_form(tracker) and tracker.get_slot("requested_slot") and _short(tracker):
            return []  # a try at answering the question: it is rephrased next, with examples
        if _short(tracker) and not _in_form(tracker):  # "hein ?", "???": not understood, not off-topic
            dispatcher.utter_message(
                text=messages.NOT_UNDERSTOOD,
                buttons=messages.BESOIN_BUTTONS,
                json_message={"question": "besoin"},
            )
            return []
        dispatcher.utter_message(text=messages.OUT_OF_SCOPE)
        return []


class ActionOtherLanguage(SafeAction):
    """Says the bot speaks French only, and goes on with what it understood."""

    def name(self) -> str:
        return "action_autre_langue"

    async def act(self, dispatcher, tracker, domain) -> list:
        if _profile_given_this_turn(tracker):  # understood: the bot goes on, in French
            dispatcher.utter_message(text=messages.OTHER_LANGUAGE_UNDERSTOOD)
            return [] if _in_form(tracker) else [FollowupAction("orientation_form")]
        if _in_form(tracker):
            dispatcher.utter_message(text=messages.OTHER_LANGUAGE)
            return []
        dispatcher.utter_message(
            text=messages.OTHER_LANGUAGE, buttons=messages.BESOIN_BUTTONS, json_message={"question": "besoin"}
        )
        return []


class ActionRestart(SafeAction):
    """Overrides Rasa's `action_restart`: says that nothing is kept, then forgets."""

    def name(self) -> str:
        return "action_restart"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        dispatcher.utter_message(text=messages.RESTARTED, buttons=messages.BESOIN_BUTTONS)
        return [Restarted()]


class ActionChangeAnswer(SafeAction):
    """ "Un autre besoin", "changer de commune": forget that answer and ask it again."""

    def name(self) -> str:
        return "action_changer"

    async def act(self, dispatcher, tracker, domain) -> list:
        which = next(
            (
                e.get("value")
                for e in tracker.latest_message.get("entities") or []
                if e.get("entity") == "reponse"
            ),
            None,
        )
        which = {"situation": "situations"}.get(which, which)
        if which not in PROFILE_SLOTS:
            dispatcher.utter_message(text=messages.WHICH_ANSWER, buttons=messages.CHANGE_BUTTONS)
            return [FollowupAction("action_listen")]
        events = [SlotSet(which, None), SlotSet("derniere_orientation", None), SlotSet("relance", None)]
        if which == "commune":
            events.append(SlotSet("code_insee", None))
        return events  # the rule runs the form next
