"""`make kb-import DIR=…`: read, check, map, validate, and only then write.

Nothing is half-written: the files are written to a temporary folder,
validated there together with the rest of the knowledge base (the same
loader as `make kb`), and moved into place only when everything is valid.
A structure is imported with all its mobility services or not at all.

Ids stay stable from one import to the next: a structure already imported
(same data·inclusion id) keeps its file and its ids, and its file is
replaced; a structure the seed already describes by hand is left alone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from pydantic import ValidationError

from orientation.knowledge.datainclusion.checks import GeoCodes, check_service, check_structure, is_mobility
from orientation.knowledge.datainclusion.mapping import platform_document, slug
from orientation.knowledge.datainclusion.problems import ImportErrors, ImportProblem
from orientation.knowledge.datainclusion.reading import read_export
from orientation.knowledge.datainclusion.yaml_out import render
from orientation.knowledge.export import SOURCE as SEED_SOURCE
from orientation.knowledge.loader import KnowledgeErrors, load_knowledge
from orientation.knowledge.loader import _french as french_message  # the loader's words for pydantic errors
from orientation.knowledge.schema import PlateformeImportee

STRUCTURES, SERVICES = "structures.json", "services.json"

# Our field (first step of a validation error's location) → data·inclusion's.
_STRUCTURE_FIELDS = {
    "nom": "nom",
    "porteur": "nom",
    "description": "description",
    "date_maj": "date_maj",
    "territoire": "zone_eligibilite",
    "public": "publics",
    "reseaux_porteurs": "reseaux_porteurs",
}
_CONTACT_FIELDS = {
    "telephone": "telephone",
    "courriel": "courriel",
    "adresse": "adresse",
    "site_web": "site_web",
}
_SERVICE_FIELDS = {
    "nom": "nom",
    "description": "description",
    "type": "type",
    "thematiques": "thematiques",
    "besoins": "thematiques",
    "prescription": "mobilisable_par",
    "public": "publics",
    "conditions": "zone_eligibilite",
    "conditions_acces": "conditions_acces",
    "date_maj": "date_maj",
    "porte_entree": "nom",
}


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)
    hand_written: list[tuple[str, Path]] = field(default_factory=list)  # (structure id, seed file)
    services: int = 0
    other_services: int = 0  # not mobility: not imported
    invalid: list[ImportProblem] = field(default_factory=list)  # skipped with --ignorer-invalides


@dataclass
class _Existing:
    """The platform files already there: ids in use, and who each imported structure is."""

    ids: set[str] = field(default_factory=set)
    by_structure: dict[str, tuple[Path, str, dict, bool]] = field(default_factory=dict)


def _existing(directories: list[Path]) -> _Existing:
    out = _Existing()
    seen = set()
    for directory in directories:
        for path in sorted(directory.glob("*.yml")) if directory.is_dir() else ():
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            out.ids.add(path.stem)
            try:
                doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, OSError):
                continue  # `make kb` reports it; its name stays taken
            if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
                continue
            out.ids.add(doc["id"])
            ref = doc.get("data_inclusion")
            if isinstance(ref, dict) and isinstance(ref.get("id"), str):
                services = {
                    s["data_inclusion"]["id"]: s["id"]
                    for s in doc.get("services") or ()
                    if isinstance(s, dict)
                    and isinstance(s.get("data_inclusion"), dict)
                    and "id" in s["data_inclusion"]
                    and "id" in s
                }
                out.by_structure[ref["id"]] = (path, doc["id"], services, True)
            else:  # a hand-written file: what `make kb-export` calls it
                out.by_structure[f"{SEED_SOURCE}--{doc['id']}"] = (path, doc["id"], {}, False)
    return out


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _schema_problems(exc: ValidationError, structure: dict, services: list[dict]) -> list[ImportProblem]:
    out = []
    for err in exc.errors():
        loc = [
            step
            for step in err["loc"]
            if step != "__root__" and step not in ("ConditionSituation", "ConditionAge", "ConditionZone")
        ]
        if len(loc) >= 2 and loc[0] == "services" and isinstance(loc[1], int) and loc[1] < len(services):
            name = loc[2] if len(loc) > 2 else None
            out.append(
                ImportProblem(
                    SERVICES, services[loc[1]].get("id"), _SERVICE_FIELDS.get(name, name), french_message(err)
                )
            )
        else:
            name = loc[1] if len(loc) > 1 and loc[0] == "contact" else (loc[0] if loc else None)
            fields = _CONTACT_FIELDS if loc and loc[0] == "contact" else _STRUCTURE_FIELDS
            out.append(
                ImportProblem(STRUCTURES, structure.get("id"), fields.get(name, name), french_message(err))
            )
    return out


def _duplicates(records: list, file: str) -> list[ImportProblem]:
    ids = [r.get("id") for r in records if isinstance(r, dict)]
    return [
        ImportProblem(file, i, "id", "identifiant en double")
        for i in sorted({i for i in ids if ids.count(i) > 1})
    ]


def import_export(
    directory: Path,
    out_dir: Path,
    root: Path = Path("knowledge"),
    ignore_invalid: bool = False,
    today: date | None = None,
) -> ImportResult:
    """Import the mobility services of `directory`'s export into `out_dir`; raises `ImportErrors`."""
    directory, out_dir, root = Path(directory), Path(out_dir), Path(root)
    today = today or date.today()
    records = read_export(directory)
    result = ImportResult()
    problems = _duplicates(records["structures"], STRUCTURES) + _duplicates(records["services"], SERVICES)
    structures = {
        s["id"]: s for s in records["structures"] if isinstance(s, dict) and isinstance(s.get("id"), str)
    }
    mobility = [s for s in records["services"] if isinstance(s, dict) and is_mobility(s)]
    result.other_services = len(records["services"]) - len(mobility)
    geo = GeoCodes.read(root / "communes")

    grouped: dict[str, list[dict]] = {}
    broken: set[str] = set()
    for service in mobility:
        found = check_service(service, set(structures), geo)
        problems += [ImportProblem(SERVICES, service.get("id"), f, m) for f, m in found]
        if service.get("structure_id") in structures:
            grouped.setdefault(service["structure_id"], []).append(service)
            if found:
                broken.add(service["structure_id"])
    for structure_id in grouped:
        found = check_structure(structures[structure_id])
        problems += [ImportProblem(STRUCTURES, structure_id, f, m) for f, m in found]
        if found:
            broken.add(structure_id)

    existing = _existing([out_dir, root / "plateformes"])
    taken = set(existing.ids)
    source_file = f"{directory.as_posix().rstrip('/')}/{STRUCTURES}"
    documents: list[tuple[str, Path, dict, bool]] = []  # (structure id, target, document, replaces)
    for structure_id, services in grouped.items():
        if structure_id in broken:
            continue
        known = existing.by_structure.get(structure_id)
        if known and not known[3]:
            result.hand_written.append((structure_id, known[0]))
            continue
        if known:
            target, platform_id, known_services = known[0], known[1], known[2]
        else:
            platform_id = _unique(slug(structures[structure_id]["nom"]), taken)
            target, known_services = out_dir / f"{platform_id}.yml", {}
        taken.add(platform_id)
        service_ids, own = [], set()
        for s in services:
            sid = known_services.get(s["id"]) or _unique(f"{platform_id}--{slug(s['nom'])}", own)
            own.add(sid)
            service_ids.append(sid)
        document = platform_document(
            structures[structure_id], services, platform_id, service_ids, source_file, geo
        )
        try:
            PlateformeImportee.parse_obj(document)
        except ValidationError as exc:
            problems += _schema_problems(exc, structures[structure_id], services)
            continue
        documents.append((structure_id, target, document, bool(known)))

    if problems and not ignore_invalid:
        raise ImportErrors(problems)
    result.invalid = problems
    _write_all(documents, out_dir, root, source_file, today, result)
    result.services = sum(len(d["services"]) for _, _, d, _ in documents)
    return result


