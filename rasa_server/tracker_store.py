"""Conversations kept in memory, and forgotten once idle (RGPD: no free text kept longer than needed).

Rasa's in-memory store keeps every conversation, with the person's words,
until the server stops; a new session after `session_expiration_time` does
not delete the old one. This store drops a conversation `max_idle_minutes`
after its last message.
"""
from __future__ import annotations

import time

from rasa.core.tracker_store import InMemoryTrackerStore

PRUNE_EVERY_SECONDS = 60.0


class ExpiringInMemoryTrackerStore(InMemoryTrackerStore):
    def __init__(self, domain, event_broker=None, max_idle_minutes: float = 60, host=None,
                 clock=time.monotonic, **kwargs) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.max_idle_seconds = float(max_idle_minutes) * 60
        self.clock = clock
        self.last_seen: dict[str, float] = {}
        self._pruned_at = clock()

    async def save(self, tracker) -> None:
        await super().save(tracker)
        now = self.clock()
        self.last_seen[tracker.sender_id] = now
        if now - self._pruned_at >= PRUNE_EVERY_SECONDS:
            self.forget_idle(now)

    def forget_idle(self, now: float) -> list[str]:
        self._pruned_at = now
        expired = [s for s, seen in self.last_seen.items() if now - seen > self.max_idle_seconds]
        for sender_id in expired:
            self.store.pop(sender_id, None)
            self.last_seen.pop(sender_id, None)
        return expired
