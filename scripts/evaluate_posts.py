#!/usr/bin/env python3
"""Play posts real people wrote on public pages, as their first message, through the real servers.

    python scripts/evaluate_posts.py POSTS.yml [--rasa-url URL] [--out build/evaluation/posts]

The posts file (not in the repository: the texts belong to their authors; only
their addresses and the results are kept, in docs/evaluation.md) lists, for each
post, its address, its text said verbatim, and what the post itself states
(`states`: situation, home town as written, need, other places, speaker), as
read by the person who collected it.

Each post is sent as one message; the bot's questions are then answered from
what the post states (or as a person would: "je ne sais pas", a town when the
post names none). Measured:
- orientations for a commune the person never gave (neither in the post as home
  nor in an answer): the reading took it from ordinary words, numbers or a town
  with another role;
- first replies that ask again for a fact the post states (situation, home, need);
- replies missing. A measurement: exits 0 whatever the scores.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from evaluate_conversations import _commune_choice, _orientation, _question  # noqa: E402

from orientation.language.communes import CommuneIndex  # noqa: E402
from orientation.territory import load_communes  # noqa: E402
from stack import Stack, free_port, send  # noqa: E402

MAX_TURNS = 10
TOWN_WHEN_NONE = "Laval"  # the answer of a person whose post names no home town
SITUATION_ANSWERS = {
    "rsa": "je suis au RSA",
    "demandeur_emploi": "je suis demandeur d'emploi",
    "jeune": "je suis suivi par la mission locale",
    "handicap": "j'ai la RQTH",
    "salarie_insertion": "je suis en chantier d'insertion",
    "salarie": "je suis salarié",
    "etudiant": "je suis étudiant",
    "autre": "autre situation",
}
BESOIN_ANSWERS = {
    "permis": "passer le permis",
    "vehicule": "une voiture",
    "reparation": "réparer ma voiture",
    "financement": "une aide financière",
    "transport": "quelqu'un pour m'emmener",
    "velo": "un vélo",
    "accompagnement": "je ne sais pas",
}
ASKED_FACT = {"situations": "situation", "commune": "home", "besoin": "besoin"}


def play(url: str, post: dict, communes: CommuneIndex) -> dict:
    states = post.get("states") or {}
    sender = f"posts-{uuid.uuid4().hex}"
    given = set()  # INSEE codes the person gave as home
    if states.get("home"):
        resolution = communes.resolve(states["home"])
        given |= {c.code_insee for c in resolution.candidates} | (
            {resolution.commune.code_insee} if resolution.commune else set()
        )
    result = {"id": post["id"], "url": post.get("url"), "turns": 0, "silent": 0, "transcript": []}
    # One post is one message, however many pieces the collector cut it into (quotes
    # around a journalist's "explique-t-il"): the person said all of it at once.
    reply = _say(url, sender, " ".join(post["say"]), result)
    first = _question(reply)
    result["first_question"] = first
    result["asked_again"] = bool(first and states.get(ASKED_FACT.get(first, "?")))
    for _ in range(MAX_TURNS):
        orientation = _orientation(reply)
        if orientation:
            code = (orientation.get("commune") or {}).get("code_insee")
            result["commune"] = code
            result["wrong_commune"] = bool(code) and code not in given
            return result
        slot = _question(reply)
        if slot is None:
            break
        text = _answer(slot, states, reply, given, communes)
        reply = _say(url, sender, text, result)
    result["commune"], result["wrong_commune"] = None, False
    return result


def _answer(slot: str, states: dict, reply, given: set, communes: CommuneIndex) -> str:
    if slot == "commune":
        choice = next((p for p in (_commune_choice(reply, c) for c in sorted(given)) if p), None)
        if choice:
            return choice
        town = states.get("home") or TOWN_WHEN_NONE
        resolution = communes.resolve(town)
        given.update(c.code_insee for c in resolution.candidates)
        return town
    if slot == "situations":
        return SITUATION_ANSWERS.get(states.get("situation"), "autre situation")
    if slot == "besoin":
        return BESOIN_ANSWERS.get(states.get("besoin"), "je ne sais pas")
    return "35"  # the age


def _say(url: str, sender: str, text: str, result: dict) -> list:
    reply = send(url, sender, text, timeout=60)
    result["turns"] += 1
    result["silent"] += not reply
    result["transcript"].append({"person": text[:80], "bot": [m.get("text", "") for m in reply]})
    return reply


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=Path)
    parser.add_argument("--rasa-url", help="servers already running (default: start them)")
    parser.add_argument("--out", type=Path, default=ROOT / "build/evaluation/posts")
    args = parser.parse_args(argv)
    posts = yaml.safe_load(args.posts.read_text(encoding="utf-8"))["posts"]
    communes = CommuneIndex(*load_communes())
    stack, url = None, args.rasa_url
    if not url:
        stack = Stack(
            rasa_port=free_port(), actions_port=free_port(), web_port=None, log_dir=args.out / "logs"
        )
        stack.start(timeout=300)
        url = stack.rasa_url
    try:
        results = [play(url, post, communes) for post in posts]
    finally:
        if stack:
            stack.stop()
    n = len(results)
    wrong = [r for r in results if r["wrong_commune"]]
    again = [r for r in results if r["asked_again"]]
    for r in wrong:
        print(f"✗ commune jamais donnée : {r['id']} → {r['commune']}")
    for r in again:
        print(f"↺ première réponse redemande « {r['first_question']} » : {r['id']}")
    print(f"\nMessages réels : {n}")
    print(f"  orientés                                  {sum(bool(r.get('commune')) for r in results)}")
    print(f"  orientés pour une commune jamais donnée   {len(wrong)}")
    print(f"  première réponse qui redemande un fait dit {100 * len(again) / n:5.1f} %  ({len(again)})")
    print(f"  au moins un message sans réponse           {sum(r['silent'] > 0 for r in results)}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "posts.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
