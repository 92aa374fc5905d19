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

    # The observatory and the review opened with a token, as an operator would (tests/prod/test_12_site.py);
    # the examples the review learns written in the instance's own folder, never the repository's data/nlu.
    review = ROOT / "build" / "prod-test" / "revue"
    env = {
        "OBSERVATOIRE_TOKEN": "jeton-des-tests",
        "REVUE_NLU_FILE": str(review / "revue.yml"),
        "REVUE_LEXIQUE_FILE": str(review / "lexique_revu.yml"),
    }
    config = ProdConfig.for_tests(debug_replicas=(2,), env=env)
    stack = ProdStack(config)
    reuse = os.environ.get("PROD_REUSE") == "1"  # iterate on tests: keep the stack running
    if not reuse:
        stack.stop()  # leftovers of an interrupted run
        for log in stack.config.logs.glob("*.log"):
            log.unlink()
    stack.up(timeout=float(os.environ.get("BOT_START_TIMEOUT", "420")))
    _forget_review_decisions(stack.kb_url)
    yield stack
    if not reuse:
        stack.stop()


def _forget_review_decisions(kb_url: str) -> None:
    """The review's decisions (web/revue_store.py) start empty each run: the conversations of the
    last runs are still kept (30 days), and a message labelled then is not listed again."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(kb_url)
    try:
        if inspect(engine).has_table("revue_decisions"):
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM revue_decisions"))
    finally:
        engine.dispose()
