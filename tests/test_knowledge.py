"""The knowledge files against the seed (Cerema Ouest, 11 December 2017).

SEED_SERVICES lists every service of the seed's "services de la plateforme"
row, one line per service: a cell naming two things gives two lines with the
same cell text, and the "(p)" of a cell belongs to the first of them only.
"""

import re
from pathlib import Path

import pytest
import yaml

from orientation import vocabulary as voc
from orientation.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SEED = ROOT.parent / "shared" / "seed" / "plateformes-mobilite-pays-de-la-loire-cerema-2017.md"

# (plateforme, cellule de la source, prescription, id du service): "oui" where
# the cell says "(p)" or "(prescription)", "non_precise" elsewhere (the seed
# never says that access is direct).
SEED_SERVICES = [
    ("mobimauges", "Centrale d'info tél.", "non_precise", "mobimauges--centrale-info-telephonique"),
    (
        "mobimauges",
        "Coordination des services de transport solidaire (prescription)",
        "oui",
        "mobimauges--transport-solidaire",
    ),
    (
        "maine-et-loire",
        "Centre d'info et sensibilisation des pro.",
        "non_precise",
        "maine-et-loire--centre-info-sensibilisation-pro",
    ),
    (
        "maine-et-loire",
        "Diagnostics mobilité (p) et ateliers mobilité",
        "oui",
        "maine-et-loire--diagnostic-mobilite",
    ),
    (
        "maine-et-loire",
        "Diagnostics mobilité (p) et ateliers mobilité",
        "non_precise",
        "maine-et-loire--ateliers-mobilite",
    ),
    (
        "maine-et-loire",
        "Remontée des besoins du territoire",
        "non_precise",
        "maine-et-loire--remontee-besoins-territoire",
    ),
    (
        "maine-et-loire",
        "Animation de groupes d'usagers",
        "non_precise",
        "maine-et-loire--animation-groupes-usagers",
    ),
    (
        "maine-et-loire",
        "Coordination et accompagnement des services mobilité",
        "non_precise",
        "maine-et-loire--coordination-des-services",
    ),
    (
        "mayenne",
        "Coordination et accompagnement des services proposés",
        "non_precise",
        "mayenne--coordination-des-services",
    ),
    ("mayenne", "Diag. mobilité (p) et ateliers mobilité", "oui", "mayenne--diagnostic-mobilite"),
    ("mayenne", "Diag. mobilité (p) et ateliers mobilité", "non_precise", "mayenne--ateliers-mobilite"),
    ("mayenne", "Évaluation heures de conduite (p)", "oui", "mayenne--evaluation-heures-de-conduite"),
    ("mayenne", "Auto-école sociale (p)", "oui", "mayenne--auto-ecole-sociale"),
    ("mayenne", "Mise à disposition de véhicules (p)", "oui", "mayenne--mise-a-disposition-de-vehicules"),
    ("mayenne", "Transport bénévole (p)", "oui", "mayenne--transport-benevole"),
    ("mayenne", "Garage solidaire", "non_precise", "mayenne--garage-solidaire"),
    (
        "mayenne",
        "Commission d'attribution d'aides financières (p)",
        "oui",
        "mayenne--commission-aides-financieres",
    ),
    (
        "mayenne",
        "Conseil achat ou réparation de véhicule",
        "non_precise",
        "mayenne--conseil-achat-reparation-vehicule",
    ),
    (
        "sarthe",
        "Coordination des services proposés et animation du réseau de prescripteurs",
        "non_precise",
        "sarthe--coordination-des-services",
    ),
    (
        "sarthe",
        "Coordination des services proposés et animation du réseau de prescripteurs",
        "non_precise",
        "sarthe--animation-reseau-prescripteurs",
    ),
    (
        "sarthe",
        "Sensibilisation des acteurs de l'insertion",
        "non_precise",
        "sarthe--sensibilisation-acteurs-insertion",
    ),
    (
        "sarthe",
        "Bilans de compétences en mobilité (p) et formations mobilité",
        "oui",
        "sarthe--bilan-de-competences-mobilite",
    ),
    (
        "sarthe",
        "Bilans de compétences en mobilité (p) et formations mobilité",
        "non_precise",
        "sarthe--formations-mobilite",
    ),
    ("sarthe", "Auto-école sociale", "non_precise", "sarthe--auto-ecole-sociale"),
    ("sarthe", "Mise à disposition de véhicules", "non_precise", "sarthe--mise-a-disposition-de-vehicules"),
    ("sarthe", "Transport bénévole (p)", "oui", "sarthe--transport-benevole"),
    ("sarthe", "Relais avec garages solidaires", "non_precise", "sarthe--relais-garages-solidaires"),
    (
        "sarthe",
        "Instruction de demandes de crédits",
        "non_precise",
        "sarthe--instruction-demandes-de-credits",
    ),
    (
        "sarthe",
        "Remontée des besoins du territoire et propositions",
        "non_precise",
        "sarthe--remontee-besoins-territoire",
    ),
    (
        "carene",
        "Sensibilisation des acteurs sociaux",
        "non_precise",
        "carene--sensibilisation-acteurs-sociaux",
    ),
    ("carene", "Bilans mobilité (p) et ateliers mobilité", "oui", "carene--bilan-mobilite"),
    ("carene", "Bilans mobilité (p) et ateliers mobilité", "non_precise", "carene--ateliers-mobilite"),
    (
        "carene",
        "Centralisation de l'offre existante (Maisons de quartier)",
        "non_precise",
        "carene--centralisation-offre-existante",
    ),
    (
        "carene",
        "Apprentissage du vélo pour adultes et conseil à l'acquisition d'un vélo",
        "non_precise",
        "carene--apprentissage-velo-adultes",
    ),
    (
        "carene",
        "Apprentissage du vélo pour adultes et conseil à l'acquisition d'un vélo",
        "non_precise",
        "carene--conseil-acquisition-velo",
    ),
    ("carene", "Positionnement permis", "non_precise", "carene--positionnement-permis"),
    (
        "carene",
        "Instruction de dossiers d'aides financières mobilité",
        "non_precise",
        "carene--instruction-aides-financieres",
    ),
    ("carene", "Commission permis", "non_precise", "carene--commission-permis"),
]

