"""The Rasa actions as adapters: a tracker in, the exact events and messages out.

As in RasaHQ's financial-demo: `Tracker.from_dict`, a `CollectingDispatcher`,
no server. The knowledge base is the real one (built into a temporary file).
"""

from __future__ import annotations

import asyncio
import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from orientation.knowledge.snapshot import SnapshotCache

SLOTS = (
    "situations",
    "besoin",
    "commune",
    "code_insee",
    "age",
    "role",
    "derniere_orientation",
    "relance",
    "questions_passees",
    "donnees_signalees",
    "commune_signalee",
    "commune_proposee",
)
DOMAIN: dict = {
    "slots": {name: {"type": "any", "mappings": [{"type": "custom"}]} for name in SLOTS},
    "forms": {"orientation_form": {"required_slots": ["situations", "commune", "besoin"]}},
}


@pytest.fixture(scope="module")
def cache(kb_url, snapshot):
    return SnapshotCache.holding(snapshot, kb_url)


@pytest.fixture(autouse=True)
def knowledge_base(cache, monkeypatch):
    from actions import knowledge

    monkeypatch.setattr(knowledge, "_cache", cache)


@pytest.fixture(autouse=True)
def message_reader(reader):
    READER.append(reader)
    yield
    READER.clear()


READER: list = []  # the session's reader: what rasa_server.understanding puts in the parse data


def tracker(text, intent="inform", entities=(), slots=None, active_loop=None, events=()):
    slots = {"requested_slot": None, **(slots or {})}
    reading = READER[0].read(text).as_dict() if text and not text.startswith("/") else None
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": slots,
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.99},
                "entities": [dict(e) for e in entities],
                "lecture": reading,
            },
            "events": list(events) or [{"event": "user", "text": text}],
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
    )


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return events, dispatcher.messages


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def extract(text, **kwargs):
    from actions.slots import ValidateSlotMappings

    return run(ValidateSlotMappings(), tracker(text, **kwargs))


# --- Slot filling ----------------------------------------------------------------------


def test_one_sentence_fills_three_slots_from_diet_entities():
    entities = [
        {"entity": "situation", "value": "rsa"},
        {"entity": "commune", "value": "Laval"},
        {"entity": "besoin", "value": "permis"},
    ]
    events, messages = extract("je suis au RSA à Laval et je veux passer le permis", entities=entities)
    assert slots_of(events) == {
        "situations": ["rsa"],
        "besoin": "permis",
        "commune": "Laval",
        "code_insee": "53130",
    }
    assert messages == []


def test_keywords_fill_what_diet_missed():
    events, _ = extract("jsuis o rsa a sablé sur sarthe g pa de voiture")
    assert slots_of(events) == {
        "situations": ["rsa"],
        "besoin": "vehicule",
        "commune": "Sablé-sur-Sarthe",
        "code_insee": "72264",
    }


@pytest.mark.parametrize(
    "text,code",
    [
        ("je suis au RSA à Trignac et je veux passer le permis", "44210"),  # 44210 is Pornic's postal code
        ("je suis au RSA à Ruaudin, je veux passer le permis", "72260"),
        ("j'habite à La Baule et je cherche une voiture", "44055"),
        ("en Mayenne, à Ernée, je cherche un garage", "53096"),
        ("je travaille à Angers mais j'habite à Cholet", "49099"),
        ("MARRE!!! je suis demandeur d'emploi à Cholet, 52 ans", "49099"),
        ("J'habite au 53 rue Carnot à Sablé-sur-Sarthe, je suis au RSA", "72264"),
        ("j'habite à Ernée... non pardon, à Chailland, au RSA", "53048"),
        ("sur la commune de Beaupréau-en-Mauges, au RSA, une formation à Cholet", "49023"),
        ("Demandeur d'emploi à Saint-Nazaire, 30 ans, je veux un vélo", "44184"),
        ("j'habite Saint-Nazaire, dans le Gard, au RSA", "30288"),
        ("I'm 18, I live in Sèvremoine", "49301"),
    ],
    ids=[
        "trignac",
        "ruaudin",
        "la-baule",
        "ernee-not-the-commune-of-mayenne",
        "home-before-workplace",
        "a-shout-is-no-commune",
        "a-street-is-no-commune",
        "corrected-in-the-same-message",
        "training-place-after-home",
        "an-age-is-no-departement",
        "departement-after-a-comma",
        "english",
    ],
)
def test_the_commune_named_is_the_commune_kept(text, code):
    events, _ = extract(text)
    assert slots_of(events)["code_insee"] == code


