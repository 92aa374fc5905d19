"""What maintainers decided on the review page: examples learnt, messages dismissed.

One table, `revue_decisions`, one row per message (the hash of its masked,
normalized text: the same words in two conversations are one decision):

- `appris`: the example written, with its masked text, its intent, its annotated
  form and the phrases the lexicon learnt. These are training data, kept like
  data/nlu/revue.yml: the page rewrites that file and the lexicon from them, and
  serves them as a patch where the files cannot be written (a read-only
  container) or are not the repository's;
- `ecarte`: no text at all, and deleted after RETENTION_DAYS (by then every
  message it covered is gone too).

Database: like the hand-over codes (web/handover_store.py): the knowledge base's
URL on PostgreSQL, `revue.db` beside the knowledge file with SQLite;
`REVUE_DATABASE_URL` overrides both.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, delete, select
from sqlalchemy.engine import Engine, make_url

from orientation.knowledge import store as kb_store
from orientation.review.training import Example
from web.sql import open_engine, utc_now

URL_ENV = "REVUE_DATABASE_URL"
SQLITE_FILE = "revue.db"
LEARNT, DISMISSED = "appris", "ecarte"

metadata = MetaData()

decisions_table = Table(
    "revue_decisions",
    metadata,
    Column("cle", String(64), primary_key=True),  # orientation.review.groups.digest of the text
    Column("decision", String(10), nullable=False),
    Column("le", DateTime, nullable=False, index=True),  # UTC, naive
    Column("texte", Text),  # masked; learnt examples only
    Column("intention", String(60)),
    Column("exemple", Text),  # annotated (Rasa's entity syntax)
    Column("lexique", Text),  # JSON: {"besoins": {code: [phrase]}, "situations": {…}}
)


def revue_url(url: str | None = None) -> str:
    if url:
        return url
    if os.environ.get(URL_ENV):
        return os.environ[URL_ENV]
    kb_url = make_url(kb_store.database_url())
    if kb_url.get_backend_name() == "sqlite" and kb_url.database not in (None, "", ":memory:"):
        return str(kb_url.set(database=str(Path(kb_url.database).with_name(SQLITE_FILE))))
    return str(kb_url)


def retention() -> timedelta:
    return timedelta(days=float(os.environ.get("RETENTION_DAYS") or 30))


class ReviewStore:
    def __init__(self, url: str | None = None, clock: Callable[[], datetime] = utc_now):
        self.url = revue_url(url)
        self.clock = clock
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = open_engine(self.url, metadata)
            return self._engine

    def decided(self) -> set[str]:
        """The keys of every decision still in force (a dismissal expires with retention)."""
        with self.engine.begin() as conn:
            conn.execute(
                delete(decisions_table).where(
                    decisions_table.c.decision == DISMISSED, decisions_table.c.le < self.clock() - retention()
                )
            )
            return {row.cle for row in conn.execute(select(decisions_table.c.cle))}

    def dismiss(self, key: str) -> None:
        self._put({"cle": key, "decision": DISMISSED, "le": self.clock()})

    def learn(self, key: str, example: Example) -> None:
        self._put(
            {
                "cle": key,
                "decision": LEARNT,
                "le": self.clock(),
                "texte": example.text,
                "intention": example.intent,
                "exemple": example.annotated,
                "lexique": json.dumps(example.lexicon, ensure_ascii=False, sort_keys=True),
            }
        )

    def examples(self) -> list[Example]:
        """Every example learnt, oldest first."""
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(decisions_table)
                .where(decisions_table.c.decision == LEARNT)
                .order_by(decisions_table.c.le, decisions_table.c.cle)
            ).all()
        return [Example(r.texte, r.intention, r.exemple, json.loads(r.lexique or "{}")) for r in rows]

    def _put(self, row: dict) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(decisions_table).where(decisions_table.c.cle == row["cle"]))
            conn.execute(decisions_table.insert().values(**row))
