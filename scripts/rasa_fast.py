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
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # rasa_server/

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_SCHEMA = RemoteAction.action_response_format_spec()
_VALIDATOR = validator_for(_SCHEMA)(_SCHEMA)


def _validate_action_result(self, result) -> bool:
    try:
        _VALIDATOR.validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


RemoteAction._validate_action_result = _validate_action_result

if __name__ == "__main__":
    from rasa.__main__ import main

    from rasa_server import privacy, resilience

    if sys.argv[1:3] == ["run", "actions"]:
        privacy.install_action_server()
    else:
        privacy.install_rasa_server()
        resilience.install()
    sys.argv[0] = "rasa"
    sys.exit(main())
