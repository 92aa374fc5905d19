"""The data·inclusion schema v1 export (build/export/*.json).

test_export_passes_data_inclusion_schema validates with the real package; it
needs pydantic 2, so it runs only when .venv-export-check exists (created by
scripts/check_export.sh, about a minute with network): a test run does not
install packages behind your back.
"""

import json
import subprocess
from pathlib import Path

import pytest

from orientation.knowledge.export import SOURCE, export_data_inclusion
from orientation.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
CHECK_PYTHON = ROOT / ".venv-export-check" / "bin" / "python"


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(ROOT / "knowledge")


@pytest.fixture(scope="module")
def exported(knowledge, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    report = export_data_inclusion(knowledge, out)
    structures = json.loads((out / "structures.json").read_text(encoding="utf-8"))
    services = json.loads((out / "services.json").read_text(encoding="utf-8"))
    return out, report, structures, services


def test_counts_match_the_knowledge(knowledge, exported):
    _, report, structures, services = exported
    assert len(structures) == len(knowledge.plateformes) == report["structures"] == 5
    assert len(services) == sum(len(p.services) for p in knowledge.plateformes) == report["services"] == 38


def test_mobilisable_par_follows_prescription_and_never_guesses(knowledge, exported):
    services = {s["id"]: s for s in exported[3]}
    expected = {"oui": ["professionnels"], "non": ["usagers", "professionnels"], "non_precise": None}
    for _plateforme, service in knowledge.services():
        record = services[f"{SOURCE}--{service.id}"]
        assert record["mobilisable_par"] == expected[service.prescription], service.id


def test_services_not_for_people_carry_no_person_facing_thematique_nor_public(knowledge, exported):
    services = {s["id"]: s for s in exported[3]}
    for _plateforme, service in knowledge.services():
        record = services[f"{SOURCE}--{service.id}"]
        if service.destinataires != "personnes":
            assert record["thematiques"] is None and record["publics"] is None, service.id
        else:
            assert record["thematiques"] and record["publics"], service.id


def test_ids_and_links(exported):
    _, _, structures, services = exported
    structure_ids = {s["id"] for s in structures}
    assert structure_ids == {
        f"{SOURCE}--{p}" for p in ("mobimauges", "maine-et-loire", "mayenne", "sarthe", "carene")
    }
    for record in structures + services:
        assert record["source"] == SOURCE
        assert record["id"].startswith(f"{SOURCE}--")
        assert record["date_maj"] == "2017-12-11"
        assert record["lien_source"] is None
    assert all(s["structure_id"] in structure_ids for s in services)


def test_required_fields_and_no_contact(exported):
    _, _, structures, services = exported
    for record in services:
        assert 3 <= len(record["nom"]) <= 150 and not record["nom"].endswith(".")
        assert len(record["description"]) >= 5
        assert record["zone_eligibilite"]
        assert record["telephone"] is None and record["courriel"] is None
    for record in structures:
        assert (record["telephone"], record["courriel"], record["site_web"], record["adresse"]) == (
            None,
            None,
            None,
            None,
        )


def test_territory_and_public(exported):
    services = {s["id"]: s for s in exported[3]}
    sarthe = services[f"{SOURCE}--sarthe--transport-benevole"]
    assert sarthe["zone_eligibilite"] == ["72"]
    assert sarthe["publics"] == ["beneficiaires-des-minimas-sociaux"]
    pro = services[f"{SOURCE}--sarthe--sensibilisation-acteurs-insertion"]
    assert pro["publics"] is None and "professionnels" in pro["publics_precisions"]
    assert services[f"{SOURCE}--carene--bilan-mobilite"]["zone_eligibilite"] == ["244400644"]


def test_reseaux_porteurs_on_structures(exported):
    structures = {s["id"]: s for s in exported[2]}
    assert structures[f"{SOURCE}--sarthe"]["reseaux_porteurs"] == ["wimoov"]
    assert structures[f"{SOURCE}--mayenne"]["reseaux_porteurs"] == ["departements"]
    assert structures[f"{SOURCE}--carene"]["reseaux_porteurs"] is None


@pytest.mark.skipif(
    not CHECK_PYTHON.exists(),
    reason=".venv-export-check absent: run scripts/check_export.sh once to create it",
)
def test_export_passes_data_inclusion_schema(exported):
    out = exported[0]
    result = subprocess.run(
        [str(CHECK_PYTHON), str(ROOT / "scripts" / "check_export.py"), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 structures, 38 services" in result.stdout


@pytest.mark.skipif(
    not CHECK_PYTHON.exists(),
    reason=".venv-export-check absent: run scripts/check_export.sh once to create it",
)
def test_schema_check_fails_on_a_bad_record(exported, tmp_path):
    _, _, structures, services = exported
    broken = [dict(services[0], thematiques=["mobilite--passer-le-permis"])] + services[1:]
    (tmp_path / "structures.json").write_text(json.dumps(structures), encoding="utf-8")
    (tmp_path / "services.json").write_text(json.dumps(broken), encoding="utf-8")
    result = subprocess.run(
        [str(CHECK_PYTHON), str(ROOT / "scripts" / "check_export.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "mobilite--passer-le-permis" in result.stdout
