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
# Two groups run at once, each in its own child pytest and Chromium: the tests of the prod
# profile leave a core idle, and the groups share nothing but the site (each conversation is
# its own).
# The states file, the longest, is cut in two by the tests' names: together, every test once.
CUT = "(fiche or screen) and test_page_states"
BROWSER_GROUPS = [
    [
        "tests/web/test_page.py",
        "tests/web/test_revue_page.py",
        "tests/web/test_page_states.py",
        "-k",
        f"not ({CUT})",
    ],
    ["tests/web/test_page_states.py", "-k", CUT],
]


def test_the_page_tests_pass_through_nginx(prod_stack):
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("/usr/bin/chromium is missing (apt-get install -y chromium): the page tests cannot run")
    started = time.monotonic()
    env = {**os.environ, "WEB_BASE_URL": prod_stack.config.site_url + "/"}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for files in BROWSER_GROUPS
    ]
    results = [child.communicate(timeout=1800) for child in children]
    for files, child, (stdout, stderr) in zip(BROWSER_GROUPS, children, results, strict=True):
        summary = stdout.strip().splitlines()[-1] if stdout.strip() else ""
        print(f"\n{' '.join(files)} against {prod_stack.config.site_url}: {summary}")
        assert child.returncode == 0, stdout[-6000:] + stderr[-2000:]
        assert re.search(r"\d+ passed", summary) and "skipped" not in summary, summary
    print(f"tests/web through nginx: {time.monotonic() - started:.0f} s")
