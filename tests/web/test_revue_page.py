"""/revue in Debian's chromium, as a coordinator uses it: real conversations with the real bot,
the page behind its token, axe-core on it, three messages labelled with the page's own forms.

`bot_servers` (tests/conftest.py) starts the action server and Rasa, with the review's token;
this module starts `python -m web.app` in front of it, writing the examples to a temporary
folder. With `--base-url` (make test-prod) the same tests talk to that site: its REST channel,
its /revue, with the token of the production tests (tests/prod/conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from pagekit import Watched, WebApp, assert_no_violations, needs_chromium, run_axe

pytestmark = needs_chromium

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "screenshots"
TOKEN = os.environ.get("BOT_REVIEW_TOKEN", "jeton-des-tests")
# Conversations whose misunderstanding does not hang on DIET (tests/test_review_e2e.py).
PEOPLE = [
    [
        '/inform{"besoin": "permis"}',
        '/inform{"situation": "rsa"}',
        "vers chez ma tante, mon tel 06 12 34 56 78",
    ],
    ['/inform{"besoin": "vehicule"}', '/inform{"situation": "rsa"}', "mamer", "/deny"],
    ["je suis au rsa à Laval, je veux passer le permis de conduire", '/change_answer{"reponse": "commune"}'],
]
TANTE = "vers chez ma tante, mon tel •• •• •• •• ••"
LAVAL = "je suis au rsa à Laval, je veux passer le permis de conduire"


@pytest.fixture(scope="module")
def site(request, base_url, tmp_path_factory):
    """(page URL, REST URL, folder of the examples or None): the site given, else one started here."""
    if base_url:
        yield base_url, base_url.rstrip("/"), None
        return
    bot_servers, kb_url = request.getfixturevalue("bot_servers"), request.getfixturevalue("kb_url")
    folder = tmp_path_factory.mktemp("revue")
    app = WebApp(
        bot_servers.rasa_url,
        {
            "KB_DATABASE_URL": kb_url,
            "OBSERVATOIRE_TOKEN": TOKEN,
            "REVUE_DATABASE_URL": f"sqlite:///{folder / 'revue.db'}",
            "REVUE_NLU_FILE": str(folder / "revue.yml"),
            "REVUE_LEXIQUE_FILE": str(folder / "lexique_revu.yml"),
        },
    )
    yield app.url, bot_servers.rasa_url, folder
    app.stop()


def _send(rest_url: str, sender: str, message: str) -> None:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"{rest_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    urllib.request.urlopen(request, timeout=60).close()


@pytest.fixture(scope="module")
def played(site):
    for messages in PEOPLE:
        sender = f"revue-page-{uuid.uuid4().hex[:10]}"
        for message in messages:
            _send(site[1], sender, message)
    return site


@pytest.fixture
def review(browser, played):
    context = browser.new_context(
        viewport={"width": 1100, "height": 900},
        http_credentials={"username": "coordinatrice", "password": TOKEN},
    )
    page = context.new_page()
    watched = Watched(page)
    page.goto(played[0] + "revue")
    yield page, watched, played
    context.close()


def group(page, text: str):
    return page.locator("article", has=page.get_by_role("heading", name=f"« {text} »", exact=True)).first


def test_the_review_lists_real_misunderstandings_masked_and_axe_finds_nothing(review):
    page, watched, _ = review
    assert page.get_by_role("heading", level=1).inner_text() == "Revue des conversations"
    for text in (TANTE, "mamer", LAVAL):
        assert group(page, text).is_visible(), text
    assert "06 12" not in page.content()
    assert_no_violations(run_axe(page), "revue")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "revue.png"), full_page=False)
    group(page, "mamer").get_by_text("Choisir la bonne lecture").click()
    assert_no_violations(run_axe(page), "revue, formulaire ouvert")
    group(page, "mamer").screenshot(path=str(SCREENSHOTS / "revue-formulaire.png"))
    assert not watched.page_errors and not watched.console_errors


def test_three_messages_labelled_with_the_page_s_forms_become_three_examples(review):
    page, watched, (url, _, folder) = review
    started = time.monotonic()
    choices = [
        (TANTE, {"intention": "inform"}, {}),
        ("mamer", {"intention": "inform", "commune_role": "domicile"}, {"commune_mots": "mamer"}),
        (LAVAL, {"intention": "inform", "besoin": "permis"}, {"besoin_mots": "passer le permis de conduire"}),
    ]
    for text, selects, fields in choices:
        article = group(page, text)
        article.get_by_text("Choisir la bonne lecture").click()
        for name, value in selects.items():
            article.locator(f"select[name={name}]").select_option(value)
        for name, value in fields.items():
            article.locator(f"input[name={name}]").fill(value)
        article.get_by_role("button", name="Apprendre cette lecture").click()
        page.wait_for_url(re.compile(r"/revue\?fait=appris"))
        assert page.get_by_role("status").inner_text().startswith("Exemple enregistré")
        assert not group(page, text).count()
    print(f"\n3 messages labelled in the browser in {time.monotonic() - started:.1f} s")
    patch = page.request.get(url + "revue/correctif").text()
    for example in (
        "    - vers chez ma tante, mon tel •• •• •• •• ••",
        '[mamer]{"entity": "commune", "role": "domicile"}',
        '[passer le permis de conduire]{"entity": "besoin", "value": "permis"}',
    ):
        assert example in patch
    if folder is not None:  # the site started here: its files
        from rasa.shared.nlu.training_data.loading import load_data

        texts = {m.get("text") for m in load_data(str(folder / "revue.yml")).training_examples}
        assert {TANTE, "mamer", LAVAL} <= texts
    assert not watched.page_errors
