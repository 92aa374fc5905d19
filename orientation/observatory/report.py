"""`make report`: the coordinators' report of one period and territory, under build/report/.

Writes:
- comptes.csv                need × département × EPCI × situation × outcome → count;
- besoins-non-couverts.csv   territories without a platform, people eligible nowhere,
                             needs no service answers, services only a professional opens;
- fraicheur.csv              services not updated for 12 months, per platform;
- observatoire.png           the chart for a slide;
- observatoire.html          one page with all of it, the chart embedded (no other file needed).
Every count from 1 to 4 reads "< 5" (statistical secrecy), in every file.
CSV files use ";" and a UTF-8 byte order mark: a French spreadsheet opens them as they are.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from orientation.knowledge.freshness import stale_services
from orientation.observatory import store as events_store
from orientation.observatory.chart import need_outcome_chart
from orientation.observatory.event import BESOIN_LABELS, RESULTATS, SITUATION_INCONNUE
from orientation.observatory.knowledge_facts import KnowledgeFacts, read_facts
from orientation.observatory.page import french_date, render_page
from orientation.observatory.tables import (
    Totals,
    counts_table,
    eligible_nowhere,
    need_by_outcome,
    needs_without_service,
    published,
    times_proposed,
    totals,
    without_platform,
)
from orientation.text.payload import MONTHS
from orientation.vocabulary import situation_label

DEFAULT_OUT = Path("build/report")
PAGE_ROWS = 10  # rows of each table on the page; the CSV holds them all
VAGUE_NEEDS = ("accompagnement", "inconnu")  # a first step is the answer to these, not a gap


# --- period --------------------------------------------------------------------------------


def last_full_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def parse_day(text: str, end: bool = False) -> date:
    """ "2025-10-14", or "2025-10" (its first day, or its last when `end`)."""
    text = text.strip()
    if len(text) == 7:
        first = date.fromisoformat(text + "-01")
        return last_full_month(_next_month(first))[1] if end else first
    return date.fromisoformat(text)


def _next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_words(start: date, end: date) -> str:
    """ "octobre 2026" for a calendar month, "du 3 au 17 octobre 2026" otherwise."""
    if start.day == 1 and _next_month(start) - timedelta(days=1) == end:
        return f"{MONTHS[start.month - 1]} {start.year}"
    return f"du {french_date(start)} au {french_date(end)}"


# --- what the report says ------------------------------------------------------------------


@dataclass
class Table:
    title: str
    intro: str
    columns: list[str]
    rows: list[list[str]]
    empty: str
    total_rows: int = 0  # before the page's cut

    @property
    def left_out(self) -> int:
        return max(0, self.total_rows - len(self.rows))


@dataclass
class Report:
    start: date
    end: date
    departement: str | None
    territory: str
    totals: Totals
    chart: dict
    unmet: list[Table] = field(default_factory=list)
    freshness: Table | None = None
    counts: list[list[str]] = field(default_factory=list)
    unmet_csv: list[list[str]] = field(default_factory=list)
    freshness_csv: list[list[str]] = field(default_factory=list)
    built_at: str | None = None

    @property
    def period(self) -> str:
        return period_words(self.start, self.end)


def situation_words(code: str) -> str:
    if code == SITUATION_INCONNUE:
        return "Situation non dite"
    words = situation_label(code)
    return words[0].upper() + words[1:]


def need_words(code: str) -> str:
    return BESOIN_LABELS.get(code, code)


def build_report_data(
    rows: list[dict], facts: KnowledgeFacts, start: date, end: date, departement: str | None, today: date
) -> Report:
    territory = (
        f"{facts.departements.get(departement, departement)} ({departement})"
        if departement
        else "tous les territoires"
    )
    report = Report(
        start=start,
        end=end,
        departement=departement,
        territory=territory,
        totals=totals(rows),
        chart=need_by_outcome(rows),
        built_at=facts.built_at,
    )
    report.counts = [
        [
            key[1] or "",
            facts.departements.get(key[1], "") if key[1] else "",
            key[2] or "",
            facts.epcis.get(key[2], "") if key[2] else "",
            need_words(key[0]),
            situation_words(key[3]),
            RESULTATS[key[4]],
            published(n),
        ]
        for key, n in counts_table(rows)
    ]
    _unmet(report, rows, facts)
    _freshness(report, facts, today)
    return report


def _table(title, intro, columns, rows, empty) -> Table:
    return Table(title, intro, columns, rows[:PAGE_ROWS], empty, total_rows=len(rows))


def _by_first(items, size: int) -> list[tuple[tuple, int, list[tuple[str, int]]]]:
    """Fine rows ((group…, detail), n) → (group, total, [(detail, n)…]) for the page, largest first."""
    groups: dict[tuple, list] = {}
    for key, n in items:
        groups.setdefault(key[:size], []).append((key[size], n))
    out = [(group, sum(n for _, n in details), details) for group, details in groups.items()]
    return sorted(out, key=lambda g: (-g[1], [str(x) for x in g[0]]))


def _details(details: list[tuple[str, int]], words, shown: int = 3) -> str:
    """ "Passer le permis 114 · Avoir un véhicule 88 · …" (the largest, each published)."""
    parts = [f"{words(code)} {published(n)}" for code, n in details[:shown]]
    return " · ".join(parts) + (" · …" if len(details) > shown else "")


def _unmet(report: Report, rows: list[dict], facts: KnowledgeFacts) -> None:
    csv_rows = report.unmet_csv
    fine = without_platform(rows)
    csv_rows += [
        ["territoire sans plateforme", dep or "", epci or "", "", "", need_words(need), "", published(n)]
        for (dep, epci, need), n in fine
    ]
    lines = [
        [facts.territory_label(dep, epci), published(total), _details(needs, need_words)]
        for (dep, epci), total, needs in _by_first(fine, 2)
    ]
    report.unmet.append(
        _table(
            "Territoires sans plateforme",
            "Des personnes y ont demandé de l'aide, mais aucune plateforme de mobilité connue de "
            "l'assistant ne couvre leur commune.",
            ["Territoire", "Demandes", "Besoins les plus demandés"],
            lines,
            "Aucune demande hors du territoire des plateformes.",
        )
    )

    fine = eligible_nowhere(rows)
    csv_rows += [
        [
            "éligible nulle part",
            "",
            "",
            " ".join(platforms),
            situation_words(situation),
            need_words(need),
            "",
            published(n),
        ]
        for (platforms, situation, need), n in fine
    ]
    lines = [
        [
            facts.platforms_label(platforms),
            situation_words(situation),
            published(total),
            _details(needs, need_words),
        ]
        for (platforms, situation), total, needs in _by_first(fine, 2)
    ]
    report.unmet.append(
        _table(
            "Personnes éligibles nulle part",
            "Une plateforme couvre leur commune, mais aucun de ses services ne les accepte "
            "(public, âge ou territoire d'un service).",
            ["Plateforme(s) du territoire", "Situation", "Demandes", "Pour quels besoins"],
            lines,
            "Aucune personne écartée de tous les services.",
        )
    )

    fine = needs_without_service(rows, VAGUE_NEEDS)
    csv_rows += [
        ["besoin sans service", "", "", " ".join(platforms), "", need_words(need), "", published(n)]
        for (platforms, need), n in fine
    ]
    lines = [
        [facts.platforms_label(platforms), need_words(need), published(n)] for (platforms, need), n in fine
    ]
    report.unmet.append(
        _table(
            "Besoins auxquels aucun service ne répond",
            "Aucun service de la plateforme ne répond à ce besoin : l'assistant a proposé sa porte "
            "d'entrée (diagnostic, bilan) comme premier pas.",
            ["Plateforme(s)", "Besoin", "Demandes"],
            lines,
            "Chaque besoin exprimé a trouvé un service.",
        )
    )

    proposed = times_proposed(rows)
    lines = []
    pairs = facts.services_on_prescription(report.departement)
    for platform, service in sorted(
        pairs, key=lambda ps: (-proposed[ps[1]["id"]], ps[0]["nom"], ps[1]["nom"])
    ):
        n = proposed[service["id"]]
        lines.append([platform["nom"], service["nom"], published(n)])
        csv_rows.append(
            ["sur prescription seulement", "", "", platform["id"], "", "", service["nom"], published(n)]
        )
    report.unmet.append(
        _table(
            "Services accessibles seulement par un professionnel",
            "La source indique une prescription : une personne sans référent (travailleur social, "
            "conseiller) ne peut pas y accéder seule.",
            ["Plateforme", "Service", "Proposé à"],
            lines,
            "Aucun service sur prescription.",
        )
    )


def _freshness(report: Report, facts: KnowledgeFacts, today: date) -> None:
    platforms = [p for p in facts.platforms if facts.in_departement(p, report.departement)]
    stale = stale_services(platforms, today)
    lines = []
    for p in stale:
        lines.append(
            [p.nom, str(len(p.services)), french_date(p.oldest), ", ".join(s.nom for s in p.services)]
        )
        report.freshness_csv += [[p.id, p.nom, s.id, s.nom, s.date_maj.isoformat()] for s in p.services]
    report.freshness = Table(
        "Informations de plus de 12 mois",
        "Ces services n'ont pas été mis à jour depuis plus d'un an : l'assistant dit à la personne "
        "de quand datent les informations. Vérifiez-les auprès des plateformes.",
        ["Plateforme", "Services", "Mis à jour le", "Lesquels"],
        lines,
        "Toutes les informations ont moins de 12 mois.",
        total_rows=len(lines),
    )


# --- files ---------------------------------------------------------------------------------

COUNTS_HEADER = [
    "departement",
    "departement_nom",
    "epci",
    "epci_nom",
    "besoin",
    "situation",
    "resultat",
    "demandes",
]
UNMET_HEADER = [
    "rubrique",
    "departement",
    "epci",
    "plateformes",
    "situation",
    "besoin",
    "service",
    "demandes",
]
FRESHNESS_HEADER = ["plateforme", "plateforme_nom", "service", "service_nom", "date_maj"]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def write_report(
    out_dir: Path,
    start: date,
    end: date,
    departement: str | None = None,
    events_url: str | None = None,
    kb_url: str | None = None,
    today: date | None = None,
) -> dict[str, Path]:
    """Read the events and the knowledge base, write every file; returns their paths."""
    today = today or date.today()
    engine = events_store.connect(events_url)
    try:
        rows = events_store.read_counts(engine, start, end, departement)
    finally:
        engine.dispose()
    report = build_report_data(rows, read_facts(kb_url), start, end, departement, today)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        name: out_dir / name
        for name in (
            "comptes.csv",
            "besoins-non-couverts.csv",
            "fraicheur.csv",
            "observatoire.png",
            "observatoire.html",
        )
    }
    _write_csv(paths["comptes.csv"], COUNTS_HEADER, report.counts)
    _write_csv(paths["besoins-non-couverts.csv"], UNMET_HEADER, report.unmet_csv)
    _write_csv(paths["fraicheur.csv"], FRESHNESS_HEADER, report.freshness_csv)
    need_outcome_chart(
        report.chart,
        BESOIN_LABELS,
        chart_title(report),
        chart_subtitle(report),
        paths["observatoire.png"],
        simulated=report.totals.simulated,
    )
    html = render_page(report, paths["observatoire.png"].read_bytes())
    tmp = paths["observatoire.html"].with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(paths["observatoire.html"])  # the web page never serves a half-written file
    return paths


def chart_title(report: Report) -> str:
    return "Demandes d'aide à la mobilité, par besoin"


def chart_subtitle(report: Report) -> str:
    t = report.totals
    asked = f"{published(t.total)} demande{'s' if t.total > 1 else ''}"
    return f"{report.territory[0].upper() + report.territory[1:]}, {report.period} — {asked}"
