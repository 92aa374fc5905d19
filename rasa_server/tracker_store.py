"""Where conversations are kept, and for how long (RGPD: no free text kept longer than needed).

- `ExpiringInMemoryTrackerStore` (`make run`): Rasa's in-memory store keeps
  every conversation, with the person's words, until the server stops; a new
  session after `session_expiration_time` does not delete the old one. This
  store drops a conversation `max_idle_minutes` after its last message, on a
  timer: an idle server forgets too, not only when another conversation is saved.
- `PostgresTrackerStore` (`make prod`): Rasa's `SQLTrackerStore` with
  connections checked before use, so the first turn after a PostgreSQL
  restart does not fail on a dead pooled connection, and bounded waits, so a
  database that is down is reported in seconds. Retention: rasa_server/retention.py.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, create_engine_kwargs

logger = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 60.0


class ExpiringInMemoryTrackerStore(InMemoryTrackerStore):
    def __init__(
        self,
        domain,
        event_broker=None,
        max_idle_minutes: float = 60,
        host=None,
        clock=time.monotonic,
        **kwargs,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.max_idle_seconds = float(max_idle_minutes) * 60
        self.clock = clock
        self.last_seen: dict[str, float] = {}
        self._pruned_at = clock()
        self._pruning: asyncio.Task | None = None

    async def fingerprints(self) -> dict[str, tuple]:
        """What tells each stored conversation has changed: its serialised tracker's length and hash."""
        return {sender: (len(kept), hash(kept)) for sender, kept in list(self.store.items())}

    async def save(self, tracker) -> None:
        await super().save(tracker)
        now = self.clock()
        self.last_seen[tracker.sender_id] = now
        if now - self._pruned_at >= PRUNE_EVERY_SECONDS:
            self.forget_idle(now)
        self.start_pruning()

    def start_pruning(self, every: float = PRUNE_EVERY_SECONDS) -> asyncio.Task:
        """Prune on a timer in the server's event loop (started by the first save)."""
        if self._pruning is None or self._pruning.done():
            self._pruning = asyncio.get_running_loop().create_task(self._prune_forever(every))
        return self._pruning

    async def _prune_forever(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            forgotten = self.forget_idle(self.clock())
            if forgotten:
                logger.info("Forgot %d idle conversation(s)", len(forgotten))

    def forget_idle(self, now: float) -> list[str]:
        self._pruned_at = now
        expired = [s for s, seen in self.last_seen.items() if now - seen > self.max_idle_seconds]
        for sender_id in expired:
            self.store.pop(sender_id, None)
            self.last_seen.pop(sender_id, None)
        return expired


class PostgresTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore with pre-ping and bounded waits (configured in endpoints.prod.yml).

    Pool size: SQL_POOL_SIZE and SQL_MAX_OVERFLOW (read by Rasa) per replica,
    chosen by scripts/prod so that all replicas stay under max_connections.
    """

    def __init__(self, domain=None, connect_timeout: int = 3, pool_timeout: float = 3, **kwargs) -> None:
        super().__init__(domain, **kwargs)
        import sqlalchemy as sa
        from sqlalchemy.orm import sessionmaker

        url = self.engine.url
        self.engine.dispose()
        options = create_engine_kwargs(url)
        if url.get_backend_name() == "postgresql":
            options.update(
                pool_timeout=float(pool_timeout),
                connect_args={**options.get("connect_args", {}), "connect_timeout": int(connect_timeout)},
            )
        self.engine = sa.create_engine(url, pool_pre_ping=True, **options)
        self.sessionmaker = sessionmaker(bind=self.engine)
        logger.info(
            "Tracker store on %s (pool %s + %s)",
            url.render_as_string(hide_password=True),
            os.environ.get("SQL_POOL_SIZE", "50"),
            os.environ.get("SQL_MAX_OVERFLOW", "100"),
        )

    async def fingerprints(self) -> dict[str, tuple]:
        """What tells each stored conversation has changed (its events, the last one's time), in
        one query: the review reads again only the conversations that changed."""
        import sqlalchemy as sa

        event = self.SQLEvent
        with self.session_scope() as session:
            rows = (
                session.query(event.sender_id, sa.func.count(event.id), sa.func.max(event.timestamp))
                .group_by(event.sender_id)
                .all()
            )
        return {sender: (count, last) for sender, count, last in rows}

    async def retrieve_many(self, senders: list[str]) -> dict:
        """The full trackers of `senders` in one query, as `retrieve_full_tracker` makes each
        (every session, the events in their order of storage): the review's first reading of
        thousands of conversations is not thousands of round trips."""
        import json

        from rasa.shared.core.trackers import DialogueStateTracker

        if not self.domain:
            return {}  # no slots to rebuild the trackers with, so no query
        event, stored = self.SQLEvent, {}
        with self.session_scope() as session:
            rows = (
                session.query(event.sender_id, event.data)
                .filter(event.sender_id.in_(senders))
                .order_by(event.id)
                .all()
            )
        for sender, data in rows:
            stored.setdefault(sender, []).append(json.loads(data))
        return {
            s: DialogueStateTracker.from_dict(s, events, self.domain.slots) for s, events in stored.items()
        }
