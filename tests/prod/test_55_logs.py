"""No process writes what a person wrote to any log, at any level, even when things fail.

Replica 2 and action server 2 log at DEBUG (tests/prod/conftest.py). A
message with a marker word goes through normal turns on both replicas, a
turn with the action servers down and one with PostgreSQL down; then every
log of the stack (Rasa, actions, page, nginx, Redis, PostgreSQL) is searched
for the marker and for the sentences every test of this suite sent.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from chat import new_sender, post, text, until_answering

MARKER = "Zorglubienne"
SENTENCES = [
    "je suis au RSA à Laval et je veux passer le permis",
    "je veux passer le permis",
    "j'habite à Laval",
    "je suis au RSA",
    "jsuis o rsa a sable sur sarthe",
]


def _plain(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


def _all_logs(prod_stack) -> list[Path]:
    # Every program's output, PostgreSQL's and supervisord's included (supervisord writes them all there).
    return sorted(prod_stack.config.logs.glob("*.log"))


def test_no_message_text_in_any_log(prod_stack):
    site = prod_stack.config.site_url
    message = f"je m'appelle {MARKER}, je suis au RSA à Laval et je veux passer le permis"
    for replica in (1, 2):
        status, reply = post(prod_stack.rasa_url(replica), new_sender("log"), message)
        assert status == 200 and reply
    sender = new_sender("log-fail")
    post(prod_stack.rasa_url(2), sender, f"{MARKER} veut passer le permis")
    for name in ("actions-1", "actions-2"):
        prod_stack.stop_process(name)
    try:
        status, reply = post(prod_stack.rasa_url(2), sender, f"{MARKER} habite à Laval")
        assert "indisponible" in text(reply)
    finally:
        for name in ("actions-1", "actions-2"):
            prod_stack.start(name)
    prod_stack.stop_process("postgresql")
    try:
        status, reply = post(prod_stack.rasa_url(2), sender, f"{MARKER} est au RSA")
        assert "indisponible" in text(reply)
    finally:
        prod_stack.start("postgresql")
    post(site, sender, "ok")  # through nginx too
    until_answering(site)  # the next tests start on a stack that answers
    time.sleep(1)  # log buffers

    logs = _all_logs(prod_stack)
    assert {p.name for p in logs} >= {
        "rasa-1.log",
        "rasa-2.log",
        "actions-1.log",
        "actions-2.log",
        "nginx-access.log",
        "postgresql.log",
        "supervisord.log",
    }
    debug_lines = (prod_stack.config.logs / "rasa-2.log").read_text(errors="replace").count("DEBUG")
    assert debug_lines > 100, "replica 2 logs at DEBUG"
    needles = [_plain(MARKER)] + [_plain(s) for s in SENTENCES]
    found = []
    for path in logs:
        content = _plain(path.read_text(errors="replace"))
        found += [f"{path.name}: {n!r}" for n in needles if n in content]
    assert not found, found
