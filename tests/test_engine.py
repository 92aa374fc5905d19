"""The orientation engine on the real knowledge base: (profile, commune) → platform, service, prescriber.

Each case's id says what it proves. Expected ids come from knowledge/ (the
2017 Cerema seed); commune codes from knowledge/communes/ (INSEE).
"""
from __future__ import annotations

import pytest

from orientation.engine import (STATUT_AUCUN_SERVICE, STATUT_AUCUNE_PLATEFORME,
                                STATUT_COMMUNE_AMBIGUE, STATUT_COMMUNE_INCONNUE,
                                STATUT_ORIENTATION, age_matters, choose_prescriber, orient)

ORIENTATIONS = [
    # (id, situation, commune, besoin, age, statut, covering platforms, proposed services, prescriber)
    ("mayenne-rsa-permis-prescribed-by-rsa-referent", "rsa", "Laval", "permis", None,
     STATUT_ORIENTATION, {"mayenne"},
     {"mayenne--auto-ecole-sociale", "mayenne--evaluation-heures-de-conduite"}, "referent-rsa"),
    ("mauges-covered-by-mobimauges-and-maine-et-loire", "jeune", "Beaupréau-en-Mauges", "transport", 20,
     STATUT_ORIENTATION, {"mobimauges", "maine-et-loire"},
     {"mobimauges--transport-solidaire"}, "mission-locale"),
    ("mauges-diagnostic-from-maine-et-loire", "demandeur_emploi", "Chemillé", "accompagnement", 35,
     STATUT_ORIENTATION, {"mobimauges", "maine-et-loire"},
     {"maine-et-loire--diagnostic-mobilite", "maine-et-loire--ateliers-mobilite",
      "maine-et-loire--animation-groupes-usagers", "mobimauges--centrale-info-telephonique"},
     "france-travail"),
    ("angers-only-maine-et-loire", "rsa", "Angers", "accompagnement", None,
     STATUT_ORIENTATION, {"maine-et-loire"},
     {"maine-et-loire--diagnostic-mobilite", "maine-et-loire--ateliers-mobilite",
      "maine-et-loire--animation-groupes-usagers"}, "referent-rsa"),
    ("sarthe-rsa-vehicle", "rsa", "Sablé-sur-Sarthe", "vehicule", None,
     STATUT_ORIENTATION, {"sarthe"}, {"sarthe--mise-a-disposition-de-vehicules"}, "referent-rsa"),
    ("carene-financial-aid", "demandeur_emploi", "Saint-Nazaire 44", "financement", 40,
     STATUT_ORIENTATION, {"carene"}, {"carene--instruction-aides-financieres"}, "france-travail"),
    ("carene-by-postal-code", "rsa", "44600", "permis", None,
     STATUT_ORIENTATION, {"carene"},
     {"carene--positionnement-permis", "carene--commission-permis"}, "referent-rsa"),
    ("mayenne-repair-at-solidarity-garage", "handicap", "Château-Gontier-sur-Mayenne", "reparation", 45,
     STATUT_ORIENTATION, {"mayenne"},
     {"mayenne--garage-solidaire", "mayenne--conseil-achat-reparation-vehicule"}, "cap-emploi"),
    ("nantes-no-platform", "demandeur_emploi", "Nantes", "permis", 30,
     STATUT_AUCUNE_PLATEFORME, set(), set(), "france-travail"),
    ("vendee-no-platform", "rsa", "La Roche-sur-Yon", "permis", None,
     STATUT_AUCUNE_PLATEFORME, set(), set(), "referent-rsa"),
    ("paris-no-platform-default-prescriber", "autre", "75011", "transport", 60,
     STATUT_AUCUNE_PLATEFORME, set(), set(), "service-social"),
    ("sarthe-serves-rsa-only", "demandeur_emploi", "Le Mans", "permis", 30,
     STATUT_AUCUN_SERVICE, {"sarthe"}, set(), "france-travail"),
]


@pytest.mark.parametrize("case", ORIENTATIONS, ids=[c[0] for c in ORIENTATIONS])
def test_orientation(snapshot, case):
    _, situation, commune, besoin, age, statut, platforms, services, prescriber = case
    result = orient(snapshot, situation, commune, besoin, age)
    assert result.statut == statut
    assert {p.id for p in result.plateformes} == platforms
    assert {s.service.id for s in result.services} == services
    assert result.prescripteur.id == prescriber


def test_prescribed_service_names_its_prescriber_and_why(snapshot):
    result = orient(snapshot, "rsa", "Laval", "permis")
    auto_ecole = next(s for s in result.services if s.service.id == "mayenne--auto-ecole-sociale")
    assert auto_ecole.service.prescription is True
    assert [p.id for p in auto_ecole.prescripteurs] == ["referent-rsa"]
    assert "Laval" in auto_ecole.pourquoi and "RSA" in auto_ecole.pourquoi
    assert "passer le permis" in auto_ecole.pourquoi


