"""The facts that matter in knowledge/, as rules on a knowledge base written by the test.

The Sarthe's platform is for RSA recipients only, Mobimauges' public is only
"principalement" in insertion, Carene's bike lessons are "pour adultes", the
Mission locale takes people aged 16 to 25: what the engine must do with such
facts is tested here on a few platforms of tests/kbfixture.py (loaded by the
real loader, so they are a valid knowledge base), not on today's files. That
knowledge/ states these facts as the source does is checked by the invariants
of tests/test_knowledge.py.
"""

from __future__ import annotations

import pytest
from kbfixture import load, platform, prescriber, service, snapshot_of, write_knowledge

from orientation.engine import (
    A_VERIFIER,
    ELIGIBLE,
    NON_ELIGIBLE,
    STATUT_AUCUN_SERVICE,
    STATUT_AUCUNE_PLATEFORME,
    STATUT_ORIENTATION,
    STATUT_PREMIER_PAS,
    Profile,
    orient,
)
from orientation.text import wording

STRICT_RSA = "Bénéficiaires du RSA en démarche d'insertion professionnelle"
INDICATIVE = "Publics en insertion principalement"
ADULTS = {"type": "age", "operator": ">=", "value": 18, "stricte": False, "texte_source": "pour adultes"}
STRICT_ADULTS = {"type": "age", "operator": ">=", "value": 18, "stricte": True}


def services_of(platform_id, *, age_condition=ADULTS):
    return [
        service(platform_id, "Bilans mobilité (p)", prescription="oui", porte_entree=True),
        service(platform_id, "Auto-école sociale", besoins=["permis"]),
        service(
            platform_id,
            "Apprentissage du vélo pour adultes",
            besoins=["velo"],
            conditions=[age_condition],
        ),
        service(platform_id, "Sensibilisation des acteurs", destinataires="professionnels"),
    ]


@pytest.fixture(scope="module")
def fixture_snapshot(tmp_path_factory, snapshot):
    """Two départements, two platforms: one strict (RSA only), one indicative; and a strict age rule."""
    root = tmp_path_factory.mktemp("fixture") / "knowledge"
    write_knowledge(
        root,
        [
            platform(
                "stricte",
                ["01"],
                services_of("stricte"),
                public=STRICT_RSA,
                situations=["rsa"],
                restriction="stricte",
            ),
            platform(
                "indicative",
                ["02"],
                services_of("indicative", age_condition=STRICT_ADULTS),
                public=INDICATIVE,
            ),
        ],
        prescribers=[
            prescriber("referent-rsa", ["rsa"], 1),
            prescriber("jeunes", ["jeune"], 2, age=(16, 25)),
            prescriber("emploi", ["demandeur_emploi"], 4),
            prescriber("accueil", ["autre", "salarie", "etudiant"], 6, par_defaut=True),
        ],
    )
    return snapshot_of(load(root), snapshot)


def commune_in(snap, departement):
    return next(c for c in snap.communes.all() if c.departement == departement)


def ids(o):
    return {s.service.id for s in o.services}


def test_a_strict_public_serves_its_public(fixture_snapshot):
    o = orient(fixture_snapshot, Profile.of("rsa", "permis"), commune_in(fixture_snapshot, "01"))
    assert (o.statut, ids(o)) == (STATUT_ORIENTATION, {"stricte--auto-ecole-sociale"})
    assert [s.eligibilite for s in o.services] == [ELIGIBLE]


@pytest.mark.parametrize("situation", ["demandeur_emploi", "salarie", "jeune"])
def test_a_strict_public_refuses_everyone_else_quoting_the_source(fixture_snapshot, situation):
    """The Sarthe's rule: "Bénéficiaires du RSA" excludes the others, the entry point too."""
    for besoin in ("permis", "accompagnement", None):
        o = orient(fixture_snapshot, Profile.of(situation, besoin, 30), commune_in(fixture_snapshot, "01"))
        assert o.statut == STATUT_AUCUN_SERVICE and o.services == []
        assert o.non_eligibles and {e.raison for e in o.non_eligibles} == {"public"}
        for e in o.non_eligibles:
            assert e.check.statut == NON_ELIGIBLE and e.check.citation == STRICT_RSA
            explanation = wording.explain(e.check, e.platform, o.profil, o.commune, wording.PERSON)
            assert STRICT_RSA.lower() in explanation.lower()


