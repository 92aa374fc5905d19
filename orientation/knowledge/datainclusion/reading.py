"""Reading the two files of a data·inclusion v1 export.

`make kb-export` writes each as a JSON list; the data·inclusion API answers
with pages (`{"items": [...], "total": …, "page": …}`), and its search
endpoints wrap each record (`{"service": {...}, "distance": …}`). All three
are read the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

from orientation.knowledge.datainclusion.problems import ImportErrors, ImportProblem

FILES = ("structures", "services")


def _records(data, name: str) -> list:
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise ImportErrors(
            [
                ImportProblem(
                    name,
                    None,
                    None,
                    "une liste d'enregistrements est attendue " '(ou une page de l\'API : {"items": [...]})',
                )
            ]
        )
    singular = name.split(".")[0].rstrip("s")
    return [
        item[singular] if isinstance(item, dict) and isinstance(item.get(singular), dict) else item
        for item in data
    ]


def read_export(directory: Path) -> dict[str, list]:
    """{"structures": [...], "services": [...]}; raises `ImportErrors` if a file is missing or unreadable."""
    out, problems = {}, []
    for kind in FILES:
        path = Path(directory) / f"{kind}.json"
        name = f"{kind}.json"
        try:
            out[kind] = _records(json.loads(path.read_text(encoding="utf-8")), name)
        except FileNotFoundError:
            problems.append(ImportProblem(str(path), None, None, "fichier absent"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problems.append(ImportProblem(name, None, None, f"JSON illisible ({exc})"))
        except ImportErrors as exc:
            problems += exc.problems
    if problems:
        raise ImportErrors(problems)
    return out
