"""Whole conversations with the real bot: Rasa server + action server, through the REST channel.

Each conversation asserts what a person would check: the orientation's
commune, platform, service, prescription and prescriber in the `custom`
payload, that every message gets a reply, and that what was already said is
not asked again. The sentences are not taken from the training data
(`test_sentences_are_not_training_examples` checks it).
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from orientation.engine import choose_prescriber
from orientation.text import messages, wording
from orientation.text.voice import PERSON
from stack import send

ROOT = Path(__file__).resolve().parent.parent


class Conversation:
    def __init__(self, rasa_url: str):
        self.url = rasa_url
        self.sender = f"test-{uuid.uuid4().hex}"
        self.replies: list[list[dict]] = []

    def say(self, text: str) -> list[dict]:
        reply = send(self.url, self.sender, text)
        assert reply, f"no reply to {text!r}"  # no silence, ever
        assert any(m.get("text") for m in reply), f"no text in the reply to {text!r}: {reply}"
        self.replies.append(reply)
        return reply

    @staticmethod
    def texts(reply) -> str:
        return "\n".join(m.get("text", "") for m in reply)

    @staticmethod
    def orientation(reply):
        return next(
            (
                m["custom"]["orientation"]
                for m in reply
                if isinstance(m.get("custom"), dict) and "orientation" in m["custom"]
            ),
            None,
        )

    @staticmethod
    def question(reply):
        return next(
            (
                m["custom"]["question"]
                for m in reply
                if isinstance(m.get("custom"), dict) and "question" in m["custom"]
            ),
            None,
        )

    @staticmethod
    def buttons(reply) -> list[dict]:
        return [b for m in reply for b in m.get("buttons") or []]


@pytest.fixture
def chat(bot_servers):
    return Conversation(bot_servers.rasa_url)


def _ids(orientation, key="id") -> set[str]:
    return {s[key] for s in orientation["services"]}


def _platforms(orientation) -> set[str]:
    return {s["plateforme"]["id"] for s in orientation["services"]}


def _titles(buttons) -> list[str]:
    return [b["title"] for b in buttons]


def _prescriber_for(snapshot, situations, age=None):
    """Whom the knowledge base says this person should ask (docs/orientation-rules.md §7)."""
    return choose_prescriber(snapshot.prescribers, situations, age)


def _definition(snapshot, reader, question: str) -> str:
    """The glossary's answer to a question, as the bot words it."""
    terms = [t for t in reader.read(question).terms if t in snapshot.glossary]
    assert terms, f"the glossary has no term for {question!r}"
    return messages.definition(snapshot.glossary[terms[0]])


# (id, the person's first message, INSEE, statut, platforms, services ⊇, prescriber)
ONE_MESSAGE = [
    (
        "trignac-is-carene-not-pornic",
        "bonjour je touche le RSA, je vis à Trignac et j'aimerais passer mon permis de conduire",
        "44210",
        "orientation",
        {"carene"},
        {"carene--positionnement-permis"},
        "referent-rsa",
    ),
    (
        "ruaudin-gets-an-answer",
        "je suis au rsa a ruaudin pres du mans et je voudrais le permis",
        "72260",
        "orientation",
        {"sarthe"},
        {"sarthe--auto-ecole-sociale"},
        "referent-rsa",
    ),
    (
        "cholet-no-way-to-work-gets-the-diagnostic",
        "au RSA sur Cholet, je n'ai aucun moyen de transport pour aller au travail",
        "49099",
        "premier_pas",
        {"maine-et-loire"},
        {"maine-et-loire--diagnostic-mobilite"},
        "referent-rsa",
    ),
    (
        "sable-rsa-car-access-not-stated",
        "jsuis au rsa sur sablé sur sarthe et g pas de voiture pour bosser",
        "72264",
        "orientation",
        {"sarthe"},
        {"sarthe--mise-a-disposition-de-vehicules"},
        "referent-rsa",
    ),
    (
        "mauges-transport",
        "rsa, j'habite Beaupréau-en-Mauges, personne pour m'emmener au boulot",
        "49023",
        "orientation",
        {"mobimauges"},
        {"mobimauges--transport-solidaire"},
        "referent-rsa",
    ),
    (
        "pornichet-bilan",
        "demandeuse d'emploi et au rsa sur Pornichet, je voudrais faire un bilan de ma mobilité",
        "44132",
        "orientation",
        {"carene"},
        {"carene--bilan-mobilite"},
        "referent-rsa",
    ),
    (
        "nantes-no-platform",
        "je vis à Nantes, je suis au rsa et j'aimerais avoir mon permis",
        "44109",
        "aucune_plateforme",
        set(),
        set(),
        "referent-rsa",
    ),
    # A year and an amount are no commune: the town named is.
    (
        "a-year-and-an-amount-are-no-commune",
        "au chômage depuis 2019, j'ai payé 1800 euros de réparations l'an dernier, j'ai 40 ans, "
        "j'habite à Ernée et il me faudrait le permis",
        "53096",
        "orientation",
        {"mayenne"},
        {"mayenne--auto-ecole-sociale"},
        "france-travail",
    ),
    # A workplace is not home.
    (
        "a-workplace-is-not-home",
        "je bosse à Laval dans une usine mais j'habite à Craon, au RSA, je cherche un garage pas cher",
        "53084",
        "orientation",
        {"mayenne"},
        {"mayenne--garage-solidaire"},
        "referent-rsa",
    ),
    # A service named and asked how to get: that service, and its definition.
    (
        "a-service-named-is-that-service",
        "au RSA à Angers, c'est quoi le diagnostic mobilité et comment on l'obtient ?",
        "49007",
        "orientation",
        {"maine-et-loire"},
        {"maine-et-loire--diagnostic-mobilite"},
        "referent-rsa",
    ),
]


