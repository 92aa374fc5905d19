"""Whole conversations with the real bot: Rasa server + action server, through the REST channel.

Each conversation asserts what a person would check: the orientation's
platform, service and prescriber in the `custom` payload, and that what was
already said is not asked again.
"""
from __future__ import annotations

import uuid

import pytest

from stack import send


class Conversation:
    def __init__(self, rasa_url: str):
        self.url = rasa_url
        self.sender = f"test-{uuid.uuid4().hex}"
        self.replies: list[list[dict]] = []

    def say(self, text: str) -> list[dict]:
        reply = send(self.url, self.sender, text)
        self.replies.append(reply)
        return reply

    @staticmethod
    def texts(reply) -> str:
        return "\n".join(m.get("text", "") for m in reply)

    @staticmethod
    def orientation(reply):
        return next((m["custom"]["orientation"] for m in reply
                     if isinstance(m.get("custom"), dict) and "orientation" in m["custom"]), None)


@pytest.fixture
def chat(bot_servers):
    return Conversation(bot_servers.rasa_url)


def _service_ids(orientation) -> set[str]:
    return {s["id"] for s in orientation["services"]}


# (id, messages, statut, code_insee, platforms of proposed services, services ⊇, prescriber)
ONE_MESSAGE = [
    ("mayenne-rsa-permis-all-in-one-message",
     ["je suis au RSA à Laval et je veux passer le permis"],
     "orientation", "53130", {"mayenne"}, {"mayenne--auto-ecole-sociale"}, "referent-rsa"),
    ("sarthe-rsa-vehicle-sms-style",
     ["jsuis o rsa a sable sur sarthe g pa de voiture"],
     "orientation", "72264", {"sarthe"}, {"sarthe--mise-a-disposition-de-vehicules"}, "referent-rsa"),
    ("carene-rsa-financial-aid",
     ["Bonjour, je touche le RSA, j'habite Saint-Nazaire et j'ai besoin d'une aide pour financer mes trajets"],
     "orientation", "44184", {"carene"}, {"carene--instruction-aides-financieres"}, "referent-rsa"),
    ("mauges-two-platforms-rsa-transport",
     ["au rsa, Beaupréau-en-Mauges, je n'ai pas de transport pour aller travailler"],
     "orientation", "49023", {"mobimauges"}, {"mobimauges--transport-solidaire"}, "referent-rsa"),
    ("maine-et-loire-rsa-diagnostic",
     ["je suis au rsa à Angers et je voudrais un diagnostic mobilité"],
     "orientation", "49007", {"maine-et-loire"}, {"maine-et-loire--diagnostic-mobilite"}, "referent-rsa"),
    ("nantes-no-platform",
     ["je suis au RSA, j'habite à Nantes et je veux passer le permis"],
     "aucune_plateforme", "44109", set(), set(), "referent-rsa"),
]


@pytest.mark.parametrize("case", ONE_MESSAGE, ids=[c[0] for c in ONE_MESSAGE])
def test_one_message_is_enough(chat, case):
    _, messages, statut, code, platforms, services, prescriber = case
    for text in messages:
        reply = chat.say(text)
    orientation = chat.orientation(reply)
    assert orientation is not None, chat.texts(reply)
    assert orientation["statut"] == statut
    assert orientation["commune"]["code_insee"] == code
    assert {s["plateforme"]["id"] for s in orientation["services"]} >= platforms
    assert _service_ids(orientation) >= services
    assert orientation["prescripteur"]["id"] == prescriber
    text = chat.texts(reply)
    assert orientation["commune"]["nom"] in text
    if statut == "aucune_plateforme":
        assert "aucune plateforme" in text
        assert orientation["services"] == []


def test_step_by_step_with_buttons_and_age(chat):
    """Need, then situation, then commune; the age is asked because it changes the prescriber."""
    reply = chat.say("bonjour")
    assert any("buttons" in m for m in reply)
    reply = chat.say('/inform{"besoin": "permis"}')
    assert "situation" in chat.texts(reply)
    reply = chat.say('/inform{"situation": "demandeur_emploi"}')
    assert "commune" in chat.texts(reply)
    reply = chat.say("Mayenne")
    assert "âge" in chat.texts(reply)
    reply = chat.say("24")
    orientation = chat.orientation(reply)
    assert orientation["commune"]["code_insee"] == "53147"
    assert orientation["profil"] == {"situation": "demandeur_emploi", "besoin": "permis", "age": 24}
    assert "mayenne--auto-ecole-sociale" in _service_ids(orientation)
    assert orientation["prescripteur"]["id"] == "mission-locale"


