"""The moments a conversation went wrong, found in its stored events (Rasa's event dicts).

A moment is a kind and the message a coordinator should read again, masked:

- `incompris`: the bot did not understand (DIET's `nlu_fallback`, Rasa's core
  fallback `action_incompris`, "Je n'ai pas bien compris" said by another action,
  a definition asked for a word the glossary does not know, or a message
  classified `inform` from which the reading got no fact at all: the bot goes
  on to its next question as if nothing had been said);
- `question_reposee`: a question asked again because the answer was not understood
  (the `relance` slot reaches "commune:2");
- `question_passee`: a question passed ("Passer cette question");
- `correction`: a correction after an orientation ("Changer de commune", "Un autre
  besoin", "non, …"): the message shown is the one that was misread, the correction
  is its context;
- `confirmation_refusee`: "Vous habitez bien à Mamers ?" answered "non": the message
  shown is the one the bot was unsure of;
- `sans_orientation`: a conversation that ended (no message for `ENDED_AFTER`, a
  goodbye, a restart, a new session) without an orientation: its last message
  that is not a greeting or a goodbye (none: nothing was said to misunderstand).

Rasa's markers (markers.yml, evaluated by rasa_server/review.py, or offline by
`rasa evaluate markers`) find what intents, actions and slots say; this module
maps each marker's event to its message, and finds what markers cannot see: a
slot's value (`relance`), the reading of the words (`lecture`: a "non", a
correction), a bot text, and the end of a conversation in time.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from orientation.review.masking import mask, masked_values
from orientation.text import messages

KINDS = {
    "incompris": "Le bot n'a pas compris",
    "question_reposee": "Une question posée à nouveau",
    "question_passee": "Une question passée",
    "correction": "Une correction après une orientation",
    "confirmation_refusee": "Une confirmation refusée",
    "sans_orientation": "Une conversation finie sans orientation",
}
# markers.yml's markers and the kind of moment each one finds.
MARKERS = {
    "incompris": "incompris",
    "question_passee": "question_passee",
    "changement_apres_orientation": "correction",
    "commune_refusee": "confirmation_refusee",
}
ENDED_AFTER = 10 * 60  # seconds without a message: the conversation is over
SIMULATED = "simulation-"  # the sender ids of `make review-demo`'s conversations
PROBES = "readiness-"  # readiness probes: nobody there
READING = "lecture"
QUESTIONS = {"besoin": "le besoin", "situations": "la situation", "commune": "la commune", "age": "l'âge"}
PROFILE_SLOTS = {"commune": ("commune", "code_insee"), "besoin": ("besoin",), "situation": ("situations",)}
_NOT_UNDERSTOOD = messages.NOT_UNDERSTOOD[:40]
_NO_DEFINITION = messages.DEFINITION_UNKNOWN.partition("{")[0][:40]
LEAVING = {"goodbye", "thanks", "greet", "restart"}
EMPTY_SIGNALS = {"salutation", "aussi", "question"}  # read, but no fact: "slt ma caisse tousse"


@dataclass
class Turn:
    """A person's message and what the bot did until the next one."""

    index: int  # the user event's index in the conversation's events
    event: dict
    session: int
    question: Optional[str]  # the question the bot had asked last
    proposed: bool  # "Vous habitez bien à … ?" was waiting for an answer
    bots: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    slots: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.event.get("text") or ""

    @property
    def typed(self) -> bool:
        """Written by the person (a button sends its payload, "/inform{…}")."""
        return bool(self.text.strip()) and not self.text.startswith("/")

    @property
    def intent(self) -> str:
        return ((self.event.get("parse_data") or {}).get("intent") or {}).get("name") or ""

    @property
    def signals(self) -> set:
        return set(((self.event.get("parse_data") or {}).get(READING) or {}).get("signals") or ())

    def set_slot(self, *names: str) -> bool:
        return any(name in names for name, _ in self.slots)

    def slot_value(self, name: str):
        return next((value for slot, value in reversed(self.slots) if slot == name), None)

    @property
    def read_nothing(self) -> bool:
        """Said to inform, and the reading found no fact, no signal, no number in it."""
        lecture = (self.event.get("parse_data") or {}).get(READING)
        if self.intent != "inform" or not isinstance(lecture, dict):
            return False
        facts = ("situations", "situations_ended", "besoin", "terms", "topic")
        signals = set(lecture.get("signals") or ()) - EMPTY_SIGNALS
        # A place that names no commune of France is no fact (the whole message, unknown).
        places = [p for p in lecture.get("places") or () if isinstance(p, dict) and p.get("codes")]
        nothing = not any(lecture.get(f) for f in facts) and not signals and not places
        return nothing and lecture.get("age") is None and lecture.get("number") is None

    @property
    def oriented(self) -> bool:
        return "action_orienter" in self.actions


