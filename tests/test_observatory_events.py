"""Anonymous events: what one orientation leaves behind, and that it holds no words.

Events are built by a pure function from the engine's real orientations
(knowledge/ built into a temporary SQLite file), recorded by the real writer
thread into a real SQLite database (and PostgreSQL where
KB_TEST_POSTGRES_URL is set), then read back.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect

from orientation.engine import Profile, orient
from orientation.observatory import event as ev
from orientation.observatory import record_orientation, record_unresolved_commune, recorder, store
from orientation.observatory.recorder import Recorder
from orientation.vocabulary import BESOINS, SITUATIONS

DAY = date(2025, 3, 14)

CASES = [
    # (id, situations, INSEE code, besoin, age, resultat, plateformes, services)
    (
        "laval-permis-a-service",
        ["rsa"],
        "53130",
        "permis",
        None,
        "orientation",
        ("mayenne",),
        ("mayenne--auto-ecole-sociale", "mayenne--evaluation-heures-de-conduite"),
    ),
    (
        "saint-nazaire-repair-no-service-first-step",
        ["rsa"],
        "44184",
        "reparation",
        30,
        "premier_pas",
        ("carene",),
        ("carene--bilan-mobilite",),
    ),
    (
        "le-mans-job-seeker-eligible-nowhere",
        ["demandeur_emploi"],
        "72181",
        "permis",
        30,
        "non_eligible",
        ("sarthe",),
        (),
    ),
    ("nantes-no-platform", ["rsa"], "44109", "permis", None, "aucune_plateforme", (), ()),
]


def _orientation(snapshot, situations, code, besoin, age):
    return orient(snapshot, Profile.of(situations, besoin, age), snapshot.communes.by_code(code))


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_event_of_an_orientation(snapshot, case):
    _, situations, code, besoin, age, resultat, plateformes, services = case
    commune = snapshot.communes.by_code(code)
    event = ev.event_from_orientation(_orientation(snapshot, situations, code, besoin, age), True, DAY)
    assert event == ev.Event(
        jour=DAY,
        besoin=besoin,
        situation=situations[0],
        tranche_age=ev.age_band(age),
        departement=commune.departement,
        epci=commune.epci_siren,
        plateformes=plateformes,
        services=services,
        resultat=resultat,
        professionnel=True,
    )


@pytest.mark.parametrize(
    "situations, expected",
    [
        (["jeune", "rsa"], "rsa"),  # the vocabulary's order, not the person's
        (["salarie", "handicap"], "handicap"),
        ([], ev.SITUATION_INCONNUE),
        (["je touche le RSA depuis mars"], ev.SITUATION_INCONNUE),  # words never become a category
    ],
)
def test_one_situation_category(situations, expected):
    assert ev.situation_category(situations) == expected


@pytest.mark.parametrize(
    "age, band",
    [(None, "inconnu"), (16, "moins_de_26"), (25, "moins_de_26"), (26, "26_et_plus"), (67, "26_et_plus")],
)
def test_age_band(age, band):
    assert ev.age_band(age) == band


def test_an_event_holds_these_fields_and_nothing_else():
    assert ev.EVENT_FIELDS == (
        "jour",
        "besoin",
        "situation",
        "tranche_age",
        "departement",
        "epci",
        "plateformes",
        "services",
        "resultat",
        "professionnel",
        "simule",
    )


# --- recorded: a real database -----------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def events_db(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'observatoire.db'}"
    elif os.environ.get("KB_TEST_POSTGRES_URL"):
        url = os.environ["KB_TEST_POSTGRES_URL"]
    else:
        pytest.skip("KB_TEST_POSTGRES_URL not set (.ci/run starts PostgreSQL and sets it)")
    engine = store.connect(url)
    with engine.begin() as conn:
        conn.execute(store.events_table.delete())
    yield url, engine
    engine.dispose()


def _random_orientations(snapshot, n, seed=7):
    """Many people: every situation, need and age band, communes inside and outside platforms."""
    rng = random.Random(seed)
    codes = ["53130", "44184", "72181", "44109", "49007", "49023", "75056", "29019", "97411"]
    for _ in range(n):
        situations = rng.sample(list(SITUATIONS), rng.choice([0, 1, 1, 2]))
        besoin = rng.choice([*BESOINS, None])
        age = rng.choice([None, 17, 24, 26, 45])
        yield _orientation(snapshot, situations, rng.choice(codes), besoin, age)


def test_recorded_events_are_a_closed_set_of_categories(snapshot, events_db):
    url, engine = events_db
    rec = Recorder(url)
    orientations = list(_random_orientations(snapshot, 300))
    for o in orientations:
        rec.submit(ev.event_from_orientation(o, random.random() < 0.5, DAY))
    for _ in range(5):
        rec.submit(ev.unresolved_commune_event(False, DAY))
    assert rec.flush(30) and rec.dropped == 0

    columns = {c["name"]: c for c in inspect(engine).get_columns("observatoire_evenements")}
    assert set(columns) == {"cle", "nombre", *ev.EVENT_FIELDS}
    allowed = {
        "besoin": set(BESOINS) | {ev.BESOIN_INCONNU},
        "situation": set(SITUATIONS) | {ev.SITUATION_INCONNUE},
        "tranche_age": set(ev.TRANCHES_AGE),
        "resultat": set(ev.RESULTATS),
        "departement": set(snapshot.departements) | {None},
        "epci": set(snapshot.epcis) | {None},
        "professionnel": {True, False},
        "simule": {False},
    }
    platform_ids = {p.id for p in snapshot.platforms}
    service_ids = {s.id for p in snapshot.platforms for s in p.services}
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(store.events_table.select())]
    assert sum(r["nombre"] for r in rows) == 305
    for row in rows:
        for name, values in allowed.items():
            assert row[name] in values, (name, row[name])
        assert set(row["plateformes"].split()) <= platform_ids
        assert set(row["services"].split()) <= service_ids
        assert row["jour"] == DAY and not hasattr(row["jour"], "hour")  # a day, never a time
        assert len(row["cle"]) == 40 and row["nombre"] >= 1


def test_identical_events_of_a_day_are_one_count(events_db):
    url, engine = events_db
    event = ev.unresolved_commune_event(True, DAY)
    store.add_events(engine, [event, event])
    store.add_events(engine, [event, ev.unresolved_commune_event(True, date(2025, 3, 15))])
    with engine.connect() as conn:
        counts = sorted((r.jour, r.nombre) for r in conn.execute(store.events_table.select()))
    assert counts == [(DAY, 3), (date(2025, 3, 15), 1)]
    [summed] = store.read_counts(engine, date(2025, 3, 1), date(2025, 3, 31))
    assert summed["nombre"] == 4 and summed["resultat"] == ev.COMMUNE_INCONNUE
    assert store.read_counts(engine, date(2025, 4, 1), date(2025, 4, 30)) == []


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_events_beside_the_sqlite_knowledge_base_survive_make_kb(tmp_path, monkeypatch):
    """`make kb` renames a new file over knowledge.db: events live in observatoire.db beside it."""
    from orientation.knowledge.build import build

    kb = tmp_path / "knowledge.db"
    monkeypatch.setenv("KB_DATABASE_URL", f"sqlite:///{kb}")
    monkeypatch.delenv(store.EVENTS_URL_ENV, raising=False)
    url = store.events_url()
    assert url == f"sqlite:///{tmp_path / 'observatoire.db'}"
    engine = store.connect(url)
    store.add_events(engine, [ev.unresolved_commune_event(False, DAY)])
    build(Path(__file__).resolve().parent.parent / "knowledge")
    assert kb.exists()
    assert store.read_counts(engine, DAY, DAY)[0]["nombre"] == 1


@pytest.mark.skipif(
    not os.environ.get("KB_TEST_POSTGRES_URL"),
    reason="KB_TEST_POSTGRES_URL not set (.ci/run starts PostgreSQL and sets it)",
)
def test_postgresql_build_keeps_the_events_table(monkeypatch):
    """In PostgreSQL events share the knowledge base's database; a build replaces only its own tables."""
    from orientation.knowledge.build import build

    url = os.environ["KB_TEST_POSTGRES_URL"]
    monkeypatch.setenv("KB_DATABASE_URL", url)
    monkeypatch.delenv(store.EVENTS_URL_ENV, raising=False)
    assert store.events_url() == url
    engine = store.connect()
    with engine.begin() as conn:
        conn.execute(store.events_table.delete())
    store.add_events(engine, [ev.unresolved_commune_event(False, DAY)])
    build(Path(__file__).resolve().parent.parent / "knowledge", url=url)
    assert store.read_counts(engine, DAY, DAY)[0]["nombre"] == 1
    engine.dispose()


