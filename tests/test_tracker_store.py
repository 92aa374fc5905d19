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
