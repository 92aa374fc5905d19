"""The review of real conversations (orientation/review, rasa_server/review.py): masking, the moments
found in stored events (with Rasa's own marker classes on markers.yml), their ranking, and the
training data a chosen reading becomes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from review_events import action, bot, lecture, now_after, place, session, slot, user

from orientation.review.groups import digest, sections, text_key
from orientation.review.masking import mask, masked_values
from orientation.review.moments import find_moments
from orientation.review.training import (
    ROLES,
    Label,
    TrainingData,
    example_from,
    merged_lexicon,
    merged_nlu,
    unified_patch,
)

ROOT = Path(__file__).resolve().parent.parent
INTENTS = ["inform", "deny", "affirm", "greet", "goodbye", "change_answer", "skip_question", "out_of_scope"]

# ---- masking -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("appelez le 06 12 34 56 78", "appelez le •• •• •• •• ••"),
        ("mon tel 0612345678.", "mon tel ••••••••••."),
        ("+33 6 12 34 56 78 svp", "+•• • •• •• •• •• svp"),
        ("né le 12/05/1990 à Laval", "né le ••/••/•••• à Laval"),
        ("allocataire 1234567A", "allocataire •••••••A"),
        ("écrivez à marie.lambert@exemple.fr merci", "écrivez à •••••.•••••••@•••••••.•• merci"),
        ("j'habite au 53000 et j'ai 24 ans", "j'habite au 53000 et j'ai 24 ans"),
        ("2 enfants de 3 et 5 ans, en 2024", "2 enfants de 3 et 5 ans, en 2024"),
    ],
    ids=[
        "phone-spaced",
        "phone-joined",
        "phone-international",
        "birth-date",
        "long-number",
        "email",
        "postal-code-and-age-kept",
        "small-numbers-kept",
    ],
)
def test_masking_hides_phones_addresses_and_long_numbers_and_keeps_the_length(text, expected):
    assert mask(text) == expected
    assert len(mask(text)) == len(text)  # the reading's spans stay where they were
    assert mask(mask(text)) == mask(text)


def test_masking_reaches_every_string_of_a_reading():
    reading = {"places": [{"text": "0612345678", "codes": []}], "number": 612345678, "age": 24}
    assert masked_values(reading) == {
        "places": [{"text": "••••••••••", "codes": []}],
        "number": None,
        "age": 24,
    }


# ---- moments -------------------------------------------------------------------------------------


def marker_hits(events):
    """markers.yml evaluated by Rasa's marker classes, as rasa_server/review.py does."""
    from rasa.core.evaluation.marker_base import Marker
    from rasa.shared.core.events import Event

    from rasa_server.review import MARKERS, marker_hits

    return marker_hits(Marker.from_path(MARKERS), [Event.from_parameters(dict(e)) for e in events])


def moments_of(events, sender="conversation-1", seconds_after=5, hits=None):
    hits = marker_hits(events) if hits is None else hits
    return find_moments(sender, events, hits, now_after(events, seconds_after))


def kinds(moments):
    return [(m.kind, m.found_by, (m.message or {}).get("text")) for m in moments]


def test_markers_yml_is_valid_for_rasa_evaluate_markers():
    from rasa.core.evaluation.marker_base import Marker
    from rasa.shared.core.domain import Domain

    marker = Marker.from_path(ROOT / "markers.yml")
    assert {str(m) for m in marker.sub_markers} == {
        "incompris",
        "question_passee",
        "changement_apres_orientation",
        "commune_refusee",
    }
    assert marker.validate_against_domain(Domain.load(ROOT / "domain.yml"))


def test_a_fallback_is_found_by_the_rasa_marker():
    events = [
        *session(),
        user("wesh", intent="nlu_fallback", confidence=0.3),
        action("action_incompris"),
        bot("Je n'ai pas bien compris. Je vous aide…", question="besoin"),
    ]
    assert kinds(moments_of(events)) == [("incompris", "marqueur", "wesh")]


def test_an_inform_the_reading_found_nothing_in_is_not_understood():
    events = [
        *session(),
        bot("Bonjour !", question="besoin"),
        user("ma caisse tousse", lecture=lecture()),
        action("orientation_form"),
        bot("Quelle est votre situation ?", question="situations"),
        user("au rsa", lecture=lecture(situations=["rsa"])),
    ]
    (moment,) = moments_of(events)
    assert (moment.kind, moment.found_by, moment.message["text"]) == ("incompris", "code", "ma caisse tousse")
    assert moment.message["question"] == "besoin" and "aucun fait" in moment.context


