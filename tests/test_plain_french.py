"""Plain French in everything the bot says to a person: every template, in both voices.

Many people in insertion do not read easily. So: sentences of 15 words at
most, no brackets, and no acronym unless the glossary explains it (the page
links it to its definition). Rendered over the whole knowledge base (every
platform's communes, situations, needs, ages), every question and message of
the actions, and every response of domain.yml.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from orientation.engine import Profile, area_codes, choose_prescriber, orient
from orientation.text import messages, wording
from orientation.text.payload import orientation_payload
from orientation.vocabulary import BESOINS, SITUATIONS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
MAX_WORDS = 15
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n")
_WORD = re.compile(r"[\w’'-]+")
_ACRONYM = re.compile(r"\b[A-ZÉÈ]{2,}\b")


def sentences(text: str) -> list[str]:
    # « quoted » source words and button-like list lines count as they are read.
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def problems(text: str, explained: set[str]) -> list[str]:
    out = []
    for sentence in sentences(text):
        words = _WORD.findall(re.sub(r"« [^»]* »", "« citation »", sentence))
        if len(words) > MAX_WORDS:
            out.append(f"{len(words)} words: {sentence}")
    if "(" in text or ")" in text:
        out.append(f"brackets: {text}")
    for acronym in set(_ACRONYM.findall(text)) - explained:
        out.append(f"acronym {acronym} without its meaning: {text}")
    return out


@pytest.fixture(scope="module")
def explained(snapshot) -> set[str]:
    """Acronyms the glossary defines (the page links them to their definition)."""
    words = set()
    for term in snapshot.glossary.values():
        for name in [term["terme"], *(term.get("synonymes") or [])]:
            words |= {w.upper() for w in re.findall(r"\b[\w]{2,5}\b", name) if w.isupper() or w.upper() == w}
    return words


@pytest.fixture(scope="module")
def orientation_texts(snapshot) -> list[str]:
    communes = []
    for platform in snapshot.platforms:
        inside = [c for c in snapshot.communes.all() if area_codes(c) & set(platform.zone_eligibilite)]
        communes.append(max(inside, key=lambda c: c.population))
    communes += [
        snapshot.communes.by_code("44109"),
        snapshot.communes.by_code("72181"),
    ]  # no platform; Le Mans
    texts = []
    for commune, situation, besoin, age, voice in itertools.product(
        communes, [*SITUATIONS, None], [*BESOINS, None], (None, 17, 40), wording.VOICES
    ):
        o = orient(snapshot, Profile.of(situation, besoin, age), commune)
        texts.append(wording.chat_message(o, voice))
        payload = orientation_payload(o, snapshot, voice)["orientation"]
        for s in payload["services"]:
            texts += [s["pourquoi"], s["acces"], *s["a_verifier"]]
        texts += [e["explication"] for e in payload["non_eligibles"]]
        if payload["prescripteur"]:
            texts.append(payload["prescripteur"]["pourquoi"])
    return texts


def test_orientation_texts_are_plain_french(orientation_texts, explained):
    found = [p for text in set(orientation_texts) for p in problems(text, explained)]
    assert found == [], "\n".join(found[:20])


def test_action_messages_are_plain_french(snapshot, explained):
    texts = [
        messages.GREETING,
        messages.DEFINITION_UNKNOWN.format(terms="• Prescription"),
        messages.ALREADY_ORIENTED,
        messages.RESTARTED,
        messages.NOT_UNDERSTOOD,
        messages.OUT_OF_SCOPE,
        messages.OTHER_LANGUAGE,
        messages.NOTHING_TO_SKIP,
        messages.SKIPPED,
        messages.ERROR,
        messages.WHICH_ANSWER,
        messages.COMMUNE_UNKNOWN.format(query="Lavall"),
        messages.COMMUNE_SUGGESTIONS.format(query="Lavall"),
        messages.COMMUNE_AMBIGUOUS.format(query="49600"),
        messages.GIVE_UP.format(prescriber="Mission locale"),
    ]
    for voice in wording.VOICES:
        texts += [
            messages.question(slot, voice, attempt) for slot in messages.QUESTIONS for attempt in (1, 2)
        ]
        texts.append(voice(messages.PERSONAL_DATA))
        prescriber = choose_prescriber(snapshot.prescribers, ["rsa"], None)
        texts.append(wording.no_commune_message(snapshot, prescriber, voice))
    found = [p for text in texts for p in problems(text, explained)]
    assert found == [], "\n".join(found)


def test_domain_responses_are_plain_french(explained):
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    texts = [v["text"] for variants in domain["responses"].values() for v in variants]
    found = [p for text in texts for p in problems(text, explained)]
    assert found == [], "\n".join(found)


def test_every_template_renders_in_both_voices():
    for voice in wording.VOICES:
        for template in [*wording.ACCESS_LONG.values(), wording.PRESCRIPTION_MEANS, messages.PERSONAL_DATA]:
            text = voice(template)
            assert "{" not in text and "}" not in text
        if voice.professional:
            assert "vous" not in voice(wording.PRESCRIPTION_MEANS)


def test_the_checker_catches_what_it_should():
    assert problems(
        "Une phrase bien trop longue pour une personne qui lit mal et qui doit aller vite ici.", set()
    )
    assert problems("Votre référent (Conseil départemental).", set())
    assert problems("Voyez le CCAS.", set())
    assert not problems("Voyez votre référent RSA.", {"RSA"})


def test_knowledge_texts_the_bot_reads_out_are_plain_french(snapshot, explained):
    """Glossary definitions (answers to "c'est quoi…") and prescribers' descriptions and how to reach them."""
    texts = [" ".join(t["definition"].split()) for t in snapshot.glossary.values()]
    for p in snapshot.prescribers:
        texts += [" ".join(p.description.split()), p.comment_joindre or ""]
    found = [p for text in texts for p in problems(text, explained)]
    assert found == [], "\n".join(found)
