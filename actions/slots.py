"""Slot filling from the reading of each message: the actions never read the text.

`action_validate_slot_mappings` runs after each user message (Rasa's
`action_extract_slots` calls it for the custom-mapped slots of domain.yml). The NLU
step put the message's facts in the parse data (`lecture`: orientation.language.reading);
`profile_updates` and `commune_update` decide what they change. The commune travels as
its INSEE code; when the reading is unsure of it (a bare word, a close spelling) the bot
asks once: "Vous habitez bien à Mamers (Sarthe, 72) ?". A button's payload carries the
facts themselves (`/inform{"code_insee": "44210"}`).
"""

from __future__ import annotations

from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from actions import knowledge
from actions.safety import not_twice, report_failure
from actions.turns import attempt, intent
from orientation.engine import area_codes
from orientation.language.reading import (
    ASKED,
    Context,
    Reading,
    commune_update,
    profile_updates,
    speaks_as_professional,
)
from orientation.observatory import record_unresolved_commune  # never raises, never blocks
from orientation.text import messages
from orientation.text.wording import voice_for
from orientation.vocabulary import BESOINS, SITUATIONS

READING = "lecture"  # where rasa_server.understanding puts the reading in the parse data
READER_NAME = "Understanding"  # its entities' extractor: the others come from a button's payload
# Intents whose words are about something else than the person's profile. A definition
# asked is not one: the reading leaves the term asked about out ("c'est quoi la Mission
# locale ?" does not say the person is young).
NOT_ABOUT_PROFILE = set("out_of_scope bot_challenge restart help".split())
# Intents whose whole text may be a commune when the commune was just asked.
ANSWERS = set("inform nlu_fallback declare_professional deny affirm out_of_scope other_language".split())
MAX_CANDIDATES = 6
SLOT_TYPES = {"situations": list, "besoin": str, "age": float}  # as domain.yml types them


def _buttons_facts(tracker: Tracker) -> dict:
    """The facts a button's payload carries (`/inform{"besoin": "permis"}`): no reading needed."""
    entities = tracker.latest_message.get("entities") or []
    return {e.get("entity"): str(e.get("value")) for e in entities if e.get("extractor") != READER_NAME}


def reading_of(tracker: Tracker) -> Reading:
    reading = Reading.from_dict(tracker.latest_message.get(READING))
    facts = _buttons_facts(tracker)
    if facts.get("situation") in SITUATIONS:
        reading = replace(reading, situations=(facts["situation"],))
    if facts.get("besoin") in BESOINS:
        reading = replace(reading, besoin=facts["besoin"], besoin_strength=ASKED)
    return reading


def _context(tracker: Tracker) -> Context:
    age, asked = tracker.get_slot("age"), tracker.get_slot("requested_slot")
    return Context(
        situations=tuple(tracker.get_slot("situations") or ()),
        besoin=tracker.get_slot("besoin"),
        age=int(age) if age is not None else None,
        asked="situation" if asked == "situations" else asked,
        commune=tracker.get_slot("code_insee"),
        proposed=tracker.get_slot("commune_proposee"),
        professional=tracker.get_slot("role") == "professionnel",
    )