@pytest.mark.parametrize(
    "reading",
    [lecture(signals=["salutation"]), lecture(places=[place("je touche le chomdu", codes=())])],
    ids=["a-greeting-is-no-fact", "the-whole-message-as-an-unknown-commune-is-no-fact"],
)
def test_nothing_read_is_nothing_read(reading):
    events = [
        *session(),
        user("slt je touche le chomdu", lecture=reading),
        bot("Quelle est votre situation ?"),
    ]
    assert kinds(moments_of(events)) == [("incompris", "code", "slt je touche le chomdu")]


def test_a_definition_of_an_unknown_word_is_not_understood():
    events = [
        *session(),
        user("ya quoi comme aide", intent="ask_definition", lecture=lecture(signals=["aide"])),
        action("action_define_term"),
        bot("Je n'ai pas de définition pour ce mot. Je peux expliquer ces mots :\n• RSA"),
    ]
    (moment,) = moments_of(events)
    assert (moment.kind, moment.message["text"]) == ("incompris", "ya quoi comme aide")
    assert "glossaire" in moment.context


def test_a_question_asked_again_is_found_by_the_relance_slot():
    events = [
        *session(),
        bot("Dans quelle commune habitez-vous ?", question="commune"),
        user("a coté du bourg", lecture=lecture(places=[place("a coté du bourg", codes=())])),
        slot("relance", "commune:2"),
        bot("Je ne trouve pas la commune…", question="commune"),
    ]
    (moment,) = moments_of(events)
    assert moment.kind == "question_reposee" and moment.message["text"] == "a coté du bourg"
    assert "la commune" in moment.context and "2e fois" in moment.context
    assert moment.answer == ("Je ne trouve pas la commune…",)


def test_a_question_passed_with_the_button_shows_the_answer_before_it():
    events = [
        *session(),
        bot("Dans quelle commune habitez-vous ?", question="commune"),
        user("vers chez ma tante", lecture=lecture()),
        slot("relance", "commune:2"),
        bot("Je ne trouve pas la commune « vers chez ma tante ».", question="commune"),
        user("/skip_question", intent="skip_question", confidence=1.0),
        action("action_passer_question"),
        bot("D'accord, je passe cette question."),
    ]
    found = kinds(moments_of(events))
    assert ("question_passee", "marqueur", "vers chez ma tante") in found
    assert ("question_reposee", "code", "vers chez ma tante") in found


def _oriented(first="je suis au rsa à Laval et je veux le permis"):
    return [
        *session(),
        user(first, lecture=lecture(situations=["rsa"], besoin="permis", places=[place("Laval", start=17)])),
        slot("situations", ["rsa"]),
        slot("commune", "Laval"),
        slot("code_insee", "53130"),
        slot("besoin", "permis"),
        action("action_orienter"),
        bot("À Laval, la Plateforme mobilité de la Mayenne propose…", orientation=True),
    ]


def test_changing_an_answer_after_an_orientation_shows_the_message_that_gave_it():
    change = {"entity": "reponse", "value": "commune", "start": 0, "end": 0}
    events = _oriented() + [
        user('/change_answer{"reponse": "commune"}', intent="change_answer", entities=[change]),
        action("action_changer"),
        slot("commune", None),
    ]
    (moment,) = moments_of(events)
    assert (moment.kind, moment.found_by) == ("correction", "marqueur")
    assert moment.message["text"].startswith("je suis au rsa à Laval")
    assert "Changer de commune" in moment.context


def test_a_correction_in_words_right_after_an_orientation_is_found_by_its_reading():
    events = _oriented() + [
        user("non j'habite à Evron", lecture=lecture(signals=["correction", "non"], places=[place("Evron")])),
        slot("code_insee", "53097"),
    ]
    (moment,) = moments_of(events)
    assert (moment.kind, moment.found_by) == ("correction", "code")
    assert "non j'habite à Evron" in moment.context


def test_a_confirmation_answered_no_shows_the_word_the_bot_was_unsure_of():
    events = [
        *session(),
        bot("Dans quelle commune habitez-vous ?", question="commune"),
        user("mamer", lecture=lecture(places=[place("mamer", codes=("72180",))])),
        bot("Vous habitez bien à Mamers (Sarthe, 72) ?", question="commune"),
        slot("commune_proposee", "72180"),
        user("/deny", intent="deny", confidence=1.0),
        slot("commune_proposee", None),
    ]
    (moment,) = moments_of(events)
    assert (moment.kind, moment.found_by, moment.message["text"]) == (
        "confirmation_refusee",
        "marqueur",
        "mamer",
    )
    assert "Vous habitez bien à Mamers" in moment.context and "Non, une autre commune" in moment.context


