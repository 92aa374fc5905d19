"""Every Rasa internal this project replaces or re-implements, in one registry, checked at start.

Rasa 3.6 offers no hook for what the servers need (no person's words in the
logs, a polite answer when a service fails, a cheaper action-response check,
a model load without a training step), so a few of its methods are replaced.
Each entry below names the method, the signature and the SHA-256 of its source
in the version it was written for (`WRITTEN_FOR`: requirements.txt pins
both), why, and the function that builds the replacement from Rasa's own.

`install(server)` checks every entry of that server first, and only then
replaces anything: if one method is not the code its entry was written for,
the server does not start (`RasaChanged`, naming the method, the version and
what to re-read), rather than silently replacing code that changed.

Entries with `overridden_by` are not replaced: a subclass of ours
re-implements or leans on them (the socket.io channel's handlers, the SQL
tracker store's engine). They are checked the same way, so that a Rasa
upgrade makes us read them again.

`python -m rasa_server …` (rasa_server/__main__.py) is the one way the
servers start with these patches.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version

# What the entries were written for (requirements.txt and constraints.txt pin both).
WRITTEN_FOR = {"rasa": "3.6.21", "rasa_sdk": "3.6.2"}
DISTRIBUTIONS = {"rasa": "rasa", "rasa_sdk": "rasa-sdk"}

RASA, ACTIONS = "rasa", "actions"  # the servers: `rasa run` (also shell, test) and `rasa run actions`


class RasaChanged(RuntimeError):
    """A Rasa method an entry replaces is not the one it was written for."""


@dataclass(frozen=True)
class Patch:
    target: str  # module.Class.method
    signature: str  # str(inspect.signature(...)) of the written-for version
    sha256: str  # of its dedented source in that version
    why: str
    servers: frozenset[str] = field(default_factory=lambda: frozenset({RASA}))
    replacement: str | None = None  # "module:factory": factory(original) -> the replacing function
    overridden_by: str | None = None  # or: the class of ours that re-implements it (checked only)

    @property
    def package(self) -> str:
        return self.target.split(".", 1)[0]

    @property
    def written_for(self) -> str:
        return WRITTEN_FOR[self.package]


def _sig(*parameters: str, returns: str) -> str:
    return "(" + ", ".join(parameters) + ") -> " + returns


PATCHES: tuple[Patch, ...] = (
    # ---- cost: the action-response check and the model load ------------------------------
    Patch(
        "rasa.core.actions.action.RemoteAction._validate_action_result",
        _sig("self", "result: Dict[str, Any]", returns="bool"),
        "2fd08b8cf644390e5a8200e83f1afe9ccdeb1f0cf161aa3c4a8f19a24ead203f",
        "jsonschema.validate() re-checks the schema itself on every call (65 % of the server's "
        "CPU); each event is then tried against all 23 kinds of the oneOf (10 % more)",
        replacement="rasa_server.action_response:validate_action_result",
    ),
    Patch(
        "rasa.utils.tensorflow.models.RasaModel.load",
        _sig(
            "cls",
            "model_file_name: str",
            "model_data_example: rasa.utils.tensorflow.model_data.RasaModelData",
            "predict_data_example: Optional[rasa.utils.tensorflow.model_data.RasaModelData] = None",
            "finetune_mode: bool = False",
            "*args: Any",
            "**kwargs: Any",
            returns="'RasaModel'",
        ),
        "cd8b1adc98f833d3bb72e3d06a7bcec2beaf79ba758635dfe1666e8b043e0b59",
        "Rasa builds a model's variables by training it one step (about 50 s of a replica's start) "
        "before overwriting them with the saved weights",
        replacement="rasa_server.model_load:load_for_prediction",
    ),
    Patch(
        "rasa.shared.core.events.Event.resolve_by_type",
        _sig(
            "type_name: str",
            "default: Optional[Type[ForwardRef('Event')]] = None",
            returns="Optional[Type[ForwardRef('Event')]]",
        ),
        "eab381cd0a9958e1f8800b47a317b3007cc0caf76ebe8482d1c5a323ecf8cc2a",
        "each event read back from a dict walks every subclass of Event to find its kind "
        "(4.5 % of the server's CPU)",
        replacement="rasa_server.event_kinds:resolve_by_type",
    ),
    Patch(
        "rasa.core.actions.action.RemoteAction._action_call_format",
        _sig("self", "tracker: 'DialogueStateTracker'", "domain: 'Domain'", returns="Dict[str, Any]"),
        "eb6b5667d432df53b3ab93a2010c0a0937595504dd24ab5d9db24a97d74b2983",
        "each action call sent every event of the conversation (20 kB by the fourth message), "
        "although the actions read back no further than the message before last",
        replacement="rasa_server.action_call:sending_recent_events",
    ),
    Patch(
        "rasa.utils.endpoints.EndpointConfig.session",
        _sig("self", returns="aiohttp.client.ClientSession"),
        "344e3afe8c9a0cbf6751abd7a0dfa6bde91aeae54a33fc6698f75229b895d142",
        "a session per request opened a TCP connection per action call",
        replacement="rasa_server.action_call:pooling_connections",
    ),
    # ---- privacy: no person's words in any log line ---------------------------------------
    Patch(
        "rasa.core.channels.channel.UserMessage.__init__",
        _sig(
            "self",
            "text: Optional[str] = None",
            "output_channel: Optional[ForwardRef('OutputChannel')] = None",
            "sender_id: Optional[str] = None",
            "parse_data: Dict[str, Any] = None",
            "input_channel: Optional[str] = None",
            "message_id: Optional[str] = None",
            "metadata: Optional[Dict] = None",
            returns="None",
        ),
        "0825a6fc0d4aad8c847f5b9b2540f5d64f8b97406b59c7d742259a434f827283",
        "every message marks its text as never to be logged while it is handled",
        replacement="rasa_server.privacy:remembering_user_message",
    ),
    Patch(
        "rasa_sdk.executor.ActionExecutor.run",
        _sig("self", "action_call: 'ActionCall'", returns="Optional[Dict[str, Any]]"),
        "566d3433ec5450a1dfad97541913f5014825bb4940adeb612dcbae3ee470052f",
        "an action call marks every text of its tracker as never to be logged",
        servers=frozenset({ACTIONS}),
        replacement="rasa_server.privacy:remembering_action_call",
    ),
    # ---- resilience: no silence when a service fails --------------------------------------
    Patch(
        "rasa.core.actions.action.RemoteAction.run",
        _sig(
            "self",
            "output_channel: 'OutputChannel'",
            "nlg: 'NaturalLanguageGenerator'",
            "tracker: 'DialogueStateTracker'",
            "domain: 'Domain'",
            returns="List[rasa.shared.core.events.Event]",
        ),
        "f0cfd283c7b099c2d6ead49450bc70efd2331a4a51cdf4117b3626d328bfe41e",
        "a failing action server is remembered for the turn (Rasa logs it and predicts on); "
        "its request timeout (DEFAULT_REQUEST_TIMEOUT, read here) set from ACTION_TIMEOUT_SECONDS",
        replacement="rasa_server.resilience:remembering_failed_action",
    ),
    Patch(
        "rasa.core.processor.MessageProcessor._run_action",
        _sig(
            "self",
            "action: rasa.core.actions.action.Action",
            "tracker: rasa.shared.core.trackers.DialogueStateTracker",
            "output_channel: rasa.core.channels.channel.OutputChannel",
            "nlg: rasa.core.nlg.generator.NaturalLanguageGenerator",
            "prediction: rasa.core.policies.policy.PolicyPrediction",
            returns="bool",
        ),
        "e92007eaf0abe9a7e0c147d37e969998bc8074df94f637f4e4639c4073eeeded",
        "an action that failed abandons the turn instead of being swallowed",
        replacement="rasa_server.resilience:raising_run_action",
    ),
    Patch(
        "rasa.core.processor.MessageProcessor.run_action_extract_slots",
        _sig(
            "self",
            "output_channel: rasa.core.channels.channel.OutputChannel",
            "tracker: rasa.shared.core.trackers.DialogueStateTracker",
            returns="rasa.shared.core.trackers.DialogueStateTracker",
        ),
        "061cb9ae3f51702f7b1d32cbad6ebd2e3a14e30af52d869117a92c4d40ab517e",
        "action_extract_slots swallows a failing action server too",
        replacement="rasa_server.resilience:raising_extract_slots",
    ),
    Patch(
        "rasa.core.tracker_store.FailSafeTrackerStore.__init__",
        _sig(
            "self",
            "tracker_store: 'TrackerStore'",
            "on_tracker_store_error: 'Optional[Callable[[Exception], None]]' = None",
            "fallback_tracker_store: 'Optional[TrackerStore]' = None",
            returns="'None'",
        ),
        "ddb7b276f9868adcde19f7f2192fd9235986bc31f885c15e76e14e08f9f17cb1",
        "a failing tracker store raises instead of falling back to an empty in-memory tracker",
        replacement="rasa_server.resilience:raising_fail_safe_store",
    ),
    Patch(
        "rasa.core.agent.Agent.handle_message",
        _sig("self", "message: 'UserMessage'", returns="'Optional[List[Dict[Text, Any]]]'"),
        "5d284e86be23a45ec438c77e477776a3cb47c9811fad49b89430616a975c7cea",
        "any failure of a turn (action server, tracker store, lock store) answers politely",
        replacement="rasa_server.resilience:answering_handle_message",
    ),
    # ---- re-implemented by our subclasses: checked, not replaced --------------------------
    Patch(
        "rasa.core.channels.socketio.SocketIOInput.blueprint",
        _sig(
            "self",
            "on_new_message: Callable[[rasa.core.channels.channel.UserMessage], Awaitable[Any]]",
            returns="sanic.blueprints.Blueprint",
        ),
        "e249f855fe5dc0fc1e3b897b999a3d83154021c9c6cba8a7fe3eb025019628f7",
        "its session_request and message handlers are re-registered with two fixes (rasa#13027, #3823)",
        overridden_by="rasa_server.socketio:SocketIOInput",
    ),
    Patch(
        "rasa.core.channels.socketio.SocketIOOutput._send_message",
        _sig("self", "socket_id: str", "response: Any", returns="None"),
        "2b3a7614bc1af7ff7c36cb5383a412db8078ff9933aeae55b566a23f785e5fc4",
        "custom JSON is sent through it as the event's data",
        overridden_by="rasa_server.socketio:SocketIOOutput",
    ),
    Patch(
        "rasa.core.tracker_store.SQLTrackerStore.__init__",
        _sig(
            "self",
            "domain: 'Optional[Domain]' = None",
            "dialect: 'Text' = 'sqlite'",
            "host: 'Optional[Text]' = None",
            "port: 'Optional[int]' = None",
            "db: 'Text' = 'rasa.db'",
            "username: 'Text' = None",
            "password: 'Text' = None",
            "event_broker: 'Optional[EventBroker]' = None",
            "login_db: 'Optional[Text]' = None",
            "query: 'Optional[Dict]' = None",
            "**kwargs: 'Dict[Text, Any]'",
            returns="'None'",
        ),
        "64c221aabc9a3d55de382ece350c112ad92407771df82da87c2b15566325522b",
        "its engine and sessionmaker are rebuilt with pre-ping and bounded waits",
        overridden_by="rasa_server.tracker_store:PostgresTrackerStore",
    ),
)


# ---- checking ------------------------------------------------------------------------------


def installed_version(package: str) -> str:
    return version(DISTRIBUTIONS[package])


def source_sha256(function) -> str:
    return hashlib.sha256(textwrap.dedent(inspect.getsource(function)).encode()).hexdigest()


def resolve(target: str) -> tuple[type, str, object, Callable]:
    """(owner class, attribute, the raw attribute as the class holds it, the function)."""
    module_name, owner_name, attribute = target.rsplit(".", 2)
    owner = getattr(importlib.import_module(module_name), owner_name)
    raw = inspect.getattr_static(owner, attribute)
    function = raw.__func__ if isinstance(raw, classmethod | staticmethod) else raw
    return owner, attribute, raw, function


def check(patch: Patch, function: Callable) -> None:
    """Raise `RasaChanged` unless `function` is the code `patch` was written for."""
    try:
        signature, digest = str(inspect.signature(function)), source_sha256(function)
    except (OSError, TypeError) as error:  # no source to read (a .pyc-only install), not a function
        signature, digest = "?", f"unreadable ({error})"
    if signature == patch.signature and digest == patch.sha256:
        return
    what = patch.replacement or patch.overridden_by
    raise RasaChanged(
        f"rasa_server/patches.py: {patch.target} was written for {patch.package} {patch.written_for} "
        f"(signature {patch.signature}, source sha256 {patch.sha256[:16]}…). The installed "
        f"{patch.package} {installed_version(patch.package)} has signature {signature}, source sha256 "
        f"{digest[:16]}…. Read the new method, adapt {what}, then record its signature and "
        "source hash in PATCHES."
    )


def original(patch: Patch) -> Callable:
    """The method as Rasa defines it, even once replaced."""
    function = resolve(patch.target)[3]
    return getattr(function, "__rasa_original__", function)


def for_server(server: str) -> list[Patch]:
    return [p for p in PATCHES if server in p.servers]


def check_all(server: str) -> None:
    for patch in for_server(server):
        check(patch, original(patch))


# ---- replacing -----------------------------------------------------------------------------


def _factory(path: str) -> Callable:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def apply(patch: Patch) -> None:
    """Replace one method (once), after checking it."""
    if patch.replacement is None:
        return
    owner, attribute, raw, function = resolve(patch.target)
    if getattr(function, "__rasa_patch__", None) == patch.target:
        return  # already installed in this process
    check(patch, function)
    replacement = _factory(patch.replacement)(function)
    replacement.__rasa_patch__ = patch.target
    replacement.__rasa_original__ = function
    if isinstance(raw, classmethod):
        replacement = classmethod(replacement)
    elif isinstance(raw, staticmethod):
        replacement = staticmethod(replacement)
    setattr(owner, attribute, replacement)


def install(server: str) -> list[str]:
    """Check every entry of `server`, then replace what they replace; returns the targets replaced."""
    check_all(server)  # all of them before any replacement: never half patched
    patches = for_server(server)
    for patch in patches:
        apply(patch)
    return [p.target for p in patches if p.replacement]
