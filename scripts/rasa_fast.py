"""Runs the `rasa` command line with the project's fixes to the Rasa server.

- No person's words in any log line (rasa_server/privacy.py), in the Rasa
  server and, for `rasa_fast.py run actions`, in the action server.
- No silence when a service fails (rasa_server/resilience.py).
- Action responses validated by a compiled schema, each event against its own kind:

Rasa 3.6 checks every action server response with `jsonschema.validate()`,
which re-validates the schema itself before each use; with jsonschema 4.17
(pinned by Rasa) that was 65 % of the Rasa server's CPU in a py-spy profile
of our conversations. The schema never changes, so it is compiled once here.
Then each event was still tried against all 23 kinds of the schema's `oneOf`
(about 0.4 ms an event, 10 % of the server's CPU): the kinds are told apart by
their `event` constant, so each event is checked against its kind only, which
accepts exactly what the `oneOf` accepts. A response that fails is checked
again by the whole schema, so the error is Rasa's own.
Usage is that of `rasa` (`rasa_fast.py run …`).

The replaced method is checked first: if its signature or its source is not
the one below (Rasa 3.6.21's), the server does not start (`RasaChanged`),
rather than silently replacing code that changed.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # rasa_server/

PATCHED = "rasa.core.actions.action.RemoteAction._validate_action_result"
# What the patch was written for: Rasa 3.6.21's method (requirements.txt pins it).
WRITTEN_FOR = "3.6.21"
EXPECTED_SIGNATURE = "(self, result: Dict[str, Any]) -> bool"
EXPECTED_SOURCE_SHA256 = "2fd08b8cf644390e5a8200e83f1afe9ccdeb1f0cf161aa3c4a8f19a24ead203f"

_VALIDATOR = None  # the compiled schema, set by install()
_DOCS_BASE_URL = ""


class RasaChanged(RuntimeError):
    """The Rasa method this file replaces is not the one it was written for."""


def _rasa_version() -> str:
    from rasa.version import __version__

    return __version__


def source_sha256(function) -> str:
    return hashlib.sha256(textwrap.dedent(inspect.getsource(function)).encode()).hexdigest()


def check_unchanged(function) -> None:
    """Raise `RasaChanged` unless `function` has the signature and source the patch replaces."""
    try:
        signature, digest = str(inspect.signature(function)), source_sha256(function)
    except (OSError, TypeError) as error:  # no source to read (a .pyc-only install), not a function
        signature, digest = "?", f"unreadable ({error})"
    if signature == EXPECTED_SIGNATURE and digest == EXPECTED_SOURCE_SHA256:
        return
    raise RasaChanged(
        f"scripts/rasa_fast.py replaces {PATCHED}, written for Rasa {WRITTEN_FOR}: "
        f"signature {EXPECTED_SIGNATURE}, source sha256 {EXPECTED_SOURCE_SHA256[:16]}…. "
        f"The installed Rasa {_rasa_version()} has signature {signature}, source sha256 "
        f"{digest[:16]}…. Read the new method, adapt _validate_action_result, then record "
        "its signature and source hash in EXPECTED_SIGNATURE and EXPECTED_SOURCE_SHA256."
    )


class ResponseValidator:
    """Rasa's action-response schema, with each event checked against its own kind only."""

    def __init__(self, schema: dict):
        from jsonschema.validators import validator_for

        compiled = validator_for(schema)
        self.whole = compiled(schema)
        item = schema["properties"]["events"]["items"]
        kinds = [alternative["properties"]["event"]["const"] for alternative in item["oneOf"]]
        if len(set(kinds)) != len(kinds):
            raise RasaChanged("two kinds of event share one `event` constant: the shortcut would differ")
        common = {key: value for key, value in item.items() if key != "oneOf"}
        self.kinds = {
            kind: compiled({**common, "allOf": [alternative]})
            for kind, alternative in zip(kinds, item["oneOf"], strict=True)
        }
        envelope = {**schema, "properties": {**schema["properties"]}}
        envelope["properties"]["events"] = {
            key: value for key, value in schema["properties"]["events"].items() if key != "items"
        }
        self.envelope = compiled(envelope)

    def is_valid(self, result) -> bool:
        if not self.envelope.is_valid(result):
            return False
        for event in result.get("events", ()) if isinstance(result, dict) else ():
            kind = event.get("event") if isinstance(event, dict) else None
            validator = self.kinds.get(kind) if isinstance(kind, str) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True

    def validate(self, result) -> None:
        if not self.is_valid(result):
            self.whole.validate(result)  # raises Rasa's own error


def _validate_action_result(self, result) -> bool:
    from jsonschema import ValidationError

    try:
        _VALIDATOR.validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{_DOCS_BASE_URL}/custom-actions"
        )
        raise e


def install() -> None:
    """Check the method is the one this patch replaces, then replace it (once)."""
    global _VALIDATOR, _DOCS_BASE_URL
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if RemoteAction._validate_action_result is _validate_action_result:
        return
    check_unchanged(RemoteAction._validate_action_result)
    schema = RemoteAction.action_response_format_spec()
    _VALIDATOR, _DOCS_BASE_URL = ResponseValidator(schema), DOCS_BASE_URL
    RemoteAction._validate_action_result = _validate_action_result


if __name__ == "__main__":
    install()

    from rasa.__main__ import main

    from rasa_server import privacy, resilience

    if sys.argv[1:3] == ["run", "actions"]:
        privacy.install_action_server()
    else:
        privacy.install_rasa_server()
        resilience.install()
    sys.argv[0] = "rasa"
    sys.exit(main())
