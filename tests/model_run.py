"""Run a script against the trained model in a process of its own (Rasa's imports and its
patches stay out of the test process), and read back what it printed after its marker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_on_model(script: str, model: Path, texts: list[str], marker: str):
    result = subprocess.run(
        [sys.executable, "-c", script, str(model)],
        cwd=ROOT,  # config.yml names the spaCy model by a path from here
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.rpartition(f"\n{marker} ")[2])