@pytest.mark.parametrize("case", ONE_MESSAGE, ids=[c[0] for c in ONE_MESSAGE])
def test_one_message_is_enough(chat, case):
    _, text, code, statut, platforms, services, prescriber = case
    reply = chat.say(text)
    orientation = chat.orientation(reply)
    assert orientation is not None, chat.texts(reply)
    assert orientation["commune"]["code_insee"] == code
    assert orientation["statut"] == statut
    assert _platforms(orientation) == platforms
    assert _ids(orientation) >= services
    assert orientation["prescripteur"]["id"] == prescriber
    assert re.sub(r"^(Le|Les) ", "", orientation["commune"]["nom"]) in chat.texts(reply)


def test_a_service_named_and_asked_about_is_defined_then_given(chat, snapshot):
    reply = chat.say("au RSA à Angers, c'est quoi le diagnostic mobilité et comment on l'obtient ?")
    assert messages.definition(snapshot.glossary["diagnostic-mobilite"]) in chat.texts(reply)
    assert "maine-et-loire--diagnostic-mobilite" in _ids(chat.orientation(reply))


def test_an_uncertain_town_is_confirmed_in_one_short_question(chat):
    reply = chat.say("rsa laval permis")
    assert chat.orientation(reply) is None
    assert "bien à Laval, en Mayenne ?" in chat.texts(reply)
    assert chat.question(reply) == "commune"
    assert _titles(chat.buttons(reply)) == [messages.YES, messages.OTHER_COMMUNE]
    orientation = chat.orientation(chat.say("oui"))
    assert orientation["commune"]["code_insee"] == "53130"
    assert _ids(orientation) >= {"mayenne--auto-ecole-sociale"}


def test_a_no_to_the_confirmation_asks_the_commune(chat):
    chat.say("rsa laval permis")
    reply = chat.say("non")
    assert chat.question(reply) == "commune" and chat.orientation(reply) is None
    orientation = chat.orientation(chat.say("Craon en Mayenne"))
    assert orientation["commune"]["code_insee"] == "53084"


def test_the_same_reply_is_never_sent_twice_in_a_row(chat):
    chat.say("bonjour")
    previous = None
    for text in ("bof", "bof", "bof", "bof"):
        reply = chat.texts(chat.say(text))
        assert reply != previous, f"the same reply twice to {text!r}"
        previous = reply


def test_a_fact_that_changes_nothing_is_acknowledged_not_looped(chat):
    first = chat.say("Bonjour, je touche le RSA à Rennes et ma voiture est en panne")
    assert chat.orientation(first)["commune"]["code_insee"] == "35238"
    reply = chat.texts(chat.say("45 ans"))
    assert messages.UNCHANGED in reply and messages.STUCK.split(",")[0] not in reply


def test_i_was_wrong_with_the_new_home_reorients(chat):
    chat.say("Bonjour, je touche le RSA à Rennes et ma voiture est en panne")
    orientation = chat.orientation(
        chat.say("je me suis trompée, j'habite à Ernée, je travaillais à Rennes avant")
    )
    assert orientation["commune"]["code_insee"] == "53096"
    assert "mayenne--garage-solidaire" in _ids(orientation)


def test_a_call_for_help_is_answered_as_a_greeting(chat):
    reply = chat.say("salut, j'ai besoin d'aide svp")
    assert messages.GREETING in chat.texts(reply)
    assert "Au revoir" not in chat.texts(reply)


