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


@pytest.mark.parametrize("function", [same_signature_other_source, other_signature, len])
def test_guard_refuses_a_changed_method_and_names_it_with_the_rasa_version(function):
    with pytest.raises(rasa_fast.RasaChanged) as raised:
        rasa_fast.check_unchanged(function)
    message = str(raised.value)
    assert "rasa.core.actions.action.RemoteAction._validate_action_result" in message
    assert f"installed Rasa {rasa_fast._rasa_version()}" in message


def test_installed_rasa_is_the_version_the_patch_was_written_for():
    assert rasa_fast._rasa_version() == rasa_fast.WRITTEN_FOR  # else: review the patch, then bump


@pytest.mark.slow  # imports Rasa's core (TensorFlow): about 10 s and 0.5 GB, in a child process
def test_guard_passes_on_the_installed_rasa_and_the_patch_is_applied():
    code = (
        "import rasa_fast; rasa_fast.install()\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "assert RemoteAction._validate_action_result is rasa_fast._validate_action_result\n"
        "assert RemoteAction._validate_action_result(None, {'events': [], 'responses': []})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "scripts", capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
