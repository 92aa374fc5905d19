"""Each record of an export against what the knowledge base can hold, in data·inclusion's words.

Only mobility services (a `mobilite--*` thematique) and their structures are
checked: the rest of a national export is not imported, so its faults are
not ours to report. Contact details, lengths and dates are checked again by
`orientation.knowledge.schema` when the platform document is validated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orientation import vocabulary as voc
from orientation.knowledge.schema import ZONE_CODE
from orientation.territory import read_csv

MOBILITY = "mobilite--"
NATIONAL_CODES = ("france", "99100")  # 99100: INSEE's code of France, which data·inclusion accepts


@dataclass(frozen=True)
class GeoCodes:
    departements: frozenset[str]
    epcis: frozenset[str]
    communes: dict[str, tuple[str, str | None]]  # code_insee → (département, EPCI)
    epci_departements: dict[str, frozenset[str]]

    @classmethod
    def read(cls, communes_dir: Path) -> GeoCodes:
        rows = read_csv(Path(communes_dir) / "communes.csv")
        epci_deps: dict[str, set[str]] = {}
        for r in rows:
            if r["epci_siren"]:
                epci_deps.setdefault(r["epci_siren"], set()).add(r["departement"])
        return cls(
            departements=frozenset(r["code"] for r in read_csv(Path(communes_dir) / "departements.csv")),
            epcis=frozenset(r["siren"] for r in read_csv(Path(communes_dir) / "epci.csv")),
            communes={r["code_insee"]: (r["departement"], r["epci_siren"] or None) for r in rows},
            epci_departements={k: frozenset(v) for k, v in epci_deps.items()},
        )

    def knows(self, code: str) -> bool:
        return (
            code in NATIONAL_CODES or code in self.departements or code in self.epcis or code in self.communes
        )


def is_mobility(record: dict) -> bool:
    thematiques = record.get("thematiques")
    return isinstance(thematiques, list) and any(
        isinstance(t, str) and t.startswith(MOBILITY) for t in thematiques
    )


def parse_date(value) -> date | None:
    """ "2026-09-15" (or a timestamp "2026-09-15T08:00:00Z", whose day is kept); None if not a date."""
    if not isinstance(value, str):
        return None
    text = value[:10] if re.match(r"^\d{4}-\d{2}-\d{2}T", value) else value
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _text(record: dict, field: str, problems: list, required: bool = True) -> None:
    value = record.get(field)
    if value is None:
        if required:
            problems.append((field, "champ obligatoire manquant"))
    elif not isinstance(value, str) or not value.strip():
        problems.append((field, "doit être un texte non vide"))


def _codes(record: dict, field: str, allowed, what: str, problems: list) -> None:
    values = record.get(field)
    if values is None:
        return
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        problems.append((field, "doit être une liste de codes"))
        return
    unknown = [v for v in values if v not in allowed]
    if unknown:
        problems.append((field, f"{what} inconnu(s) du schéma data·inclusion v1 : {', '.join(unknown)}"))


def check_structure(record: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for field in ("id", "source", "nom", "description"):
        _text(record, field, problems)
    if parse_date(record.get("date_maj")) is None:
        problems.append(("date_maj", "date manquante ou invalide (format attendu : AAAA-MM-JJ)"))
    for field in ("telephone", "courriel", "site_web", "adresse"):
        _text(record, field, problems, required=False)
    return problems


def check_service(record: dict, structure_ids: set[str], geo: GeoCodes) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for field in ("id", "source", "nom", "description"):
        _text(record, field, problems)
    if parse_date(record.get("date_maj")) is None:
        problems.append(("date_maj", "date manquante ou invalide (format attendu : AAAA-MM-JJ)"))
    if record.get("structure_id") not in structure_ids:
        problems.append(
            ("structure_id", f"structure « {record.get('structure_id')} » absente de " "structures.json")
        )
    mobility = [t for t in record.get("thematiques") or () if isinstance(t, str) and t.startswith(MOBILITY)]
    _codes({"thematiques": mobility}, "thematiques", voc.THEMATIQUES, "thématique(s)", problems)
    _codes(record, "publics", voc.PUBLICS, "public(s)", problems)
    _codes(record, "mobilisable_par", voc.MOBILISABLE_PAR, "valeur(s)", problems)
    if record.get("type") is not None and record.get("type") not in voc.TYPES:
        problems.append(("type", f"type « {record.get('type')} » inconnu du schéma data·inclusion v1"))
    zone = record.get("zone_eligibilite")
    if zone is not None:
        if not isinstance(zone, list) or not all(isinstance(c, str) for c in zone):
            problems.append(("zone_eligibilite", "doit être une liste de codes"))
        else:
            bad = [c for c in zone if not (c in NATIONAL_CODES or ZONE_CODE.match(c))]
            unknown = [c for c in zone if c not in bad and not geo.knows(c)]
            if bad:
                problems.append(
                    (
                        "zone_eligibilite",
                        f"code(s) ni commune, ni EPCI, ni département : " f"{', '.join(bad)}",
                    )
                )
            if unknown:
                problems.append(
                    (
                        "zone_eligibilite",
                        f"code(s) inconnu(s) du référentiel knowledge/communes : " f"{', '.join(unknown)}",
                    )
                )
    return problems
