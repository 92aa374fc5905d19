"""Conversations are forgotten once idle: no person's words kept longer than needed."""

from __future__ import annotations

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server.tracker_store import ExpiringInMemoryTrackerStore


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_idle_conversation_is_forgotten_and_active_one_kept():
    clock = Clock()
    store = ExpiringInMemoryTrackerStore(Domain.empty(), max_idle_minutes=60, clock=clock)
    old = DialogueStateTracker.from_events("old", [UserUttered("j'habite à Laval")])
    asyncio.run(store.save(old))
    clock.now = 59 * 60
    recent = DialogueStateTracker.from_events("recent", [UserUttered("je suis au RSA")])
    asyncio.run(store.save(recent))
    assert set(store.store) == {"old", "recent"}

    clock.now = 61 * 60
    asyncio.run(store.save(recent))  # any save prunes (at most once a minute)
    assert set(store.store) == {"recent"}
    assert asyncio.run(store.retrieve("old")) is None


def test_the_sql_store_reads_many_conversations_as_it_reads_each_and_tells_which_changed(tmp_path):
    """retrieve_many (one query) gives the trackers retrieve_full_tracker gives one by one;
    fingerprints change with a conversation's events only (SQLite here, PostgreSQL in prod)."""
    from rasa_server.tracker_store import PostgresTrackerStore

    store = PostgresTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "events.db"))

    async def scenario():
        for sender, texts in {"a": ["bonjour", "je suis au rsa"], "b": ["laval"], "c": ["vélo"]}.items():
            tracker = DialogueStateTracker.from_events(sender, [])
            for n, text in enumerate(texts):
                tracker.update(UserUttered(text, timestamp=1_800_000_000 + n))
            await store.save(tracker)
        before = await store.fingerprints()
        many = await store.retrieve_many(["a", "b", "absent"])
        each = {s: await store.retrieve_full_tracker(s) for s in ("a", "b")}
        tracker = await store.retrieve_full_tracker("b")
        tracker.update(UserUttered("en fait Craon", timestamp=1_800_000_100))
        await store.save(tracker)
        return before, many, each, await store.fingerprints()

    before, many, each, after = asyncio.run(scenario())
    assert set(many) == {"a", "b"}
    for sender in ("a", "b"):
        assert [e.as_dict() for e in many[sender].events] == [e.as_dict() for e in each[sender].events]
    assert before["a"] == after["a"] and before["c"] == after["c"] and before["b"] != after["b"]
