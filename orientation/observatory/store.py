"""Where events are kept: one table of daily counts, through SQLAlchemy.

A row is a count of identical events of one day (`nombre`), keyed by a hash
of their categories: no row is a person, and rows carry no order (SQLite
stores them by key, `WITHOUT ROWID`), so nothing links two events.

The database is the knowledge base's (`orientation.knowledge.store.database_url()`),
with one exception. PostgreSQL (production): the same database; `make kb`
replaces only the knowledge tables, inside its transaction, and never touches
this one. SQLite (the default): `make kb` renames a new file over
`build/knowledge.db`, which would wipe any table kept in it, so events live
in `observatoire.db` beside it. `OBSERVATOIRE_DATABASE_URL` overrides both
(`make report-demo` uses its own database).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url

from orientation.knowledge import store as kb_store
from orientation.observatory.event import Event

EVENTS_URL_ENV = "OBSERVATOIRE_DATABASE_URL"
SQLITE_FILE = "observatoire.db"

metadata = MetaData()

events_table = Table(
    "observatoire_evenements",
    metadata,
    Column("cle", String(40), primary_key=True),  # sha1 of the categories (Event.key)
    Column("jour", Date, nullable=False, index=True),
    Column("besoin", String(20), nullable=False),
    Column("situation", String(20), nullable=False),
    Column("tranche_age", String(12), nullable=False),
    Column("departement", String(3)),
    Column("epci", String(9)),
    Column("plateformes", Text, nullable=False),  # platform ids, sorted, space separated
    Column("services", Text, nullable=False),  # service ids, sorted, space separated
    Column("resultat", String(20), nullable=False),
    Column("professionnel", Boolean, nullable=False),
    Column("simule", Boolean, nullable=False),
    Column("nombre", Integer, nullable=False),
    sqlite_with_rowid=False,
)
CATEGORY_COLUMNS = (
    "besoin",
    "situation",
    "tranche_age",
    "departement",
    "epci",
    "plateformes",
    "services",
    "resultat",
    "professionnel",
    "simule",
)


def events_url(url: str | None = None) -> str:
    """The URL given, else $OBSERVATOIRE_DATABASE_URL, else beside the knowledge base (see above)."""
    if url:
        return url
    if os.environ.get(EVENTS_URL_ENV):
        return os.environ[EVENTS_URL_ENV]
    kb_url = make_url(kb_store.database_url())
    if kb_url.get_backend_name() == "sqlite" and kb_url.database not in (None, "", ":memory:"):
        return str(kb_url.set(database=str(Path(kb_url.database).with_name(SQLITE_FILE))))
    return str(kb_url)


def connect(url: str | None = None) -> Engine:
    url = events_url(url)
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:"):
        Path(sa_url.database).parent.mkdir(parents=True, exist_ok=True)
    # Pre-ping: after a PostgreSQL restart, pooled connections are dead.
    engine = create_engine(url, future=True, pool_pre_ping=True)
    metadata.create_all(engine)  # checkfirst: creates the table the first time only
    return engine


def _row(event: Event, nombre: int) -> dict:
    return {
        "cle": event.key(),
        "jour": event.jour,
        "besoin": event.besoin,
        "situation": event.situation,
        "tranche_age": event.tranche_age,
        "departement": event.departement,
        "epci": event.epci,
        "plateformes": " ".join(event.plateformes),
        "services": " ".join(event.services),
        "resultat": event.resultat,
        "professionnel": event.professionnel,
        "simule": event.simule,
        "nombre": nombre,
    }


def add_events(engine: Engine, events: Iterable[Event]) -> int:
    """Count the events in, one transaction; returns how many were added."""
    counts = Counter(events)
    with engine.begin() as conn:
        for event, n in counts.items():
            _increment(conn, _row(event, n))
    return sum(counts.values())


def _increment(conn, row: dict) -> None:
    backend = conn.dialect.name
    if backend in ("sqlite", "postgresql"):
        if backend == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        stmt = insert(events_table).values(row)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["cle"], set_={"nombre": events_table.c.nombre + stmt.excluded.nombre}
            )
        )
        return
    # Other databases: no portable upsert; one writer thread per process makes this safe enough.
    done = conn.execute(
        update(events_table)
        .where(events_table.c.cle == row["cle"])
        .values(nombre=events_table.c.nombre + row["nombre"])
    )
    if done.rowcount == 0:
        conn.execute(events_table.insert().values(row))


def read_counts(engine: Engine, start: date, end: date, departement: str | None = None) -> list[dict]:
    """The events of [start, end] (both included), summed over the days: one dict per combination."""
    columns = [events_table.c[name] for name in CATEGORY_COLUMNS]
    query = (
        select(*columns, func.sum(events_table.c.nombre).label("nombre"))
        .where(events_table.c.jour >= start, events_table.c.jour <= end)
        .group_by(*columns)
    )
    if departement:
        query = query.where(events_table.c.departement == departement)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for r in rows:
        r["plateformes"] = tuple(r["plateformes"].split())
        r["services"] = tuple(r["services"].split())
        r["nombre"] = int(r["nombre"])
    return rows


def date_range(engine: Engine) -> tuple[date | None, date | None]:
    """The first and last day holding events (for the report's notes)."""
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.min(events_table.c.jour), func.max(events_table.c.jour))).one())
