"""Handed-over fiches: codes, storage, expiry, deletion, rate limit — no browser.

The app runs in-process (aiohttp's test server) on the test knowledge base,
with a fiches database in a temporary folder and a clock the tests move:
nothing sleeps. The same store tests run on PostgreSQL when
KB_TEST_POSTGRES_URL is set (.ci/run sets it).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import re
import urllib.parse
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import inspect, select

from web import handover_store
from web.app import AccessLogger, create_app
from web.handover_store import (
    ALPHABET,
    CODE_BITS,
    VALIDITY,
    HandoverStore,
    fiches_table,
    fiches_url,
    new_code,
    normalized,
)
from web.knowledge import Knowledge
from web.rate_limit import RateLimiter, RedisRateLimiter, client_address

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 26, 9, 30)
CODE = re.compile(r"MOB-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}")
LAVAL = {"consentement": "oui", "situations": ["rsa"], "code_insee": "53130", "besoin": "permis", "age": 35}


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def fiches_db(tmp_path):
    return f"sqlite:///{tmp_path / 'fiches.db'}"


@pytest.fixture(scope="module")
def knowledge(kb_url, snapshot):
    return Knowledge(kb_url, fixed=snapshot)


def run(knowledge, fiches_db, clock, scenario):
    """Run `scenario(client)` against the app, in-process."""

    async def main():
        app = create_app("http://127.0.0.1:5005", fiches_url=fiches_db, clock=clock, knowledge=knowledge)
        async with TestClient(TestServer(app)) as client:
            return await scenario(client)

    return asyncio.run(main())


# ------------------------------------------------------------------ codes


def test_codes_are_short_unguessable_and_drawn_from_an_unambiguous_alphabet():
    assert CODE_BITS >= 40
    assert len(ALPHABET) == 32 and not set("ILOU") & set(ALPHABET)
    codes = [new_code() for _ in range(2000)]
    assert all(CODE.fullmatch(c) for c in codes), codes[:3]
    assert len(set(codes)) == len(codes)
    # Each position uses the whole alphabet, evenly enough (secrets, not a counter).
    letters = Counter(c for code in codes for c in code[4:].replace("-", ""))
    assert set(letters) == set(ALPHABET)
    assert max(letters.values()) < 3 * min(letters.values())
    assert math.log2(len(ALPHABET)) * 10 == CODE_BITS


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("MOB-7K2Q9-XHDM3", "7K2Q9XHDM3"),
        ("mob 7k2q9 xhdm3", "7K2Q9XHDM3"),
        ("7K2Q9XHDM3", "7K2Q9XHDM3"),
        ("MOB-7K2Q9-XHDMO", "7K2Q9XHDM0"),  # O read as 0, I and L as 1
        ("MOB-7K2Q9-XHDMI", "7K2Q9XHDM1"),
        ("MOB-7K2Q9-XHDM", None),  # too short
        ("MOB-7K2Q9-XHDMU", None),  # U is not in the alphabet
        ("'; DROP TABLE fiches_transmises; --", None),
    ],
)
def test_a_code_is_read_back_leniently(typed, expected):
    assert normalized(typed) == expected


# ------------------------------------------------------------------ store


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fiches.db'}"
    url = os.environ.get("KB_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("KB_TEST_POSTGRES_URL not set (.ci/run starts PostgreSQL and sets it)")
    return url


def test_store_keeps_codes_and_the_orientation_only_until_expiry(store_url, clock):
    store = HandoverStore(store_url, clock=clock)
    try:
        store.purge()
        with store.engine.begin() as conn:
            conn.execute(fiches_table.delete())
        fiche = store.create(("rsa",), "53130", "permis", 35, {"statut": "orientation"})
        assert CODE.fullmatch(fiche.code)
        assert fiche.expire_le - fiche.cree_le == VALIDITY == timedelta(days=30)
        # The table holds the code's fingerprint, never the code.
        columns = {c["name"] for c in inspect(store.engine).get_columns("fiches_transmises")}
        assert columns == {
            "empreinte",
            "cree_le",
            "expire_le",
            "situations",
            "code_insee",
            "besoin",
            "age",
            "orientation",
        }
        with store.engine.connect() as conn:
            row = conn.execute(select(fiches_table)).one()._mapping
        assert fiche.code.replace("-", "")[3:] not in json.dumps({k: str(v) for k, v in row.items()})

        assert store.get(fiche.code.lower().replace("-", " ")).orientation == {"statut": "orientation"}
        clock.now = T0 + VALIDITY - timedelta(seconds=1)
        assert store.get(fiche.code) is not None
        clock.now = T0 + VALIDITY
        assert store.get(fiche.code) is None
        assert store.count() == 0  # deleted, not only hidden
    finally:
        store.close()


def test_purge_deletes_every_expired_fiche_and_keeps_the_others(fiches_db, clock):
    store = HandoverStore(fiches_db, clock=clock)
    old = store.create(("rsa",), "53130", "permis", None, {})
    clock.now = T0 + timedelta(days=10)
    recent = store.create(("jeune",), "72181", "velo", 19, {})
    clock.now = T0 + timedelta(days=31)
    assert store.purge() == 1
    assert store.get(old.code) is None and store.get(recent.code) is not None
    assert store.delete(recent.code) is True
    assert store.delete(recent.code) is False
    assert store.count() == 0


def test_purge_command(fiches_db, monkeypatch, capsys):
    store = HandoverStore(fiches_db, clock=Clock(datetime(2020, 1, 1)))
    store.create(("rsa",), "53130", "permis", None, {})
    store.close()
    monkeypatch.setattr("sys.argv", ["handover_store", "purge", "--url", fiches_db])
    handover_store.main()
    assert "1 fiche(s) expirée(s) supprimée(s)" in capsys.readouterr().out
    assert HandoverStore(fiches_db).count() == 0


def test_fiches_live_beside_the_knowledge_file_and_survive_make_kb(tmp_path, monkeypatch):
    from orientation.knowledge.build import build

    kb = tmp_path / "build" / "knowledge.db"
    monkeypatch.delenv("FICHES_DATABASE_URL", raising=False)
    monkeypatch.setenv("KB_DATABASE_URL", f"sqlite:///{kb}")
    assert fiches_url() == f"sqlite:///{tmp_path / 'build' / 'fiches.db'}"
    monkeypatch.setenv("FICHES_DATABASE_URL", "sqlite:////elsewhere/fiches.db")
    assert fiches_url() == "sqlite:////elsewhere/fiches.db"
    monkeypatch.setenv("KB_DATABASE_URL", "postgresql://kb@db/kb")
    monkeypatch.delenv("FICHES_DATABASE_URL")
    assert fiches_url() == "postgresql://kb@db/kb"  # the build replaces only its own tables there

    monkeypatch.setenv("KB_DATABASE_URL", f"sqlite:///{kb}")
    store = HandoverStore()
    fiche = store.create(("rsa",), "53130", "permis", None, {"statut": "orientation"})
    store.close()
    build(REPO / "knowledge", url=f"sqlite:///{kb}")  # `make kb` renames a new file over knowledge.db
    assert HandoverStore().get(fiche.code) is not None


# ------------------------------------------------------------------ API


def test_round_trip_recomputes_the_orientation_from_codes_and_stores_nothing_typed(
    knowledge, fiches_db, clock
):
    sent = {
        **LAVAL,
        "voix": "personne",
        "nom": "Jeanne Dupont",
        "telephone": "06 12 34 56 78",
        "texte": "je m'appelle Jeanne",
        "services": [{"nom": "Service inventé"}],
        "orientation": {"statut": "orientation", "services": []},
    }

    async def scenario(client):
        created = await client.post("/api/fiches", json=sent)
        assert created.status == 201, await created.text()
        body = await created.json()
        assert CODE.fullmatch(body["code"]) and body["chemin"] == f"/fiche/{body['code']}"
        assert body["expire_le"] == "2026-12-26T09:30:00Z"
        opened = await client.get(f"/api/fiches/{body['code']}")
        assert opened.status == 200
        assert opened.headers["Cache-Control"] == "no-store"
        return body["code"], await opened.json()

    code, fiche = run(knowledge, fiches_db, clock, scenario)
    o = fiche["orientation"]
    assert fiche["code"] == code and fiche["cree_le"] == "2026-11-26T09:30:00Z"
    assert fiche["profil"] == {"situations": ["rsa"], "code_insee": "53130", "besoin": "permis", "age": 35}
    assert o["commune"]["nom"] == "Laval" and o["statut"] == "orientation"
    assert {s["plateforme"]["id"] for s in o["services"]} == {"mayenne"}
    assert o["voix"] == "professionnel"  # a professional reads it: "la personne", not "vous"
    assert fiche["libelles"]["situations"]["rsa"] == "bénéficiaire du RSA"
    stored = json.dumps(fiche, ensure_ascii=False)
    for typed in ("Jeanne", "Dupont", "06 12", "Service inventé"):
        assert typed not in stored
    with HandoverStore(fiches_db).engine.connect() as conn:
        row = json.dumps([str(v) for v in conn.execute(select(fiches_table)).one()], ensure_ascii=False)
    for typed in ("Jeanne", "Dupont", "06 12", "Service inventé", code[4:9]):
        assert typed not in row


@pytest.mark.parametrize(
    "body, status",
    [
        ({k: v for k, v in LAVAL.items() if k != "consentement"}, 400),  # no "oui", no code
        ({**LAVAL, "consentement": "non"}, 400),
        ({**LAVAL, "consentement": True}, 400),  # an explicit "oui", not a truthy value
        ({**LAVAL, "situations": ["milliardaire"]}, 400),
        ({**LAVAL, "besoin": "fusee"}, 400),
        ({**LAVAL, "code_insee": "Laval"}, 400),  # codes only, never a commune's name
        ({**LAVAL, "code_insee": "99999"}, 400),
        ({**LAVAL, "age": "35 ans"}, 400),
        ({**LAVAL, "age": 430}, 400),
    ],
)
def test_creation_refuses_without_consent_or_with_unknown_codes(knowledge, fiches_db, clock, body, status):
    async def scenario(client):
        response = await client.post("/api/fiches", json=body)
        return response.status, await response.json()

    got, answer = run(knowledge, fiches_db, clock, scenario)
    assert got == status and answer["erreur"]
    assert HandoverStore(fiches_db).count() == 0


def test_creation_takes_json_only(knowledge, fiches_db, clock):
    async def scenario(client):
        form = await client.post(
            "/api/fiches",
            data=urllib.parse.urlencode(LAVAL),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        return form.status

    assert run(knowledge, fiches_db, clock, scenario) == 415  # a cross-site form cannot create one


def test_code_stops_working_after_30_days_and_its_record_is_gone(knowledge, fiches_db, clock):
    async def scenario(client):
        code = (await (await client.post("/api/fiches", json=LAVAL)).json())["code"]
        clock.now = T0 + timedelta(days=29, hours=23)
        assert (await client.get(f"/api/fiches/{code}")).status == 200
        clock.now = T0 + timedelta(days=30)
        gone = await client.get(f"/api/fiches/{code}")
        assert gone.status == 404
        assert "expiré" in (await gone.json())["erreur"]

    run(knowledge, fiches_db, clock, scenario)
    assert HandoverStore(fiches_db).count() == 0


def test_delete_on_request(knowledge, fiches_db, clock):
    async def scenario(client):
        code = (await (await client.post("/api/fiches", json=LAVAL)).json())["code"]
        assert (await client.delete(f"/api/fiches/{code.lower()}")).status == 204
        assert (await client.get(f"/api/fiches/{code}")).status == 404
        assert (await client.delete(f"/api/fiches/{code}")).status == 404

    run(knowledge, fiches_db, clock, scenario)
    assert HandoverStore(fiches_db).count() == 0


def test_lookups_are_rate_limited_per_client_address(knowledge, fiches_db, clock):
    async def scenario(client):
        code = (await (await client.post("/api/fiches", json=LAVAL)).json())["code"]
        statuses = [(await client.get(f"/api/fiches/MOB-00000-0000{i}")).status for i in range(9)]
        last_allowed = await client.get(f"/api/fiches/{code}")
        refused = await client.get(f"/api/fiches/{code}")
        return statuses, last_allowed.status, refused.status, refused.headers.get("Retry-After")

    statuses, allowed, refused, retry = run(knowledge, fiches_db, clock, scenario)
    assert statuses == [404] * 9 and allowed == 200
    assert refused == 429 and 1 <= int(retry) <= 60


def test_rate_limiter_window_slides_and_keys_are_separate():
    now = [0.0]
    limiter = RateLimiter(10, 60, clock=lambda: now[0])
    assert [limiter.retry_after("a") for _ in range(10)] == [0] * 10
    assert limiter.retry_after("a") == 60
    assert limiter.retry_after("b") == 0  # another address
    now[0] = 59.5
    assert limiter.retry_after("a") == 1
    now[0] = 60.0
    assert limiter.retry_after("a") == 0


class _Request:
    def __init__(self, remote, headers=None):
        self.remote, self.headers = remote, headers or {}


@pytest.mark.parametrize(
    "header, trusted, remote, sent, counted",
    [
        (None, None, "127.0.0.1", {"X-Real-IP": "203.0.113.9"}, "127.0.0.1"),  # no header configured
        ("X-Real-IP", None, "127.0.0.1", {"X-Real-IP": "203.0.113.9"}, "203.0.113.9"),  # nginx, loopback
        ("X-Real-IP", None, "198.51.100.7", {"X-Real-IP": "203.0.113.9"}, "198.51.100.7"),  # not a proxy
        ("X-Real-IP", "10.0.0.0/8", "10.2.3.4", {"X-Real-IP": "203.0.113.9"}, "203.0.113.9"),  # a pod
        ("X-Real-IP", "10.0.0.0/8", "127.0.0.1", {"X-Real-IP": "203.0.113.9"}, "127.0.0.1"),
        ("X-Forwarded-For", None, "::1", {"X-Forwarded-For": "6.6.6.6, 203.0.113.9"}, "203.0.113.9"),
        ("X-Real-IP", None, "127.0.0.1", {}, "127.0.0.1"),  # a proxy that did not say
    ],
    ids=[
        "no-header",
        "from-nginx",
        "from-a-client",
        "from-the-pod-network",
        "not-listed",
        "last-forwarded",
        "header-missing",
    ],
)
def test_the_client_address_header_is_believed_from_trusted_proxies_only(
    monkeypatch, header, trusted, remote, sent, counted
):
    for name, value in (("WEB_CLIENT_ADDRESS_HEADER", header), ("WEB_TRUSTED_PROXIES", trusted)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert client_address(_Request(remote, sent)) == counted


def test_limits_without_redis_are_counted_in_the_process_until_it_answers(caplog):
    """A Redis that does not answer (nothing listens on port 9): the limit still holds, per process."""
    limiter = RedisRateLimiter("redis://127.0.0.1:9/2", "lookups", 3)

    async def tries():
        return [await limiter.seconds_to_wait("203.0.113.9") for _ in range(4)]

    with caplog.at_level(logging.WARNING, logger="web.rate_limit"):
        waits = asyncio.run(tries())
    assert waits[:3] == [0, 0, 0] and waits[3] >= 1
    assert caplog.text.count("Redis ne répond pas") == 1  # once, not at every request


def test_the_form_without_javascript_leads_to_the_fiche_page(knowledge, fiches_db, clock):
    async def scenario(client):
        typed = await client.get("/fiche?code=mob 7k2q9 xhdm3", allow_redirects=False)
        wrong = await client.get("/fiche?code=bonjour", allow_redirects=False)
        page = await client.get("/fiche/MOB-7K2Q9-XHDM3")
        return (
            typed.status,
            typed.headers["Location"],
            wrong.headers["Location"],
            page.status,
            page.headers["Cache-Control"],
            page.headers["X-Robots-Tag"],
            await page.text(),
        )

    status, location, wrong, page_status, cache, robots, html = run(knowledge, fiches_db, clock, scenario)
    assert (status, location) == (303, "/fiche/MOB-7K2Q9-XHDM3")
    assert wrong == "/fiche?inconnu=1"
    assert page_status == 200 and cache == "no-store" and robots == "noindex"
    assert "Code de la fiche" in html


def test_access_log_never_holds_a_code(caplog):
    class Request:
        remote, method, path = "127.0.0.1", "GET", "/api/fiches/MOB-7K2Q9-XHDM3"

    class Response:
        status = 200

    logger = logging.getLogger("test.access")
    with caplog.at_level(logging.INFO, logger="test.access"):
        access = AccessLogger(logger, "")
        access.log(Request, Response, 0.01)
        Request.path = "/fiche/MOB-7K2Q9-XHDM3"
        access.log(Request, Response, 0.01)
    assert "7K2Q9" not in caplog.text and "/api/fiches/…" in caplog.text and "/fiche/…" in caplog.text


# ---------------------------------------------------- what the page reads


def test_glossary_and_labels_come_from_the_knowledge_base(knowledge, fiches_db, clock, snapshot):
    async def scenario(client):
        glossary = await (await client.get("/glossaire.json")).json()
        labels = await (await client.get("/libelles.json")).json()
        return glossary, labels

    glossary, labels = run(knowledge, fiches_db, clock, scenario)
    assert [t["id"] for t in glossary["termes"]] == list(snapshot.glossary)
    by_id = {t["id"]: t for t in glossary["termes"]}
    for term in ("prescription", "diagnostic-mobilite"):
        assert term in by_id and by_id[term]["definition"]
    assert "RSA" in [w for t in glossary["termes"] for w in t["mots"]]
    assert all("(" not in label for group in labels.values() for label in group.values())


def test_static_pages_show_the_operator_fields_escaped(knowledge, fiches_db, clock, monkeypatch):
    monkeypatch.setenv("MENTIONS_EDITEUR", "Association <Mobilité> & Cie")

    async def scenario(client):
        return {
            path: (r.status, await r.text(), r.headers["Content-Security-Policy"])
            for path in ("/mentions-legales", "/confidentialite", "/accessibilite")
            for r in [await client.get(path)]
        }

    pages = run(knowledge, fiches_db, clock, scenario)
    status, legal, csp = pages["/mentions-legales"]
    assert status == 200 and "script-src 'self'" in csp
    assert "Association &lt;Mobilité&gt; &amp; Cie" in legal
    assert "À compléter par l’exploitant du service." in legal  # the fields still empty
    assert "partiellement conforme" in pages["/accessibilite"][1]
    assert "30&nbsp;jours" in pages["/confidentialite"][1]