def test_sarthe_excludes_job_seeker_for_public_reason(snapshot):
    result = orient(snapshot, "demandeur_emploi", "Le Mans", "permis", 30)
    reasons = {e.service.id: e.raison for e in result.non_eligibles}
    assert reasons["sarthe--auto-ecole-sociale"] == "public"
    assert reasons["mayenne--auto-ecole-sociale"] == "territoire"


def test_age_condition_excludes_minor_from_adult_cycling_lessons(snapshot):
    result = orient(snapshot, "rsa", "Saint-Nazaire 44", "velo", 17)
    excluded = {e.service.id: e.raison for e in result.non_eligibles}
    assert excluded["carene--apprentissage-velo-adultes"] == "age"
    assert "carene--apprentissage-velo-adultes" in {
        s.service.id for s in orient(snapshot, "rsa", "Saint-Nazaire 44", "velo", 30).services}


def test_services_for_professionals_are_never_proposed(snapshot):
    result = orient(snapshot, "rsa", "Laval", None)  # any need
    proposed = {s.service.id for s in result.services}
    assert proposed, "an RSA recipient in Laval has services whatever the need"
    assert all(s.service.destinataires == "personnes" for s in result.services)


def test_far_away_platforms_are_not_listed_as_excluded(snapshot):
    result = orient(snapshot, "rsa", "Marseille", "permis")
    assert result.statut == STATUT_AUCUNE_PLATEFORME
    assert result.non_eligibles == []


@pytest.mark.parametrize("commune,statut", [
    ("xqzkwv", STATUT_COMMUNE_INCONNUE),
    ("<script>alert(1)</script>", STATUT_COMMUNE_INCONNUE),
    ("Saint-Denis", STATUT_COMMUNE_AMBIGUE),
    ("49600", STATUT_COMMUNE_AMBIGUE),
], ids=["gibberish", "html", "homonyms-in-several-departements", "postal-code-shared-by-communes"])
def test_commune_not_resolved_gives_no_orientation(snapshot, commune, statut):
    result = orient(snapshot, "rsa", commune, "permis")
    assert result.statut == statut
    assert result.services == [] and result.commune is None
    if statut == STATUT_COMMUNE_AMBIGUE:
        assert len(result.resolution.candidates) >= 2


PRESCRIBERS = [
    ("rsa-referent-first-even-when-young", "rsa", 22, "referent-rsa"),
    ("young-job-seeker-goes-to-mission-locale", "demandeur_emploi", 22, "mission-locale"),
    ("adult-job-seeker-goes-to-france-travail", "demandeur_emploi", 30, "france-travail"),
    ("young-without-age-mission-locale", "jeune", None, "mission-locale"),
    ("disabled-worker-cap-emploi", "handicap", 40, "cap-emploi"),
    ("insertion-employee-siae", "salarie_insertion", 40, "structure-insertion"),
    ("employee-default-social-service", "salarie", 40, "service-social"),
    ("unknown-situation-default", None, None, "service-social"),
]


@pytest.mark.parametrize("case", PRESCRIBERS, ids=[c[0] for c in PRESCRIBERS])
def test_choose_prescriber(snapshot, case):
    _, situation, age, expected = case
    assert choose_prescriber(snapshot.prescribers, situation, age).id == expected


def test_age_is_asked_only_when_it_changes_the_answer(snapshot):
    laval = snapshot.communes.resolve("Laval").commune
    assert age_matters(snapshot, "demandeur_emploi", laval, "permis") is True
    assert age_matters(snapshot, "rsa", laval, "permis") is False


def test_payload_shape(snapshot):
    payload = orient(snapshot, "rsa", "Laval", "permis").to_payload()["orientation"]
    assert payload["commune"] == {**payload["commune"], "nom": "Laval", "code_insee": "53130",
                                  "departement": "53"}
    assert payload["profil"] == {"situation": "rsa", "besoin": "permis", "age": None}
    service = next(s for s in payload["services"] if s["id"] == "mayenne--auto-ecole-sociale")
    assert service["plateforme"] == {"id": "mayenne", "nom": "Plateforme mobilité de la Mayenne"}
    assert service["prescription"] is True
    assert service["prescripteurs"][0]["id"] == "referent-rsa"
    assert payload["prescripteur"]["id"] == "referent-rsa"
    assert payload["sources"][0]["auteur"] == "Cerema Ouest"
    assert payload["date_connaissances"] == "2017-12-11"
    assert all(e["raison"] in {"territoire", "public", "age"} for e in payload["non_eligibles"])
