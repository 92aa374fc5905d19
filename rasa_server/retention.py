"""Retention of stored conversations (RGPD): `make purge` and `make forget SENDER=…`.

Works on the `events` table of Rasa's SQLTrackerStore (one row per event,
`timestamp` in Unix seconds), with the URL in $TRACKER_DATABASE_URL.

    python -m rasa_server.retention purge [--days 30]
    python -m rasa_server.retention forget SENDER_ID
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from sqlalchemy import create_engine, text

DATABASE_URL_ENV = "TRACKER_DATABASE_URL"
RETENTION_DAYS_ENV = "RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30


def retention_days() -> float:
    return float(os.environ.get(RETENTION_DAYS_ENV) or DEFAULT_RETENTION_DAYS)


# Readiness probes (scripts/stack.py, Kubernetes) talk as "readiness-<uuid>":
# no person there, so their conversations go after an hour.
PROBE_SENDERS = "readiness-%"


def purge(url: str, days: float | None = None, now: float | None = None) -> int:
    """Delete the events older than `days`; returns how many were deleted."""
    days = retention_days() if days is None else days
    now = time.time() if now is None else now
    probes = _delete(
        url,
        "DELETE FROM events WHERE sender_id LIKE :probe AND timestamp < :cutoff",
        probe=PROBE_SENDERS,
        cutoff=now - 3600,
    )
    return probes + _delete(url, "DELETE FROM events WHERE timestamp < :cutoff", cutoff=now - days * 86400)


def forget(url: str, sender_id: str) -> int:
    """Delete every event of one conversation; returns how many were deleted."""
    return _delete(url, "DELETE FROM events WHERE sender_id = :sender_id", sender_id=sender_id)


def _delete(url: str, statement: str, **params) -> int:
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as conn:
            return conn.execute(text(statement), params).rowcount
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    purge_cmd = commands.add_parser("purge", help="delete events older than the retention period")
    purge_cmd.add_argument(
        "--days",
        type=float,
        default=None,
        help=f"retention in days (default ${RETENTION_DAYS_ENV} or " f"{DEFAULT_RETENTION_DAYS})",
    )
    forget_cmd = commands.add_parser("forget", help="delete one conversation")
    forget_cmd.add_argument("sender_id")
    args = parser.parse_args(argv)
    url = os.environ.get(DATABASE_URL_ENV)
    if not url:
        print(
            f"${DATABASE_URL_ENV} manquant : lancez `make prod` ou exportez l'URL "
            "de la base des conversations.",
            file=sys.stderr,
        )
        return 2
    if args.command == "purge":
        days = retention_days() if args.days is None else args.days
        count = purge(url, days)
        print(
            f"{count} événement(s) supprimé(s) : ceux de plus de {days:g} jours, et ceux des "
            "sondes de disponibilité de plus d'une heure."
        )
    else:
        count = forget(url, args.sender_id)
        print(f"Conversation {args.sender_id} : {count} événement(s) supprimé(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
