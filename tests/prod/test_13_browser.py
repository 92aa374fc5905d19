"""The browser tests of tests/web, run against the production profile through nginx.

The same files `make test` runs against the servers it starts, given the
site's address (`--base-url`, tests/conftest.py): the conversation with the
real bot, the card, the glossary, the fiche, the hand-over code, the privacy
and legal pages, the review of conversations (/revue), axe-core on every state. Run in a child pytest, so that
their fixtures (Chromium, the stand-in bot) stay theirs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROWSER_TESTS = ["tests/web/test_page.py", "tests/web/test_page_states.py", "tests/web/test_revue_page.py"]


def test_the_page_tests_pass_through_nginx(prod_stack):
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("/usr/bin/chromium is missing (apt-get install -y chromium): the page tests cannot run")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *BROWSER_TESTS],
        cwd=ROOT,
        env={**os.environ, "WEB_BASE_URL": prod_stack.config.site_url + "/"},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    print(f"\ntests/web against {prod_stack.config.site_url}: {summary} ({time.monotonic() - started:.0f} s)")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", summary) and "skipped" not in summary, summary
