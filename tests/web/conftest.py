"""Fixtures of the page tests (helpers in tests/web/pagekit.py).

`--base-url URL` (tests/conftest.py) runs the same tests against a site that
is already running: `make test-prod` passes make prod's nginx. Without it,
the tests start the web app (and, in test_page.py, the bot's servers).
"""

from __future__ import annotations

import pytest
from pagekit import CHROMIUM, CHROMIUM_ARGS, RunningSite, WebApp


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
def base_url(pytestconfig) -> str | None:
    """The site under test when one is given (`--base-url`), ending with a slash."""
    url = pytestconfig.getoption("--base-url")
    return url.rstrip("/") + "/" if url else None


@pytest.fixture(scope="session")
def page_app(kb_url, tmp_path_factory, base_url):
    """The web app on the test knowledge base, for the stand-in bot (Rasa is never reached);
    or the site given by --base-url, whose page the stand-in bot talks to just the same."""
    if base_url:
        yield RunningSite(base_url)
        return
    fiches = tmp_path_factory.mktemp("fiches") / "fiches.db"
    app = WebApp(
        "http://127.0.0.1:9", {"KB_DATABASE_URL": kb_url, "FICHES_DATABASE_URL": f"sqlite:///{fiches}"}
    )
    yield app
    app.stop()
