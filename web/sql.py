"""What the page's own tables (hand-over fiches, review decisions) share: naive UTC, an engine."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import Engine, make_url


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def open_engine(url: str, metadata: MetaData) -> Engine:
    """An engine on `url` with `metadata`'s tables created (the first time only), the folder
    of a SQLite file made. Pre-ping: after a PostgreSQL restart, pooled connections are dead."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:"):
        Path(sa_url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    metadata.create_all(engine)  # checkfirst
    return engine
