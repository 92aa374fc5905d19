"""`make run`'s in-memory conversations are forgotten on a timer, even when no one else talks."""

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


def test_idle_conversation_is_forgotten_without_any_other_save():
    async def scenario():
        clock = Clock()
        store = ExpiringInMemoryTrackerStore(Domain.empty(), max_idle_minutes=60, clock=clock)
        task = store.start_pruning(every=0.01)  # the server's timer runs every minute
        await store.save(DialogueStateTracker.from_events("idle", [UserUttered("j'habite à Laval")]))
        clock.now = 59 * 60
        await asyncio.sleep(0.05)
        kept = set(store.store)
        clock.now = 61 * 60  # nobody writes any more: only the timer can forget
        await asyncio.sleep(0.05)
        task.cancel()
        return kept, set(store.store), await store.retrieve("idle")

    kept, after, retrieved = asyncio.run(scenario())
    assert kept == {"idle"}
    assert after == set() and retrieved is None


def test_the_first_save_starts_the_timer():
    async def scenario():
        store = ExpiringInMemoryTrackerStore(Domain.empty())
        await store.save(DialogueStateTracker.from_events("a", []))
        running = store._pruning is not None and not store._pruning.done()
        store._pruning.cancel()
        return running

    assert asyncio.run(scenario())