# A few short rows of the seed, per platform (the full text is compared to
# the seed itself by test_fiche_is_the_seed_word_for_word when shared/ is there).
SEED_ROWS = {
    "mobimauges": {
        "nom_seed": "Mobimauges",
        "lancement": "Avril 2014",
        "budget": "~ 25 000 €",
        "perimetre": "2 Communautés de communes puis élargi au Pays (Communauté d'agglomération)",
        "bilan": "568 prescriptions en 2015, ~ 300 en 2016",
    },
    "maine-et-loire": {
        "nom_seed": "CD 49",
        "lancement": "1er octobre 2015 (septembre 2014)",
        "budget": "~ 200 000 €",
        "perimetre": "Département",
        "bilan": "150 diag. individuels et 120 collectifs sur 6 mois de 2016",
    },
    "mayenne": {
        "nom_seed": "CD 53",
        "lancement": "Janvier 2015 (juillet 2012)",
        "budget": "~ 430 000 € hors chargée de mission",
        "perimetre": "~ Département",
        "bilan": "589 prescriptions en 2015 avec convention de 350 diagnostics/an",
    },
    "sarthe": {
        "nom_seed": "CD 72",
        "lancement": "Juillet 2013 (novembre 2009)",
        "budget": "~ 200 000 €",
        "perimetre": "Département",
        "bilan": "456 bilans de compétences mobilité en 2015, 380 en 2016",
    },
    "carene": {
        "nom_seed": "Carene",
        "lancement": "Début 2014",
        "budget": "~ 50 000 € hors partenariats d'actions",
        "perimetre": "Agglomération",
        "bilan": "229 diagnostics en 2015",
    },
}

PORTEURS = {
    "mobimauges": "CCS",
    "maine-et-loire": "Afodil",
    "mayenne": "département",
    "sarthe": "Wimoov",
    "carene": "Stran",
}

ZONES = {
    "mobimauges": ["200060010"],
    "maine-et-loire": ["49"],
    "mayenne": ["53"],
    "sarthe": ["72"],
    "carene": ["244400644"],
}

PRESCRIBED = "Prescripteurs de ce service non précisés par la source"


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(KNOWLEDGE)


@pytest.fixture(scope="module")
def services(knowledge):
    return {s.id: (p, s) for p, s in knowledge.services()}


def one_line(text):
    return " ".join(text.split())


def test_the_five_platforms_of_the_seed(knowledge):
    assert sorted(p.id for p in knowledge.plateformes) == sorted(SEED_ROWS)