def test_access_not_stated_is_never_called_direct(chat):
    reply = chat.say("jsuis au rsa sur sablé sur sarthe et g pas de voiture pour bosser")
    services = chat.orientation(reply)["services"]
    assert services and {s["prescription"] for s in services} == {"non_precise"}, services
    for service in services:
        assert f"{service['nom']} : accès à vérifier" in chat.texts(reply)
    assert "direct" not in chat.texts(reply)


def test_step_by_step_with_buttons_and_age(chat):
    """Need, then situation, then commune; the age is asked because it changes the prescriber."""
    reply = chat.say("bonjour")
    assert chat.question(reply) == "besoin" and chat.buttons(reply) == messages.BESOIN_BUTTONS
    permis = next(b for b in chat.buttons(reply) if b["title"] == "Passer le permis")
    reply = chat.say(permis["payload"])
    assert chat.question(reply) == "situations" and chat.buttons(reply) == messages.SITUATION_BUTTONS
    reply = chat.say('/inform{"situation": "demandeur_emploi"}')
    assert chat.question(reply) == "commune"
    reply = chat.say("Mayenne")
    assert chat.question(reply) == "age"
    reply = chat.say("24")
    orientation = chat.orientation(reply)
    assert orientation["commune"]["code_insee"] == "53147"
    assert orientation["profil"]["situations"] == ["demandeur_emploi"]
    assert orientation["profil"]["besoin"] == "permis" and orientation["profil"]["age"] == 24
    assert "mayenne--auto-ecole-sociale" in _ids(orientation)
    assert orientation["prescripteur"]["id"] == "mission-locale"


def test_what_was_said_is_not_asked_again(chat):
    reply = chat.say("j'habite à Laval, je cherche à passer le code et la conduite")
    assert chat.question(reply) == "situations"
    reply = chat.say("je touche le revenu de solidarité active")
    orientation = chat.orientation(reply)
    assert orientation["commune"]["nom"] == "Laval" and orientation["profil"]["besoin"] == "permis"


def test_a_bare_commune_answer_is_a_commune(chat):
    chat.say("au chômage et je voudrais un transport pour mes entretiens")
    reply = chat.say("evron")
    assert chat.question(reply) == "age", chat.texts(reply)
    reply = chat.say("33 ans")
    assert chat.orientation(reply)["commune"]["code_insee"] == "53097"


def test_correction_after_orientation_keeps_the_rest(chat):
    chat.say("bonjour je touche le RSA, je vis à Trignac et j'aimerais passer mon permis de conduire")
    reply = chat.say("non pardon, j'habite à Laval en fait")
    orientation = chat.orientation(reply)
    assert orientation["commune"]["code_insee"] == "53130"
    assert _platforms(orientation) == {"mayenne"}
    assert orientation["profil"]["situations"] == ["rsa"]  # kept: only the commune changed


def test_leaving_the_rsa_is_a_correction(chat):
    chat.say("je suis au rsa au Mans et je voudrais un véhicule")
    reply = chat.say("ah non je suis plus au RSA depuis janvier, je suis demandeur d'emploi maintenant")
    if chat.question(reply) == "age":
        reply = chat.say("41")
    orientation = chat.orientation(reply)
    assert orientation["profil"]["situations"] == ["demandeur_emploi"]
    assert orientation["statut"] == "aucun_service"  # the Sarthe's platform serves RSA recipients only
    assert {e["raison"] for e in orientation["non_eligibles"]} == {"public"}


def test_soft_public_is_offered_to_check_not_refused(chat):
    reply = chat.say("je suis salariée à Chemillé-en-Anjou et il me faudrait un transport pour le boulot")
    if chat.question(reply) == "age":
        reply = chat.say("j'ai 44 ans")
    orientation = chat.orientation(reply)
    [service] = orientation["services"]
    assert service["id"] == "mobimauges--transport-solidaire" and service["eligibilite"] == "a_verifier"
    assert "principalement" in chat.texts(reply)


def test_social_worker_gets_answers_about_the_person(chat):
    reply = chat.say(
        "je suis conseillère en insertion, j'accompagne une dame au RSA sur Laval qui veut le permis"
    )
    text = chat.texts(reply)
    orientation = chat.orientation(reply)
    assert orientation["voix"] == "professionnel"
    assert "l'y inscrire" in text and "vous y inscrire" not in text  # about the person, not to her
    assert "mayenne--auto-ecole-sociale" in _ids(orientation)