def test_a_conversation_left_without_an_orientation_counts_once_it_is_over():
    events = [
        *session(),
        user("bonjour", intent="greet"),
        bot("Bonjour !", question="besoin"),
        user("c'est pour mon fils", intent="out_of_scope", lecture=lecture(signals=["aussi"])),
        bot("Je n'ai pas bien compris.", question="besoin"),
    ]
    assert [m.kind for m in moments_of(events, seconds_after=60)] == []  # maybe still typing
    (moment,) = moments_of(events, seconds_after=11 * 60)
    assert moment.kind == "sans_orientation" and moment.message["text"] == "c'est pour mon fils"
    assert "arrêtée sur la question sur le besoin" in moment.context  # where people leave
    goodbye = events + [user("au revoir", intent="goodbye"), bot("Au revoir")]
    (moment,) = moments_of(goodbye, seconds_after=1)
    assert moment.message["text"] == "c'est pour mon fils"  # what was said, not "au revoir"
    greeting_only = [*session(), user("bonjour", intent="greet"), bot("Bonjour !", question="besoin")]
    assert moments_of(greeting_only, seconds_after=11 * 60) == []


def test_moments_are_masked_named_by_a_hash_and_simulated_ones_say_so():
    phone = "rappelez moi au 06 12 34 56 78"
    events = [
        *session(),
        user(phone, intent="nlu_fallback", lecture=lecture(number=612345678)),
        action("action_incompris"),
    ]
    (moment,) = moments_of(events, sender="simulation-001-abc")
    assert moment.simulated and moment.message["text"] == "rappelez moi au •• •• •• •• ••"
    assert moment.message["lecture"]["number"] is None
    assert "simulation" not in moment.conversation and len(moment.conversation) == 12
    assert "06 12" not in json.dumps(moment.as_dict())
    assert moments_of(events, sender="readiness-1234") == []


# ---- groups -------------------------------------------------------------------------------------


def _moment(kind, text, conversation, at, simulated=False):
    return {
        "kind": kind,
        "conversation": conversation,
        "timestamp": at,
        "simulated": simulated,
        "found_by": "code",
        "message": {"text": text, "intent": "inform", "lecture": {}},
        "answer": [],
        "context": None,
    }


def test_sections_rank_kinds_then_messages_by_how_often_they_happen():
    moments = [
        _moment("incompris", "ma caisse tousse", "a", 1),
        _moment("incompris", "Ma caisse tousse !", "b", 2),
        _moment("incompris", "ma caisse tousse", "c", 3),
        _moment("incompris", "wesh", "d", 9),
        _moment("question_reposee", "a coté du bourg", "e", 4),
        _moment("question_reposee", "vers chez ma tante", "f", 5),
        _moment("question_reposee", "vers chez ma tante", "f", 6),
        _moment("sans_orientation", "jsp", "g", 7),
        {**_moment("question_passee", "", "h", 8), "message": None},
    ]
    listed = sections(moments)
    assert [(s.kind, s.count) for s in listed] == [
        ("incompris", 4),
        ("question_reposee", 3),
        ("question_passee", 1),
        ("sans_orientation", 1),
    ]
    groups = listed[0].groups
    assert [(g.key, g.count, g.conversations) for g in groups] == [("ma caisse tousse", 3, 3), ("wesh", 1, 1)]
    assert groups[0].example["message"]["text"] == "ma caisse tousse"  # the latest occurrence
    assert [(g.key, g.count, g.conversations) for g in listed[1].groups][0] == ("vers chez ma tante", 2, 1)
    assert listed[2].without_message == 1 and listed[2].groups == []
    done = sections(moments, done={digest("MA CAISSE TOUSSE")})
    assert [g.key for g in done[0].groups] == ["wesh"] and done[0].done == 3


# ---- training data --------------------------------------------------------------------------------


def test_roles_are_the_readers():
    from orientation.language.reading.facts import ROLES as READER_ROLES

    assert ROLES == READER_ROLES


