"""What is wrong with an export, said with the file, the record's id and data·inclusion's field name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportProblem:
    file: str  # "structures.json" or "services.json" (or a path)
    record: str | None  # the record's data·inclusion id
    field: str | None  # data·inclusion's name for it ("zone_eligibilite", "telephone"…)
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.record is not None:
            where.append(f"enregistrement '{self.record}'")
        if self.field is not None:
            where.append(f"champ '{self.field}'")
        return f"{', '.join(where)} : {self.message}"


class ImportErrors(Exception):
    def __init__(self, problems: Iterable[ImportProblem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