def test_a_word_only_diet_took_for_a_commune_by_a_typo_is_ignored():
    # "je sors du lycée": DIET tags "sors", one letter from Sours (28).
    events, _ = extract(
        "jeune sans emploi, je sors du lycée",
        entities=[{"entity": "commune", "value": "sors", "start": 22, "end": 26}],
    )
    assert "code_insee" not in slots_of(events)


def test_a_country_is_no_commune():
    events, messages = extract("France", slots={"requested_slot": "commune"})
    assert slots_of(events).get("code_insee") is None and messages


def test_a_button_choice_is_the_commune_itself_never_parsed_again():
    events, _ = extract(
        '/inform{"code_insee": "44210"}',
        entities=[{"entity": "code_insee", "value": "44210"}],
        slots={"requested_slot": "commune"},
    )
    assert slots_of(events) == {"commune": "Trignac", "code_insee": "44210"}


def test_a_word_in_passing_does_not_replace_the_commune():
    events, _ = extract(
        "je vais souvent à Angers voir ma mère",
        slots={"situations": ["rsa"], "besoin": "permis", "commune": "Cholet", "code_insee": "49099"},
    )
    assert "code_insee" not in slots_of(events)


def test_a_commune_that_does_not_resolve_never_wipes_the_one_known():
    events, messages = extract(
        "j'habite à Xqzkwv maintenant",
        slots={"situations": ["rsa"], "commune": "Laval", "code_insee": "53130"},
    )
    assert "code_insee" not in slots_of(events)


def test_unknown_commune_when_asked_is_cleared_with_a_polite_message():
    events, messages = extract("xqzkwv", slots={"requested_slot": "commune"})
    assert slots_of(events) == {
        "relance": "commune:1",
        "commune_signalee": True,
        "commune": None,
        "code_insee": None,
    }
    assert messages[0]["text"].startswith("Je ne trouve pas la commune « xqzkwv »")
    assert messages[0]["custom"] == {"question": "commune", "choix": False}


def test_homonyms_are_offered_by_code_nearest_to_the_platforms_first():
    events, messages = extract("Sainte-Gemmes", slots={"requested_slot": "commune"})
    assert slots_of(events)["code_insee"] is None
    payloads = [json.loads(b["payload"][len("/inform") :])["code_insee"] for b in messages[0]["buttons"]]
    assert payloads[:2] == ["49278", "53218"]  # Sainte-Gemmes-sur-Loire, Sainte-Gemmes-le-Robert


def test_the_same_homonym_answered_again_gets_a_way_out_not_the_same_question():
    first = extract("Allonnes", slots={"requested_slot": "commune"})[1][0]
    again = extract("Allonnes", slots={"requested_slot": "commune", "relance": "commune:2"})[1][0]
    assert first["text"].startswith("Plusieurs communes s'appellent « Allonnes »")
    assert again["text"] != first["text"] and "passer cette question" in again["text"]
    assert {"title": "Passer cette question", "payload": "/skip_question"} in again["buttons"]
    assert len(again["buttons"]) > 2  # the homonyms are still offered


def test_ambiguous_postal_code_offers_buttons_with_insee_payloads():
    events, messages = extract("49600", slots={"requested_slot": "commune"})
    assert slots_of(events)["code_insee"] is None
    assert '/inform{"code_insee": "49023"}' in {b["payload"] for b in messages[0]["buttons"]}


def test_definition_question_does_not_change_the_profile():
    events, _ = extract("c'est quoi la mission locale ?", intent="ask_definition")
    assert slots_of(events) == {}


def test_social_worker_sets_the_professional_voice():
    events, _ = extract("j'accompagne une personne au RSA", intent="declare_professional")
    assert slots_of(events) == {"role": "professionnel", "situations": ["rsa"]}


def test_a_beneficiary_quoting_her_adviser_stays_a_person():
    events, _ = extract("ma conseillère m'a dit de venir, je suis au rsa", intent="declare_professional")
    assert slots_of(events) == {"situations": ["rsa"]}