def _voice(tracker: Tracker):
    return voice_for(tracker.get_slot("role") == "professionnel")


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
            events = await self._understand(dispatcher, tracker)
        except Exception as error:  # noqa: BLE001 - see actions/safety.py
            return report_failure(self.name(), dispatcher, error)
        not_twice(dispatcher, tracker)  # "lassay" twice: not "Plusieurs communes…" twice
        return events

    async def _understand(self, dispatcher, tracker: Tracker) -> list:
        said = intent(tracker)
        if said == "restart":
            return []
        reading, events = reading_of(tracker), []
        if speaks_as_professional(reading, said) and tracker.get_slot("role") != "professionnel":
            events.append(SlotSet("role", "professionnel"))
        if said not in NOT_ABOUT_PROFILE:
            updates = profile_updates(reading, _context(tracker))
            events += [SlotSet(slot, SLOT_TYPES[slot](value)) for slot, value in updates.items()]
        if reading.topic in messages.SUJETS:  # "j'ai un permis marocain, comment l'échanger ?"
            dispatcher.utter_message(
                text=messages.SUJETS[reading.topic] + _voice(tracker)(messages.SUJET_NEXT)
            )
            if not reading.besoin and not tracker.get_slot("besoin"):
                events.append(SlotSet("besoin", "accompagnement"))  # the platform's first step
        skipped = list(tracker.get_slot("questions_passees") or [])
        if reading.says("retraite") and "age" not in skipped:
            events.append(SlotSet("questions_passees", skipped + ["age"]))  # no Mission locale at 60
        events += await self._commune(dispatcher, tracker, reading, said)
        if reading.says("donnees_personnelles") and not tracker.get_slot("donnees_signalees"):
            # Said once: the bot needs no identity, and keeps none.
            dispatcher.utter_message(text=_voice(tracker)(messages.PERSONAL_DATA))
            events.append(SlotSet("donnees_signalees", True))
        return events

    async def _commune(self, dispatcher, tracker: Tracker, reading: Reading, said: str) -> list:
        snapshot = await knowledge.snapshot()
        communes = snapshot.communes
        code = _buttons_facts(tracker).get("code_insee")
        if not communes.by_code(code or ""):
            asked = tracker.get_slot("requested_slot") == "commune"
            if said in NOT_ABOUT_PROFILE and not asked:
                return []
            yes, no = reading.says("oui") or said == "affirm", reading.says("non") or said == "deny"
            what, place = commune_update(reading, _context(tracker), said in ANSWERS, yes, no)
            if what == "deny":  # "Vous habitez bien à Mamers ?" "non"
                text = messages.question("commune", _voice(tracker))
                dispatcher.utter_message(text=text, json_message={"question": "commune"})
                return [SlotSet("commune_proposee", None), SlotSet("commune_signalee", True)]
            if what == "confirm":  # a bare word, a close spelling: asked once, never taken for granted
                return self._confirm(dispatcher, tracker, communes.by_code(place.codes[0]))
            if what == "choose":
                return self._not_found(dispatcher, tracker, place, snapshot)
            if what != "set":
                return []
            code = place.codes[0] if place else tracker.get_slot("commune_proposee")
            if place and place.former:  # "Montjean-sur-Loire" is Mauges-sur-Loire today: said
                where = messages.where(communes.by_code(code))
                dispatcher.utter_message(text=messages.FORMER_NAME.format(ancien=place.text, commune=where))
        commune = communes.by_code(code)
        events = [SlotSet("commune", commune.nom), SlotSet("code_insee", commune.code_insee)]
        return events + ([SlotSet("commune_proposee", None)] if tracker.get_slot("commune_proposee") else [])

    def _confirm(self, dispatcher, tracker: Tracker, commune) -> list:
        dispatcher.utter_message(
            text=_voice(tracker)(messages.COMMUNE_CONFIRM, commune=messages.where(commune)),
            buttons=[
                {"title": messages.YES, "payload": messages.payload("inform", code_insee=commune.code_insee)},
                {"title": messages.OTHER_COMMUNE, "payload": messages.payload("deny")},
            ],
            json_message={"question": "commune", "choix": True},
        )
        return [SlotSet("commune_proposee", commune.code_insee), SlotSet("commune_signalee", True)]

    def _not_found(self, dispatcher, tracker: Tracker, place, snapshot) -> list:
        """Homonyms, close spellings, or nothing: said once, with choices and a way out."""
        asked, tries = tracker.get_slot("requested_slot") == "commune", attempt(tracker, "commune")
        if asked and tries > 3:
            return []  # asked three times already: the form passes the question
        communes = [snapshot.communes.by_code(c) for c in (place.codes or place.suggestions)]
        if len(place.codes) > 1:
            text = messages.COMMUNE_POSTAL if place.postal else messages.COMMUNE_AMBIGUOUS
        elif communes:
            text = messages.COMMUNE_SUGGESTIONS
        else:
            text = messages.COMMUNE_UNKNOWN
            record_unresolved_commune(tracker.get_slot("role") == "professionnel")
        # The second answer not understood, or the same homonym again: a way out, as every
        # question gives (see AskSlot), never the same question twice.
        stuck = asked and tries >= 2
        text += messages.WAY_OUT.format(prescriber=messages.SOCIAL_SERVICE) if stuck else ""
        dispatcher.utter_message(
            text=text.format(query=messages.echo(place.text)),
            buttons=commune_buttons(communes, snapshot) + ([messages.SKIP_BUTTON] if stuck else []),
            json_message={"question": "commune", "choix": bool(communes)},
        )
        # The form's question would repeat what was just said: `commune_signalee` tells it.
        events = [SlotSet("relance", f"commune:{tries}"), SlotSet("commune_signalee", True)]
        return events + ([SlotSet("commune", None), SlotSet("code_insee", None)] if asked else [])

    async def get_validation_events(self, dispatcher, tracker, domain) -> list:
        return [SlotSet(name, value) for name, value in tracker.slots_to_validate().items()]