@dataclass(frozen=True)
class Moment:
    kind: str
    found_by: str  # "marqueur" (markers.yml) or "code" (this module)
    conversation: str  # a hash of the conversation id: counts conversations, names none
    simulated: bool
    timestamp: float
    message: Optional[dict]  # the message to read again (`message_view`), None when only buttons were used
    answer: tuple[str, ...] = ()  # what the bot answered to it, masked
    context: Optional[str] = None  # what showed the misunderstanding, masked

    def as_dict(self) -> dict:
        data = asdict(self)
        data["answer"] = list(self.answer)
        return data


def button_title(payload: str) -> str:
    """The title of the button that sent `payload`, as the person saw it."""
    buttons = [
        *messages.SITUATION_BUTTONS,
        *messages.BESOIN_BUTTONS,
        *messages.CHANGE_BUTTONS,
        messages.SKIP_BUTTON,
        messages.RESTART_BUTTON,
    ]
    for button in buttons:
        if button["payload"] == payload:
            return button["title"]
    if payload.startswith("/inform") and "code_insee" in payload:
        return "une commune proposée"
    return {"/deny": messages.OTHER_COMMUNE, "/affirm": messages.YES}.get(payload, "un bouton")


def turns_of(events: list[dict]) -> list[Turn]:
    """The person's messages, each with what followed it; sessions split at a new session or a restart."""
    turns: list[Turn] = []
    session, question, proposed, current = 0, None, False, None
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            session, question, proposed, current = session + 1, None, False, None
        elif kind == "user":
            current = Turn(index, event, session, question, proposed)
            turns.append(current)
        elif kind == "bot":
            asked = ((event.get("data") or {}).get("custom") or {}).get("question")
            question = asked or question
            if current is not None:
                current.bots.append(event)
        elif kind == "action" and current is not None:
            current.actions.append(event.get("name"))
        elif kind == "slot":
            if event.get("name") == "commune_proposee":
                proposed = event.get("value") is not None
            if current is not None:
                current.slots.append((event.get("name"), event.get("value")))
    return turns


def message_view(turn: Turn) -> dict:
    """The message as the page shows it: masked text, what the bot understood, the question it answered."""
    parse = turn.event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    ranking = parse.get("intent_ranking") or []
    diet = (ranking[0] or {}).get("name") if ranking else None
    return {
        "text": mask(turn.text),
        "intent": intent.get("name"),
        "confidence": round(float(intent.get("confidence") or 0), 2),
        "diet": diet if diet != intent.get("name") else None,
        "lecture": masked_values(parse.get(READING) or {}),
        "question": turn.question,
        "timestamp": turn.event.get("timestamp"),
    }


def _answer(turn: Turn) -> tuple[str, ...]:
    return tuple(mask(b.get("text") or "") for b in turn.bots if b.get("text"))


def _said(turn: Turn) -> str:
    return f"« {mask(turn.text)} »" if turn.typed else f"le bouton « {button_title(turn.text)} »"


