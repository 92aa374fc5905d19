"""The report's figures, from the counted events: pure functions, no I/O.

Every count a coordinator reads goes through `published`: from 1 to 4 it is
replaced by "< 5" (statistical secrecy: so few people could be recognised
by someone who knows the territory). Zero is shown: it describes nobody.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from orientation.observatory.event import COMMUNE_INCONNUE, RESULTATS

SECRET_BELOW = 5
SECRET_TEXT = "< 5"


def is_secret(n: int) -> bool:
    return 0 < n < SECRET_BELOW


def published(n: int) -> str:
    """A count as it may be published: "< 5" for 1 to 4, the number otherwise (1 234 grouped)."""
    return SECRET_TEXT if is_secret(n) else f"{n:,}".replace(",", "\u202f")


def _sum_by(rows: Iterable[dict], *keys: str) -> Counter:
    out: Counter = Counter()
    for r in rows:
        out[tuple(r[k] for k in keys)] += r["nombre"]
    return out


def counts_table(rows: list[dict]) -> list[tuple[tuple, int]]:
    """Need × département × EPCI × situation × outcome → count (the report's CSV), largest first."""
    counted = _sum_by(rows, "besoin", "departement", "epci", "situation", "resultat")
    return sorted(counted.items(), key=lambda kv: (-kv[1], [str(x) for x in kv[0]]))


@dataclass(frozen=True)
class Totals:
    total: int
    by_outcome: dict[str, int]
    professionnels: int
    simulated: bool


def totals(rows: list[dict]) -> Totals:
    by_outcome = {code: 0 for code in RESULTATS}
    for r in rows:
        by_outcome[r["resultat"]] += r["nombre"]
    return Totals(
        total=sum(by_outcome.values()),
        by_outcome=by_outcome,
        professionnels=sum(r["nombre"] for r in rows if r["professionnel"]),
        simulated=any(r["simule"] for r in rows),
    )


def need_by_outcome(rows: list[dict]) -> dict[str, dict[str, int]]:
    """besoin → outcome → count, for the chart (a commune not found has no need: left out)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {c: 0 for c in RESULTATS if c != COMMUNE_INCONNUE})
    for r in rows:
        if r["resultat"] != COMMUNE_INCONNUE:
            out[r["besoin"]][r["resultat"]] += r["nombre"]
    return dict(out)


# --- unmet needs ----------------------------------------------------------------------------


def _largest(counter: Counter) -> list[tuple[tuple, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], [str(x) for x in kv[0]]))


def without_platform(rows: list[dict]) -> list[tuple[tuple, int]]:
    """Territories with no platform: (département, EPCI, need) → people who asked there."""
    return _largest(
        _sum_by([r for r in rows if r["resultat"] == "aucune_plateforme"], "departement", "epci", "besoin")
    )


def eligible_nowhere(rows: list[dict]) -> list[tuple[tuple, int]]:
    """People no service of their territory accepts: (platforms, situation, need) → count."""
    return _largest(
        _sum_by([r for r in rows if r["resultat"] == "non_eligible"], "plateformes", "situation", "besoin")
    )


def needs_without_service(rows: list[dict], vague_needs: Iterable[str]) -> list[tuple[tuple, int]]:
    """Needs no service of the platform answers (the entry point proposed instead): (platforms, need)."""
    vague = set(vague_needs)
    return _largest(
        _sum_by(
            [r for r in rows if r["resultat"] == "premier_pas" and r["besoin"] not in vague],
            "plateformes",
            "besoin",
        )
    )


def times_proposed(rows: list[dict]) -> Counter:
    """service id → how many people it was proposed to."""
    out: Counter = Counter()
    for r in rows:
        for service in r["services"]:
            out[service] += r["nombre"]
    return out
