"""How old the knowledge is: the services whose `date_maj` is more than 12 months old.

`make kb` warns about them (on stderr, not an error: a dated answer is still
the best the base holds) and the observatory report lists them per platform,
so that a coordinator knows which facts to check with the platform first.
Works on platform documents as the database stores them (dicts, dates as ISO
strings) or as `Plateforme.dict()` gives them (dates as `date`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

STALE_AFTER_MONTHS = 12


@dataclass(frozen=True)
class StaleService:
    id: str
    nom: str
    date_maj: date


@dataclass(frozen=True)
class StalePlatform:
    id: str
    nom: str
    fichier: str | None
    services: tuple[StaleService, ...]

    @property
    def oldest(self) -> date:
        return min(s.date_maj for s in self.services)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the 29th of February falls back to the 28th)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def stale_services(
    platforms: Iterable[dict], today: date, months: int = STALE_AFTER_MONTHS
) -> list[StalePlatform]:
    """Per platform (in the given order), its services last updated before `today` − `months`."""
    limit = months_before(today, months)
    out = []
    for p in platforms:
        services = tuple(
            StaleService(s["id"], s["nom"], _as_date(s["date_maj"]))
            for s in p.get("services") or ()
            if s.get("date_maj") and _as_date(s["date_maj"]) < limit
        )
        if services:
            out.append(StalePlatform(p["id"], p["nom"], p.get("fichier"), services))
    return out


def warning_lines(stale: list[StalePlatform], months: int = STALE_AFTER_MONTHS) -> list[str]:
    """`make kb`'s warning: every stale service, grouped by platform file."""
    if not stale:
        return []
    total = sum(len(p.services) for p in stale)
    lines = [
        f"Attention : {total} service(s) n'ont pas été mis à jour depuis plus de {months} mois "
        "(date_maj). La base est construite ; vérifiez ces informations auprès des plateformes :"
    ]
    for p in stale:
        lines.append(
            f"  {p.fichier or p.id} — {p.nom} : {len(p.services)} service(s), "
            f"le plus ancien du {p.oldest.isoformat()}"
        )
        lines += [f"    - {s.id} (date_maj {s.date_maj.isoformat()})" for s in p.services]
    return lines