# --- never in the way of an answer ---------------------------------------------------------


def test_a_database_down_loses_the_count_not_the_answer(snapshot, tmp_path):
    rec = Recorder(f"sqlite:///{tmp_path / 'file'}/not/a/dir.db")
    (tmp_path / "file").write_text("a file where a directory should be")
    rec.submit(ev.unresolved_commune_event(False, DAY))
    assert rec.flush(10) and rec.dropped == 1


def test_submitting_never_waits_for_the_database(tmp_path, monkeypatch):
    rec = Recorder(f"sqlite:///{tmp_path / 'observatoire.db'}", queue_size=10)
    monkeypatch.setattr(rec, "_write", lambda batch: time.sleep(0.5))
    started = time.perf_counter()
    for _ in range(50):  # more than the queue holds: the rest is dropped, not waited for
        rec.submit(ev.unresolved_commune_event(False, DAY))
    assert time.perf_counter() - started < 0.2
    assert rec.dropped >= 30


def test_record_calls_never_raise(monkeypatch):
    class Broken:
        def submit(self, event):
            raise RuntimeError("queue on fire")

    monkeypatch.setattr(recorder, "default_recorder", lambda: Broken())
    record_orientation(object(), True)  # not even an orientation
    record_unresolved_commune(False)


# --- the action ----------------------------------------------------------------------------


