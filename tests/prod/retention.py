"""What the retention tests do to the production profile: run `make purge` / `make forget`
on the test instance, and move a conversation's stored events into the past."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from sqlalchemy import text as sql

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400


def make(target: str, *args: str) -> str:
    result = subprocess.run(
        ["make", "-s", target, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PROD_INSTANCE": "test"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def age_events(engine, sender: str, days: float) -> None:
    """Move a conversation's events `days` into the past (what time would do)."""
    with engine.begin() as conn:
        rows = conn.execute(sql("SELECT id, data FROM events WHERE sender_id = :s"), {"s": sender}).all()
        for id_, data in rows:
            event = json.loads(data)
            event["timestamp"] = event.get("timestamp", time.time()) - days * DAY
            conn.execute(
                sql("UPDATE events SET timestamp = :t, data = :d WHERE id = :i"),
                {"t": event["timestamp"], "d": json.dumps(event), "i": id_},
            )
