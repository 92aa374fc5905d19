"""Every persona set of `make evaluate` is playable and names only what the knowledge base holds.

A persona written in a shape the player does not read is not measured, it is
misreported: a `then` step whose `say` was a list went to the bot as one JSON
array, and counted as "a message without a reply". And an expected service,
platform, prescriber or commune that the knowledge base does not hold can never
be met. These checks hold for any set and any valid knowledge base.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evaluate_conversations import messages  # scripts/, on the path (conftest.py)

from orientation.yaml_lines import load_yaml

ROOT = Path(__file__).resolve().parents[1]
SETS = sorted((ROOT / "tests" / "conversations").glob("personas*.yml"))
EXPECT_KEYS = {
    "commune",
    "statut",
    "platforms",
    "services",
    "prescription",
    "prescriber",
    "not_services",
    "voice",
}
ANSWER_KEYS = {"situation", "commune", "besoin", "age"}


def _are_messages(said) -> bool:
    return isinstance(said, list) and bool(said) and all(isinstance(t, str) and t.strip() for t in said)


def _problems_of_expect(expect, where: str, known: dict) -> list[str]:
    if not isinstance(expect, dict):
        return [f"{where}: expect is not a mapping"]
    problems = [f"{where}: unknown expect key {k!r}" for k in set(expect) - EXPECT_KEYS]
    commune = expect.get("commune")
    if commune is not None and (not isinstance(commune, str) or commune not in known["communes"]):
        problems.append(f"{where}: commune {commune!r} is not an INSEE code of knowledge/communes")
    for key, kind in (("platforms", "platforms"), ("services", "services"), ("not_services", "services")):
        problems += [
            f"{where}: unknown {kind[:-1]} {i!r}" for i in expect.get(key) or () if i not in known[kind]
        ]
    problems += [
        f"{where}: unknown service {i!r}"
        for i in expect.get("prescription") or {}
        if i not in known["services"]
    ]
    prescriber = expect.get("prescriber")
    if prescriber is not None and prescriber not in known["prescribers"]:
        problems.append(f"{where}: unknown prescriber {prescriber!r}")
    return problems


@pytest.fixture(scope="module")
def known(snapshot) -> dict:
    return {
        "communes": {c.code_insee for c in snapshot.communes.all()},
        "platforms": {p.id for p in snapshot.platforms},
        "services": {s.id for p in snapshot.platforms for s in p.services},
        "prescribers": {p.id for p in snapshot.prescribers},
    }


def test_there_are_persona_sets():
    assert SETS, "tests/conversations/personas*.yml: make evaluate would play nothing"


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_persona_set_is_playable_and_names_what_the_knowledge_holds(path, known):
    data = load_yaml(path)
    assert (
        isinstance(data.get("role"), str) and data["role"]
    ), f"{path.name}: no `role` (how blind the set is)"
    personas = data.get("personas")
    assert isinstance(personas, list) and personas, f"{path.name}: no personas"
    ids = [p.get("id") for p in personas]
    assert len(ids) == len(set(ids)), f"{path.name}: ids written twice"
    problems = []
    for p in personas:
        where = f"{path.name} {p.get('id')}"
        if not _are_messages(p.get("say")):
            problems.append(f"{where}: `say` must be a list of messages")
        answers = p.get("answers") or {}
        problems += [f"{where}: unknown answer key {k!r}" for k in set(answers) - ANSWER_KEYS]
        problems += _problems_of_expect(p.get("expect"), where, known)
        for n, step in enumerate(p.get("then") or [], 1):
            if not _are_messages(messages(step.get("say"))):
                problems.append(f"{where} then[{n}]: `say` must be a message or a list of messages")
            problems += _problems_of_expect(step.get("expect"), f"{where} then[{n}]", known)
    assert not problems, "\n".join(problems)
