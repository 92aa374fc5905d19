"""Retention on PostgreSQL: `make purge` deletes events older than the period, `make forget` one conversation."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from chat import new_sender, post, questions
from sqlalchemy import create_engine
from sqlalchemy import text as sql

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400


def _make(target: str, *args: str) -> str:
    result = subprocess.run(
        ["make", "-s", target, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PROD_INSTANCE": "test"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _count(engine, sender: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sql("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()


def _age_events(engine, sender: str, days: float) -> None:
    """Move a conversation's events `days` into the past (what time would do)."""
    with engine.begin() as conn:
        rows = conn.execute(sql("SELECT id, data FROM events WHERE sender_id = :s"), {"s": sender}).all()
        for id_, data in rows:
            event = json.loads(data)
            event["timestamp"] = event.get("timestamp", time.time()) - days * DAY
            conn.execute(
                sql("UPDATE events SET timestamp = :t, data = :d WHERE id = :i"),
                {"t": event["timestamp"], "d": json.dumps(event), "i": id_},
            )


def test_purge_deletes_events_older_than_the_retention_period(prod_stack):
    site = prod_stack.config.site_url
    old, recent = new_sender("old"), new_sender("recent")
    for sender in (old, recent):
        assert post(site, sender, "je suis au RSA à Laval et je veux passer le permis")[0] == 200
    engine = create_engine(prod_stack.tracker_url)
    _age_events(engine, old, 31)
    assert _count(engine, old) > 0 and _count(engine, recent) > 0

    output = _make("purge")
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

    output = _make("forget", f"SENDER={sender}")
    assert sender in output
    assert _count(engine, sender) == 0
    assert _count(engine, other) > 0
    # No replica keeps a copy: the next message starts over (the situation is asked again).
    for replica in (1, 2):
        status, reply = post(prod_stack.rasa_url(replica), sender, "je veux passer le permis")
        assert status == 200 and "situations" in questions(reply)
        output = _make("forget", f"SENDER={sender}")
    engine.dispose()
