"""The communes of France from knowledge/communes/*.csv (@etalab/decoupage-administratif)."""

from __future__ import annotations

import csv
from pathlib import Path

from orientation.language.communes.commune import Commune

# The repository's knowledge/communes/ (this file is orientation/language/communes/loading.py).
COMMUNES_DIR = Path(__file__).resolve().parents[3] / "knowledge" / "communes"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def commune_from_row(row: dict, departements: dict[str, dict], epcis: dict[str, dict]) -> Commune:
    """A `Commune` from a communes.csv row (or database row), with its département and EPCI names."""
    dep = departements.get(row["departement"], {})
    epci = epcis.get(row["epci_siren"] or "", {})
    return Commune(
        code_insee=row["code_insee"],
        nom=row["nom"],
        codes_postaux=tuple((row["codes_postaux"] or "").split()),
        departement=row["departement"],
        departement_nom=dep.get("nom", ""),
        region=row["region"] or dep.get("region", ""),
        epci_siren=row["epci_siren"] or None,
        epci_nom=epci.get("nom"),
        population=int(row["population"] or 0),
    )


def load_communes(directory: str | Path = COMMUNES_DIR) -> tuple[list[Commune], list[tuple[str, str]]]:
    """Communes and (old name, code_insee) aliases from knowledge/communes/*.csv."""
    directory = Path(directory)
    departements = {r["code"]: r for r in read_csv(directory / "departements.csv")}
    epcis = {r["siren"]: r for r in read_csv(directory / "epci.csv")}
    communes = [commune_from_row(r, departements, epcis) for r in read_csv(directory / "communes.csv")]
    aliases = [(r["nom"], r["code_insee"]) for r in read_csv(directory / "anciens_noms.csv")]
    return communes, aliases
