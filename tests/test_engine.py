"""The orientation engine on the real knowledge base: (profile, commune) → platform, service, prescriber.

Each case's id says what it proves. Expected ids come from knowledge/ (the
2017 Cerema seed) and docs/orientation-rules.md; commune codes from
knowledge/communes/ (INSEE). The engine takes the commune already resolved.
"""

from __future__ import annotations

import pytest

from orientation.engine import (
    A_VERIFIER,
    ELIGIBLE,
    STATUT_AUCUN_SERVICE,
    STATUT_AUCUNE_PLATEFORME,
    STATUT_ORIENTATION,
    STATUT_PREMIER_PAS,
    Profile,
    age_matters,
    choose_prescriber,
    orient,
)


def commune(snapshot, code):
    return snapshot.communes.by_code(code)


ORIENTATIONS = [
    # (id, situations, INSEE, besoin, age, statut, platforms of the proposed services,
    #  proposed services, prescriber)
    (
        "mayenne-rsa-permis-prescribed-by-rsa-referent",
        ["rsa"],
        "53130",
        "permis",
        None,
        STATUT_ORIENTATION,
        {"mayenne"},
        {"mayenne--auto-ecole-sociale", "mayenne--evaluation-heures-de-conduite"},
        "referent-rsa",
    ),
    (
        "trignac-is-carene-not-pornic",
        ["rsa"],
        "44210",
        "permis",
        None,
        STATUT_ORIENTATION,
        {"carene"},
        {"carene--positionnement-permis"},
        "referent-rsa",
    ),
    (
        "mauges-transport-from-mobimauges",
        ["jeune"],
        "49023",
        "transport",
        20,
        STATUT_ORIENTATION,
        {"mobimauges"},
        {"mobimauges--transport-solidaire"},
        "mission-locale",
    ),
    (
        "mauges-advice-entry-points-first",
        ["demandeur_emploi"],
        "49092",
        "accompagnement",
        35,
        STATUT_ORIENTATION,
        {"mobimauges", "maine-et-loire"},
        {
            "maine-et-loire--diagnostic-mobilite",
            "maine-et-loire--ateliers-mobilite",
            "mobimauges--centrale-info-telephonique",
        },
        "france-travail",
    ),
    (
        "cholet-no-transport-service-gets-the-diagnostic",
        ["rsa"],
        "49099",
        "transport",
        None,
        STATUT_PREMIER_PAS,
        {"maine-et-loire"},
        {"maine-et-loire--diagnostic-mobilite"},
        "referent-rsa",
    ),
    (
        "mauges-permis-gets-both-front-doors",
        ["rsa"],
        "49023",
        "permis",
        None,
        STATUT_PREMIER_PAS,
        {"mobimauges", "maine-et-loire"},
        {"maine-et-loire--diagnostic-mobilite", "mobimauges--centrale-info-telephonique"},
        "referent-rsa",
    ),
    (
        "laval-bike-gets-the-diagnostic-not-vehicles",
        ["rsa"],
        "53130",
        "velo",
        None,
        STATUT_PREMIER_PAS,
        {"mayenne"},
        {"mayenne--diagnostic-mobilite"},
        "referent-rsa",
    ),
    (
        "sarthe-rsa-vehicle",
        ["rsa"],
        "72264",
        "vehicule",
        None,
        STATUT_ORIENTATION,
        {"sarthe"},
        {"sarthe--mise-a-disposition-de-vehicules"},
        "referent-rsa",
    ),
    (
        "sarthe-bike-gets-the-bilan",
        ["rsa"],
        "72181",
        "velo",
        None,
        STATUT_PREMIER_PAS,
        {"sarthe"},
        {"sarthe--bilan-de-competences-mobilite"},
        "referent-rsa",
    ),
    (
        "carene-financial-aid",
        ["demandeur_emploi"],
        "44184",
        "financement",
        40,
        STATUT_ORIENTATION,
        {"carene"},
        {"carene--instruction-aides-financieres"},
        "france-travail",
    ),
    (
        "carene-bike",
        ["rsa"],
        "44184",
        "velo",
        30,
        STATUT_ORIENTATION,
        {"carene"},
        {"carene--apprentissage-velo-adultes", "carene--conseil-acquisition-velo"},
        "referent-rsa",
    ),
    (
        "mayenne-repair-at-solidarity-garage",
        ["handicap"],
        "53062",
        "reparation",
        45,
        STATUT_ORIENTATION,
        {"mayenne"},
        {"mayenne--garage-solidaire", "mayenne--conseil-achat-reparation-vehicule"},
        "cap-emploi",
    ),
    (
        "employee-in-chemille-gets-mauges-transport-to-check",
        ["salarie"],
        "49092",
        "transport",
        40,
        STATUT_ORIENTATION,
        {"mobimauges"},
        {"mobimauges--transport-solidaire"},
        "service-social",
    ),
    (
        "apprentice-in-laval-is-not-refused",
        ["etudiant"],
        "53130",
        "permis",
        19,
        STATUT_ORIENTATION,
        {"mayenne"},
        {"mayenne--auto-ecole-sociale", "mayenne--evaluation-heures-de-conduite"},
        "mission-locale",
    ),
    (
        "nantes-no-platform",
        ["demandeur_emploi"],
        "44109",
        "permis",
        30,
        STATUT_AUCUNE_PLATEFORME,
        set(),
        set(),
        "france-travail",
    ),
    (
        "la-baule-is-not-in-the-carene",
        ["rsa"],
        "44055",
        "permis",
        None,
        STATUT_AUCUNE_PLATEFORME,
        set(),
        set(),
        "referent-rsa",
    ),
    (
        "paris-no-platform-default-prescriber",
        ["autre"],
        "75056",
        "transport",
        60,
        STATUT_AUCUNE_PLATEFORME,
        set(),
        set(),
        "service-social",
    ),
    (
        "sarthe-serves-rsa-only",
        ["demandeur_emploi"],
        "72181",
        "permis",
        30,
        STATUT_AUCUN_SERVICE,
        set(),
        set(),
        "france-travail",
    ),
    (
        "sarthe-rsa-who-is-also-job-seeker-is-served",
        ["rsa", "demandeur_emploi"],
        "72181",
        "permis",
        30,
        STATUT_ORIENTATION,
        {"sarthe"},
        {"sarthe--auto-ecole-sociale"},
        "referent-rsa",
    ),
    (
        "skipped-need-gets-the-front-door",
        ["rsa"],
        "53130",
        None,
        None,
        STATUT_PREMIER_PAS,
        {"mayenne"},
        {"mayenne--diagnostic-mobilite"},
        "referent-rsa",
    ),
]


