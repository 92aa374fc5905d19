"""The communes of France as data: the model, the CSVs of knowledge/communes/
(@etalab/decoupage-administratif) and the table by INSEE code.

What the engine, the knowledge base and the actions need of a commune; reading a
commune's name in what a person writes is orientation.language.communes' work.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Optional


@dataclass(frozen=True)
class Commune:
    code_insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    departement: str
    departement_nom: str
    region: str
    epci_siren: Optional[str]
    epci_nom: Optional[str]
    population: int = 0

    def label(self) -> str:
        """ "Laval (Mayenne, 53)"."""
        if not self.departement_nom:
            return f"{self.nom} ({self.departement})"
        return f"{self.nom} ({self.departement_nom}, {self.departement})"


class Communes:
    """The communes by INSEE code."""

    def __init__(self, communes: Iterable[Commune]):
        self._by_code = {c.code_insee: c for c in communes}

    def __len__(self) -> int:
        return len(self._by_code)

    def all(self) -> list[Commune]:
        return list(self._by_code.values())

    def by_code(self, code_insee: str) -> Optional[Commune]:
        """Exact INSEE code lookup, for codes the system stored itself."""
        return self._by_code.get(code_insee.upper() if code_insee else "")


# The repository's knowledge/communes/ (this file is orientation/territory.py).
COMMUNES_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "communes"


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