def test_a_beneficiary_quoting_her_adviser_is_spoken_to(chat):
    reply = chat.say(
        "ma conseillère m'a dit de vous écrire, je suis bénéficiaire du rsa à Laval et il me faut le permis"
    )
    assert chat.orientation(reply)["voix"] == "personne"
    assert "vous y inscrire" in chat.texts(reply)


def test_homonyms_are_asked_nearest_first_then_oriented_by_code(chat):
    chat.say("je suis au rsa et je veux passer le permis")
    reply = chat.say("Sainte-Gemmes")
    titles = [b["title"] for b in chat.buttons(reply)]
    assert titles[:2] == [
        "Sainte-Gemmes-sur-Loire (Maine-et-Loire, 49)",
        "Sainte-Gemmes-le-Robert (Mayenne, 53)",
    ]
    reply = chat.say(chat.buttons(reply)[1]["payload"])
    orientation = chat.orientation(reply)
    assert orientation["commune"]["code_insee"] == "53218"
    assert _platforms(orientation) == {"mayenne"}


def test_a_town_known_by_its_first_word_is_asked_about_and_never_twice_the_same(chat):
    reply = chat.say("jsui au rsa a lassay, je voudrais passer le permis")
    assert chat.question(reply) == "commune", chat.texts(reply)
    assert "53127" in " ".join(b["payload"] for b in chat.buttons(reply))
    again = chat.say("lassay")
    assert chat.texts(again) != chat.texts(reply)
    assert chat.texts(chat.say("lassay")) != chat.texts(again)


def test_an_ambiguous_postal_code_offers_its_communes(chat):
    chat.say("je suis au rsa et je veux passer le permis")
    reply = chat.say("49600")
    choice = next(b for b in chat.buttons(reply) if b["title"].startswith("Montrevault"))
    orientation = chat.orientation(chat.say(choice["payload"]))
    assert orientation["commune"]["nom"] == "Montrevault-sur-Èvre"
    assert orientation["statut"] == "premier_pas"  # no licence service in the Mauges in 2017


def test_misunderstood_answers_are_rephrased_then_can_be_skipped(chat, snapshot):
    chat.say("je suis au rsa et je veux passer le permis")
    first = chat.say("xqzkwv")
    second = chat.say("blablabla truc")
    assert chat.question(first) == chat.question(second) == "commune"
    assert chat.texts(first) != chat.texts(chat.replies[0])  # rephrased, not repeated
    assert messages.SKIP_BUTTON in chat.buttons(second)
    reply = chat.say("/skip_question")
    # No commune, no platform: the answer is whom to ask, for an RSA recipient.
    assert chat.orientation(reply) is None
    expected = wording.no_commune_message(snapshot, _prescriber_for(snapshot, ["rsa"]), PERSON)
    assert expected in chat.texts(reply)
    assert chat.buttons(reply) == messages.FOLLOW_UP_BUTTONS


def test_in_the_middle_of_the_questions_a_question_is_answered_then_the_form_goes_on(chat, snapshot, reader):
    assert chat.question(chat.say("bonjour, il me faudrait une voiture")) == "situations"
    reply = chat.say("c'est quoi un référent RSA ?")
    assert _definition(snapshot, reader, "c'est quoi un référent RSA ?") in chat.texts(reply)
    assert chat.question(reply) == "situations" and chat.buttons(reply) == messages.SITUATION_BUTTONS
    reply = chat.say("je préfère ne pas répondre")
    assert messages.SKIPPED in chat.texts(reply) and chat.question(reply) == "commune"


def test_a_question_never_loops(chat):
    """Asked, asked again in other words, then (after two answers not understood) a way out with a
    person to ask and a button to pass it; a third answer not understood passes it."""
    chat.say("bonjour, j'habite à Laval, je veux passer le permis")
    replies = [chat.say(text) for text in ("zzz", "truc", "bof")]
    assert [chat.question(r) for r in replies] == ["situations", "situations", "age"]
    assert messages.SKIP_BUTTON in chat.buttons(replies[1]) and "professionnel" in chat.texts(replies[1])
    assert messages.SKIPPED_AFTER_TRIES in chat.texts(replies[2])


def test_questions_of_their_own_again_and_again_do_not_loop(chat):
    """Each answered aside, the form's question comes back; a person who keeps asking instead
    of answering is not asked the same question forever."""
    chat.say("je suis au RSA à Chemillé-en-Anjou")
    asked = [chat.question(chat.say("c'est quoi un CCAS ?")) for _ in range(5)]
    assert asked.count("besoin") < 5, asked