@pytest.mark.parametrize("case", ORIENTATIONS, ids=[c[0] for c in ORIENTATIONS])
def test_orientation(snapshot, case):
    _, situations, code, besoin, age, statut, platforms, services, prescriber = case
    result = orient(snapshot, Profile.of(situations, besoin, age), commune(snapshot, code))
    assert result.commune.code_insee == code
    assert result.statut == statut
    assert {s.platform.id for s in result.services} == platforms
    assert {s.service.id for s in result.services} == services
    assert result.prescripteur.id == prescriber


def test_prescription_is_three_valued_and_never_guessed(snapshot):
    result = orient(snapshot, Profile.of("rsa", "vehicule"), commune(snapshot, "72264"))
    [service] = result.services
    assert service.service.prescription == "non_precise"
    assert service.prescripteurs == []  # the source names no prescriber


def test_soft_public_is_to_check_with_the_source_words(snapshot):
    result = orient(snapshot, Profile.of("salarie", "transport", 40), commune(snapshot, "49092"))
    [service] = result.services
    assert service.eligibilite == A_VERIFIER
    assert service.check.citation == "Publics en insertion principalement et notamment professionnelle"


def test_soft_age_condition_is_to_check_not_a_refusal(snapshot):
    result = orient(snapshot, Profile.of("rsa", "velo", 17), commune(snapshot, "44184"))
    statuses = {s.service.id: s.eligibilite for s in result.services}
    assert statuses == {
        "carene--apprentissage-velo-adultes": A_VERIFIER,
        "carene--conseil-acquisition-velo": ELIGIBLE,
    }


def test_explicit_restriction_excludes_with_the_source_words(snapshot):
    result = orient(snapshot, Profile.of("demandeur_emploi", "permis", 30), commune(snapshot, "72181"))
    [excluded] = result.non_eligibles
    assert excluded.service.id == "sarthe--auto-ecole-sociale" and excluded.raison == "public"
    assert excluded.check.citation == "Bénéficiaires du RSA en démarche d'insertion professionnelle"


PRESCRIBERS = [
    ("rsa-referent-first-even-when-young", ["rsa"], 22, "referent-rsa"),
    ("young-job-seeker-goes-to-mission-locale", ["demandeur_emploi"], 22, "mission-locale"),
    ("adult-job-seeker-goes-to-france-travail", ["demandeur_emploi"], 30, "france-travail"),
    ("young-without-age-mission-locale", ["jeune"], None, "mission-locale"),
    ("young-aged-27-is-not-mission-locale", ["jeune"], 27, "service-social"),
    ("disabled-worker-cap-emploi", ["handicap"], 40, "cap-emploi"),
    ("insertion-employee-siae", ["salarie_insertion"], 40, "structure-insertion"),
    ("employee-default-social-service", ["salarie"], 40, "service-social"),
    ("unknown-situation-default", [], None, "service-social"),
    ("rsa-and-job-seeker-keeps-the-rsa-referent", ["demandeur_emploi", "rsa"], 40, "referent-rsa"),
    ("handicap-and-job-seeker-cap-emploi", ["demandeur_emploi", "handicap"], 40, "cap-emploi"),
]


@pytest.mark.parametrize("case", PRESCRIBERS, ids=[c[0] for c in PRESCRIBERS])
def test_choose_prescriber(snapshot, case):
    _, situations, age, expected = case
    assert choose_prescriber(snapshot.prescribers, situations, age).id == expected


def test_age_is_asked_only_when_it_changes_the_answer(snapshot):
    laval = commune(snapshot, "53130")
    assert age_matters(snapshot, Profile.of("demandeur_emploi", "permis"), laval) is True
    assert age_matters(snapshot, Profile.of("rsa", "permis"), laval) is False