@pytest.mark.parametrize(
    "platform, cell, prescription, service_id", SEED_SERVICES, ids=[row[3] for row in SEED_SERVICES]
)
def test_every_seed_service_is_present_with_its_prescription_flag(
    services, platform, cell, prescription, service_id
):
    plateforme, service = services[service_id]
    assert plateforme.id == platform
    assert service.extrait_source == cell
    assert service.prescription == prescription
    if prescription == "oui":
        assert "prescri" in service.conditions_acces.lower()
        assert PRESCRIBED in service.inconnu
        assert service.destinataires == "personnes"


def test_no_service_beyond_the_seed(services):
    assert sorted(services) == sorted(row[3] for row in SEED_SERVICES)


def test_prescription_only_where_the_seed_marks_it(services):
    for _, service in services.values():
        if service.prescription == "oui":
            assert re.search(r"\((p|prescription)\)", service.extrait_source), service.id


def test_prescribers_of_services_are_left_empty_as_the_seed_names_none(services):
    assert all(service.prescripteurs == [] for _, service in services.values())


@pytest.mark.parametrize("platform", sorted(SEED_ROWS))
def test_every_platform_holds_every_seed_row(knowledge, platform):
    plateforme = next(p for p in knowledge.plateformes if p.id == platform)
    fiche = plateforme.fiche
    expected = SEED_ROWS[platform]
    assert plateforme.nom_seed == expected["nom_seed"]
    assert fiche.lancement == expected["lancement"]
    assert fiche.budget == expected["budget"]
    assert fiche.perimetre == expected["perimetre"]
    assert fiche.bilan == expected["bilan"]
    assert fiche.gestion.porteur == PORTEURS[platform]
    for row in ("origine", "suite_donnee", "public_vise", "personnel_dedie"):
        assert getattr(fiche, row).strip(), row
    assert fiche.gestion.gouvernance.strip()
    assert fiche.sources_financieres
    assert fiche.services == list(dict.fromkeys(row[1] for row in SEED_SERVICES if row[0] == platform))


def _seed_cell(cell):
    """The seed's HTML-ish cell as the YAML keeps it (tags and PDF spacing removed)."""
    cell = re.sub(r"\s*<sup>(.*?)</sup>", r"\1", cell)
    cell = re.sub(r"</?(b|i|p)>", "", cell)
    cell = re.sub(r"\s+,", ",", cell)
    cell = re.sub(r"(\w')\s+", r"\1", cell)
    return one_line(cell)


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed absent (only beside a checkout)")
def test_fiche_is_the_seed_word_for_word(knowledge):
    rows = {}
    for line in SEED.read_text(encoding="utf-8").splitlines():
        match = re.match(r"<i>(.*?)</i>\t(.*)", line)
        if match:
            rows[match.group(1)] = match.group(2).split("\t")
    columns = ["mobimauges", "maine-et-loire", "mayenne", "sarthe", "carene"]
    by_id = {p.id: p for p in knowledge.plateformes}
    for index, platform in enumerate(columns):
        fiche = by_id[platform].fiche
        ours = {
            "lancement": fiche.lancement,
            "origine": fiche.origine,
            "suite donnée": fiche.suite_donnee,
            "gestion": f"Porteur : {fiche.gestion.porteur} {fiche.gestion.gouvernance}",
            "public visé": fiche.public_vise,
            "périmètre": fiche.perimetre,
            "personnel dédié": fiche.personnel_dedie,
            "budget": fiche.budget,
            "sources financières": ", ".join(fiche.sources_financieres),
            "bilan": fiche.bilan,
        }
        for row, text in ours.items():
            assert one_line(text) == _seed_cell(rows[row][index]), (platform, row)
        cells = re.findall(r"<p>(.*?)</p>", rows["services de la plateforme"][index])
        assert [one_line(c) for c in fiche.services] == [_seed_cell(c) for c in cells], platform


def test_sarthe_is_for_rsa_recipients_only(knowledge):
    sarthe = next(p for p in knowledge.plateformes if p.id == "sarthe")
    assert sarthe.public.situations == ["rsa"]
    assert sarthe.public.publics == ["beneficiaires-des-minimas-sociaux"]
    assert sarthe.public.texte == "Bénéficiaires du RSA en démarche d'insertion professionnelle"
    for service in sarthe.services:  # no service widens it
        assert not [c for c in service.conditions if c.type == "situation"], service.id


