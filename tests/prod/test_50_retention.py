"""Retention on PostgreSQL: `make purge` deletes events older than the period, `make forget` one conversation."""

from __future__ import annotations

from chat import new_sender, post, questions
from retention import age_events, make
from sqlalchemy import create_engine
from sqlalchemy import text as sql


def _count(engine, sender: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sql("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()


def test_purge_deletes_events_older_than_the_retention_period(prod_stack):
    site = prod_stack.config.site_url
    old, recent = new_sender("old"), new_sender("recent")
    for sender in (old, recent):
        assert post(site, sender, "je suis au RSA à Laval et je veux passer le permis")[0] == 200
    engine = create_engine(prod_stack.tracker_url)
    age_events(engine, old, 31)
    assert _count(engine, old) > 0 and _count(engine, recent) > 0

    output = make("purge")
    assert "supprimé" in output
    assert _count(engine, old) == 0
    assert _count(engine, recent) > 0
    engine.dispose()


def test_forget_deletes_one_conversation_everywhere(prod_stack):
    site = prod_stack.config.site_url
    sender, other = new_sender("forget"), new_sender("keep")
    for s in (sender, other):
        post(site, s, "je veux passer le permis")
        post(site, s, "je suis au RSA")
    engine = create_engine(prod_stack.tracker_url)
    assert _count(engine, sender) > 0

    output = make("forget", f"SENDER={sender}")
    assert sender in output
    assert _count(engine, sender) == 0
    assert _count(engine, other) > 0
    # No replica keeps a copy: the next message starts over (the situation is asked again).
    for replica in (1, 2):
        status, reply = post(prod_stack.rasa_url(replica), sender, "je veux passer le permis")
        assert status == 200 and "situations" in questions(reply)
        output = make("forget", f"SENDER={sender}")
    engine.dispose()