@pytest.fixture
def action_env(kb_url, snapshot, tmp_path, monkeypatch):
    from actions import knowledge
    from orientation.knowledge.snapshot import SnapshotCache

    monkeypatch.setattr(knowledge, "_cache", SnapshotCache.holding(snapshot, kb_url))
    rec = Recorder(f"sqlite:///{tmp_path / 'observatoire.db'}")
    monkeypatch.setattr(recorder, "_default", rec)
    return rec


def _run_orienter(role=None):
    from rasa_sdk import Tracker
    from rasa_sdk.events import SlotSet
    from rasa_sdk.executor import CollectingDispatcher

    from actions.actions import ActionOrienter

    slots = {
        "situations": ["rsa"],
        "code_insee": "53130",
        "besoin": "permis",
        "age": None,
        "role": role,
        "derniere_orientation": None,
        "commune": "Laval",
    }
    tracker = Tracker.from_dict(
        {
            "sender_id": "personne-123",
            "slots": slots,
            "latest_message": {
                "text": "je suis au RSA à Laval et je veux passer le permis",
                "intent": {"name": "inform", "confidence": 0.99},
                "entities": [],
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionOrienter().run(dispatcher, tracker, {}))
    assert events == [SlotSet("derniere_orientation", "rsa|53130|permis|None")]
    assert len(dispatcher.messages) == 1
    return events


def test_the_orientation_action_counts_one_event_without_the_conversation(action_env):
    _run_orienter(role="professionnel")
    assert action_env.flush(10)
    engine = store.connect(action_env.url)
    [row] = store.read_counts(engine, date.today(), date.today())
    assert (
        row["resultat"],
        row["besoin"],
        row["situation"],
        row["departement"],
        row["professionnel"],
        row["nombre"],
    ) == ("orientation", "permis", "rsa", "53", True, 1)
    stored = " ".join(str(v) for v in row.values())
    assert "personne-123" not in stored and "Laval" not in stored and "RSA à" not in stored


def test_the_action_answers_when_recording_breaks(action_env, monkeypatch):
    monkeypatch.setattr(action_env, "submit", lambda event: (_ for _ in ()).throw(OSError("disk full")))
    _run_orienter()
