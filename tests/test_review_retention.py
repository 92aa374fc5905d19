"""The review reads only what retention keeps: `make purge` and `make forget` take moments off the page.

The conversations are saved by the production tracker store (`PostgresTrackerStore`,
here on a SQLite file), read back by rasa_server/review.py's `collect` (what the
Rasa server answers the page), and deleted by rasa_server/retention.py, the code
behind `make purge` and `make forget`. The page itself is served by the web app,
asking a stand-in Rasa route that runs the real `collect` on that store.
"""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path

import pytest
from review_events import action, bot, lecture, session, slot, user

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "s3cret-jeton"
DAY = 86400


def _conversation(text: str, at: float) -> list[dict]:
    """A question asked again: the commune not understood."""
    events = [
        *session(at),
        bot("Dans quelle commune habitez-vous ?", question="commune", at=at),
        user(text, lecture=lecture(), at=at + 1),
        slot("relance", "commune:2", at=at + 1),
        bot("Je ne trouve pas la commune…", question="commune", at=at + 1),
        action("action_listen", at=at + 1),
    ]
    return events


@pytest.fixture
def store(tmp_path):
    from rasa.shared.core.domain import Domain

    from rasa_server.tracker_store import PostgresTrackerStore

    path = tmp_path / "conversations.db"
    tracker_store = PostgresTrackerStore(Domain.load(ROOT / "domain.yml"), dialect="sqlite", db=str(path))
    tracker_store.url = f"sqlite:///{path}"
    return tracker_store


def _save(store, sender: str, events: list[dict]) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    asyncio.run(store.save(DialogueStateTracker.from_dict(sender, events, store.domain.slots)))


def _page(store, monkeypatch, tmp_path, snapshot) -> str:
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from rasa_server.review import collect
    from web.app import create_app
    from web.knowledge import Knowledge

    async def moments(_request):
        return web.json_response(await collect(store))

    async def go():
        rasa = web.Application()
        rasa.router.add_get("/webhooks/revue/moments", moments)
        async with TestServer(rasa) as rasa_server:
            monkeypatch.setenv("REVUE_RASA_URLS", str(rasa_server.make_url("")))
            app = create_app("http://127.0.0.1:9", knowledge=Knowledge(fixed=snapshot))
            async with TestClient(TestServer(app)) as client:
                auth = {"Authorization": "Basic " + base64.b64encode(f"x:{TOKEN}".encode()).decode()}
                response = await client.get("/revue", headers=auth)
                return await response.text()

    monkeypatch.setenv("OBSERVATOIRE_TOKEN", TOKEN)
    monkeypatch.setenv("REVUE_DATABASE_URL", f"sqlite:///{tmp_path / 'revue.db'}")
    return asyncio.run(go())


def test_forget_and_purge_take_the_moments_off_the_page(store, monkeypatch, tmp_path, snapshot):
    from rasa_server import retention

    now = time.time()
    _save(store, "personne-a", _conversation("pres de la riviere", now - 60))
    _save(store, "personne-b", _conversation("vers chez ma tante 06 12 34 56 78", now - 60))
    _save(store, "personne-c", _conversation("derriere l eglise", now - 31 * DAY))
    page = _page(store, monkeypatch, tmp_path, snapshot)
    assert "3 conversations gardées" in page
    for text in ("pres de la riviere", "vers chez ma tante •• •• •• •• ••", "derriere l eglise"):
        assert f"« {text} »" in page

    assert retention.forget(store.url, "personne-a") > 0  # make forget SENDER=personne-a
    page = _page(store, monkeypatch, tmp_path, snapshot)
    assert "« pres de la riviere »" not in page and "2 conversations gardées" in page

    assert retention.purge(store.url, days=30) > 0  # make purge: 30 days
    page = _page(store, monkeypatch, tmp_path, snapshot)
    assert "« derriere l eglise »" not in page and "1 conversation gardée" in page
    assert "« vers chez ma tante •• •• •• •• •• »" in page
