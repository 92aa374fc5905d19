"""`make report` as a coordinator uses it, and `/observatoire` behind its token.

Events come from the engine's real orientations on the real knowledge base,
counted in a temporary SQLite database; the report is written to a
temporary folder and read back as a person would (CSV, PNG, one HTML page).
"""

from __future__ import annotations

import asyncio
import base64
import csv
import re
from datetime import date

import pytest

from orientation.engine import Profile, orient
from orientation.observatory import store
from orientation.observatory.__main__ import main as observatory_main
from orientation.observatory.event import event_from_orientation, unresolved_commune_event
from orientation.observatory.page import CSP
from orientation.observatory.report import last_full_month, parse_day, period_words, write_report
from orientation.observatory.tables import published

START, END = date(2026, 10, 1), date(2026, 10, 31)
TODAY = date(2026, 11, 15)


@pytest.mark.parametrize("n, text", [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (1234, "1\u202f234")])
def test_counts_from_one_to_four_are_never_published(n, text):
    assert published(n) == text


@pytest.mark.parametrize(
    "today, period",
    [
        (date(2026, 11, 15), (date(2026, 10, 1), date(2026, 10, 31))),
        (date(2026, 1, 1), (date(2025, 12, 1), date(2025, 12, 31))),
        (date(2024, 3, 31), (date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_default_period_is_the_last_full_month(today, period):
    assert last_full_month(today) == period


def test_dates_as_a_coordinator_types_them():
    assert parse_day("2026-02") == date(2026, 2, 1)
    assert parse_day("2026-02", end=True) == date(2026, 2, 28)
    assert parse_day("2026-02-14") == date(2026, 2, 14)
    assert period_words(date(2026, 10, 1), date(2026, 10, 31)) == "octobre 2026"
    assert period_words(date(2026, 10, 3), date(2026, 10, 17)) == "du 3 octobre 2026 au 17 octobre 2026"


# People: (situations, INSEE code, need, age, how many, day)
PEOPLE = [
    (["rsa"], "53130", "permis", None, 12, date(2026, 10, 3)),  # Laval: a service
    (["demandeur_emploi"], "72181", "permis", 30, 7, date(2026, 10, 9)),  # Le Mans: eligible nowhere
    (["rsa"], "44109", "vehicule", 40, 9, date(2026, 10, 20)),  # Nantes: no platform
    (["rsa"], "44184", "reparation", 30, 6, date(2026, 10, 21)),  # Saint-Nazaire: first step
    (["jeune"], "53130", "velo", 19, 2, date(2026, 10, 22)),  # first step, too few to publish
    (["rsa"], "53130", "permis", None, 50, date(2026, 9, 30)),  # outside the period
]


@pytest.fixture(scope="module")
def report_dir(snapshot, kb_url, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("observatoire")
    url = f"sqlite:///{tmp_path / 'observatoire.db'}"
    engine = store.connect(url)
    events = [unresolved_commune_event(False, date(2026, 10, 5))] * 3
    for situations, code, need, age, n, day in PEOPLE:
        o = orient(snapshot, Profile.of(situations, need, age), snapshot.communes.by_code(code))
        events += [event_from_orientation(o, i % 2 == 0, day) for i in range(n)]
    store.add_events(engine, events)
    engine.dispose()

    written = {}

    def write(departement=None):
        if departement not in written:  # each report once: matplotlib takes a second or two
            written[departement] = write_report(
                tmp_path / f"report-{departement or 'tout'}",
                START,
                END,
                departement,
                events_url=url,
                kb_url=kb_url,
                today=TODAY,
            )
        return written[departement]

    return write


def _csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_the_report_files(report_dir):
    paths = report_dir()
    assert paths["observatoire.png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    counts = _csv(paths["comptes.csv"])
    by_outcome = {}
    for row in counts:
        by_outcome[row["resultat"]] = by_outcome.get(row["resultat"], []) + [row["demandes"]]
    assert by_outcome["Service proposé"] == ["12"]
    assert by_outcome["Premier pas proposé (aucun service pour ce besoin)"] == ["6", "< 5"]  # 2 cyclists
    assert by_outcome["Non éligible aux services du territoire"] == ["7"]
    assert by_outcome["Aucune plateforme sur le territoire"] == ["9"]
    assert by_outcome["Commune non trouvée"] == ["< 5"]
    assert {r["departement_nom"] for r in counts} == {"Mayenne", "Sarthe", "Loire-Atlantique", ""}


def test_no_file_publishes_a_count_from_one_to_four(report_dir):
    paths = report_dir()
    for name in ("comptes.csv", "besoins-non-couverts.csv"):
        for row in _csv(paths[name]):
            assert not re.fullmatch(r"[1-4]", row["demandes"]), (name, row)
    html = paths["observatoire.html"].read_text(encoding="utf-8")
    counts_part = html[html.index("<h2>L'essentiel") : html.index("<h2>Fraîcheur")]  # then dates, not people
    assert not re.search(r">[1-4]( \(\d+ %\))?<", counts_part)
    assert "&lt; 5" in counts_part and "secret statistique" in html


def test_unmet_needs_and_freshness(report_dir):
    paths = report_dir()
    unmet = _csv(paths["besoins-non-couverts.csv"])
    kinds = {
        (r["rubrique"], r["departement"], r["plateformes"], r["besoin"], r["service"], r["demandes"])
        for r in unmet
    }
    assert ("territoire sans plateforme", "44", "", "Avoir un véhicule", "", "9") in kinds
    assert ("éligible nulle part", "", "sarthe", "Passer le permis", "", "7") in kinds
    assert ("besoin sans service", "", "carene", "Réparer, entretenir un véhicule", "", "6") in kinds
    assert ("sur prescription seulement", "", "mayenne", "", "Auto-école sociale", "12") in kinds
    fresh = _csv(paths["fraicheur.csv"])
    assert {r["plateforme"] for r in fresh} == {"carene", "maine-et-loire", "mayenne", "mobimauges", "sarthe"}
    html = paths["observatoire.html"].read_text(encoding="utf-8")
    for heading in (
        "Territoires sans plateforme",
        "Personnes éligibles nulle part",
        "Besoins auxquels aucun service ne répond",
        "Services accessibles seulement par un professionnel",
        "Informations de plus de 12 mois",
    ):
        assert heading in html


def test_one_departement(report_dir):
    paths = report_dir(departement="53")
    assert {r["departement"] for r in _csv(paths["comptes.csv"])} == {"53"}
    assert {r["plateforme"] for r in _csv(paths["fraicheur.csv"])} == {"mayenne"}
    assert "Mayenne (53)" in paths["observatoire.html"].read_text(encoding="utf-8")


def test_the_page_is_self_contained_and_not_simulated(report_dir):
    html = report_dir()["observatoire.html"].read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "octobre 2026" in html
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["'](?!data:)""", html)
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}" alt="[^"]{20,}"', html)
    assert "simulées" not in html


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_report_demo_is_marked_simulated(kb_url, tmp_path, capsys):
    assert (
        observatory_main(["--url", kb_url, "demo", "--out", str(tmp_path / "demo"), "--people", "400"]) == 0
    )
    html = (tmp_path / "demo" / "observatoire.html").read_text(encoding="utf-8")
    assert "Données simulées" in html
    engine = store.connect(f"sqlite:///{tmp_path / 'demo' / 'observatoire-simule.db'}")
    start, end = last_full_month(date.today())
    rows = store.read_counts(engine, start, end)
    assert sum(r["nombre"] for r in rows) == 400 and all(r["simule"] for r in rows)


# --- /observatoire --------------------------------------------------------------------------


# The app's knowledge base: the session's snapshot, not build/knowledge.db loaded per app.
APP_KNOWLEDGE = {}


def _get(headers=None):
    """GET /observatoire on the real web app (`create_app`), configured by the environment."""
    from aiohttp.test_utils import TestClient, TestServer

    from web.app import create_app

    async def go():
        app = create_app("http://127.0.0.1:5005", knowledge=APP_KNOWLEDGE.get("knowledge"))
        async with TestClient(TestServer(app)) as client:
            response = await client.get("/observatoire", headers=headers or {})
            return response.status, dict(response.headers), await response.text()

    return asyncio.run(go())


@pytest.fixture
def page(report_dir, snapshot, monkeypatch):
    from web.knowledge import Knowledge

    monkeypatch.setitem(APP_KNOWLEDGE, "knowledge", Knowledge(fixed=snapshot))
    path = report_dir()["observatoire.html"]
    monkeypatch.setenv("OBSERVATOIRE_PAGE", str(path))
    monkeypatch.setenv("OBSERVATOIRE_TOKEN", "s3cret-jeton")
    return path


def test_observatoire_is_closed_without_a_configured_token(page, monkeypatch):
    monkeypatch.delenv("OBSERVATOIRE_TOKEN")
    status, _, body = _get()
    assert status == 403 and "OBSERVATOIRE_TOKEN" in body


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer s3cret-jeton "[:-2]},
        {"Authorization": "Basic " + base64.b64encode(b"coordinatrice:wrong").decode()},
        {"Authorization": "Basic ???"},
    ],
)
def test_observatoire_asks_for_the_token(page, headers):
    status, response_headers, body = _get(headers)
    assert status == 401 and response_headers["WWW-Authenticate"].startswith("Basic")
    assert "besoins" not in body  # nothing of the report


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer s3cret-jeton"},
        {"Authorization": "Basic " + base64.b64encode(b"coordinatrice:s3cret-jeton").decode()},
    ],
)
def test_observatoire_serves_the_report_with_its_own_policy(page, headers):
    status, response_headers, body = _get(headers)
    assert status == 200 and body == page.read_text(encoding="utf-8")
    assert response_headers["Content-Security-Policy"] == CSP
    assert "script-src" not in CSP and "default-src 'none'" in CSP
    assert response_headers["Cache-Control"] == "no-store"
    assert response_headers["X-Frame-Options"] == "DENY"  # the app's other headers stay


def test_observatoire_without_a_report_says_how_to_make_one(page, monkeypatch, tmp_path):
    monkeypatch.setenv("OBSERVATOIRE_PAGE", str(tmp_path / "absent.html"))
    status, _, body = _get({"Authorization": "Bearer s3cret-jeton"})
    assert status == 404 and "make report" in body


def test_observatoire_style_is_allowed_by_its_hash(page):
    import hashlib

    html = page.read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in CSP