@pytest.mark.parametrize(
    "text, said",
    [
        ("<script>alert(1)</script>", None),
        ("?????", messages.NOT_UNDERSTOOD),
        ("a" * 3000, messages.NOT_UNDERSTOOD),
    ],
    ids=["html", "punctuation", "3000-letters"],
)
def test_unreadable_input_gets_a_question_and_its_choices(chat, text, said):
    """Never a dead end: the bot asks one of its questions, with that question's buttons."""
    reply = chat.say(text)
    question = chat.question(reply)
    assert question in messages.QUESTION_BUTTONS, chat.texts(reply)
    assert chat.buttons(reply) == messages.QUESTION_BUTTONS[question]
    expected = [said] if said else [messages.question(question, PERSON), messages.NOT_UNDERSTOOD]
    assert any(e in chat.texts(reply) for e in expected), chat.texts(reply)
    assert "<" not in chat.texts(reply)  # the markup is not echoed


def test_a_very_long_message_is_read_from_its_start(chat):
    reply = chat.say("je suis au RSA à Laval et je veux passer le permis. " + "blabla " * 1500)
    if chat.orientation(reply) is None:  # a town without "j'habite" in a long message is confirmed
        assert "Vous habitez bien à Laval" in chat.texts(reply), chat.texts(reply)
        reply = chat.say("oui")
    orientation = chat.orientation(reply)
    assert orientation is not None, chat.texts(reply)
    assert orientation["commune"]["code_insee"] == "53130"
    assert (orientation["profil"]["situations"], orientation["profil"]["besoin"]) == (["rsa"], "permis")


def test_another_language_is_answered_in_french(chat):
    reply = chat.say("Hello, I live in Laval and I need help to get my driving licence")
    # Understood (Laval, the licence): no "I only speak French" before going on.
    assert messages.OTHER_LANGUAGE_UNDERSTOOD in chat.texts(reply)
    assert messages.OTHER_LANGUAGE not in chat.texts(reply)
    question = chat.question(reply)  # and the conversation goes on
    assert question in messages.QUESTIONS and chat.buttons(reply) == messages.QUESTION_BUTTONS.get(
        question, []
    )


def test_definition_and_prescriber_questions(chat, snapshot, reader):
    reply = chat.say("un garage solidaire, c'est quoi exactement ?")
    assert _definition(snapshot, reader, "un garage solidaire, c'est quoi exactement ?") in chat.texts(reply)
    chat.say("je touche le rsa")
    reply = chat.say("et à qui je dois m'adresser ?")
    prescriber = _prescriber_for(snapshot, ["rsa"])
    assert f"À qui demander : {prescriber.nom}." in chat.texts(reply)
    assert chat.question(reply) == "commune"  # then the questions go on


def test_restart_forgets_everything(chat):
    chat.say("bonjour je touche le RSA, je vis à Trignac et j'aimerais passer mon permis de conduire")
    reply = chat.say("on recommence tout depuis le début")
    assert messages.RESTARTED in chat.texts(reply) and chat.buttons(reply) == messages.BESOIN_BUTTONS
    reply = chat.say("je voudrais un vélo")
    assert chat.question(reply) == "situations"  # the RSA answer was forgotten


def test_a_normal_conversation_logs_no_error(bot_servers, chat):
    chat.say("bonjour")
    reply = chat.say("je touche le RSA, je vis à Trignac et j'aimerais passer mon permis de conduire")
    assert chat.orientation(reply)["commune"]["code_insee"] == "44210"
    logs = getattr(bot_servers, "log_dir", None)
    if logs is None:
        pytest.skip("servers started elsewhere (BOT_RASA_URL): their logs are not ours to read")
    for name in ("rasa.log", "actions.log"):
        errors = [
            line for line in (Path(logs) / name).read_text(errors="replace").splitlines() if " ERROR " in line
        ]
        assert errors == [], name


def test_sentences_are_not_training_examples():
    from check_heldout_disjoint import NEAR_COPY, nlu_examples, normalized, plain_text, training_files

    trained = [
        normalized(plain_text(e))
        for path in training_files(ROOT / "data" / "nlu")
        for _, e in nlu_examples(path)
    ]
    sentences = [case[1] for case in ONE_MESSAGE]
    for sentence in sentences:
        match = process.extractOne(normalized(sentence), trained, scorer=fuzz.ratio, score_cutoff=NEAR_COPY)
        assert match is None, (sentence, match)


def test_the_payload_is_plain_json(chat):
    reply = chat.say("bonjour je touche le RSA, je vis à Trignac et j'aimerais passer mon permis de conduire")
    orientation = chat.orientation(reply)
    assert orientation is not None and orientation["commune"]["code_insee"] == "44210"
    assert json.loads(json.dumps(orientation)) == orientation  # nothing a JSON reader would lose
