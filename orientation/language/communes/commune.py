"""A commune of France, and what resolving a person's words gave."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

FOUND, AMBIGUOUS, UNKNOWN = "found", "ambiguous", "unknown"


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


@dataclass(frozen=True)
class CommuneResolution:
    """What `CommuneIndex.resolve` understood.

    status: "found" (commune set, candidates == (commune,)), "ambiguous"
    (candidates by population, commune set only when one dominates), or
    "unknown" (commune None, candidates hold at most 5 spelling suggestions).
    """

    status: str
    commune: Optional[Commune]
    candidates: tuple[Commune, ...]
    query: str
    approximate: bool = False  # found by tolerating a typo, not by the name as written
