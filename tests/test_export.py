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
from orientation.knowledge.schema import ConditionZone

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


def _structure_id(plateforme) -> str:
    """What a structure's id must be: the seed's "<source>--<id>", or the data·inclusion id it was imported with."""
    ref = getattr(plateforme, "data_inclusion", None)
    return ref.id if ref else f"{SOURCE}--{plateforme.id}"


def _service_id(plateforme, service) -> str:
    ref = getattr(service, "data_inclusion", None)
    if ref:
        return ref.id
    source = plateforme.data_inclusion.source if getattr(plateforme, "data_inclusion", None) else SOURCE
    return f"{source}--{service.id}"


@pytest.fixture(scope="module")
def records(knowledge, exported):
    """(platform, its structure record), (platform, service, its service record), found by id."""
    _, _, structures, services = exported
    by_id = {r["id"]: r for r in structures + services}
    platforms = [(p, by_id[_structure_id(p)]) for p in knowledge.plateformes]
    return platforms, [(p, s, by_id[_service_id(p, s)]) for p, s in knowledge.services()]


def test_counts_match_the_knowledge(knowledge, exported):
    _, report, structures, services = exported
    assert len(structures) == len(knowledge.plateformes) == report["structures"]
    assert len(services) == sum(len(p.services) for p in knowledge.plateformes) == report["services"]


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


def test_ids_dates_and_links(exported, records):
    _, _, structures, services = exported
    platforms, platform_services = records
    assert len({r["id"] for r in structures + services}) == len(structures) + len(services)
    for plateforme, record in platforms:
        assert record["date_maj"] == plateforme.date_maj.isoformat(), plateforme.id
        assert record["id"].startswith(f"{record['source']}--")
        assert record["lien_source"] is None
    for plateforme, service, record in platform_services:
        assert record["structure_id"] == _structure_id(plateforme), service.id
        assert record["date_maj"] == service.date_maj.isoformat(), service.id
        assert record["id"].startswith(f"{record['source']}--")
        assert record["lien_source"] is None


def test_required_fields_and_the_platform_contact_only(exported, records):
    _, _, _, services = exported
    for record in services:
        assert 3 <= len(record["nom"]) <= 150 and not record["nom"].endswith(".")
        assert len(record["description"]) >= 5
        assert (
            record["telephone"] is None and record["courriel"] is None
        )  # a service has no contact of its own
    for plateforme, record in records[0]:
        contact = plateforme.contact
        assert (record["telephone"], record["courriel"], record["site_web"], record["adresse"]) == (
            contact.telephone,
            contact.courriel,
            contact.site_web,
            contact.adresse,
        ), plateforme.id


def test_territory_and_public_follow_the_knowledge(records):
    for plateforme, service, record in records[1]:
        zone = next((c.values for c in service.conditions if isinstance(c, ConditionZone)), None)
        assert record["zone_eligibilite"] == list(zone or plateforme.territoire.zone_eligibilite), service.id
        if service.destinataires == "personnes":
            public = getattr(service, "public", None) or plateforme.public
            assert record["publics"] == (list(public.publics) or None), service.id
        else:  # data·inclusion's publics are beneficiaries: a service for professionals has none
            assert record["publics"] is None, service.id
            assert service.destinataires in record["publics_precisions"], service.id


def test_reseaux_porteurs_on_structures(records):
    for plateforme, record in records[0]:
        assert record["reseaux_porteurs"] == (list(plateforme.reseaux_porteurs) or None), plateforme.id


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
    assert f"{len(exported[2])} structures, {len(exported[3])} services" in result.stdout


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
