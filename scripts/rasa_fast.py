"""Runs the `rasa` command line with the project's fixes to the Rasa server.

- No person's words in any log line (rasa_server/privacy.py), in the Rasa
  server and, for `rasa_fast.py run actions`, in the action server.
- No silence when a service fails (rasa_server/resilience.py).
- Action responses validated by a compiled schema:

Rasa 3.6 checks every action server response with `jsonschema.validate()`,
which re-validates the schema itself before each use; with jsonschema 4.17
(pinned by Rasa) that was 65 % of the Rasa server's CPU in a py-spy profile
of our conversations. The schema never changes, so it is compiled once here.
Same checks, same error message; usage is that of `rasa` (`rasa_fast.py run …`).

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
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if RemoteAction._validate_action_result is _validate_action_result:
        return
    check_unchanged(RemoteAction._validate_action_result)
    schema = RemoteAction.action_response_format_spec()
    _VALIDATOR, _DOCS_BASE_URL = validator_for(schema)(schema), DOCS_BASE_URL
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