def test_personal_details_are_declined_once():
    events, messages = extract("je suis au RSA, mon numéro c'est 06 12 34 56 78")
    assert slots_of(events)["donnees_signalees"] is True
    assert "Je n'ai pas besoin de vos nom, téléphone ou adresse" in messages[0]["text"]
    _, again = extract("06 12 34 56 78", slots={"donnees_signalees": True})
    assert again == []


@pytest.mark.parametrize(
    "situations,expected",
    [
        (["demandeur_emploi"], ["situations", "commune", "besoin", "age"]),
        (["rsa"], ["situations", "commune", "besoin"]),
    ],
    ids=["age-changes-prescriber", "age-irrelevant-for-rsa"],
)
def test_form_asks_age_only_when_it_matters(situations, expected):
    from actions.form import ValidateOrientationForm

    t = tracker(
        "Laval",
        slots={
            "situations": situations,
            "commune": "Laval",
            "code_insee": "53130",
            "besoin": "permis",
            "age": None,
        },
        active_loop="orientation_form",
    )
    slots = asyncio.run(
        ValidateOrientationForm().required_slots(
            ["situations", "commune", "besoin"], CollectingDispatcher(), t, DOMAIN
        )
    )
    assert slots == expected


def test_a_skipped_question_is_not_asked_again():
    from actions.form import ValidateOrientationForm

    t = tracker(
        "passer",
        slots={"situations": ["rsa"], "questions_passees": ["besoin"]},
        active_loop="orientation_form",
    )
    slots = asyncio.run(
        ValidateOrientationForm().required_slots(
            ["situations", "commune", "besoin"], CollectingDispatcher(), t, DOMAIN
        )
    )
    assert slots == ["situations", "commune"]


# --- Questions and recovery ----------------------------------------------------------


def test_question_is_tagged_rephrased_then_offers_a_way_out():
    from actions.actions import AskCommune

    events, messages = run(AskCommune(), tracker("", slots={}))
    assert events == [SlotSet("relance", "commune:1")]
    assert messages[0]["text"] == "Dans quelle commune habitez-vous ? Son nom ou son code postal suffit."
    assert messages[0]["custom"] == {"question": "commune"}
    events, messages = run(AskCommune(), tracker("euh", slots={"relance": "commune:1"}))
    assert events == [SlotSet("relance", "commune:2")]
    assert "par exemple « Laval » ou « 44600 »" in messages[0]["text"]
    events, messages = run(
        AskCommune(), tracker("bof", slots={"relance": "commune:2", "situations": ["rsa"]})
    )
    assert "Référent RSA" in messages[0]["text"]
    assert {"title": "Passer cette question", "payload": "/skip_question"} in messages[0]["buttons"]


def test_the_question_is_not_repeated_after_the_commune_check_answered():
    from actions.actions import AskCommune

    events_this_turn = [
        {"event": "user", "text": "49600"},
        {"event": "slot", "name": "commune_signalee", "value": True},
    ]
    events, messages = run(
        AskCommune(), tracker("49600", slots={"relance": "commune:1"}, events=events_this_turn)
    )
    assert events == [SlotSet("commune_signalee", None)] and messages == []


def test_skip_records_the_question():
    from actions.actions import ActionSkipQuestion

    events, messages = run(
        ActionSkipQuestion(), tracker("passer", intent="skip_question", slots={"requested_slot": "besoin"})
    )
    assert events == [SlotSet("questions_passees", ["besoin"]), SlotSet("relance", None)]


def test_professional_questions_speak_of_the_person():
    from actions.actions import AskSituations

    _, messages = run(AskSituations(), tracker("", slots={"role": "professionnel"}))
    assert messages[0]["text"] == "Quelle est sa situation ?"
    assert [b["title"] for b in messages[0]["buttons"]][0] == "Au RSA"


# --- Orientation --------------------------------------------------------------------


