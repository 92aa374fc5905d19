"""Validate build/export/{structures,services}.json with data-inclusion-schema v1.

Runs inside .venv-export-check (pydantic 2), created by scripts/check_export.sh:
it does not import the rest of the project (pydantic 1). Also checks that the
data·inclusion codes kept in orientation/vocabulary.py still exist upstream.

Usage: python scripts/check_export.py [EXPORT_DIR]   (exit 1 on any error)
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pydantic
from data_inclusion.schema.v1 import (
    PersonneMobilisatrice,
    Public,
    ReseauPorteur,
    Service,
    Structure,
    Thematique,
    TypeService,
)

ROOT = Path(__file__).resolve().parents[1]


def validate(model, records: list, label: str) -> list[str]:
    errors = []
    for index, record in enumerate(records):
        try:
            # ignore_warnings=False: the schema's "avertissements" (a name ending
            # with a full stop…) count as errors here.
            model.model_validate(record, context={"ignore_warnings": False})
        except pydantic.ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(step) for step in err["loc"])
                message = err["msg"]
                if err["type"] in ("enum", "literal_error") and len(message) > 120:
                    message = f"valeur {err.get('input')!r} absente de l'énumération du schéma"
                errors.append(f"{label}[{index}] {record.get('id')!r}, {field}: {message}")
    return errors


def check_links(structures: list, services: list) -> list[str]:
    errors = []
    ids = [s.get("id") for s in structures]
    errors += [f"structures: id en double {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    service_ids = [s.get("id") for s in services]
    errors += [
        f"services: id en double {i!r}" for i in sorted({i for i in service_ids if service_ids.count(i) > 1})
    ]
    for record in structures + services:
        if not str(record.get("id", "")).startswith(f"{record.get('source')}--"):
            errors.append(f"{record.get('id')!r}: l'id doit commencer par « source-- »")
    for service in services:
        if service.get("structure_id") not in ids:
            errors.append(f"{service.get('id')!r}: structure_id {service.get('structure_id')!r} inconnu")
    return errors


def check_vocabulary() -> list[str]:
    # Load the file alone: importing the `orientation` package could pull in pydantic 1 code.
    spec = importlib.util.spec_from_file_location("vocabulary", ROOT / "orientation" / "vocabulary.py")
    vocabulary = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vocabulary)
    errors = []
    for name, ours, theirs in (
        ("TYPES", vocabulary.TYPES, TypeService),
        ("THEMATIQUES", vocabulary.THEMATIQUES, Thematique),
        ("PUBLICS", vocabulary.PUBLICS, Public),
        ("RESEAUX_PORTEURS", vocabulary.RESEAUX_PORTEURS, ReseauPorteur),
        ("MOBILISABLE_PAR", vocabulary.MOBILISABLE_PAR, PersonneMobilisatrice),
    ):
        upstream = {member.value for member in theirs}
        errors += [
            f"vocabulary.{name}: « {code} » n'existe pas dans data-inclusion-schema"
            for code in ours
            if code not in upstream
        ]
    return errors


def main(argv: list[str]) -> int:
    export_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "build" / "export"
    try:
        structures = json.loads((export_dir / "structures.json").read_text(encoding="utf-8"))
        services = json.loads((export_dir / "services.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"export illisible dans {export_dir}: {exc}", file=sys.stderr)
        return 1
    errors = (
        validate(Structure, structures, "structures")
        + validate(Service, services, "services")
        + check_links(structures, services)
        + check_vocabulary()
    )
    prescribed = sum(1 for s in services if s.get("mobilisable_par") == ["professionnels"])
    print(
        f"data-inclusion-schema v1 : {len(structures)} structures, {len(services)} services "
        f"({prescribed} mobilisables par des professionnels), {len(errors)} erreur(s)"
    )
    for error in errors:
        print(f"  {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
