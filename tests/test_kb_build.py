"""`make kb` as a coordinator uses it: edit YAML, rebuild, see the change; a broken edit changes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from orientation import cli
from orientation.engine import Profile, orient
from orientation.knowledge import store
from orientation.knowledge.build import build
from orientation.knowledge.loader import KnowledgeErrors
from orientation.knowledge.snapshot import Snapshot, SnapshotCache


def laval_rsa_permis(snapshot):
    return orient(snapshot, Profile.of("rsa", "permis"), snapshot.communes.by_code("53130"))


ROOT = Path(__file__).resolve().parent.parent
AUTO_ECOLE = "    nom: Auto-école sociale\n"


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build_id(url: str) -> str:
    engine = store.connect(url)
    try:
        return store.read_build_id(engine)
    finally:
        engine.dispose()


def test_edit_rebuild_and_see_the_change_without_retraining(knowledge_copy, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    build(knowledge_copy, url=url)
    cache = SnapshotCache(url, check_every=0)
    assert "Auto-école sociale" in {s.service.nom for s in laval_rsa_permis(cache.get()).services}

    mayenne = knowledge_copy / "plateformes" / "mayenne.yml"
    _edit(mayenne, AUTO_ECOLE, "    nom: Auto-école sociale de la Mayenne\n")
    build(knowledge_copy, url=url)

    serving = cache.get()  # the new build is seen; the old snapshot answers while it loads
    assert "Auto-école sociale" in {s.service.nom for s in laval_rsa_permis(serving).services}
    cache.wait_for_reload(timeout=60)
    names = {s.service.nom for s in laval_rsa_permis(cache.get()).services}
    assert "Auto-école sociale de la Mayenne" in names  # the running cache reloaded by itself
    assert cli.main(["--url", url, "orient", "rsa; Laval; permis"]) == 0
    assert "Auto-école sociale de la Mayenne" in capsys.readouterr().out


def test_broken_edit_is_reported_and_the_old_database_stays(knowledge_copy, tmp_path, capsys):
    db = tmp_path / "kb.db"
    url = f"sqlite:///{db}"
    build(knowledge_copy, url=url)
    before = _build_id(url)
    cache = SnapshotCache(url, check_every=0)
    cache.get()

    mayenne = knowledge_copy / "plateformes" / "mayenne.yml"
    _edit(mayenne, "    prescription: oui\n", "    prescription: peut-être\n")
    with pytest.raises(KnowledgeErrors) as raised:
        build(knowledge_copy, url=url)
    message = str(raised.value)
    assert "mayenne.yml:" in message and "prescription" in message

    assert _build_id(url) == before
    assert {s.service.id for s in laval_rsa_permis(cache.get()).services} == {
        "mayenne--auto-ecole-sociale",
        "mayenne--evaluation-heures-de-conduite",
    }
    assert cli.main(["--root", str(knowledge_copy), "--url", url, "kb"]) == 1
    assert "n'a pas été modifiée" in capsys.readouterr().err


def test_yaml_syntax_error_points_at_the_line(knowledge_copy, tmp_path):
    sarthe = knowledge_copy / "plateformes" / "sarthe.yml"
    lines = sarthe.read_text(encoding="utf-8").splitlines(keepends=True)
    target = next(i for i, line in enumerate(lines) if line.startswith("nom:"))
    lines[target] = "nom: [Plateforme mobilité de la Sarthe\n"  # unclosed bracket
    sarthe.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(KnowledgeErrors) as raised:
        build(knowledge_copy, url=f"sqlite:///{tmp_path / 'kb.db'}")
    error = raised.value.errors[0]
    assert error.file.endswith("sarthe.yml")
    assert error.line is not None and abs(error.line - (target + 1)) <= 2


@pytest.mark.skipif(
    not os.environ.get("KB_TEST_POSTGRES_URL"),
    reason="KB_TEST_POSTGRES_URL not set (.ci/run starts PostgreSQL and sets it)",
)
def test_postgresql_build_and_orientation():
    url = os.environ["KB_TEST_POSTGRES_URL"]
    report = build(ROOT / "knowledge", url=url)
    assert report.counts["services"] >= 38
    snapshot = Snapshot.from_database(url)
    result = laval_rsa_permis(snapshot)
    assert {s.service.id for s in result.services} == {
        "mayenne--auto-ecole-sociale",
        "mayenne--evaluation-heures-de-conduite",
    }
    assert result.prescripteur.id == "referent-rsa"
