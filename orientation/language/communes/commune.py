"""What resolving a person's words for a commune gave."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from orientation.territory import Commune

FOUND, AMBIGUOUS, UNKNOWN = "found", "ambiguous", "unknown"


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
