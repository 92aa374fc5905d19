"""Two Rasa replicas share conversations: any turn on any replica, one turn at a time.

- turns alternated between the replicas give the orientation one server gives;
- two messages of one conversation sent at the same instant to both replicas
  are handled one after the other, both answered, the stored tracker consistent.
"""

from __future__ import annotations

import json
import threading

import pytest
from chat import LAVAL_PERMIS, assert_laval_rsa_permis, new_sender, orientation, post
from sqlalchemy import create_engine
from sqlalchemy import text as sql

SCRIPTS = {
    "laval-rsa-permis-step-by-step": LAVAL_PERMIS,
    "mans-employee-car-with-age": ["je suis salarié au Mans et je cherche une voiture", "45 ans"],
    "sable-rsa-vehicle-sms": ["jsuis o rsa a sable sur sarthe g pa de voiture"],
}
# What the rules give each script (the Sarthe's platform is for RSA recipients only).
EXPECTED = {
    "mans-employee-car-with-age": ("72181", "aucun_service", set(), "service-social"),
    "sable-rsa-vehicle-sms": (
        "72264",
        "orientation",
        {"sarthe--mise-a-disposition-de-vehicules"},
        "referent-rsa",
    ),
}


def _essentials(o: dict) -> tuple:
    return (
        o["commune"]["code_insee"],
        o["statut"],
        {s["id"] for s in o["services"]},
        (o.get("prescripteur") or {}).get("id"),
    )


def _talk(urls: list[str], messages: list[str], tag: str) -> dict | None:
    sender = new_sender(tag)
    reply = []
    for i, message in enumerate(messages):
        status, reply = post(urls[i % len(urls)], sender, message)
        assert status == 200 and reply, (message, status)
    return orientation(reply)


@pytest.mark.parametrize("script", SCRIPTS, ids=list(SCRIPTS))
def test_alternating_replicas_orient_exactly_as_one_server(prod_stack, script):
    one = _talk([prod_stack.rasa_url(1)], SCRIPTS[script], "one")
    alternating = _talk([prod_stack.rasa_url(1), prod_stack.rasa_url(2)], SCRIPTS[script], "alt")
    assert one is not None
    assert alternating == one
    if script.startswith("laval"):
        assert_laval_rsa_permis(alternating)
    else:
        assert _essentials(alternating) == EXPECTED[script]


def _events(prod_stack, sender: str) -> list[dict]:
    engine = create_engine(prod_stack.tracker_url)
    with engine.connect() as conn:
        rows = (
            conn.execute(sql("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            .scalars()
            .all()
        )
    engine.dispose()
    return [json.loads(r) for r in rows]


def test_simultaneous_messages_on_both_replicas_are_serialised(prod_stack):
    rounds = 8
    for round_ in range(rounds):
        sender = new_sender(f"race{round_}")
        status, _ = post(prod_stack.rasa_url(1), sender, "je veux passer le permis")
        assert status == 200
        barrier = threading.Barrier(2)
        replies: dict[int, tuple[int, list]] = {}

        def send(replica: int, message: str, barrier=barrier, replies=replies, sender=sender):
            barrier.wait()
            replies[replica] = post(prod_stack.rasa_url(replica), sender, message)

        threads = [
            threading.Thread(target=send, args=(1, "je suis au RSA")),
            threading.Thread(target=send, args=(2, "j'habite à Laval")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert all(status == 200 and reply for status, reply in replies.values()), replies

        events = _events(prod_stack, sender)
        users = [e["text"] for e in events if e["event"] == "user"]
        assert sorted(users) == sorted(["je veux passer le permis", "je suis au RSA", "j'habite à Laval"])
        # One turn after the other: each user message's turn ends (action_listen)
        # before the next user message is stored.
        turn_open = False
        for e in events:
            if e["event"] == "user":
                assert not turn_open, f"interleaved turns in round {round_}"
                turn_open = True
            elif e["event"] == "action" and e.get("name") == "action_listen":
                turn_open = False
        # The second message processed saw the first one's answer: the
        # orientation is complete and right.
        final = [orientation(reply) for _, reply in replies.values()]
        assert_laval_rsa_permis(next(o for o in final if o))
