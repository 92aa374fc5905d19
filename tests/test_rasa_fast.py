"""scripts/rasa_fast.py replaces a Rasa method only if it is still the one it was written for."""

import subprocess
import sys
import typing
from pathlib import Path

import pytest
import rasa_fast  # scripts/ is on the path (conftest.py)

ROOT = Path(__file__).resolve().parent.parent


# Rasa 3.6.21's signature (typing.Dict, as Rasa spells it; no `from __future__ import
# annotations` here, so the signature reads the same), another body.
def same_signature_other_source(self, result: typing.Dict[str, typing.Any]) -> bool:  # noqa: UP006
    return True


def other_signature(self, result, strict=False) -> bool:
    return True


@pytest.mark.parametrize("name", list(rasa_fast.PATCHES))
@pytest.mark.parametrize("function", [same_signature_other_source, other_signature, len])
def test_guard_refuses_a_changed_method_and_names_it_with_the_rasa_version(name, function):
    with pytest.raises(rasa_fast.RasaChanged) as raised:
        rasa_fast.check_unchanged(name, function)
    message = str(raised.value)
    assert name in message
    assert rasa_fast.PATCHES[name][2] in message  # what to adapt
    assert f"installed Rasa {rasa_fast._rasa_version()}" in message


def test_installed_rasa_is_the_version_the_patch_was_written_for():
    assert rasa_fast._rasa_version() == rasa_fast.WRITTEN_FOR  # else: review the patch, then bump


@pytest.mark.slow  # imports Rasa's core (TensorFlow): about 10 s and 0.5 GB, in a child process
def test_guard_passes_on_the_installed_rasa_and_the_patch_is_applied():
    code = (
        "import rasa_fast; rasa_fast.install(); rasa_fast.install_load_for_prediction()\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "from rasa.utils.tensorflow.models import RasaModel\n"
        "assert RemoteAction._validate_action_result is rasa_fast._validate_action_result\n"
        "assert RemoteAction._validate_action_result(None, {'events': [], 'responses': []})\n"
        "assert RasaModel.load.__func__ is rasa_fast._load_for_prediction\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "scripts", capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]


def _rasa_events() -> list[dict]:
    """One event of every kind Rasa 3.6 serialises, as the action server would send it."""
    from rasa.shared.core import events as e

    return [
        event.as_dict()
        for event in (
            e.UserUttered(
                "je suis au rsa",
                intent={"name": "informer", "confidence": 0.9},
                entities=[{"entity": "statut", "value": "rsa", "start": 11, "end": 14}],
            ),
            e.BotUttered("Dans quelle commune ?", data={"buttons": [{"title": "Laval", "payload": "/x"}]}),
            e.SlotSet("commune", "Laval"),
            e.SlotSet("besoins", ["permis", "velo"]),
            e.SlotSet("age", None),
            e.ActionExecuted("action_orienter", policy="RulePolicy", confidence=1.0),
            e.ActiveLoop("orientation_form"),
            e.ActiveLoop(None),
            e.FollowupAction("action_orienter"),
            e.Restarted(),
            e.AllSlotsReset(),
            e.ReminderScheduled("relance", __import__("datetime").datetime(2026, 1, 1)),
            e.ReminderCancelled(name="relance"),
            e.ActionReverted(),
            e.UserUtteranceReverted(),
            e.ConversationPaused(),
            e.ConversationResumed(),
            e.StoryExported(),
            e.SessionStarted(),
            e.AgentUttered("x"),
            e.LoopInterrupted(True),
            e.ActionExecutionRejected("action_orienter"),
            e.EntitiesAdded([{"entity": "commune", "value": "Laval"}]),
            e.DefinePrevUserUtteredFeaturization(True),
        )
    ] + [  # the legacy kinds Rasa still accepts but now writes as active_loop and loop_interrupted
        {"event": "form", "name": "orientation_form", "timestamp": None},
        {"event": "form_validation", "validate": False, "timestamp": None},
    ]


def _variants(events: list[dict]):
    """Valid responses, and responses broken in every field of every event and of the envelope."""
    yield {"events": events, "responses": [{"text": "Bonjour"}]}
    yield {}
    for broken in ([], "x", None, 3):
        yield broken
        yield {"events": broken}
        yield {"events": [], "responses": broken}
        yield {"events": [broken]}
    yield {"events": [], "responses": ["texte"]}
    for event in events:
        yield {"events": [event]}
        yield {"events": [{k: v for k, v in event.items() if k != "event"}]}
        for key in event:
            for value in (3, "x", None, [], {}, True, "slot", "inconnu"):
                yield {"events": [{**event, key: value}]}


@pytest.mark.slow  # imports Rasa's core (TensorFlow)
def test_each_event_checked_by_its_kind_accepts_exactly_what_the_whole_schema_accepts():
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    whole, fast = validator_for(schema)(schema), rasa_fast.ResponseValidator(schema)
    events = _rasa_events()
    assert {event["event"] for event in events} == set(fast.kinds)  # every kind is exercised
    verdicts = {True: 0, False: 0}
    for response in _variants(events):
        expected = whole.is_valid(response)
        assert fast.is_valid(response) == expected, response
        verdicts[expected] += 1
        if not expected:  # the error is the whole schema's, word for word
            with pytest.raises(ValidationError) as raised:
                fast.validate(response)
            assert raised.value.message == next(whole.iter_errors(response)).message
    assert verdicts[True] > 50 and verdicts[False] > 50, verdicts


# Rasa's load, then the fast one, in one child process; each model's predictions on stdin's texts.
_BOTH_LOADS = """
import asyncio, json, sys
import rasa_fast
from rasa.core.agent import Agent


def predictions(agent, texts):
    async def parse_all():
        return [await agent.parse_message(text) for text in texts]

    return [
        {
            "ranking": [(r["name"], r["confidence"]) for r in p["intent_ranking"]],
            "entities": [(e["entity"], e["start"], e["end"], e.get("value")) for e in p["entities"]],
        }
        for p in asyncio.run(parse_all())
    ]


texts = json.load(sys.stdin)
rasa = predictions(Agent.load(sys.argv[1]), texts)
rasa_fast.install_load_for_prediction()
fast = predictions(Agent.load(sys.argv[1]), texts)
print()
print("PREDICTIONS", json.dumps({"rasa": rasa, "fast": fast}))  # after what Rasa itself prints
"""


@pytest.mark.model  # the trained model, loaded twice, and 2 × 379 parses: about 90 s
def test_the_model_loaded_without_a_training_step_predicts_exactly_as_rasas_load():
    import json
    import os

    from rasa.shared.nlu.training_data.loading import load_data

    model = next((ROOT / "models").glob("*.tar.gz"), None)
    if model is None:
        pytest.fail("No trained model in models/: run `make train` (make test does it).")
    texts = [m.get("text") for m in load_data(str(ROOT / "tests" / "nlu" / "heldout.yml")).training_examples]
    result = subprocess.run(
        [sys.executable, "-c", _BOTH_LOADS, str(model)],
        cwd=ROOT,  # config.yml names the spaCy model by a path from here
        env={**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'scripts'}"},
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    both = json.loads(result.stdout.rpartition("\nPREDICTIONS ")[2])
    assert len(both["rasa"]) == len(texts) > 300
    assert (
        both["fast"] == both["rasa"]
    )  # every intent ranking and confidence, every entity, to the last digit
