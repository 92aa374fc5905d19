"""rasa_server/patches.py: every replaced Rasa internal in one registry, each replaced only if it
is still the code it was written for; `python -m rasa_server` installs them."""

import ast
import json
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from model_run import run_on_model

from rasa_server import patches
from rasa_server.action_response import ResponseValidator

ROOT = Path(__file__).resolve().parent.parent
BY_TARGET = {p.target: p for p in patches.PATCHES}


# Rasa 3.6.21's signature (typing.Dict, as Rasa spells it; no `from __future__ import
# annotations` here, so the signature reads the same), another body.
def same_signature_other_source(self, result: typing.Dict[str, typing.Any]) -> bool:  # noqa: UP006
    return True


def other_signature(self, result, strict=False) -> bool:
    return True


@pytest.mark.parametrize("target", list(BY_TARGET))
@pytest.mark.parametrize("function", [same_signature_other_source, other_signature, len])
def test_guard_refuses_a_changed_method_and_names_it_with_the_rasa_version(target, function):
    patch = BY_TARGET[target]
    with pytest.raises(patches.RasaChanged) as raised:
        patches.check(patch, function)
    message = str(raised.value)
    assert target in message
    assert (patch.replacement or patch.overridden_by) in message  # what to adapt
    assert f"installed {patch.package} {patches.installed_version(patch.package)}" in message


def test_installed_rasa_is_the_version_the_patches_were_written_for():
    for package, written_for in patches.WRITTEN_FOR.items():
        assert patches.installed_version(package) == written_for  # else: review every entry, then bump


def test_each_entry_says_why_and_either_replaces_or_is_overridden():
    assert len(BY_TARGET) == len(patches.PATCHES)
    for patch in patches.PATCHES:
        assert patch.why and len(patch.sha256) == 64, patch.target
        assert (patch.replacement is None) != (patch.overridden_by is None), patch.target
        assert patch.servers <= {patches.RASA, patches.ACTIONS}, patch.target
        assert patch.package in patches.WRITTEN_FOR, patch.target


# A name bound to Rasa (an import from rasa or rasa_sdk) whose attribute is assigned outside the registry.
ALLOWED_ASSIGNMENTS = {
    # A setting, not code: read by RemoteAction.run, whose source the registry checks.
    ("rasa_server/resilience.py", "rasa_action.DEFAULT_REQUEST_TIMEOUT"),
}


def _rasa_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("rasa", "rasa_sdk"):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {
                (alias.asname or alias.name).split(".")[0]
                for alias in node.names
                if alias.name.split(".")[0] in ("rasa", "rasa_sdk")
            }
    return names


