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
- The Rasa server's model loaded without the training step Rasa's load runs
  (`_load_for_prediction`): ready about 50 s sooner, the same predictions.

Usage is that of `rasa` (`rasa_fast.py run …`). Each replaced method is
checked first: if its signature or its source is not Rasa 3.6.21's (PATCHES),
the server does not start (`RasaChanged`), rather than silently replacing
code that changed.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # rasa_server/

# What the patches were written for: Rasa 3.6.21's methods (requirements.txt pins it).
WRITTEN_FOR = "3.6.21"
# Each replaced method: the signature and source hash of Rasa 3.6.21's, and what replaces it.
PATCHES = {
    "rasa.core.actions.action.RemoteAction._validate_action_result": (
        "(self, result: Dict[str, Any]) -> bool",
        "2fd08b8cf644390e5a8200e83f1afe9ccdeb1f0cf161aa3c4a8f19a24ead203f",
        "_validate_action_result",
    ),
    "rasa.utils.tensorflow.models.RasaModel.load": (
        "(model_file_name: str, model_data_example: rasa.utils.tensorflow.model_data.RasaModelData, "
        "predict_data_example: Optional[rasa.utils.tensorflow.model_data.RasaModelData] = None, "
        "finetune_mode: bool = False, *args: Any, **kwargs: Any) -> 'RasaModel'",
        "cd8b1adc98f833d3bb72e3d06a7bcec2beaf79ba758635dfe1666e8b043e0b59",
        "_load_for_prediction",
    ),
}
VALIDATE, LOAD = PATCHES

_VALIDATOR = None  # the compiled schema, set by install()
_DOCS_BASE_URL = ""
_RASA_LOAD = None  # Rasa's RasaModel.load, kept for fine-tuning


class RasaChanged(RuntimeError):
    """A Rasa method this file replaces is not the one it was written for."""


def _rasa_version() -> str:
    from rasa.version import __version__

    return __version__


def source_sha256(function) -> str:
    return hashlib.sha256(textwrap.dedent(inspect.getsource(function)).encode()).hexdigest()


def check_unchanged(name: str, function) -> None:
    """Raise `RasaChanged` unless `function` has the signature and source the patch `name` replaces."""
    expected_signature, expected_digest, replacement = PATCHES[name]
    try:
        signature, digest = str(inspect.signature(function)), source_sha256(function)
    except (OSError, TypeError) as error:  # no source to read (a .pyc-only install), not a function
        signature, digest = "?", f"unreadable ({error})"
    if signature == expected_signature and digest == expected_digest:
        return
    raise RasaChanged(
        f"scripts/rasa_fast.py replaces {name}, written for Rasa {WRITTEN_FOR}: "
        f"signature {expected_signature}, source sha256 {expected_digest[:16]}…. "
        f"The installed Rasa {_rasa_version()} has signature {signature}, source sha256 "
        f"{digest[:16]}…. Read the new method, adapt {replacement}, then record "
        "its signature and source hash in PATCHES."
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


def _load_for_prediction(
    cls, model_file_name, model_data_example, predict_data_example=None, finetune_mode=False, *args, **kwargs
):
    """Rasa's `RasaModel.load` without its training step, for a model that only predicts.

    Rasa builds the model's variables by training it on one example (tracing the
    whole training graph, gradients of the entity CRF included: about 50 s of
    the server's start), then overwrites them with the saved weights. Here the
    saved weights are read first and restored as the first prediction creates
    each variable: the same weights (tests/test_rasa_fast.py compares every
    held-out prediction with Rasa's own load), without the training graph.
    """
    if finetune_mode or predict_data_example is None:  # training goes on: Rasa's way
        return _RASA_LOAD(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
        )
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY

    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    # The optimizer as Rasa's load has it, so the checkpoint's structure matches.
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
        run_eagerly=config.get(RUN_EAGERLY),
    )
    restored = model.load_weights(model_file_name)
    model.run_inference(predict_data_example)  # creates the variables, restored as they are created
    restored.assert_existing_objects_matched()
    return model


def install() -> None:
    """Check the method is the one this patch replaces, then replace it (once)."""
    global _VALIDATOR, _DOCS_BASE_URL
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if RemoteAction._validate_action_result is _validate_action_result:
        return
    check_unchanged(VALIDATE, RemoteAction._validate_action_result)
    schema = RemoteAction.action_response_format_spec()
    _VALIDATOR, _DOCS_BASE_URL = ResponseValidator(schema), DOCS_BASE_URL
    RemoteAction._validate_action_result = _validate_action_result


def install_load_for_prediction() -> None:
    """The Rasa server's models loaded without a training step (once, after the same check)."""
    global _RASA_LOAD
    from rasa.utils.tensorflow.models import RasaModel

    if _RASA_LOAD is not None:
        return
    check_unchanged(LOAD, RasaModel.load)
    _RASA_LOAD = RasaModel.load.__func__
    RasaModel.load = classmethod(_load_for_prediction)


if __name__ == "__main__":
    install()

    from rasa.__main__ import main

    from rasa_server import privacy, resilience

    if sys.argv[1:3] == ["run", "actions"]:
        privacy.install_action_server()
    else:
        install_load_for_prediction()
        privacy.install_rasa_server()
        resilience.install()
    sys.argv[0] = "rasa"
    sys.exit(main())
