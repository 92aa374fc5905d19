#!/usr/bin/env python3
"""Play the scripted personas through the real servers and score whole conversations.

    python scripts/evaluate_conversations.py [--personas FILE …] [--rasa-url URL] [--out build/evaluation]

By default every set of tests/conversations/ is played, each reported on its own
(its `role` says whether the bot was corrected while looking at it: only a set
played for the first time measures what new people meet).

Each persona (written from the source's facts without looking at the training
data) says its first messages, answers the questions the bot asks (the bot
tags them: `custom.question`), picks the commune it means when offered
choices, then checks the orientation: commune, statut, platforms, services,
prescription flags, prescriber, voice. Follow-ups (`then`) are checked too.

Prints: % correct orientations, % conversations with a turn left without a
reply, % with a question asked again after a clear answer, median messages to
the first orientation; and each failure with what differed. A measurement: it
exits 0 whatever the scores (2 when it could not run).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from stack import Stack, free_port, send  # noqa: E402

MAX_TURNS = 14
ANSWER_KEY = {"situations": "situation"}  # the bot's slot name → the persona's answer key


def messages(say) -> list:
    """A `then` step says one message or several, like the persona's opening `say`."""
    return [say] if isinstance(say, str) else say


@dataclass
class Played:
    persona: dict
    turns: int = 0
    silent_turns: int = 0
    repeated: list = field(default_factory=list)  # slots asked again after a clear answer
    to_first_orientation: int | None = None
    problems: list = field(default_factory=list)
    transcript: list = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return not self.problems


def _orientation(reply):
    return next(
        (
            m["custom"]["orientation"]
            for m in reply
            if isinstance(m.get("custom"), dict) and "orientation" in m["custom"]
        ),
        None,
    )


def _question(reply):
    return next(
        (
            m["custom"]["question"]
            for m in reply
            if isinstance(m.get("custom"), dict) and m["custom"].get("question")
        ),
        None,
    )


def _is_choice(reply) -> bool:
    """The bot offers communes to choose from: a clarification, not the question asked again."""
    return any(isinstance(m.get("custom"), dict) and m["custom"].get("choix") for m in reply)


def _commune_choice(reply, code):
    """The payload of the button that names the commune the person means, if offered."""
    for m in reply:
        for b in m.get("buttons") or []:
            if f'"code_insee": "{code}"' in b.get("payload", ""):
                return b["payload"]
    return None


class Conversation:
    def __init__(self, url: str, persona: dict):
        self.url, self.persona = url, persona
        self.sender = f"eval-{uuid.uuid4().hex}"
        self.played = Played(persona)
        self.asked: Counter = Counter()
        self.answered: Counter = Counter()

    def say(self, text: str) -> list:
        reply = send(self.url, self.sender, text)
        self.played.turns += 1
        self.played.transcript.append({"person": text, "bot": [m.get("text", "") for m in reply]})
        if not reply:
            self.played.silent_turns += 1
        return reply

    def answer(self, slot: str) -> str | None:
        given = (self.persona.get("answers") or {}).get(ANSWER_KEY.get(slot, slot))
        if given is None:
            return None
        answers = given if isinstance(given, list) else [given]
        index = min(self.answered[slot], len(answers) - 1)
        self.answered[slot] += 1
        return str(answers[index])

    def until_orientation(self, reply, expected_commune) -> dict | None:
        """Answer the bot's questions until it orients (or gives up)."""
        for _ in range(MAX_TURNS):
            orientation = _orientation(reply)
            if orientation:
                return orientation
            slot = _question(reply)
            if slot is None:
                return None
            if not _is_choice(reply):
                self.asked[slot] += 1
                if self.asked[slot] > 1 and self.answered[slot] >= self._answers_for(slot):
                    self.played.repeated.append(slot)
            choice = _commune_choice(reply, expected_commune) if slot == "commune" else None
            text = choice or self.answer(slot)
            if text is None:
                self.played.problems.append(f"no answer written for the question « {slot} »")
                return None
            reply = self.say(text)
        self.played.problems.append("no orientation after many turns")
        return None

    def _answers_for(self, slot: str) -> int:
        given = (self.persona.get("answers") or {}).get(ANSWER_KEY.get(slot, slot))
        return len(given) if isinstance(given, list) else 1

    def play(self) -> Played:
        p = self.persona
        expect = p["expect"]
        orientation, reply = None, []
        for text in p["say"]:
            reply = self.say(text)
            orientation = _orientation(reply)
            if orientation:
                break
        if orientation is None:
            orientation = self.until_orientation(reply, expect.get("commune"))
        if orientation is None:
            self.played.problems.append("no orientation")
            return self.played
        self.played.to_first_orientation = self.played.turns
        self.played.problems += check(orientation, expect, "")
        for n, step in enumerate(p.get("then") or [], 1):
            self.asked.clear()
            self.answered.clear()
            orientation = None
            for text in messages(step["say"]):
                reply = self.say(text)
                # The step's orientation is the last one given during it: a message that adds
                # nothing new may be answered "votre orientation reste valable".
                orientation = _orientation(reply) or orientation
            orientation = orientation or self.until_orientation(reply, step["expect"].get("commune"))
            if orientation is None:
                self.played.problems.append(f"then[{n}]: no new orientation")
                continue
            self.played.problems += check(orientation, step["expect"], f"then[{n}] ")
        return self.played