def test_an_unknown_situation_is_not_refused_by_a_strict_public(fixture_snapshot):
    o = orient(fixture_snapshot, Profile.of(None, "permis"), commune_in(fixture_snapshot, "01"))
    assert [(s.service.id, s.eligibilite) for s in o.services] == [
        ("stricte--auto-ecole-sociale", A_VERIFIER)
    ]


@pytest.mark.parametrize("situation", ["salarie", "etudiant", "autre"])
def test_an_indicative_public_is_checked_never_refused(fixture_snapshot, situation):
    o = orient(fixture_snapshot, Profile.of(situation, "permis"), commune_in(fixture_snapshot, "02"))
    [proposed] = o.services
    assert (proposed.service.id, proposed.eligibilite) == ("indicative--auto-ecole-sociale", A_VERIFIER)
    assert proposed.check.citation == INDICATIVE and o.non_eligibles == []


def test_an_indicative_age_condition_asks_to_check_a_strict_one_refuses(fixture_snapshot):
    """Carene's "pour adultes" is indicative: a 16-year-old is "à vérifier"; a strict rule refuses."""
    soft = orient(fixture_snapshot, Profile.of("rsa", "velo", 16), commune_in(fixture_snapshot, "01"))
    assert [(s.service.id, s.eligibilite) for s in soft.services] == [
        ("stricte--apprentissage-du-velo-pour-adultes", A_VERIFIER)
    ]
    assert soft.services[0].check.citation == "pour adultes"
    strict = orient(fixture_snapshot, Profile.of("rsa", "velo", 16), commune_in(fixture_snapshot, "02"))
    # Refused: the platform's entry point is proposed instead (an exclusion beside a service is not shown).
    assert (strict.statut, ids(strict)) == (STATUT_PREMIER_PAS, {"indicative--bilans-mobilite"})
    unknown_age = orient(fixture_snapshot, Profile.of("rsa", "velo"), commune_in(fixture_snapshot, "02"))
    assert [s.eligibilite for s in unknown_age.services] == [ELIGIBLE]  # unchecked, not refused


def test_services_for_professionals_are_never_proposed(fixture_snapshot):
    for departement in ("01", "02"):
        for besoin in ("accompagnement", "permis", None):
            o = orient(
                fixture_snapshot, Profile.of("rsa", besoin, 30), commune_in(fixture_snapshot, departement)
            )
            assert not [s for s in o.services if "sensibilisation" in s.service.id]


def test_a_vague_need_goes_to_the_entry_point(fixture_snapshot):
    o = orient(fixture_snapshot, Profile.of("rsa", "financement", 30), commune_in(fixture_snapshot, "02"))
    assert (o.statut, ids(o)) == (STATUT_PREMIER_PAS, {"indicative--bilans-mobilite"})


def test_no_platform_outside_every_territory(fixture_snapshot):
    o = orient(fixture_snapshot, Profile.of("rsa", "permis"), commune_in(fixture_snapshot, "03"))
    assert (o.statut, o.services, o.prescripteur.id) == (STATUT_AUCUNE_PLATEFORME, [], "referent-rsa")


@pytest.mark.parametrize(
    "situations, age, expected",
    [
        (["jeune"], 20, "jeunes"),
        (["jeune"], 26, "accueil"),  # past 25, not the young people's prescriber, whatever they say
        (["demandeur_emploi"], 22, "jeunes"),  # a known age of 16-25 is enough
        (["demandeur_emploi"], 40, "emploi"),
        (["rsa", "jeune"], 22, "referent-rsa"),  # several fit: the lowest priorite
        ([], None, "accueil"),  # none fits: the default
    ],
    ids=["young", "26-is-not-young", "age-alone", "adult-job-seeker", "priority", "default"],
)
def test_whom_to_ask(fixture_snapshot, situations, age, expected):
    o = orient(fixture_snapshot, Profile.of(situations, "permis", age), commune_in(fixture_snapshot, "02"))
    assert o.prescripteur.id == expected
