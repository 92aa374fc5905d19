"""Fixtures of the page tests (helpers in tests/web/pagekit.py)."""

from __future__ import annotations

import pytest
from pagekit import CHROMIUM, CHROMIUM_ARGS, WebApp


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def page_app(kb_url, tmp_path_factory):
    """The web app on the test knowledge base, for the stand-in bot (Rasa is never reached)."""
    fiches = tmp_path_factory.mktemp("fiches") / "fiches.db"
    app = WebApp(
        "http://127.0.0.1:9", {"KB_DATABASE_URL": kb_url, "FICHES_DATABASE_URL": f"sqlite:///{fiches}"}
    )
    yield app
    app.stop()