def test_no_rasa_internal_is_replaced_outside_the_registry():
    """An assignment to an attribute of something imported from Rasa, or a setattr, anywhere but
    rasa_server/patches.py, is a patch the registry does not check."""
    found = []
    for folder in ("rasa_server", "actions", "web", "orientation", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if relative == "rasa_server/patches.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            rasa = _rasa_names(tree)
            for node in ast.walk(tree):
                targets = node.targets if isinstance(node, ast.Assign) else []
                for target in targets:
                    root = target
                    while isinstance(root, ast.Attribute):
                        root = root.value
                    if isinstance(target, ast.Attribute) and isinstance(root, ast.Name) and root.id in rasa:
                        found.append((relative, ast.unparse(target)))
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr":
                    if isinstance(node.args[0], ast.Name) and node.args[0].id in rasa:
                        found.append((relative, ast.unparse(node)))
    assert set(found) <= ALLOWED_ASSIGNMENTS, sorted(set(found) - ALLOWED_ASSIGNMENTS)


_INSTALL = """
import json, sys
from rasa_server import patches
replaced = patches.install("rasa") + patches.install("actions")
patches.install("rasa")  # a second time changes nothing
from rasa.core.actions.action import RemoteAction
assert RemoteAction._validate_action_result(None, {"events": [], "responses": []})
state = {}
for patch in patches.PATCHES:
    function = patches.resolve(patch.target)[3]
    state[patch.target] = [getattr(function, "__rasa_patch__", None), patches.original(patch) is not function]
print("STATE", json.dumps({"replaced": replaced, "state": state}))
"""


@pytest.mark.slow  # imports Rasa's core (TensorFlow): about 10 s and 0.5 GB, in a child process
def test_every_entry_matches_the_installed_rasa_and_install_replaces_each_once():
    checked = subprocess.run(
        [sys.executable, "-m", "rasa_server", "check"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert checked.returncode == 0, checked.stderr[-2000:]
    result = subprocess.run(
        [sys.executable, "-c", _INSTALL], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    done = json.loads(result.stdout.rpartition("STATE ")[2])
    replacing = [p.target for p in patches.PATCHES if p.replacement]
    assert sorted(done["replaced"]) == sorted(replacing)
    for patch in patches.PATCHES:
        marker, replaced = done["state"][patch.target]
        assert (marker == patch.target) == bool(patch.replacement), patch.target
        assert replaced == bool(patch.replacement), patch.target


_CHANGED = """
import dataclasses
from rasa_server import patches
last = patches.PATCHES[-1]
patches.PATCHES = patches.PATCHES[:-1] + (dataclasses.replace(last, sha256="0" * 64),)
try:
    patches.install("rasa")
except patches.RasaChanged as changed:
    print("REFUSED", changed)
from rasa.core.actions.action import RemoteAction
assert not hasattr(RemoteAction._validate_action_result, "__rasa_patch__"), "half patched"
"""


@pytest.mark.slow  # imports Rasa's core (TensorFlow)
def test_one_changed_method_stops_the_start_before_anything_is_replaced():
    result = subprocess.run(
        [sys.executable, "-c", _CHANGED], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"REFUSED rasa_server/patches.py: {patches.PATCHES[-1].target}" in result.stdout


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
    whole, fast = validator_for(schema)(schema), ResponseValidator(schema)
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
from rasa_server import patches
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
patches.apply(next(p for p in patches.PATCHES if p.target.endswith("RasaModel.load")))
fast = predictions(Agent.load(sys.argv[1]), texts)
print()
print("PREDICTIONS", json.dumps({"rasa": rasa, "fast": fast}))  # after what Rasa itself prints
"""


@pytest.mark.model  # the trained model, loaded twice, and 2 × 379 parses: about 90 s
def test_the_model_loaded_without_a_training_step_predicts_exactly_as_rasas_load():
    from rasa.shared.nlu.training_data.loading import load_data

    model = next((ROOT / "models").glob("*.tar.gz"), None)
    if model is None:
        pytest.fail("No trained model in models/: run `make train` (make test does it).")
    texts = [m.get("text") for m in load_data(str(ROOT / "tests" / "nlu" / "heldout.yml")).training_examples]
    both = run_on_model(_BOTH_LOADS, model, texts, "PREDICTIONS")
    assert len(both["rasa"]) == len(texts) > 300
    assert (
        both["fast"] == both["rasa"]
    )  # every intent ranking and confidence, every entity, to the last digit


def test_event_kinds_by_table_resolve_each_name_as_rasas_walk():
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    from rasa_server.event_kinds import resolve_by_type

    original = patches.original(next(p for p in patches.PATCHES if p.target.endswith("resolve_by_type")))
    resolve = resolve_by_type(original)
    names = {kind.type_name for kind in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert resolve(name) is original(name)
    assert resolve("topic") is None and resolve("unknown", Event) is Event
    with pytest.raises(ValueError):
        resolve("unknown")


def _tracker(messages: int):
    """A tracker as Rasa keeps it: each message, the slot it set, and the bot's answer."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.slots import AnySlot
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    for n in range(messages):
        events += [
            UserUttered(f"message {n}", {"name": "inform", "confidence": 1.0}),
            SlotSet("age", n),
            ActionExecuted("action_orienter"),
            BotUttered(f"réponse {n}"),
            ActionExecuted("action_listen"),
        ]
    return DialogueStateTracker.from_events("x", events, slots=[AnySlot("age", mappings=[{}])])


@pytest.mark.parametrize("messages", [0, 1, 2, 5])
def test_an_action_call_sends_rasas_tracker_with_the_events_from_the_message_before_last(messages):
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    from rasa_server.action_call import sending_recent_events

    patch = BY_TARGET["rasa.core.actions.action.RemoteAction._action_call_format"]
    rasa_format = patches.original(patch)
    action = RemoteAction("action_orienter", EndpointConfig("http://127.0.0.1:1/webhook"))
    tracker, domain = _tracker(messages), Domain.empty()

    ours, rasas = (
        sending_recent_events(rasa_format)(action, tracker, domain),
        rasa_format(action, tracker, domain),
    )
    sent, whole = ours["tracker"].pop("events"), rasas["tracker"].pop("events")
    assert ours == rasas  # slots, latest message, active loop, domain…: all of it but the events
    assert sent == whole[len(whole) - len(sent) :]  # the last events, as Rasa writes them
    users = [e for e in sent if e["event"] == "user"]
    assert [u["text"] for u in users] == [f"message {n}" for n in range(max(0, messages - 2), messages)]
    if messages >= 2:
        assert sent[0]["event"] == "user"  # from the message before last, nothing older
    else:
        assert sent == whole


def test_endpoint_requests_keep_one_connection_and_reconnect_once_the_server_is_back():
    """Rasa's requests to an endpoint reuse a connection; when the server restarts, the next
    request opens a new one instead of failing on the closed one."""
    script = """
import asyncio, json
from aiohttp import web
from rasa_server import patches
patches.apply(next(p for p in patches.PATCHES if p.target.endswith("EndpointConfig.session")))
from rasa.utils.endpoints import EndpointConfig

async def main():
    peers = []
    async def answer(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"ok": len(peers)})
    app = web.Application(); app.router.add_post("/webhook", answer)

    async def serve():
        runner = web.AppRunner(app); await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0); await site.start()
        return runner, site._server.sockets[0].getsockname()[1]

    runner, port = await serve()
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    answers = [await endpoint.request(json={}) for _ in range(3)]
    await runner.cleanup()  # the server stops, closing its connections
    runner = web.AppRunner(app); await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    answers.append(await endpoint.request(json={}))
    await runner.cleanup()
    print(json.dumps({"answers": [a["ok"] for a in answers], "connections": len(set(peers))}))

asyncio.run(main())
"""
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["answers"] == [1, 2, 3, 4]
    assert result["connections"] == 2  # one for the first three requests, one after the restart


_WITHOUT_JAX = """
import sys
from rasa_server.__main__ import without_jax
without_jax()
import rasa.nlu.classifiers.diet_classifier
from tensorflow.lite.python import util
print("LOADED", sorted({m.split(".")[0] for m, module in sys.modules.items() if module} & {"jax", "jaxlib"}), util._xla_computation)
"""


@pytest.mark.slow  # imports TensorFlow in a child process: about 5 s
def test_the_rasa_server_imports_tensorflow_without_jax():
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_JAX], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.rpartition("LOADED ")[2].split() == ["[]", "None"]
