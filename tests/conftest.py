"""Shared fixtures: a real knowledge database, and the real bot servers.

The knowledge database is built from knowledge/ into a temporary SQLite file
(the same build `make kb` runs). `bot_servers` starts the action server, the
Rasa server (REST + socketio) and nothing else; the web tests add the page.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory) -> str:
    from orientation.build import build
    path = tmp_path_factory.mktemp("kb") / "knowledge.db"
    url = f"sqlite:///{path}"
    build(ROOT / "knowledge", url=url)
    return url


@pytest.fixture(scope="session")
def snapshot(kb_url):
    from orientation.snapshot import Snapshot
    return Snapshot.from_database(kb_url)


@pytest.fixture(scope="session")
def bot_servers(kb_url):
    """The real action server and Rasa server, on free ports, with the trained model.

    BOT_RASA_URL=http://127.0.0.1:5005 reuses servers already running (`make run`),
    to iterate on tests without restarting them.
    """
    from stack import Stack, free_port
    if os.environ.get("BOT_RASA_URL"):
        class Running:
            rasa_url = os.environ["BOT_RASA_URL"]
        yield Running()
        return
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make train` (make test does it).")
    stack = Stack(rasa_port=free_port(), actions_port=free_port(), web_port=None,
                  log_dir=ROOT / "build" / "test-logs",
                  env={"KB_DATABASE_URL": kb_url})
    stack.start(timeout=float(os.environ.get("BOT_START_TIMEOUT", "300")))
    yield stack
    stack.stop()