@pytest.mark.parametrize("platform", ["mobimauges", "maine-et-loire", "mayenne", "carene"])
def test_publics_en_insertion_are_the_insertion_situations(knowledge, platform):
    plateforme = next(p for p in knowledge.plateformes if p.id == platform)
    assert tuple(plateforme.public.situations) == voc.INSERTION_SITUATIONS


def test_mayenne_says_per_service_criteria_are_unknown(knowledge):
    mayenne = next(p for p in knowledge.plateformes if p.id == "mayenne")
    assert mayenne.public.texte == "Globalement publics en insertion (critères selon services)"
    assert any("critères selon services" in item for item in mayenne.inconnu)
    assert "~" in mayenne.territoire.precision


@pytest.mark.parametrize("platform", sorted(ZONES))
def test_territories(knowledge, platform):
    plateforme = next(p for p in knowledge.plateformes if p.id == platform)
    assert plateforme.territoire.zone_eligibilite == ZONES[platform]
    assert plateforme.territoire.precision


def test_mauges_mapping_is_said_to_be_ours(knowledge):
    mobimauges = next(p for p in knowledge.plateformes if p.id == "mobimauges")
    assert "le nôtre" in mobimauges.territoire.precision


def test_reseaux_porteurs_only_where_the_seed_supports_them(knowledge):
    reseaux = {p.id: p.reseaux_porteurs for p in knowledge.plateformes}
    assert reseaux == {
        "mobimauges": [],
        "maine-et-loire": [],
        "mayenne": ["departements"],
        "sarthe": ["wimoov"],
        "carene": [],
    }


def test_adults_only_bike_lessons_is_indicative_and_quotes_the_seed(services):
    _, service = services["carene--apprentissage-velo-adultes"]
    assert [c.dict() for c in service.conditions] == [
        {"type": "age", "operator": ">=", "value": 18, "stricte": False, "texte_source": "pour adultes"}
    ]


# --- no invented contact details ------------------------------------------------

PHONE = re.compile(r"(?:\+33|\b0)[1-9](?:[ .-]?\d{2}){4}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
URL = re.compile(r"https?://|www\.", re.I)


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def test_every_contact_is_null(knowledge):
    for plateforme in knowledge.plateformes:
        assert plateforme.contact.dict() == {
            "telephone": None,
            "courriel": None,
            "adresse": None,
            "site_web": None,
        }
        assert any("Coordonnées" in item for item in plateforme.inconnu)


@pytest.mark.parametrize("path", sorted(KNOWLEDGE.glob("**/*.yml")), ids=lambda p: p.name)
def test_no_phone_email_or_website_anywhere(path):
    for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
        assert not PHONE.search(text), text
        assert not EMAIL.search(text), text
        assert not URL.search(text), text


# --- prescribers and glossary ---------------------------------------------------


def test_prescribers_in_priority_order(knowledge):
    assert [p.id for p in knowledge.prescripteurs] == [
        "referent-rsa",
        "mission-locale",
        "cap-emploi",
        "france-travail",
        "structure-insertion",
        "service-social",
    ]


def test_every_situation_has_a_prescriber(knowledge):
    covered = {s for p in knowledge.prescripteurs for s in p.situations}
    assert covered == set(voc.SITUATIONS)
    assert [p.id for p in knowledge.prescripteurs if p.par_defaut] == ["service-social"]


def test_mission_locale_is_for_16_to_25(knowledge):
    mission_locale = knowledge.prescripteur("mission-locale")
    assert (mission_locale.age.min, mission_locale.age.max) == (16, 25)
    assert mission_locale.situations == ["jeune"]


def test_prescribers_say_their_rules_are_not_from_the_seed(knowledge):
    for prescripteur in knowledge.prescripteurs:
        assert "orientation-anchors.md" in prescripteur.source
        assert "ne nomme pas" in prescripteur.source


GLOSSARY_TERMS = [
    "plateforme-de-mobilite",
    "diagnostic-mobilite",
    "auto-ecole-sociale",
    "garage-solidaire",
    "transport-solidaire",
    "prescription",
    "mise-a-disposition-de-vehicule",
    "atelier-mobilite",
    "aide-financiere-mobilite",
    "rsa",
    "mission-locale",
]


def test_glossary_terms(knowledge):
    assert set(GLOSSARY_TERMS) <= {t.id for t in knowledge.glossaire}
    synonyms = {s for t in knowledge.glossaire for s in t.synonymes}
    assert {
        "bilan mobilité",
        "bilan de compétences mobilité",
        "transport bénévole",
        "qui est mon prescripteur",
    } <= synonyms
