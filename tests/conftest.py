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

# The action server loads build/knowledge.db when `actions` is imported; the tests
# that import the actions give them the session's knowledge base instead. Only this
# process: the servers the end-to-end tests start warm up as in production.
os.environ["KB_WARM_UP"] = "0"
import actions.knowledge  # noqa: E402, F401

del os.environ["KB_WARM_UP"]

# The token the servers the tests start open the review with (tests/test_review_e2e.py, tests/web/test_revue_page.py).
REVIEW_TOKEN = os.environ.get("BOT_REVIEW_TOKEN", "jeton-des-tests")

# Server fixtures: a test using one talks to the real bot (marker `e2e`).
SERVER_FIXTURES = {"bot_servers", "chat", "web_url", "oriented", "browser"}


def pytest_addoption(parser):
    parser.addoption(
        "--base-url",
        default=os.environ.get("WEB_BASE_URL"),
        help="run the page tests (tests/web) against a running site, e.g. make prod's "
        "http://127.0.0.1:8000/, instead of the servers they start (`make test-prod` does)",
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "unit: pure Python, no server, no trained model (make test-fast)")
    config.addinivalue_line("markers", "e2e: talks to the real Rasa and action servers")
    config.addinivalue_line("markers", "web: drives the page in a real Chromium")
    config.addinivalue_line(
        "markers", "model: loads the trained model, without the servers (make nlu-floors)"
    )
    config.addinivalue_line(
        "markers",
        "slow: seconds or more: a property over all 34,969 communes or the whole grid, a whole build",
    )


def pytest_collection_modifyitems(config, items):
    """Markers from where a test lives and what it uses, so no test can forget its own."""
    for item in items:
        path = Path(str(item.fspath))
        uses = set(getattr(item, "fixturenames", ()))
        if "web" in path.parts:
            item.add_marker(pytest.mark.web)
        elif uses & SERVER_FIXTURES:
            item.add_marker(pytest.mark.e2e)
        elif item.get_closest_marker("model"):
            pass  # make nlu-floors runs it, once the model is trained
        elif "prod" not in path.parts:
            item.add_marker(pytest.mark.unit)
    # The tests that talk to the servers run last: the servers, started when the
    # collection ends, load their model (a minute) while the pure tests run.
    items.sort(key=lambda item: bool(set(getattr(item, "fixturenames", ())) & SERVER_FIXTURES))


_EARLY: dict = {}  # the knowledge base and the servers started before the first test


def _launch_servers(kb_url: str):
    """The action server and the Rasa server on free ports, loading (`wait_ready` before use)."""
    from stack import Stack, free_port

    return Stack(
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=None,
        log_dir=ROOT / "build" / "test-logs",
        # The review's route (rasa_server/review.py) opens with the observatory's token.
        env={"KB_DATABASE_URL": kb_url, "OBSERVATOIRE_TOKEN": REVIEW_TOKEN},
    ).launch()


def pytest_collection_finish(session):
    uses_servers = any(SERVER_FIXTURES & set(getattr(i, "fixturenames", ())) for i in session.items)
    if session.config.getoption("--base-url"):
        return  # the site given runs its own servers
    if not uses_servers or os.environ.get("BOT_RASA_URL") or not list((ROOT / "models").glob("*.tar.gz")):
        return
    import tempfile

    from orientation.knowledge.build import build

    folder = _EARLY["folder"] = Path(tempfile.mkdtemp(prefix="kb-"))
    _EARLY["kb_url"] = url = f"sqlite:///{folder / 'knowledge.db'}"
    build(ROOT / "knowledge", url=url)
    _EARLY["stack"] = _launch_servers(url)


def pytest_sessionfinish(session):
    import shutil

    if "stack" in _EARLY:  # no test used the servers after all (-x, an error…)
        _EARLY.pop("stack").stop()
    if "folder" in _EARLY:
        shutil.rmtree(_EARLY.pop("folder"), ignore_errors=True)


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory) -> str:
    from orientation.knowledge.build import build

    if "kb_url" in _EARLY:  # the servers' own, built when the collection ended
        return _EARLY["kb_url"]
    path = tmp_path_factory.mktemp("kb") / "knowledge.db"
    url = f"sqlite:///{path}"
    build(ROOT / "knowledge", url=url)
    return url


@pytest.fixture(scope="session")
def snapshot(kb_url):
    from orientation.knowledge.snapshot import Snapshot

    return Snapshot.from_database(kb_url)


@pytest.fixture(scope="session")
def communes_index():
    """The communes of France with their names, as the reader resolves them (knowledge/communes/)."""
    from orientation.language.communes import CommuneIndex
    from orientation.territory import load_communes

    return CommuneIndex(*load_communes())


@pytest.fixture(scope="session")
def reader(communes_index):
    """The message reader over the communes of France and knowledge's terms (spaCy loaded once)."""
    from orientation.knowledge.loader import load_knowledge
    from orientation.knowledge.terms import named_terms
    from orientation.language.reading import build_reader

    return build_reader(communes_index, named_terms(load_knowledge(ROOT / "knowledge")))


@pytest.fixture(scope="session")
def bot_servers(kb_url):
    """The real action server and Rasa server, on free ports, with the trained model.

    BOT_RASA_URL=http://127.0.0.1:5005 reuses servers already running (`make run`),
    to iterate on tests without restarting them.
    """
    if os.environ.get("BOT_RASA_URL"):

        class Running:
            rasa_url = os.environ["BOT_RASA_URL"]

        yield Running()
        return
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make train` (make test does it).")
    stack = _EARLY.pop("stack", None) or _launch_servers(kb_url)
    try:
        stack.wait_ready(timeout=float(os.environ.get("BOT_START_TIMEOUT", "300")))
        yield stack
    finally:
        stack.stop()