def check(o: dict, expect: dict, where: str) -> list[str]:
    """What differs between an orientation payload and the persona's expected answer."""
    problems = []
    proposed = {s["id"]: s for s in o.get("services") or []}
    if "commune" in expect and (o.get("commune") or {}).get("code_insee") != expect["commune"]:
        problems.append(f"{where}commune {(o.get('commune') or {}).get('code_insee')} ≠ {expect['commune']}")
    if "statut" in expect and o.get("statut") != expect["statut"]:
        problems.append(f"{where}statut {o.get('statut')} ≠ {expect['statut']}")
    if "platforms" in expect:
        # Either the platforms of the services proposed, or the platforms covering the commune
        # (the payload's `plateformes`, what `orientation orient --json` prints): sets say either.
        platforms = {s["plateforme"]["id"] for s in proposed.values()}
        covering = {p["id"] for p in o.get("plateformes") or []}
        if set(expect["platforms"]) not in (platforms, covering):
            problems.append(f"{where}platforms {sorted(platforms)} ≠ {sorted(expect['platforms'])}")
    missing = set(expect.get("services") or ()) - set(proposed)
    if missing:
        problems.append(f"{where}services missing {sorted(missing)}")
    extra = set(expect.get("not_services") or ()) & set(proposed)
    if extra:
        problems.append(f"{where}services not expected {sorted(extra)}")
    for service_id, flag in (expect.get("prescription") or {}).items():
        if service_id in proposed and proposed[service_id]["prescription"] != flag:
            problems.append(
                f"{where}prescription of {service_id}: {proposed[service_id]['prescription']} ≠ {flag}"
            )
    if "prescriber" in expect and (o.get("prescripteur") or {}).get("id") != expect["prescriber"]:
        problems.append(
            f"{where}prescriber {(o.get('prescripteur') or {}).get('id')} ≠ {expect['prescriber']}"
        )
    if expect.get("voice") and o.get("voix") != expect["voice"]:
        problems.append(f"{where}voice {o.get('voix')} ≠ {expect['voice']}")
    return problems


def evaluate(url: str, personas: list[dict]) -> list[Played]:
    results = []
    for persona in personas:
        try:
            results.append(Conversation(url, persona).play())
        except Exception as error:  # noqa: BLE001 - a broken conversation is a failure, not a crash
            played = Played(persona)
            played.problems.append(f"error: {type(error).__name__}: {error}")
            results.append(played)
    return results


def summary(results: list[Played]) -> dict:
    n = len(results)
    reached = [r.to_first_orientation for r in results if r.to_first_orientation]
    return {
        "conversations": n,
        "correct": sum(r.correct for r in results),
        "correct_pct": 100 * sum(r.correct for r in results) / n,
        "without_reply_pct": 100 * sum(r.silent_turns > 0 for r in results) / n,
        "question_twice_pct": 100 * sum(bool(r.repeated) for r in results) / n,
        "median_messages": statistics.median(reached) if reached else None,
        "by_style": {
            style: f"{sum(r.correct for r in results if r.persona.get('style') == style)}"
            f"/{sum(1 for r in results if r.persona.get('style') == style)}"
            for style in sorted({r.persona.get("style", "?") for r in results})
        },
    }


def print_report(results: list[Played], figures: dict, name: str = "", role: str = "") -> None:
    for r in results:
        if r.correct and not r.repeated and not r.silent_turns:
            continue
        print(f"✗ {r.persona['id']} ({r.persona.get('style')})")
        for problem in r.problems:
            print(f"    {problem}")
        if r.repeated:
            print(f"    question asked again: {', '.join(r.repeated)}")
        if r.silent_turns:
            print(f"    {r.silent_turns} turn(s) without a reply")
    print(f"\nConversations scriptées {name} : {figures['conversations']}")
    if role:
        print(f"  ({role})")
    print(f"  orientation correcte            {figures['correct_pct']:5.1f} %  ({figures['correct']})")
    print(f"  au moins un message sans réponse {figures['without_reply_pct']:5.1f} %")
    print(f"  une question posée deux fois    {figures['question_twice_pct']:5.1f} %")
    print(f"  messages jusqu'à l'orientation  médiane {figures['median_messages']}")
    print("  par style : " + ", ".join(f"{k} {v}" for k, v in figures["by_style"].items()))


PERSONA_SETS = sorted((ROOT / "tests/conversations").glob("personas*.yml"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=Path, nargs="+", default=PERSONA_SETS)
    parser.add_argument("--rasa-url", help="servers already running (default: start them)")
    parser.add_argument("--out", type=Path, default=ROOT / "build/evaluation")
    parser.add_argument("--only", help="play only personas whose id contains this")
    args = parser.parse_args(argv)
    sets = []
    for path in args.personas:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        personas = [p for p in document["personas"] if not args.only or args.only in p["id"]]
        sets.append((path, document.get("role", ""), personas))
    stack = None
    url = args.rasa_url
    if not url:
        stack = Stack(
            rasa_port=free_port(),
            actions_port=free_port(),
            web_port=None,
            log_dir=ROOT / "build" / "evaluation" / "logs",
        )
        stack.start(timeout=300)
        url = stack.rasa_url
    played = []
    try:
        for path, role, personas in sets:
            started = time.monotonic()
            played.append((path, role, evaluate(url, personas), time.monotonic() - started))
    finally:
        if stack:
            stack.stop()
    for path, role, results, elapsed in played:
        figures = summary(results)
        print_report(results, figures, path.name, role)
        print(f"  durée : {elapsed:.0f} s")
        out = args.out / path.stem if len(played) > 1 else args.out
        write_results(out, figures, results)
    return 0


def write_results(out: Path, figures: dict, results) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "conversations.json").write_text(
        json.dumps(
            {
                "figures": figures,
                "conversations": [
                    {
                        "id": r.persona["id"],
                        "correct": r.correct,
                        "problems": r.problems,
                        "repeated": r.repeated,
                        "silent_turns": r.silent_turns,
                        "transcript": r.transcript,
                    }
                    for r in results
                ],
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    sys.exit(main())
