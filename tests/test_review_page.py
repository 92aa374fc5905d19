"""`/revue` as a coordinator uses it: behind the observatory's token, the moments in order of
frequency with masked text, a chosen reading written as valid training data, a patch.

The Rasa server's side is a stand-in answering `/webhooks/revue/moments` with moments in
the shape rasa_server/review.py sends (tests/test_review.py finds them in real events);
the files are written in a temporary folder (REVUE_NLU_FILE, REVUE_LEXIQUE_FILE).
"""

from __future__ import annotations

import asyncio
import base64
import re

import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from orientation.review.page import CSP
from orientation.review.training import TrainingData

TOKEN = "s3cret-jeton"
BASIC = {"Authorization": "Basic " + base64.b64encode(f"coordinatrice:{TOKEN}".encode()).decode()}


def moment(kind, text, conversation, at, **message):
    return {
        "kind": kind,
        "found_by": "code",
        "conversation": conversation,
        "simulated": conversation.startswith("s"),
        "timestamp": at,
        "message": {
            "text": text,
            "intent": message.get("intent", "inform"),
            "confidence": 0.81,
            "diet": None,
            "lecture": message.get("lecture", {}),
            "question": message.get("question"),
            "timestamp": at,
        },
        "answer": ["Quelle est votre situation ?"],
        "context": message.get("context"),
    }


CAISSE = {"spans": [], "besoin": None, "places": []}
TANTE = {"places": [{"text": "vers chez ma tante", "codes": [], "role": "domicile"}]}
CRAON = {"places": [{"text": "Craon", "codes": ["53084"], "role": "travail"}]}
MOMENTS = [
    moment("incompris", "ma caisse tousse", "c1", 1_800_000_001.0, lecture=CAISSE, question="besoin"),
    moment("incompris", "Ma caisse tousse", "c2", 1_800_000_002.0, lecture=CAISSE),
    moment("incompris", "ma caisse tousse", "s3", 1_800_000_003.0, lecture=CAISSE),
    # Unmasked on purpose: the page masks again whatever it is sent.
    moment("incompris", "rappelez moi au 06 12 34 56 78", "c4", 1_800_000_004.0),
    moment(
        "question_reposee", "je bosse a Craon", "c5", 1_800_000_005.0, lecture=CRAON, context="La question…"
    ),
    # The whole message taken for a commune the reading did not find: no commune to start from.
    moment("question_reposee", "vers chez ma tante", "c6", 1_800_000_006.0, lecture=TANTE),
    moment("question_reposee", "vers chez ma tante", "c7", 1_800_000_007.0, lecture=TANTE),
    moment("sans_orientation", "jsp", "c8", 1_800_000_008.0),
]


@pytest.fixture
def review(tmp_path, monkeypatch, snapshot):
    """A function running requests against the web app, with the stand-in Rasa server."""
    from web.knowledge import Knowledge

    monkeypatch.setenv("OBSERVATOIRE_TOKEN", TOKEN)
    monkeypatch.setenv("REVUE_NLU_FILE", str(tmp_path / "data" / "revue.yml"))
    monkeypatch.setenv("REVUE_LEXIQUE_FILE", str(tmp_path / "lexique_revu.yml"))
    monkeypatch.setenv("REVUE_DATABASE_URL", f"sqlite:///{tmp_path / 'revue.db'}")
    monkeypatch.delenv("REVUE_ACTIVE", raising=False)
    seen = {}

    async def moments(request):
        seen["authorization"] = request.headers.get("Authorization")
        return web.json_response({"conversations": 9, "moments": MOMENTS})

    def run(*requests):
        async def go():
            rasa = web.Application()
            rasa.router.add_get("/webhooks/revue/moments", moments)
            async with TestServer(rasa) as rasa_server:
                monkeypatch.setenv("REVUE_RASA_URLS", f"http://127.0.0.1:9 {rasa_server.make_url('')}")
                from web.app import create_app

                app = create_app("http://127.0.0.1:5005", knowledge=Knowledge(fixed=snapshot))
                async with TestClient(TestServer(app)) as client:
                    out = []
                    for method, path, kwargs in requests:
                        response = await client.request(method, path, allow_redirects=False, **kwargs)
                        out.append((response.status, response.headers, await response.text()))
                    return out

        return asyncio.run(go())

    run.seen = seen
    run.folder = tmp_path
    return run


