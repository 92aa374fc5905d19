"""Old information: `make kb` warns (never fails) about every service not updated for 12 months."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from orientation import cli
from orientation.knowledge.freshness import months_before, stale_services
from orientation.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2025, 3, 15), 12, date(2024, 3, 15)),
        (date(2025, 1, 31), 2, date(2024, 11, 30)),  # no 31st in November
        (date(2024, 2, 29), 12, date(2023, 2, 28)),  # leap day
        (date(2025, 12, 1), 1, date(2025, 11, 1)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def _platform(*dates):
    return {
        "id": "p",
        "nom": "P",
        "fichier": "knowledge/plateformes/p.yml",
        "services": [{"id": f"p--s{i}", "nom": f"S{i}", "date_maj": d} for i, d in enumerate(dates)],
    }


def test_a_service_is_stale_the_day_after_its_twelve_months():
    today = date(2025, 6, 10)
    assert stale_services([_platform("2024-06-10")], today) == []
    [platform] = stale_services([_platform("2024-06-09", date(2025, 1, 1))], today)
    assert [s.id for s in platform.services] == ["p--s0"]
    assert platform.oldest == date(2024, 6, 9)


def test_every_seed_service_is_stale_today():
    knowledge = load_knowledge(ROOT / "knowledge")
    stale = stale_services((p.dict() for p in knowledge.plateformes), date.today())
    assert {s.id for p in stale for s in p.services} == {s.id for _, s in knowledge.services()}


@pytest.mark.slow  # a whole build (make kb, an import, a report): make test only
def test_make_kb_warns_on_stderr_and_succeeds(tmp_path, capsys):
    assert cli.main(["--url", f"sqlite:///{tmp_path / 'kb.db'}", "kb"]) == 0
    out, err = capsys.readouterr()
    assert "Base de connaissances construite" in out
    assert "depuis plus de 12 mois" in err and "mayenne--auto-ecole-sociale" in err
