"""Handed-over fiches: a short code, valid 30 days, that opens one orientation.

A person who says "oui" gets a code such as `MOB-7K2Q9-XHDM3` to give to a
professional. What is stored is only what the fiche shows: the profile's
codes (situations, INSEE code, need, age) and the orientation the server
recomputed from them — never a word the person typed, never an identity.

- Codes: 10 characters of Crockford's base 32 drawn with `secrets` (50 bits),
  read back leniently (case, spaces, hyphens, O for 0, I or L for 1). The
  table holds the code's SHA-256, not the code.
- A record is deleted at expiry (on every access, on the app's hourly timer
  and by `python -m web.handover_store purge`) or on request, with its code.

Database: the knowledge base's URL on PostgreSQL (`make kb` replaces only its
own tables); with SQLite, `fiches.db` beside the knowledge file, since
`make kb` renames a new file over it; `FICHES_DATABASE_URL` overrides both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, delete, select
from sqlalchemy.engine import Engine, make_url

from orientation.knowledge import store as kb_store
from web.sql import open_engine, utc_now

URL_ENV = "FICHES_DATABASE_URL"
SQLITE_FILE = "fiches.db"
VALIDITY = timedelta(days=30)
PREFIX = "MOB"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
CODE_LENGTH = 10  # 10 × 5 = 50 bits
CODE_BITS = CODE_LENGTH * 5
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})

metadata = MetaData()

fiches_table = Table(
    "fiches_transmises",
    metadata,
    Column("empreinte", String(64), primary_key=True),  # sha256 of the code
    Column("cree_le", DateTime, nullable=False),  # UTC, naive
    Column("expire_le", DateTime, nullable=False, index=True),
    Column("situations", String(200), nullable=False),  # codes, space separated
    Column("code_insee", String(5), nullable=False),
    Column("besoin", String(20)),
    Column("age", Integer),
    Column("orientation", Text, nullable=False),  # the recomputed payload, JSON
)


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return formatted(body)


def formatted(body: str) -> str:
    half = CODE_LENGTH // 2
    return f"{PREFIX}-{body[:half]}-{body[half:]}"


def normalized(typed: str) -> str | None:
    """The code's 10 characters as typed by someone reading it aloud or off paper, or None."""
    text = re.sub(r"[^0-9A-Z]", "", str(typed).upper())
    if text.startswith(PREFIX) and len(text) == len(PREFIX) + CODE_LENGTH:
        text = text[len(PREFIX) :]
    text = text.translate(_LOOKALIKES)
    if len(text) != CODE_LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def fingerprint(body: str) -> str:
    return hashlib.sha256(f"fiche-mobilite:{body}".encode("ascii")).hexdigest()


def fiches_url(url: str | None = None) -> str:
    """The URL given, else $FICHES_DATABASE_URL, else beside the knowledge base (see above)."""
    if url:
        return url
    if os.environ.get(URL_ENV):
        return os.environ[URL_ENV]
    kb_url = make_url(kb_store.database_url())
    if kb_url.get_backend_name() == "sqlite" and kb_url.database not in (None, "", ":memory:"):
        return str(kb_url.set(database=str(Path(kb_url.database).with_name(SQLITE_FILE))))
    return str(kb_url)


@dataclass(frozen=True)
class Fiche:
    code: str
    cree_le: datetime
    expire_le: datetime
    situations: tuple[str, ...]
    code_insee: str
    besoin: str | None
    age: int | None
    orientation: dict

    def document(self) -> dict:
        return {
            "code": self.code,
            "cree_le": _iso(self.cree_le),
            "expire_le": _iso(self.expire_le),
            "profil": {
                "situations": list(self.situations),
                "code_insee": self.code_insee,
                "besoin": self.besoin,
                "age": self.age,
            },
            "orientation": self.orientation,
        }


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


class HandoverStore:
    """Create, read and delete handed-over fiches; `clock` returns naive UTC (tests freeze it)."""

    def __init__(self, url: str | None = None, clock: Callable[[], datetime] = utc_now):
        self.url = fiches_url(url)
        self.clock = clock
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        # Worker threads (requests, the purge timer) may ask at once: one creates the table.
        with self._lock:
            if self._engine is None:
                self._engine = open_engine(self.url, metadata)
            return self._engine

    def create(self, situations, code_insee: str, besoin, age, orientation: dict) -> Fiche:
        now = self.clock()
        while True:
            code = new_code()
            row = {
                "empreinte": fingerprint(normalized(code)),
                "cree_le": now,
                "expire_le": now + VALIDITY,
                "situations": " ".join(situations),
                "code_insee": code_insee,
                "besoin": besoin,
                "age": age,
                "orientation": json.dumps(orientation, ensure_ascii=False),
            }
            with self.engine.begin() as conn:
                self._purge(conn, now)
                # 50 bits: a collision is all but impossible; never overwrite one.
                if conn.execute(
                    select(fiches_table.c.empreinte).where(fiches_table.c.empreinte == row["empreinte"])
                ).first():
                    continue
                conn.execute(fiches_table.insert().values(row))
            return self._fiche(code, row)

    def get(self, typed: str) -> Fiche | None:
        body = normalized(typed)
        if body is None:
            return None
        with self.engine.begin() as conn:
            self._purge(conn, self.clock())
            row = conn.execute(
                select(fiches_table).where(fiches_table.c.empreinte == fingerprint(body))
            ).first()
        return self._fiche(formatted(body), dict(row._mapping)) if row else None

    def delete(self, typed: str) -> bool:
        body = normalized(typed)
        if body is None:
            return False
        with self.engine.begin() as conn:
            self._purge(conn, self.clock())
            done = conn.execute(delete(fiches_table).where(fiches_table.c.empreinte == fingerprint(body)))
        return done.rowcount > 0

    def purge(self) -> int:
        with self.engine.begin() as conn:
            return self._purge(conn, self.clock())

    def count(self) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(fiches_table.c.empreinte)).all())

    @staticmethod
    def _purge(conn, now: datetime) -> int:
        return conn.execute(delete(fiches_table).where(fiches_table.c.expire_le <= now)).rowcount

    @staticmethod
    def _fiche(code: str, row: dict) -> Fiche:
        orientation = row["orientation"]
        return Fiche(
            code=code,
            cree_le=row["cree_le"],
            expire_le=row["expire_le"],
            situations=tuple(row["situations"].split()),
            code_insee=row["code_insee"],
            besoin=row["besoin"],
            age=row["age"],
            orientation=json.loads(orientation) if isinstance(orientation, str) else orientation,
        )

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def main() -> None:
    parser = argparse.ArgumentParser(description="Fiches transmises : purge des codes expirés.")
    parser.add_argument("command", choices=["purge"])
    parser.add_argument("--url", help=f"base des fiches (par défaut ${URL_ENV} ou à côté de la base)")
    args = parser.parse_args()
    store = HandoverStore(args.url)
    print(f"{store.purge()} fiche(s) expirée(s) supprimée(s).")
    store.close()


if __name__ == "__main__":
    main()