def test_what_was_said_is_not_asked_again(chat):
    reply = chat.say("j'habite à Laval et je voudrais passer le permis")
    texts = chat.texts(reply)
    assert "situation" in texts and "commune" not in texts and "besoin" not in texts
    reply = chat.say("RSA")
    assert chat.orientation(reply)["commune"]["nom"] == "Laval"


def test_correction_after_orientation(chat):
    chat.say("je suis au RSA à Laval et je veux passer le permis")
    reply = chat.say("non, en fait j'habite à Saint-Nazaire")
    orientation = chat.orientation(reply)
    assert orientation["commune"]["code_insee"] == "44184"
    assert {s["plateforme"]["id"] for s in orientation["services"]} == {"carene"}
    assert orientation["profil"]["situation"] == "rsa"  # kept: only the commune changed


def test_non_eligible_person_is_told_why(chat):
    reply = chat.say("je suis salarié au Mans et je cherche une voiture")
    assert "âge" in chat.texts(reply)  # under 26 the Mission locale would follow them
    reply = chat.say("45 ans")
    orientation = chat.orientation(reply)
    assert orientation["statut"] == "aucun_service"
    reasons = {e["service_id"]: e["raison"] for e in orientation["non_eligibles"]}
    assert reasons["sarthe--mise-a-disposition-de-vehicules"] == "public"
    assert orientation["prescripteur"]["id"] == "service-social"
    assert "autre public" in chat.texts(reply)


def test_social_worker_gets_answers_about_the_person(chat):
    reply = chat.say("j'accompagne une personne au RSA qui habite à Laval et veut passer le permis")
    text = chat.texts(reply)
    orientation = chat.orientation(reply)
    assert "la personne" in text
    assert "vous pouvez prescrire" in text
    assert "mayenne--auto-ecole-sociale" in _service_ids(orientation)


def test_ambiguous_commune_offers_candidates_then_orients(chat):
    chat.say("je suis au rsa et je veux passer le permis")
    reply = chat.say("49600")
    buttons = [b for m in reply for b in m.get("buttons", [])]
    assert {"Beaupréau-en-Mauges (Maine-et-Loire, 49)", "Montrevault-sur-Èvre (Maine-et-Loire, 49)"} <= {
        b["title"] for b in buttons}
    choice = next(b for b in buttons if b["title"].startswith("Montrevault"))
    reply = chat.say(choice["payload"])
    orientation = chat.orientation(reply)
    assert orientation["commune"]["nom"] == "Montrevault-sur-Èvre"
    assert orientation["statut"] == "aucun_service"  # no licence service in the Mauges in 2017


@pytest.mark.parametrize("bad", ["xqzkwv", "<script>alert(1)</script>", "Lavalxyzq"],
                         ids=["gibberish", "html", "unknown-name"])
def test_unknown_commune_is_asked_again_politely(chat, bad):
    chat.say("je suis au rsa et je veux passer le permis")
    reply = chat.say(bad)
    text = chat.texts(reply)
    assert "commune" in text.lower() or "Je ne trouve pas" in text
    assert chat.orientation(reply) is None
    reply = chat.say("Laval")
    assert chat.orientation(reply)["commune"]["code_insee"] == "53130"


def test_very_long_message_gets_an_answer(chat):
    reply = chat.say("je suis au RSA à Laval et je veux passer le permis. " + "blabla " * 1500)
    assert reply, "a 10 000-character message still gets a reply"


def test_definition_and_prescriber_questions(chat):
    reply = chat.say("c'est quoi un garage solidaire ?")
    assert "Garage solidaire" in chat.texts(reply)
    chat.say("je suis au RSA")
    reply = chat.say("qui est mon prescripteur ?")
    assert "Référent RSA" in chat.texts(reply)


def test_out_of_scope_and_fallback_say_what_the_bot_does(chat):
    reply = chat.say("quel temps fait-il demain à Brest ?")
    assert "mobilité" in chat.texts(reply)


def test_restart_forgets_everything(chat):
    chat.say("je suis au RSA à Laval et je veux passer le permis")
    reply = chat.say("recommencer")
    assert "reparti de zéro" in chat.texts(reply)
    reply = chat.say("je veux passer le permis")
    assert "situation" in chat.texts(reply)  # the RSA answer was forgotten