def test_a_chosen_reading_becomes_an_annotated_example_and_lexicon_phrases():
    label = Label(
        text="slt ma caisse tousse, je bosse à Laval [urgent]",
        intent="inform",
        besoin="reparation",
        besoin_words="ma caisse tousse",
        commune_words="laval",
        commune_role="travail",
    )
    example, problems = example_from(label, INTENTS)
    assert problems == []
    assert example.annotated == (
        'slt [ma caisse tousse]{"entity": "besoin", "value": "reparation"}, je bosse à '
        '[Laval]{"entity": "commune", "role": "travail"} (urgent)'
    )
    assert example.lexicon == {"besoins": {"reparation": ["ma caisse tousse"]}}


@pytest.mark.parametrize(
    "label, problem",
    [
        (Label("ma caisse tousse", "inexistante"), "Intention inconnue"),
        (Label("ma caisse tousse", "inform", besoin="reparation", besoin_words="ma bagnole"), "recopiés"),
        (Label("ma caisse tousse", "inform", besoin="voler"), "Code inconnu"),
        (Label("ma caisse", "inform", commune_words="caisse", commune_role="lune"), "Rôle"),
        (Label("/inform{}", "inform"), "pas de texte"),
    ],
    ids=["unknown-intent", "words-not-in-the-message", "unknown-need", "unknown-role", "a-button"],
)
def test_a_label_that_cannot_be_an_example_says_why(label, problem):
    example, problems = example_from(label, INTENTS)
    assert example is None and any(problem in p for p in problems), problems


def test_examples_a_measure_or_the_data_would_suffer_from_are_refused():
    data = TrainingData(nlu_file=ROOT / "data" / "nlu" / "revue-absent.yml")
    heldout = data.heldout_sentences()[0]
    trained = next(k for k, (_, intent) in data.trained().items() if intent == "greet")
    cases = [
        (Label(heldout, "inform"), "jeu réservé"),
        (Label(trained, "inform"), "déjà un exemple de l'intention « greet »"),
        (
            Label("j'ai besoin du permis", "inform", besoin="reparation", besoin_words="permis"),
            "déjà dans lexique.yml",
        ),
    ]
    for label, problem in cases:
        example, _ = example_from(label, INTENTS)
        assert any(problem in p for p in data.problems(example)), (label, data.problems(example))
    fine, _ = example_from(
        Label("ma caisse tousse grave", "inform", besoin="reparation", besoin_words="caisse tousse"), INTENTS
    )
    assert data.problems(fine) == []


def test_the_files_are_valid_rasa_data_and_a_second_label_replaces_the_first(tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    first, _ = example_from(
        Label("ma caisse tousse", "inform", besoin="reparation", besoin_words="caisse tousse"), INTENTS
    )
    other, _ = example_from(
        Label("je bosse a Craon", "inform", commune_words="Craon", commune_role="travail"), INTENTS
    )
    again, _ = example_from(Label("Ma caisse tousse", "out_of_scope"), INTENTS)
    text = merged_nlu(merged_nlu(None, [first, other]), [again])
    assert merged_nlu(text, []) == text  # rewriting changes nothing
    path = tmp_path / "revue.yml"
    path.write_text(text, encoding="utf-8")
    data = load_data(str(path))
    by_text = {m.get("text"): m for m in data.training_examples}
    assert by_text["Ma caisse tousse"].get("intent") == "out_of_scope"
    assert "ma caisse tousse" not in by_text  # relabelled, not duplicated
    (commune,) = by_text["je bosse a Craon"].get("entities")
    assert (commune["entity"], commune["role"], commune["value"]) == ("commune", "travail", "Craon")
    lexicon = yaml.safe_load(merged_lexicon("besoins:\n  reparation: [ma caisse tousse]\n", [first, first]))
    assert lexicon == {"besoins": {"reparation": ["ma caisse tousse", "caisse tousse"]}}


def test_the_reader_understands_a_phrase_taught_in_lexique_revu(tmp_path, reader):
    from orientation.language.reading import Reader, spacy_dictionary
    from orientation.language.reading.lexicon import Lexicon
    from orientation.language.reading.places import PlaceFinder

    example, _ = example_from(
        Label("ma caisse tousse", "inform", besoin="reparation", besoin_words="ma caisse tousse"), INTENTS
    )
    taught = tmp_path / "lexique_revu.yml"
    taught.write_text(merged_lexicon(None, [example]), encoding="utf-8")

    def besoin(reviewed):  # lexique.yml and `reviewed` only: not the repository's lexique_revu.yml
        lexicon = Lexicon.load(reviewed=reviewed)
        ordinary = spacy_dictionary(reader.nlp) | lexicon.ordinary_words
        places = PlaceFinder(reader.places.communes, lexicon, ordinary)
        return Reader(reader.nlp, lexicon, places, reader.needs).read("ma caisse tousse").besoin

    assert besoin(tmp_path / "absent.yml") is None
    assert besoin(taught) == "reparation"


def test_the_patch_applies_to_the_repository_with_git(tmp_path):
    example, _ = example_from(
        Label("ma caisse tousse", "inform", besoin="reparation", besoin_words="caisse tousse"), INTENTS
    )
    repo = tmp_path / "repo"
    (repo / "data" / "nlu").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    before = merged_nlu(None, [])
    (repo / "data" / "nlu" / "revue.yml").write_text(before, encoding="utf-8")
    patch = unified_patch("data/nlu/revue.yml", before, merged_nlu(before, [example]))
    patch += unified_patch("orientation/language/lexique_revu.yml", None, merged_lexicon(None, [example]))
    (tmp_path / "revue.patch").write_text(patch, encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "apply", str(tmp_path / "revue.patch")], check=True)
    assert "caisse tousse" in (repo / "orientation" / "language" / "lexique_revu.yml").read_text()
    assert example.annotated in (repo / "data" / "nlu" / "revue.yml").read_text()


