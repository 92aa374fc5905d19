"""`make kb` as a coordinator uses it: edit YAML, rebuild, see the change; a broken edit changes nothing.

The edits are made on a copy of knowledge/, to whichever service for people it
holds first (found by what it is, not by name), so that these tests run on
any valid knowledge base.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from orientation import cli
from orientation.engine import Profile, area_codes, orient
from orientation.knowledge import store
from orientation.knowledge.build import build
from orientation.knowledge.loader import KnowledgeErrors, load_knowledge
from orientation.knowledge.snapshot import Snapshot, SnapshotCache

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", copy)
    return copy


def _build_id(url: str) -> str:
    engine = store.connect(url)
    try:
        return store.read_build_id(engine)
    finally:
        engine.dispose()


def _proposed(snapshot):
    """The first service for people the base holds, with a person in its territory it is proposed to."""
    for platform in snapshot.platforms:
        inside = [c for c in snapshot.communes.all() if area_codes(c) & set(platform.zone_eligibilite)]
        if not inside:
            continue
        commune = max(inside, key=lambda c: c.population)
        for service in platform.services:
            for besoin in service.besoins:
                profile = Profile.of(list(platform.situations[:1]), besoin)
                if service.id in _ids(orient(snapshot, profile, commune)):
                    return service, profile, commune
    pytest.skip("the knowledge base proposes no service to anyone")


def _ids(orientation) -> set[str]:
    return {s.service.id for s in orientation.services}


def _question(profile, commune) -> str:
    """The same person for `make orient`: "rsa; Laval 53; permis"."""
    return f"{'+'.join(profile.situations)}; {commune.nom} {commune.departement}; {profile.besoin}"


def _edit_service_line(root: Path, service, field: str, value: str) -> Path:
    """Set `field` of `service` in its platform's YAML (the first such line after its id)."""
    path = root / "plateformes" / f"{service.plateforme_id}.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if re.search(rf"\bid: {re.escape(service.id)}\s*$", line))
    index = next(i for i in range(start, len(lines)) if re.match(rf"\s+{field}: ", lines[i]))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines[index] = f"{indent}{field}: {value}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_edit_rebuild_and_see_the_change_without_retraining(knowledge_copy, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    build(knowledge_copy, url=url)
    cache = SnapshotCache(url, check_every=0)
    service, profile, commune = _proposed(cache.get())

    def names(snapshot):
        return {s.service.nom for s in orient(snapshot, profile, commune).services}

    renamed = f"{service.nom} renommé"
    _edit_service_line(knowledge_copy, service, "nom", json.dumps(renamed, ensure_ascii=False))
    build(knowledge_copy, url=url)

    serving = cache.get()  # the new build is seen; the old snapshot answers while it loads
    assert service.nom in names(serving)
    cache.wait_for_reload(timeout=60)
    assert renamed in names(cache.get())  # the running cache reloaded by itself
    assert service.nom not in names(cache.get())
    assert cli.main(["--url", url, "orient", _question(profile, commune)]) == 0
    assert renamed in capsys.readouterr().out


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_broken_edit_is_reported_and_the_old_database_stays(knowledge_copy, tmp_path, capsys):
    db = tmp_path / "kb.db"
    url = f"sqlite:///{db}"
    build(knowledge_copy, url=url)
    before = _build_id(url)
    cache = SnapshotCache(url, check_every=0)
    service, profile, commune = _proposed(cache.get())
    proposed = _ids(orient(cache.get(), profile, commune))

    path = _edit_service_line(knowledge_copy, service, "prescription", "peut-être")
    with pytest.raises(KnowledgeErrors) as raised:
        build(knowledge_copy, url=url)
    message = str(raised.value)
    assert f"{path.name}:" in message and service.id in message and "prescription" in message

    assert _build_id(url) == before
    assert _ids(orient(cache.get(), profile, commune)) == proposed
    assert _ids(orient(Snapshot.from_database(url), profile, commune)) == proposed
    assert cli.main(["--root", str(knowledge_copy), "--url", url, "kb"]) == 1
    assert "n'a pas été modifiée" in capsys.readouterr().err


def test_yaml_syntax_error_points_at_the_line(knowledge_copy, tmp_path):
    platform = sorted((knowledge_copy / "plateformes").glob("*.yml"))[0]
    lines = platform.read_text(encoding="utf-8").splitlines(keepends=True)
    target = next(i for i, line in enumerate(lines) if line.startswith("nom:"))
    lines[target] = "nom: [Plateforme sans crochet fermant\n"
    platform.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(KnowledgeErrors) as raised:
        build(knowledge_copy, url=f"sqlite:///{tmp_path / 'kb.db'}")
    error = raised.value.errors[0]
    assert error.file.endswith(platform.name)
    assert error.line is not None and abs(error.line - (target + 1)) <= 2


@pytest.mark.skipif(
    not os.environ.get("KB_TEST_POSTGRES_URL"),
    reason="KB_TEST_POSTGRES_URL not set (.ci/run starts PostgreSQL and sets it)",
)
def test_postgresql_build_and_orientation(snapshot):
    """The same knowledge on PostgreSQL: every service stored, the same answer as on SQLite."""
    url = os.environ["KB_TEST_POSTGRES_URL"]
    report = build(ROOT / "knowledge", url=url)
    knowledge = load_knowledge(ROOT / "knowledge")
    assert report.counts["services"] == sum(len(p.services) for p in knowledge.plateformes)
    on_postgres = Snapshot.from_database(url)
    _, profile, commune = _proposed(snapshot)
    expected, result = orient(snapshot, profile, commune), orient(on_postgres, profile, commune)
    assert (_ids(result), result.prescripteur.id) == (_ids(expected), expected.prescripteur.id)


@pytest.mark.skipif(
    not os.environ.get("KB_TEST_POSTGRES_URL"),
    reason="KB_TEST_POSTGRES_URL not set (.ci/run starts PostgreSQL and sets it)",
)
def test_postgresql_tables_of_an_older_version_are_replaced(snapshot):
    """An upgrade that retyped a column (prescription was a boolean) still builds, and other tables stay."""
    from sqlalchemy import text

    url = os.environ["KB_TEST_POSTGRES_URL"]
    engine = store.connect(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS services, voisine_de_la_base CASCADE"))
        conn.execute(text("CREATE TABLE services (id VARCHAR(120) PRIMARY KEY, prescription BOOLEAN)"))
        conn.execute(text("CREATE TABLE voisine_de_la_base (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO voisine_de_la_base VALUES (1)"))
    try:
        build(ROOT / "knowledge", url=url)
        on_postgres = Snapshot.from_database(url)
        assert {s.prescription for p in on_postgres.platforms for s in p.services} <= {
            "oui",
            "non",
            "non_precise",
        }
        assert sorted(s.id for p in on_postgres.platforms for s in p.services) == sorted(
            s.id for p in snapshot.platforms for s in p.services
        )
        with engine.connect() as conn:  # a table that is not the knowledge base's is left alone
            assert conn.execute(text("SELECT count(*) FROM voisine_de_la_base")).scalar() == 1
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS voisine_de_la_base"))
        engine.dispose()
