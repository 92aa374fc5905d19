"""Access to the knowledge base from the action server (one place reads the config).

The snapshot is loaded when the action server starts, then reloaded in a
worker thread whenever `make kb` publishes a new build: actions never block
the event loop on the database (rasa#8436).
"""

from __future__ import annotations

import asyncio
import logging
import os

from orientation.knowledge.snapshot import Snapshot, SnapshotCache
from orientation.knowledge.store import database_url

log = logging.getLogger(__name__)

_cache = SnapshotCache(database_url())


def warm_up() -> None:
    """Load the knowledge base now, so the first conversation is not the slow one."""
    try:
        snapshot = _cache.get()
        log.info(
            "Knowledge base loaded: %d platforms, %d communes",
            len(snapshot.platforms),
            len(snapshot.communes),
        )
    except Exception:
        log.exception("Knowledge base not available at %s: run `make kb`", _cache.url)


async def snapshot() -> Snapshot:
    return await asyncio.to_thread(_cache.get)


if os.environ.get("KB_WARM_UP", "1") != "0":  # tests give the actions their own knowledge base
    warm_up()
