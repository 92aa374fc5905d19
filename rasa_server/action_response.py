"""Action-server responses checked by Rasa's schema compiled once, each event against its own kind.

Rasa 3.6 checks every action server response with `jsonschema.validate()`,
which re-validates the schema itself before each use; with jsonschema 4.17
(pinned by Rasa) that was 65 % of the Rasa server's CPU in a py-spy profile
of our conversations. The schema never changes, so it is compiled once here.
Then each event was still tried against all 23 kinds of the schema's `oneOf`
(about 0.4 ms an event, 10 % of the server's CPU): the kinds are told apart by
their `event` constant, so each event is checked against its kind only, which
accepts exactly what the `oneOf` accepts. A response that fails is checked
again by the whole schema, so the error is Rasa's own.

Installed by rasa_server/patches.py (`RemoteAction._validate_action_result`).
"""

from __future__ import annotations

from rasa_server.patches import RasaChanged


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


def validate_action_result(_rasa_validate):
    """The replacement of `RemoteAction._validate_action_result`: same result, same error text."""
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    validator = ResponseValidator(RemoteAction.action_response_format_spec())

    def _validate_action_result(self, result) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                ". Failed to validate Action server response from API, make sure your response "
                f"from the Action endpoint is valid. For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise e

    return _validate_action_result
