"""The Rasa actions as adapters: a tracker in, the exact events and messages out.

As in RasaHQ's financial-demo: `Tracker.from_dict`, a `CollectingDispatcher`,
no server. The knowledge base is the real one (built into a temporary file).
"""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from orientation.snapshot import SnapshotCache

DOMAIN: dict = {"slots": {name: {"type": "text", "mappings": [{"type": "custom"}]}
                          for name in ("situation", "besoin", "commune", "code_insee", "age",
                                       "role", "derniere_orientation")},
                "forms": {"orientation_form": {"required_slots": ["situation", "commune", "besoin"]}}}


@pytest.fixture(autouse=True)
def knowledge_base(kb_url, monkeypatch):
    from actions import knowledge
    monkeypatch.setattr(knowledge, "_cache", SnapshotCache(kb_url))


def tracker(text, intent="inform", entities=(), slots=None, active_loop=None):
    slots = {"requested_slot": None, **(slots or {})}
    return Tracker.from_dict({
        "sender_id": "test", "slots": slots,
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.99},
                           "entities": [dict(e) for e in entities]},
        "events": [], "paused": False, "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen"})


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return events, dispatcher.messages


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_one_sentence_fills_three_slots_from_diet_entities():
    from actions.slots import ValidateSlotMappings
    entities = [{"entity": "situation", "value": "rsa"}, {"entity": "commune", "value": "Laval"},
                {"entity": "besoin", "value": "permis"}]
    events, messages = run(ValidateSlotMappings(),
                           tracker("je suis au RSA à Laval et je veux passer le permis", entities=entities))
    assert slots_of(events) == {"situation": "rsa", "besoin": "permis", "commune": "Laval",
                                "code_insee": "53130"}
    assert messages == []


def test_keywords_fill_what_diet_missed():
    from actions.slots import ValidateSlotMappings
    events, _ = run(ValidateSlotMappings(), tracker("jsuis o rsa a sablé sur sarthe g pa de voiture"))
    assert slots_of(events) == {"situation": "rsa", "besoin": "vehicule", "commune": "Sablé-sur-Sarthe",
                                "code_insee": "72264"}


def test_specific_need_wins_over_vague_entity():
    from actions.slots import ValidateSlotMappings
    events, _ = run(ValidateSlotMappings(), tracker(
        "j'ai besoin d'une aide pour financer mes trajets",
        entities=[{"entity": "besoin", "value": "accompagnement"}]))
    assert slots_of(events)["besoin"] == "financement"


def test_unknown_commune_when_asked_is_cleared_with_a_polite_message():
    from actions.slots import ValidateSlotMappings
    events, messages = run(ValidateSlotMappings(),
                           tracker("xqzkwv", slots={"requested_slot": "commune"}))
    assert slots_of(events) == {"commune": None, "code_insee": None}
    assert messages[0]["text"].startswith("Je ne trouve pas la commune « xqzkwv »")


def test_ambiguous_postal_code_offers_buttons_with_insee_payloads():
    from actions.slots import ValidateSlotMappings
    events, messages = run(ValidateSlotMappings(),
                           tracker("49600", slots={"requested_slot": "commune"}))
    assert slots_of(events) == {"commune": None, "code_insee": None}
    payloads = {b["payload"] for b in messages[0]["buttons"]}
    assert '/inform{"commune": "49023"}' in payloads  # Beaupréau-en-Mauges


def test_definition_question_does_not_change_the_profile():
    from actions.slots import ValidateSlotMappings
    events, _ = run(ValidateSlotMappings(),
                    tracker("c'est quoi la mission locale ?", intent="ask_definition"))
    assert slots_of(events) == {}


def test_social_worker_sets_the_professional_voice():
    from actions.slots import ValidateSlotMappings
    events, _ = run(ValidateSlotMappings(),
                    tracker("j'accompagne une personne au RSA", intent="declare_professional"))
    assert slots_of(events) == {"role": "professionnel", "situation": "rsa"}


@pytest.mark.parametrize("situation,expected", [
    ("demandeur_emploi", ["situation", "commune", "besoin", "age"]),
    ("rsa", ["situation", "commune", "besoin"]),
], ids=["age-changes-prescriber", "age-irrelevant-for-rsa"])
def test_form_asks_age_only_when_it_matters(situation, expected):
    from actions.slots import ValidateOrientationForm
    t = tracker("Laval", slots={"situation": situation, "commune": "Laval", "code_insee": "53130",
                                "besoin": "permis", "age": None}, active_loop="orientation_form")
    slots = asyncio.run(ValidateOrientationForm().required_slots(
        ["situation", "commune", "besoin"], CollectingDispatcher(), t, DOMAIN))
    assert slots == expected


def test_orientation_message_carries_the_payload():
    from actions.actions import ActionOrienter
    t = tracker("", slots={"situation": "rsa", "commune": "Laval", "code_insee": "53130",
                           "besoin": "permis", "age": None})
    events, messages = run(ActionOrienter(), t)
    assert events == [SlotSet("derniere_orientation", "rsa|53130|permis|None")]
    [message] = messages
    orientation = message["custom"]["orientation"]
    assert {s["id"] for s in orientation["services"]} == {
        "mayenne--auto-ecole-sociale", "mayenne--evaluation-heures-de-conduite"}
    assert orientation["prescripteur"]["id"] == "referent-rsa"
    assert message["text"] == message["custom"]["texte"]
    assert "Laval" in message["text"] and "Référent RSA" in message["text"]


def test_same_profile_is_not_oriented_twice():
    from actions.actions import ActionOrienter
    t = tracker("non", slots={"situation": "rsa", "code_insee": "53130", "besoin": "permis",
                              "age": None, "derniere_orientation": "rsa|53130|permis|None"})
    events, messages = run(ActionOrienter(), t)
    assert events == [] and "reste valable" in messages[0]["text"]