def test_orientation_message_carries_the_payload():
    from actions.actions import ActionOrienter

    t = tracker(
        "",
        slots={
            "situations": ["rsa"],
            "commune": "Laval",
            "code_insee": "53130",
            "besoin": "permis",
            "age": None,
        },
    )
    events, messages = run(ActionOrienter(), t)
    assert events == [SlotSet("derniere_orientation", "rsa|53130|permis|None")]
    [message] = messages
    orientation = message["custom"]["orientation"]
    assert orientation["commune"]["code_insee"] == "53130"
    assert {s["id"] for s in orientation["services"]} == {
        "mayenne--auto-ecole-sociale",
        "mayenne--evaluation-heures-de-conduite",
    }
    assert {s["prescription"] for s in orientation["services"]} == {"oui"}
    assert orientation["prescripteur"]["id"] == "referent-rsa"
    assert message["text"] == message["custom"]["texte"]
    assert "Laval" in message["text"] and "Référent RSA" in message["text"]
    assert [b["title"] for b in message["buttons"]] == [
        "Un autre besoin",
        "Changer de commune",
        "Recommencer",
    ]


def test_orientation_uses_the_stored_code_never_a_postal_code():
    from actions.actions import ActionOrienter

    t = tracker(
        "", slots={"situations": ["rsa"], "commune": "Trignac", "code_insee": "44210", "besoin": "permis"}
    )
    _, [message] = run(ActionOrienter(), t)
    orientation = message["custom"]["orientation"]
    assert orientation["commune"]["nom"] == "Trignac"
    assert {s["plateforme"]["id"] for s in orientation["services"]} == {"carene"}


def test_same_profile_is_not_oriented_twice():
    from actions.actions import ActionOrienter

    t = tracker(
        "non",
        slots={
            "situations": ["rsa"],
            "code_insee": "53130",
            "besoin": "permis",
            "age": None,
            "derniere_orientation": "rsa|53130|permis|None",
        },
    )
    events, messages = run(ActionOrienter(), t)
    assert events == [] and "reste valable" in messages[0]["text"]


def test_asked_whether_a_prescription_is_needed_after_services_were_proposed(snapshot):
    """ "Et pour ça il faut une prescription ?": each service proposed with its access, then who."""
    from actions.actions import ActionPrescriber
    from orientation.engine import Profile, orient
    from orientation.text.wording import ACCESS

    slots = {"situations": ["rsa"], "code_insee": "53130", "besoin": "vehicule", "age": None}
    _, [message] = run(
        ActionPrescriber(), tracker("il faut une prescription ?", intent="ask_prescriber", slots=slots)
    )
    result = orient(snapshot, Profile.of(["rsa"], "vehicule", None), snapshot.communes.by_code("53130"))
    assert result.services and result.prescripteur
    for s in result.services[:3]:
        assert f"{s.service.nom} : {ACCESS[s.service.prescription]}" in message["text"]
    assert result.prescripteur.nom in message["text"]


def test_skipped_commune_still_gets_a_next_step():
    from actions.actions import ActionOrienter

    t = tracker("passer", slots={"situations": ["rsa"], "besoin": "permis", "questions_passees": ["commune"]})
    _, [message] = run(ActionOrienter(), t)
    assert "Sans votre commune" in message["text"] and "Référent RSA" in message["text"]


# --- No silence, ever -----------------------------------------------------------------


def test_a_failing_action_still_answers_politely(monkeypatch, caplog):
    from actions import actions as module
    from actions.actions import ActionOrienter

    words = "je suis au RSA " + "à Laval"

    def broken(*args, **kwargs):
        raise RuntimeError(words)  # an error that quotes the person

    monkeypatch.setattr(module, "orient", broken)
    t = tracker("", slots={"situations": ["rsa"], "code_insee": "53130", "besoin": "permis"})
    events, messages = run(ActionOrienter(), t)
    assert events == []
    assert messages[0]["text"].startswith("Désolé, un problème technique m'empêche de répondre.")
    assert messages[0]["buttons"] == [{"title": "Recommencer", "payload": "/restart"}]
    assert "RuntimeError" in caplog.text and "je suis au RSA" not in caplog.text


def test_a_failing_slot_extraction_still_answers(monkeypatch):
    from actions import slots as module

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(module, "profile_updates", broken)
    events, messages = extract("je suis au RSA")
    assert events == [] and messages[0]["text"].startswith("Désolé")


def test_a_landmark_named_by_diet_does_not_replace_the_commune_beside_it():
    entities = [{"entity": "commune", "value": "Allonnes"}, {"entity": "commune", "value": "saumur"}]
    events, _ = extract(
        "Bonjour, demandeur d'emploi à Allonnes près de Saumur, ma voiture est en panne", entities=entities
    )
    assert slots_of(events)["code_insee"] == "49002"  # Allonnes (49), not Allonnes (72), not Saumur
