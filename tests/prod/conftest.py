"""The production profile's tests (`make test-prod`): a real stack on its own ports.

`prod_stack` starts PostgreSQL (its own Debian cluster), Redis, two action
servers, two Rasa replicas, the page and nginx, exactly as `make prod` does
(scripts/prod/prodstack.py), with replica 2 and action server 2 logging at
DEBUG so that the log checks cover every level. Tests that stop a part
start it again before they end.

Without PROD_TESTS=1 (plain `make test`) only the fast files run: manifests,
in-memory pruning, log scrubbing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "prod"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

FAST = {"test_manifests.py", "test_memory_pruning.py", "test_privacy.py"}
if not os.environ.get("PROD_TESTS"):
    collect_ignore = [p.name for p in Path(__file__).parent.glob("test_*.py") if p.name not in FAST]


@pytest.fixture(scope="session")
def prod_stack():
    from prodstack import ProdConfig, ProdStack

    # The observatory opened with a token, as an operator would (tests/prod/test_12_site.py).
    config = ProdConfig.for_tests(debug_replicas=(2,), env={"OBSERVATOIRE_TOKEN": "jeton-des-tests"})
    stack = ProdStack(config)
    reuse = os.environ.get("PROD_REUSE") == "1"  # iterate on tests: keep the stack running
    if not reuse:
        stack.stop()  # leftovers of an interrupted run
        for log in stack.config.logs.glob("*.log"):
            log.unlink()
    stack.up(timeout=float(os.environ.get("BOT_START_TIMEOUT", "420")))
    yield stack
    if not reuse:
        stack.stop()