def get(path="/revue", headers=BASIC):
    return ("GET", path, {"headers": headers})


def form(page: str, title: str) -> dict:
    """The fields of the form under a group's title, as the browser would post them."""
    start = page.index(title)
    chunk = page[start : page.index("</article>", start)]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', chunk))
    fields.update(re.findall(r'<input type="text" id="[^"]+" name="(\w+)" value="([^"]*)"', chunk))
    for name, options in re.findall(r'<select id="[^"]+" name="(\w+)">(.*?)</select>', chunk):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    return {k: v.replace("&#x27;", "'").replace("&amp;", "&") for k, v in fields.items()}


def post(fields, **extra_headers):
    return ("POST", "/revue", {"data": fields, "headers": {**BASIC, **extra_headers}})


def test_the_review_is_closed_without_a_token_and_asks_for_it(review, monkeypatch):
    wrong = {"Authorization": "Basic " + base64.b64encode(b"x:mauvais").decode()}
    responses = review(
        get(headers={}), get(headers=wrong), get("/revue/correctif", {}), ("POST", "/revue", {})
    )
    assert [r[0] for r in responses] == [401, 401, 401, 401]
    assert all(r[1]["WWW-Authenticate"].startswith("Basic") for r in responses)
    assert all("caisse" not in r[2] for r in responses)
    monkeypatch.delenv("OBSERVATOIRE_TOKEN")
    assert review(get())[0][0] == 403


def test_one_setting_turns_the_review_off(review, monkeypatch):
    monkeypatch.setenv("REVUE_ACTIVE", "0")
    (status, _, body), (patch_status, _, _) = review(get(), get("/revue/correctif"))
    assert (status, patch_status) == (404, 404) and "REVUE_ACTIVE" in body


def test_the_page_lists_the_moments_by_kind_and_frequency_with_masked_text(review):
    ((status, headers, page),) = review(get())
    assert status == 200 and headers["Content-Security-Policy"] == CSP
    assert "script" not in page.lower()
    assert review.seen["authorization"] == f"Bearer {TOKEN}"  # asked from inside, with the token
    titles = re.findall(r'<h3 id="[^"]+">« (.*?) »</h3>', page)
    assert titles == [
        "ma caisse tousse",  # 3 times
        "rappelez moi au •• •• •• •• ••",
        "vers chez ma tante",  # 2 times
        "je bosse a Craon",
        "jsp",
    ]
    assert (
        page.index('id="incompris-h"')
        < page.index('id="question_reposee-h"')
        < page.index('id="sans_orientation-h"')
    )
    assert "Le bot n&#x27;a pas compris : 4 moments" in page
    assert "3 fois, dans 3 conversations" in page and "dont 1 simulée" in page
    assert "06 12" not in page and "9 conversations gardées" in page


def test_labelling_three_messages_writes_three_valid_examples_and_the_reader_s_phrases(review):
    from rasa.shared.nlu.training_data.loading import load_data

    ((_, _, page),) = review(get())
    assert form(page, "« vers chez ma tante »")["commune_mots"] == ""
    craon = form(page, "« je bosse a Craon »")
    assert (craon["commune_mots"], craon["commune_role"]) == ("Craon", "travail")  # as the reading found it
    caisse = {**form(page, "« ma caisse tousse »"), "action": "apprendre"}
    caisse.update(besoin="reparation", besoin_mots="caisse tousse")
    craon = {**craon, "action": "apprendre"}
    tante = {**form(page, "« vers chez ma tante »"), "action": "apprendre", "intention": "out_of_scope"}
    responses = review(post(caisse), post(craon), post(tante), get(), get("/revue/correctif"))
    assert [r[0] for r in responses[:3]] == [303, 303, 303]
    assert responses[0][1]["Location"] == "/revue?fait=appris"
    nlu = review.folder / "data" / "revue.yml"
    examples = {m.get("text"): m for m in load_data(str(nlu)).training_examples}
    assert set(examples) == {"ma caisse tousse", "je bosse a Craon", "vers chez ma tante"}
    assert examples["ma caisse tousse"].get("entities")[0]["value"] == "reparation"
    assert examples["je bosse a Craon"].get("entities")[0]["role"] == "travail"
    assert examples["vers chez ma tante"].get("intent") == "out_of_scope"
    lexicon = yaml.safe_load((review.folder / "lexique_revu.yml").read_text())
    assert lexicon == {"besoins": {"reparation": ["caisse tousse"]}}
    status, _, page = responses[3]
    assert "3 exemples appris" in page and "« ma caisse tousse »" not in page
    assert "Dont 3 déjà appris ou écartés" in page  # the three occurrences of the labelled message
    _, headers, patch = responses[4]
    assert headers["Content-Disposition"] == 'attachment; filename="revue.patch"'
    assert patch.count("\n+    - ") == 3 and "+++ b/orientation/language/lexique_revu.yml" in patch