def test_a_reviewed_sentence_close_to_a_held_out_one_fails_the_disjointness_check(tmp_path):
    heldout = next(s for s in TrainingData().heldout_sentences() if len(s) > 40)
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    (nlu / "revue.yml").write_text(
        merged_nlu(None, [example_from(Label(heldout.upper() + " !", "inform"), INTENTS)[0]])
    )
    result = subprocess.run(
        [sys.executable, "scripts/check_heldout_disjoint.py", "--nlu", str(nlu)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "revue.yml" in result.stdout


def test_a_key_is_the_masked_normalized_text():
    assert text_key("Ma caisse TOUSSE !") == text_key("ma caisse tousse") == "ma caisse tousse"
    assert text_key("06 12 34 56 78") == text_key("07 00 00 00 00")


def test_a_phrase_the_lexicon_already_gives_the_same_code_is_not_added_again():
    known, _ = example_from(
        Label("je veux le permis", "inform", besoin="permis", besoin_words="permis"), INTENTS
    )
    new, _ = example_from(
        Label("ma caisse tousse", "inform", besoin="reparation", besoin_words="caisse tousse"), INTENTS
    )
    _, lexicon = TrainingData(nlu_file=ROOT / "data" / "nlu" / "revue-absent.yml").contents(
        [known, new], None, None
    )
    assert yaml.safe_load(lexicon) == {"besoins": {"reparation": ["caisse tousse"]}}


def test_a_conversation_is_read_again_only_once_it_changed_and_forgotten_at_once():
    """The review reads each stored conversation once, again only when it changed or ended;
    a conversation no longer stored leaves the page at once."""
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_server import review
    from rasa_server.tracker_store import ExpiringInMemoryTrackerStore

    def conversation(sender, *said):
        events = [*session()]
        for text in said:
            events += [user(text, intent="nlu_fallback"), action("action_incompris")]
        return DialogueStateTracker.from_events(sender, [Event.from_parameters(dict(e)) for e in events])

    store = ExpiringInMemoryTrackerStore(Domain.empty())
    read = []
    retrieve = store.retrieve_full_tracker

    async def counting(sender):
        read.append(sender)
        return await retrieve(sender)

    store.retrieve_full_tracker = counting

    async def scenario():
        for sender in ("revue-a", "revue-b"):
            await store.save(conversation(sender, "blabla"))
        at = now_after([{"timestamp": e.timestamp} for e in (await retrieve("revue-b")).events], 5)
        first = await review.collect(store, at)
        again = await review.collect(store, at + 1)
        read_after_two = list(read)
        await store.save(conversation("revue-a", "blabla", "encore autre chose"))
        third = await review.collect(store, at + 2)
        store.store.pop("revue-b")  # forgotten
        fourth = await review.collect(store, at + 3)
        return first, again, read_after_two, third, fourth

    first, again, read_after_two, third, fourth = asyncio.run(scenario())
    assert first["conversations"] == again["conversations"] == 2
    assert again["moments"] == first["moments"] and len(first["moments"]) == 2
    assert sorted(read_after_two) == ["revue-a", "revue-b"]  # the second collection read nothing
    assert read[len(read_after_two) :] == ["revue-a"]  # only the changed one, once
    assert len(third["moments"]) == 3
    assert fourth["conversations"] == 1 and "revue-b" not in review._read
