"""Properties of every answer, over the whole knowledge base (any valid one, not today's).

For one commune in each platform's territory and one outside, every
situation, every need (and none), three ages and both voices: what is
proposed answers the need as the source says it, nothing is claimed that the
knowledge base does not hold, and the message fits a phone screen.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from orientation.engine import (
    A_VERIFIER,
    ELIGIBLE,
    NON_ELIGIBLE,
    STATUT_AUCUNE_PLATEFORME,
    STATUT_PREMIER_PAS,
    Profile,
    area_codes,
    eligibility,
    orient,
)
from orientation.text import wording
from orientation.text.payload import orientation_payload
from orientation.vocabulary import BESOINS, SITUATIONS

pytestmark = pytest.mark.slow

MAX_WORDS = 60


@pytest.fixture(scope="module")
def answers(snapshot):
    """(orientation, voice, chat text, payload) for the grid described above."""
    communes = []
    for platform in snapshot.platforms:
        inside = [c for c in snapshot.communes.all() if area_codes(c) & set(platform.zone_eligibilite)]
        communes.append(max(inside, key=lambda c: c.population))
        communes.append(min(inside, key=lambda c: c.population))
    communes.append(snapshot.communes.by_code("44109"))  # Nantes: no platform
    out = []
    for commune, situation, besoin, age, voice in itertools.product(
        communes, [*SITUATIONS, None], [*BESOINS, None], (None, 17, 40), wording.VOICES
    ):
        o = orient(snapshot, Profile.of(situation, besoin, age), commune)
        out.append((o, voice, wording.chat_message(o, voice), orientation_payload(o, snapshot, voice)))
    return out


def test_every_proposed_service_answers_the_need_as_the_source_says(answers):
    for o, _, _, _ in answers:
        for s in o.services:
            assert s.service.destinataires == "personnes", s.service.id
            if s.premier_pas or o.profil.besoin is None:
                assert s.service.porte_entree, s.service.id
            else:
                assert o.profil.besoin in s.service.besoins, (s.service.id, o.profil.besoin)


def test_no_vehicle_or_transport_service_ever_answers_a_bike_need(answers):
    for o, _, _, _ in answers:
        if o.profil.besoin == "velo":
            assert all("velo" in s.service.besoins or s.premier_pas for s in o.services)


def test_every_service_need_pair_is_listed_in_the_knowledge_base(snapshot):
    """Walk every (service, need) pair: a service matches a need only if its YAML lists it."""
    commune_of = {}
    for c in snapshot.communes.all():
        for p in snapshot.platforms:
            if p.id not in commune_of and area_codes(c) & set(p.zone_eligibilite):
                commune_of[p.id] = c
    for platform in snapshot.platforms:
        for service in platform.services:
            for besoin in BESOINS:
                o = orient(snapshot, Profile.of("rsa", besoin, 40), commune_of[platform.id])
                answered = [s for s in o.services if s.service.id == service.id and not s.premier_pas]
                assert bool(answered) == (
                    besoin in service.besoins
                    and service.destinataires == "personnes"
                    and o.statut != STATUT_PREMIER_PAS
                ), (service.id, besoin)


def test_refusals_only_where_the_source_is_explicit(answers):
    for o, _, _, _ in answers:
        for e in o.non_eligibles:
            if e.raison == "public":
                assert e.platform.public_stricte and o.profil.situations, e.service.id
            if e.raison == "age":
                assert any(c.type == "age" and c.stricte for c in e.service.conditions)
        for s in o.services:
            assert s.eligibilite in (ELIGIBLE, A_VERIFIER)


def test_prescription_is_carried_as_the_knowledge_base_says_and_never_as_direct_access(answers):
    for o, _, text, payload in answers:
        by_id = {s.service.id: s.service for s in o.services}
        for record in payload["orientation"]["services"]:
            assert record["prescription"] == by_id[record["id"]].prescription
            if record["prescription"] != "non":
                assert "direct" not in record["acces"].lower()
            if not record["prescripteurs_precises"]:
                assert record["prescripteurs"] == []
        if not any(s.service.prescription == "non" for s in o.services):
            assert "accès direct" not in text.lower()


def test_the_message_fits_a_phone_screen_and_names_the_commune(answers):
    for o, _, text, _ in answers:
        words = len(re.findall(r"[\w'’-]+", text))
        assert words <= MAX_WORDS, f"{words} words:\n{text}"
        assert re.sub(r"^(Le|Les) ", "", o.commune.nom) in text  # "au Mans"


def test_each_voice_speaks_to_its_reader(answers):
    for _o, voice, text, payload in answers:
        if voice.professional:
            assert not re.search(r"\b(votre|vos|vous avez|vous êtes)\b", text), text
            assert payload["orientation"]["voix"] == "professionnel"
        else:
            assert "la personne" not in text


def test_no_orientation_when_no_platform_covers_the_commune(answers):
    for o, _, text, _ in answers:
        if o.statut == STATUT_AUCUNE_PLATEFORME:
            assert o.services == [] and o.plateformes == []
            assert "Je ne connais pas de plateforme" in text


FRENCH_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


def test_the_date_of_the_information_is_given(answers):
    """Each service says the month and year of its own information (`date_maj`), whatever they are."""
    for o, _, _, payload in answers:
        dates = {s.service.id: s.service.date_maj for s in o.services}
        for record in payload["orientation"]["services"]:
            day = date.fromisoformat(str(dates[record["id"]]))
            assert record["informations_du"] == f"{FRENCH_MONTHS[day.month - 1]} {day.year}", record["id"]


def test_a_soft_public_is_checked_never_refused(snapshot):
    for platform in snapshot.platforms:
        if platform.public_stricte:
            continue
        for service in platform.services:
            for situation in SITUATIONS:
                c = next(x for x in snapshot.communes.all() if area_codes(x) & set(platform.zone_eligibilite))
                check = eligibility(service, platform, Profile.of(situation), c, area_codes(c))
                assert check.statut != NON_ELIGIBLE or check.raison != "public"


@pytest.mark.parametrize(
    "nom,expected",
    [
        ("Laval", "à Laval"),
        ("Le Mans", "au Mans"),
        ("Les Sables-d'Olonne", "aux Sables-d'Olonne"),
        ("La Flèche", "à La Flèche"),
        ("L'Île-d'Yeu", "à L'Île-d'Yeu"),
    ],
)
def test_french_prepositions_before_a_commune(nom, expected):
    assert wording.a_commune(nom) == expected