class _Finder:
    def __init__(self, sender_id: str, events: list[dict], now: float):
        self.turns = turns_of(events)
        self.events = events
        self.now = now
        self.conversation = hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:12]
        self.simulated = sender_id.startswith(SIMULATED)
        self.found: dict[tuple[str, int], Moment] = {}

    def turn_at(self, event_index: int) -> Optional[Turn]:
        """The person's message an event belongs to (the last one at or before it)."""
        before = [t for t in self.turns if t.index <= event_index]
        return before[-1] if before else None

    def previous(self, turn: Turn) -> list[Turn]:
        """The earlier messages of the same session, the nearest first."""
        return [t for t in reversed(self.turns) if t.index < turn.index and t.session == turn.session]

    def add(self, kind: str, by: str, turn: Turn, shown: Optional[Turn], context: Optional[str] = None):
        key = (kind, turn.index)
        if key in self.found:
            return
        self.found[key] = Moment(
            kind=kind,
            found_by=by,
            conversation=self.conversation,
            simulated=self.simulated,
            timestamp=float(turn.event.get("timestamp") or 0),
            message=message_view(shown) if shown and shown.typed else None,
            answer=_answer(shown) if shown and shown.typed else (),
            context=context,
        )

    # -- each kind: the turn that shows it, and the message to read again --------------------

    def not_understood(self, turn: Turn, by: str, context: Optional[str] = None) -> None:
        self.add("incompris", by, turn, turn, context)

    def skipped(self, turn: Turn, by: str) -> None:
        shown = turn if turn.typed else None
        if shown is None:  # the button: the answer before it, to the same question
            shown = next(
                (t for t in self.previous(turn)[:1] if t.typed and t.question == turn.question), None
            )
        self.add("question_passee", by, turn, shown)

    def corrected(self, turn: Turn, by: str) -> None:
        earlier = self.previous(turn)
        orientation = next((t for t in earlier if t.oriented), None)
        if orientation is None:
            return
        which = next(
            (
                e.get("value")
                for e in (turn.event.get("parse_data") or {}).get("entities") or []
                if e.get("entity") == "reponse"
            ),
            None,
        )
        slots = PROFILE_SLOTS.get(which) or tuple(
            s for names in PROFILE_SLOTS.values() for s in names if turn.set_slot(s)
        )
        candidates = [t for t in [orientation, *self.previous(orientation)] if t.typed]
        shown = next((t for t in candidates if slots and t.set_slot(*slots)), None)
        shown = shown or (candidates[0] if candidates else None)
        self.add(
            "correction",
            by,
            turn,
            shown,
            f"Après l'orientation, la personne a écrit ou choisi {_said(turn)}.",
        )

    def refused(self, turn: Turn, by: str) -> None:
        asking = next((t for t in self.previous(turn) if t.slot_value("commune_proposee")), None)
        question = next(
            (mask(b.get("text") or "") for b in (asking.bots if asking else []) if b.get("text")), None
        )
        context = (
            f"Le bot a demandé « {question} », la personne a répondu {_said(turn)}." if question else None
        )
        self.add("confirmation_refusee", by, turn, asking, context)

    # -- what markers cannot see -----------------------------------------------------------------

    def by_code(self) -> None:
        for n, turn in enumerate(self.turns):
            texts = [b.get("text") or "" for b in turn.bots]
            if any(t.startswith(_NOT_UNDERSTOOD) for t in texts) and turn.typed:
                self.not_understood(turn, "code")
            elif any(t.startswith(_NO_DEFINITION) for t in texts) and turn.typed:
                context = "Une définition demandée, mais aucun mot du glossaire reconnu."
                self.not_understood(turn, "code", context)
            relance = str(turn.slot_value("relance") or "")
            name, _, count = relance.partition(":")
            asked_again = count.isdigit() and int(count) >= 2
            if asked_again and turn.typed:
                asked = QUESTIONS.get(name, name)
                context = f"La question sur {asked} a été posée une {count}e fois à la suite."
                self.add("question_reposee", "code", turn, turn, context)
            elif turn.read_nothing and turn.typed and not self.found.get(("incompris", turn.index)):
                # An answer the bot asks again for is that moment already.
                context = "Classé « inform », mais la lecture n'y a trouvé aucun fait."
                self.not_understood(turn, "code", context)
            previous = self.turns[n - 1] if n else None
            just_oriented = previous is not None and previous.session == turn.session and previous.oriented
            if just_oriented and turn.typed and turn.signals & {"correction", "non"}:
                self.corrected(turn, "code")
            if turn.proposed and turn.typed and "non" in turn.signals:
                self.refused(turn, "code")
        self.ended_without_orientation()

    def ended_without_orientation(self) -> None:
        sessions: dict[int, list[Turn]] = {}
        for turn in self.turns:
            sessions.setdefault(turn.session, []).append(turn)
        last_session = max(sessions) if sessions else None
        last_time = float((self.events[-1] if self.events else {}).get("timestamp") or 0)
        for number, turns in sessions.items():
            typed = [t for t in turns if t.typed]
            if not typed or any(t.oriented for t in turns):
                continue
            ended = (
                number != last_session or self.now - last_time >= ENDED_AFTER or turns[-1].intent == "goodbye"
            )
            # The last message that says something, rather than "au revoir"; a conversation of
            # greetings only ("bonjour", then nothing) has nothing to misunderstand.
            said = [t for t in typed if t.intent not in LEAVING]
            if ended and said:
                self.add("sans_orientation", "code", typed[-1], said[-1], _where_it_stopped(turns))


def _where_it_stopped(turns: list[Turn]) -> str:
    """The question the conversation stopped at: where people leave."""
    asked = [((b.get("data") or {}).get("custom") or {}).get("question") for t in turns for b in t.bots]
    last = next((q for q in reversed(asked) if q), None)
    if last is None:
        return "La conversation s'est arrêtée sans orientation."
    return f"La conversation s'est arrêtée sur la question sur {QUESTIONS.get(last, last)}, sans orientation."


def find_moments(
    sender_id: str, events: list[dict], marker_hits: dict[str, list[int]], now: float
) -> list[Moment]:
    """Every moment of one conversation (all its sessions), in the order they happened.

    `marker_hits`: markers.yml's marker name → the indices of the events where it applied.
    """
    if sender_id.startswith(PROBES):
        return []
    finder = _Finder(sender_id, events, now)
    handlers = {
        "incompris": finder.not_understood,
        "question_passee": finder.skipped,
        "correction": finder.corrected,
        "confirmation_refusee": finder.refused,
    }
    for marker, indices in marker_hits.items():
        kind = MARKERS.get(marker)
        for index in indices:
            turn = finder.turn_at(index)
            if kind and turn is not None:
                handlers[kind](turn, "marqueur")
    finder.by_code()
    return sorted(finder.found.values(), key=lambda m: (m.timestamp, m.kind))


def moments_document(moments: list[Moment], conversations: int, now: float) -> dict[str, Any]:
    """What rasa_server/review.py sends the review page."""
    return {"genere_le": now, "conversations": conversations, "moments": [m.as_dict() for m in moments]}