def test_dismissing_hides_a_message_and_keeps_none_of_its_words(review):
    from sqlalchemy import create_engine, text

    ((_, _, page),) = review(get())
    fields = {**form(page, "« jsp »"), "action": "ecarter"}
    (status, headers, _), (_, _, after) = review(post(fields), get("/revue?fait=ecarte"))
    assert status == 303 and headers["Location"] == "/revue?fait=ecarte"
    assert "« jsp »" not in after and "Message écarté" in after
    engine = create_engine(f"sqlite:///{review.folder / 'revue.db'}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT decision, texte, exemple FROM revue_decisions")).all()
    assert rows == [("ecarte", None, None)]


def test_a_form_from_elsewhere_or_without_its_token_is_refused(review):
    ((_, _, page),) = review(get())
    fields = {**form(page, "« jsp »"), "action": "ecarter"}
    forged = {**fields, "jeton": "0" * 64}
    cross_site = {"Sec-Fetch-Site": "cross-site", "Origin": "null"}
    responses = review(
        post(forged), post(fields, Origin="https://ailleurs.example"), post(fields, **cross_site), get()
    )
    assert [r[0] for r in responses[:3]] == [403, 403, 403]
    assert "« jsp »" in responses[3][2]
    # Chromium's own form, under `Referrer-Policy: no-referrer`:
    (status, _, _), (_, _, page) = review(
        post(fields, **{"Sec-Fetch-Site": "same-origin", "Origin": "null"}), get()
    )
    assert status == 303 and "« jsp »" not in page


def test_a_held_out_sentence_is_never_learnt(review):
    heldout = next(s for s in TrainingData().heldout_sentences() if len(s) > 30)
    ((_, _, page),) = review(get())
    fields = {**form(page, "« jsp »"), "action": "apprendre", "texte": heldout}
    ((status, _, answer),) = review(post(fields))
    assert status == 422 and "jeu réservé" in answer and "Rien n'a été enregistré" in answer
    assert not (review.folder / "data" / "revue.yml").exists()


def test_without_the_rasa_server_the_page_says_so(review, monkeypatch):
    from web.knowledge import Knowledge

    async def go():
        monkeypatch.setenv("REVUE_RASA_URLS", "http://127.0.0.1:9")
        from web.app import create_app

        app = create_app("http://127.0.0.1:9", knowledge=Knowledge(fixed=None))
        async with TestClient(TestServer(app)) as client:
            response = await client.get("/revue", headers=BASIC)
            return response.status, await response.text()

    status, page = asyncio.run(go())
    assert status == 200 and "Conversations indisponibles" in page


def test_the_privacy_notice_says_who_reads_messages_and_why_while_the_review_runs(monkeypatch):
    from web import site_pages

    fields = site_pages.operator_fields()
    notice = site_pages.render("confidentialite.html", "Vos données", fields)
    assert "Qui relit les messages mal compris" in notice and "intérêt légitime" in notice
    monkeypatch.setenv("REVUE_ACTIVE", "0")
    assert "relit" not in site_pages.render("confidentialite.html", "Vos données", fields)