def _write_all(
    documents, out_dir: Path, root: Path, source_file: str, today: date, result: ImportResult
) -> None:
    """Write to a temporary folder, validate with the rest of the base, then move into place."""
    if not documents:
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kb-import-", dir=out_dir.parent))
    check_root = Path(tempfile.mkdtemp(prefix="kb-import-check-"))
    try:
        for structure_id, target, document, _ in documents:
            (staging / target.name).write_text(
                render(document, structure_id, source_file, today), encoding="utf-8"
            )
        _check_whole_base(staging, [t for _, t, _, _ in documents], out_dir, root, check_root)
        for _structure_id, target, _, replaces in documents:
            os.replace(staging / target.name, target)  # each file whole, once all are valid
            (result.replaced if replaces else result.written).append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(check_root, ignore_errors=True)


def _check_whole_base(
    staging: Path, targets: list[Path], out_dir: Path, root: Path, check_root: Path
) -> None:
    """The knowledge base as it will be once the files are moved: `make kb`'s loader must accept it."""
    platforms = check_root / "plateformes"
    platforms.mkdir()
    replaced = {t.resolve() for t in targets}
    for directory in (root / "plateformes", out_dir):
        for path in directory.glob("*.yml") if directory.is_dir() else ():
            if path.resolve() not in replaced and not (platforms / path.name).exists():
                os.symlink(path.resolve(), platforms / path.name)
    for path in staging.glob("*.yml"):
        os.symlink(path.resolve(), platforms / path.name)
    for name in ("prescripteurs.yml", "glossaire.yml"):
        if (root / name).exists():
            os.symlink((root / name).resolve(), check_root / name)
    try:
        load_knowledge(check_root, communes_dir=root / "communes")
    except KnowledgeErrors as errors:
        names = {t.name for t in targets}
        mine = [e for e in errors.errors if Path(e.file).name in names]
        raise ImportErrors(
            ImportProblem(Path(e.file).name, e.entry, e.field, f"{e.message} (contrôle de la base complète)")
            for e in (mine or errors.errors)
        ) from None
