"""`make kb-import`: another région's services from a data·inclusion file, with no code change.

The fixture (tests/fixtures/data-inclusion-bretagne/) holds two FICTITIOUS
structures of the Finistère in the format `make kb-export` writes. Imports
go to temporary folders; the knowledge base is a copy of knowledge/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from orientation import cli
from orientation.engine import Profile, orient
from orientation.knowledge.build import build
from orientation.knowledge.datainclusion import mapping
from orientation.knowledge.datainclusion.importer import import_export
from orientation.knowledge.datainclusion.problems import ImportErrors
from orientation.knowledge.export import export_data_inclusion
from orientation.knowledge.loader import KnowledgeErrors, load_knowledge
from orientation.knowledge.snapshot import Snapshot
from orientation.vocabulary import SITUATIONS

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "data-inclusion-bretagne"
BREST, QUIMPER, MORLAIX = "29019", "29232", "29151"
BREST_PF, GARAGE = "plateforme-mobilite-du-pays-de-brest", "garage-solidaire-de-cornouaille"


def _records(directory: Path) -> dict[str, list[dict]]:
    return {
        kind: sorted(
            json.loads((directory / f"{kind}.json").read_text(encoding="utf-8")), key=lambda r: r["id"]
        )
        for kind in ("structures", "services")
    }


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", copy, ignore=shutil.ignore_patterns("communes"))
    (copy / "communes").symlink_to(ROOT / "knowledge" / "communes")
    return copy


@pytest.fixture
def empty_root(tmp_path) -> Path:
    """A knowledge root with no platform: the referential and the shared files only."""
    root = tmp_path / "vide"
    (root / "plateformes").mkdir(parents=True)
    (root / "communes").symlink_to(ROOT / "knowledge" / "communes")
    for name in ("prescripteurs.yml", "glossaire.yml"):
        shutil.copy(ROOT / "knowledge" / name, root / name)
    return root


# --- the mapping, rule by rule ------------------------------------------------------------


@pytest.mark.parametrize(
    "mobilisable_par, prescription",
    [
        (["professionnels"], "oui"),
        (["usagers", "professionnels"], "non"),
        (["usagers"], "non"),
        (None, "non_precise"),
        ([], "non_precise"),
    ],
)
def test_prescription_from_mobilisable_par(mobilisable_par, prescription):
    assert mapping.prescription_for(mobilisable_par) == prescription


@pytest.mark.parametrize(
    "thematiques, nom, besoins",
    [
        (["mobilite--preparer-un-permis"], "Auto-école sociale", ["permis"]),
        (["mobilite--mobilite-douce-partagee-collective"], "Transport solidaire", ["transport"]),
        (["mobilite--mobilite-douce-partagee-collective"], "Atelier de réparation de vélos", ["velo"]),
        (["mobilite--acceder-a-un-vehicule"], "Prêt de bicyclettes", ["velo"]),
        (["mobilite--acceder-a-un-vehicule"], "Prêt de voitures et de vélos", ["vehicule", "velo"]),
        (
            ["mobilite--entretenir-reparer-son-vehicule", "mobilite--financer-ma-mobilite"],
            "Garage",
            ["reparation", "financement"],
        ),
        (["mobilite--etre-accompagne-dans-son-parcours-mobilite"], "Bilan mobilité", ["accompagnement"]),
    ],
)
def test_needs_from_thematiques(thematiques, nom, besoins):
    assert mapping.besoins_for(thematiques, nom, "") == besoins


def test_publics_to_situations():
    public, unknown = mapping.public_for({"publics": ["tous-publics"]})
    assert public["situations"] == list(SITUATIONS) and public["restriction"] == "indicative"
    assert unknown == []
    public, unknown = mapping.public_for(
        {"publics": ["jeunes", "femmes"], "publics_precisions": "Jeunes femmes"}
    )
    assert public["situations"] == ["jeune"] and public["texte"] == "Jeunes femmes"
    assert any("Femmes" in line for line in unknown)
    public, unknown = mapping.public_for({})
    assert public["situations"] == [] and unknown == ["Public non précisé par le fichier"]


def test_territory_keeps_the_codes_no_other_contains():
    from orientation.knowledge.datainclusion.checks import GeoCodes

    geo = GeoCodes.read(ROOT / "knowledge" / "communes")
    assert mapping.territory([["242900314"], ["29019"]], geo) == ["242900314"]  # Brest is in its EPCI
    assert mapping.territory([["29"], ["200068120"], ["56"]], geo) == ["29", "56"]
    assert mapping.territory([["29019"], ["france"]], geo) == ["france"]


def test_entry_point_by_name():
    assert mapping.is_entry_point({"nom": "Diagnostic mobilité"})
    assert mapping.is_entry_point({"nom": "Bilans de mobilité professionnelle"})
    assert not mapping.is_entry_point({"nom": "Bilan de compétences"})


# --- the fixture, end to end ---------------------------------------------------------------


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_imported_territory_is_oriented_after_make_kb(knowledge_copy, tmp_path):
    result = import_export(FIXTURE, knowledge_copy / "plateformes", root=knowledge_copy)
    assert sorted(p.name for p in result.written) == [f"{GARAGE}.yml", f"{BREST_PF}.yml"]
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    build(knowledge_copy, url=url)
    snapshot = Snapshot.from_database(url)

    def services(code, situations, besoin, age=None):
        o = orient(snapshot, Profile.of(situations, besoin, age), snapshot.communes.by_code(code))
        return o.statut, {s.service.id: (s.eligibilite, s.service.prescription) for s in o.services}

    assert services(BREST, "rsa", "permis") == (
        "orientation",
        {f"{BREST_PF}--auto-ecole-associative": ("eligible", "oui")},
    )
    assert services(BREST, "salarie", "velo") == (
        "orientation",
        {f"{BREST_PF}--pret-de-velos-a-assistance-electrique": ("eligible", "non_precise")},
    )
    assert services(BREST, "demandeur_emploi", "reparation") == (
        "orientation",
        {f"{GARAGE}--reparation-solidaire-de-vehicules": ("eligible", "non")},
    )
    assert services(QUIMPER, "jeune", "financement", 20) == (
        "orientation",
        {f"{GARAGE}--aide-financiere-a-la-mobilite-des-jeunes": ("eligible", "oui")},
    )
    # Quimper is not in Brest Métropole: no driving school there, and no entry point in Cornouaille.
    assert services(QUIMPER, "rsa", "permis")[0] == "aucun_service"
    # An indicative public: a salaried person in Brest is "à vérifier", not refused.
    assert services(BREST, "salarie", "permis") == (
        "orientation",
        {f"{BREST_PF}--auto-ecole-associative": ("a_verifier", "oui")},
    )
    # A need no Brest service answers: the diagnostic, the structure's entry point.
    statut, proposed = services(BREST, "rsa", "transport")
    assert (statut, list(proposed)) == ("premier_pas", [f"{BREST_PF}--diagnostic-mobilite"])
    # The seed's territories answer as before.
    assert services("53130", "rsa", "permis")[0] == "orientation"
    assert services(MORLAIX, "rsa", "reparation")[0] == "orientation"


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_round_trip_export_import_export(empty_root, tmp_path):
    import_export(FIXTURE, empty_root / "plateformes", root=empty_root)
    export_data_inclusion(load_knowledge(empty_root), tmp_path / "export")
    assert _records(tmp_path / "export") == _records(FIXTURE)
    # And again: importing our own export changes nothing.
    again = tmp_path / "again"
    (again / "plateformes").mkdir(parents=True)
    for name in ("communes", "prescripteurs.yml", "glossaire.yml"):
        (again / name).symlink_to((empty_root / name).resolve())
    import_export(tmp_path / "export", again / "plateformes", root=again)

    def documents(directory):  # all but the name of the file imported from
        docs = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in directory.glob("*.yml")}
        for doc in docs.values():
            doc["source"].pop("fichier")
        return docs

    assert documents(again / "plateformes") == documents(empty_root / "plateformes")


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_round_trip_of_the_seed_mobility_services(empty_root, tmp_path):
    export_data_inclusion(load_knowledge(ROOT / "knowledge"), tmp_path / "seed")
    seed = _records(tmp_path / "seed")
    result = import_export(tmp_path / "seed", empty_root / "plateformes", root=empty_root)
    mobility = [s for s in seed["services"] if s["thematiques"]]
    assert result.services == len(mobility) and result.other_services == len(seed["services"]) - len(mobility)
    export_data_inclusion(load_knowledge(empty_root), tmp_path / "back")
    back = _records(tmp_path / "back")
    assert back["services"] == mobility
    assert back["structures"] == [
        s for s in seed["structures"] if any(m["structure_id"] == s["id"] for m in mobility)
    ]


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_the_seed_written_by_hand_is_never_replaced(knowledge_copy, tmp_path, capsys):
    export_data_inclusion(load_knowledge(knowledge_copy), tmp_path / "seed")
    before = {p.name: p.read_bytes() for p in (knowledge_copy / "plateformes").glob("*.yml")}
    assert cli.main(["--root", str(knowledge_copy), "import", str(tmp_path / "seed")]) == 0
    assert {p.name: p.read_bytes() for p in (knowledge_copy / "plateformes").glob("*.yml")} == before
    assert "laissé tel quel" in capsys.readouterr().out


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_reimport_replaces_and_keeps_ids(knowledge_copy):
    out = knowledge_copy / "plateformes"
    import_export(FIXTURE, out, root=knowledge_copy)
    path = out / f"{BREST_PF}.yml"
    edited = path.read_text(encoding="utf-8").replace(
        f"{BREST_PF}--auto-ecole-associative", f"{BREST_PF}--auto-ecole"
    )
    path.write_text(edited, encoding="utf-8")
    result = import_export(FIXTURE, out, root=knowledge_copy)
    assert sorted(p.name for p in result.replaced) == [f"{GARAGE}.yml", f"{BREST_PF}.yml"]
    assert result.written == []
    assert f"id: {BREST_PF}--auto-ecole\n" in path.read_text(encoding="utf-8")  # the maintainer's id stays


def test_api_pages_and_other_services(empty_root, tmp_path):
    records = _records(FIXTURE)
    other = dict(
        records["services"][0],
        id="jeu-essai-bretagne--atelier-numerique",
        nom="Atelier numérique",
        thematiques=["numerique--acceder-a-des-services-en-ligne"],
    )
    lonely = dict(
        records["structures"][0], id="jeu-essai-bretagne--centre-social", nom="Centre social fictif"
    )
    other_of_lonely = dict(other, id="jeu-essai-bretagne--cafe", structure_id=lonely["id"])
    api = tmp_path / "api"
    api.mkdir()
    (api / "structures.json").write_text(
        json.dumps({"items": records["structures"] + [lonely], "total": 3, "page": 1, "size": 100}),
        encoding="utf-8",
    )
    (api / "services.json").write_text(
        json.dumps(
            {
                "items": [{"service": s} for s in records["services"]]
                + [{"service": other}, {"service": other_of_lonely}]
            }
        ),
        encoding="utf-8",
    )
    result = import_export(api, empty_root / "plateformes", root=empty_root)
    assert result.services == 6 and result.other_services == 2
    assert sorted(p.stem for p in result.written) == [GARAGE, BREST_PF]  # no file for the social centre


# --- invalid records: reported, nothing written ----------------------------------------------


def _broken_copy(tmp_path) -> Path:
    records = _records(FIXTURE)
    structures, services = records["structures"], records["services"]
    brest = next(s for s in structures if s["id"].endswith("pays-de-brest"))
    brest["telephone"] = "02 98 00"
    by_id = {s["id"]: s for s in services}
    by_id["jeu-essai-bretagne--cornouaille-reparation-solidaire"]["zone_eligibilite"] = ["29999"]
    by_id["jeu-essai-bretagne--cornouaille-aide-financiere-jeunes"]["thematiques"] = [
        "mobilite--passer-le-permis"
    ]
    services.append(
        dict(services[0], id="jeu-essai-bretagne--orphelin", structure_id="jeu-essai-bretagne--x")
    )
    broken = tmp_path / "broken"
    broken.mkdir()
    for kind, items in (("structures", structures), ("services", services)):
        (broken / f"{kind}.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return broken


def test_invalid_records_are_reported_with_file_record_and_field(empty_root, tmp_path):
    out = empty_root / "plateformes"
    with pytest.raises(ImportErrors) as raised:
        import_export(_broken_copy(tmp_path), out, root=empty_root)
    found = {(p.file, p.record, p.field) for p in raised.value.problems}
    assert found == {
        ("structures.json", "jeu-essai-bretagne--plateforme-mobilite-pays-de-brest", "telephone"),
        ("services.json", "jeu-essai-bretagne--cornouaille-reparation-solidaire", "zone_eligibilite"),
        ("services.json", "jeu-essai-bretagne--cornouaille-aide-financiere-jeunes", "thematiques"),
        ("services.json", "jeu-essai-bretagne--orphelin", "structure_id"),
    }
    assert "29999" in str(raised.value) and "mobilite--passer-le-permis" in str(raised.value)
    assert list(out.iterdir()) == []  # nothing written
    assert not list(out.parent.glob(".kb-import-*"))  # nor left behind


def test_ignoring_invalid_records_imports_the_valid_structures_whole(empty_root, tmp_path, capsys):
    broken = _broken_copy(tmp_path)
    assert cli.main(["--root", str(empty_root), "import", str(broken)]) == 1
    assert "aucun fichier n'a été écrit" in capsys.readouterr().err
    assert cli.main(["--root", str(empty_root), "import", str(broken), "--ignorer-invalides"]) == 0
    assert list((empty_root / "plateformes").iterdir()) == []  # both structures hold a broken record
    assert "ignoré : structures.json" in capsys.readouterr().err


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_a_broken_file_already_there_stops_the_import(knowledge_copy):
    (knowledge_copy / "plateformes" / "casse.yml").write_text("id: casse\nnom: [\n", encoding="utf-8")
    with pytest.raises(ImportErrors) as raised:
        import_export(FIXTURE, knowledge_copy / "plateformes", root=knowledge_copy)
    assert "casse.yml" in str(raised.value)
    assert not (knowledge_copy / "plateformes" / f"{BREST_PF}.yml").exists()


# --- the seed's checks stay as strict --------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, field",
    [
        ("\nfiche:\n", "\nfiche_retiree:\n", "fiche"),
        ("    extrait_source: Auto-école sociale (p)\n", "", "extrait_source"),
        (
            "    conditions_acces: Sur prescription d'un professionnel (la source l'indique par « (p) »).\n",
            "    conditions_acces: Accès direct.\n",
            "conditions_acces",
        ),
    ],
)
def test_seed_files_keep_their_checks(knowledge_copy, old, new, field):
    mayenne = knowledge_copy / "plateformes" / "mayenne.yml"
    text = mayenne.read_text(encoding="utf-8")
    assert old in text
    mayenne.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeErrors) as raised:
        load_knowledge(knowledge_copy)
    assert any(e.field and e.field.startswith(field) for e in raised.value.errors), str(raised.value)


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_a_national_service_is_proposed_everywhere(knowledge_copy, tmp_path):
    records = _records(FIXTURE)
    for s in records["services"]:
        if s["id"].endswith("pret-velos"):
            s["zone_eligibilite"] = ["99100"]  # INSEE's code for France, as data·inclusion allows
    national = tmp_path / "national"
    national.mkdir()
    for kind, items in records.items():
        (national / f"{kind}.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    import_export(national, knowledge_copy / "plateformes", root=knowledge_copy)
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    build(knowledge_copy, url=url)
    snapshot = Snapshot.from_database(url)
    paris = snapshot.communes.by_code("75056")
    velo = orient(snapshot, Profile.of("salarie", "velo", 40), paris)
    assert [s.service.id for s in velo.services] == [f"{BREST_PF}--pret-de-velos-a-assistance-electrique"]
    permis = orient(
        snapshot, Profile.of("rsa", "permis", None), paris
    )  # Brest's driving school stays in Brest
    assert permis.statut == "aucun_service" and not permis.services
    assert snapshot.zone_label("france") == "toute la France"
