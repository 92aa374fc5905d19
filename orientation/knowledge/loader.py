"""Read and validate knowledge/ → `Knowledge`, or raise `KnowledgeErrors`.

Layout of the knowledge root:
- plateformes/<id>.yml   one platform and its services (`orientation.knowledge.schema.Plateforme`)
- prescripteurs.yml      `prescripteurs: [...]` (`Prescripteur`)
- glossaire.yml          `termes: [...]` (`TermeGlossaire`)
- communes/departements.csv, epci.csv, communes.csv   the geographic codes that exist

Every problem is collected (not only the first) and reported with its file,
entry id, field and line: "knowledge/plateformes/mayenne.yml:42: entrée
'mayenne--auto-ecole-sociale', champ 'prescription' : …".

Ids are unique within each kind: platforms and services share one namespace
(service ids are "<plateforme>--<slug>"); prescribers and glossary terms have
their own, so the prescriber "mission-locale" and the term "mission-locale"
may both exist.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from orientation.knowledge.schema import Plateforme, PlateformeImportee, Prescripteur, Service, TermeGlossaire
from orientation.yaml_lines import LineDict, LineList, YamlSyntaxError, line_of, load_yaml

# Union member names that pydantic v1 puts in the location of a
# discriminated-union error: not YAML keys, dropped from paths.
_UNION_MEMBERS = {"ConditionSituation", "ConditionAge", "ConditionZone"}


@dataclass(frozen=True)
class KnowledgeError:
    file: str
    entry: str | None
    field: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        parts = []
        if self.entry is not None:
            parts.append(f"entrée '{self.entry}'")
        if self.field is not None:
            parts.append(f"champ '{self.field}'")
        what = ", ".join(parts)
        return f"{where}: {what} : {self.message}" if what else f"{where}: {self.message}"


class KnowledgeErrors(Exception):
    """All the problems found in knowledge/, one line each when printed."""

    def __init__(self, errors: Iterable[KnowledgeError]):
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


@dataclass
class Knowledge:
    plateformes: list[Plateforme] = field(default_factory=list)
    prescripteurs: list[Prescripteur] = field(default_factory=list)
    glossaire: list[TermeGlossaire] = field(default_factory=list)

    def services(self) -> Iterator[tuple[Plateforme, Service]]:
        """Every (platform, service) pair, in file order."""
        for plateforme in self.plateformes:
            for service in plateforme.services:
                yield plateforme, service

    def prescripteur(self, prescripteur_id: str) -> Prescripteur | None:
        return next((p for p in self.prescripteurs if p.id == prescripteur_id), None)


@dataclass
class _GeoCodes:
    departements: set[str]
    epcis: set[str]
    communes: set[str]


def load_knowledge(root: str | Path = "knowledge", communes_dir: str | Path | None = None) -> Knowledge:
    """Read every file of the knowledge root; raise `KnowledgeErrors` on any problem."""
    root = Path(root)
    errors: list[KnowledgeError] = []
    if not root.is_dir():
        raise KnowledgeErrors(
            [KnowledgeError(str(root), None, None, None, "dossier de connaissances introuvable")]
        )
    geo = _load_geo_codes(Path(communes_dir) if communes_dir else root / "communes", errors)
    knowledge = Knowledge()
    raw_platforms: list[tuple[str, Any]] = []

    platform_dir = root / "plateformes"
    platform_files = sorted(platform_dir.glob("*.yml")) if platform_dir.is_dir() else []
    if not platform_files:
        errors.append(
            KnowledgeError(str(platform_dir), None, None, None, "aucun fichier de plateforme (*.yml)")
        )
    for path in platform_files:
        data = _read(path, errors)
        if data is None:
            continue
        name = str(path)
        if not isinstance(data, LineDict):
            errors.append(
                KnowledgeError(
                    name,
                    path.stem,
                    None,
                    getattr(data, "line", 1),
                    "une plateforme s'écrit comme une table (clé: valeur)",
                )
            )
            continue
        raw_platforms.append((name, data))
        model = _validate_platform(path, root, data, errors)
        if model is not None:
            knowledge.plateformes.append(model)

    raw_prescribers = _read_entries(root / "prescripteurs.yml", "prescripteurs", errors)
    knowledge.prescripteurs = _validate_entries(raw_prescribers, Prescripteur, errors)
    raw_terms = _read_entries(root / "glossaire.yml", "termes", errors)
    knowledge.glossaire = _validate_entries(raw_terms, TermeGlossaire, errors)

    _check_platform_ids(raw_platforms, errors)
    _check_unique(_entries(raw_prescribers), errors)
    _check_unique(_entries(raw_terms), errors)
    prescriber_ids = {e.get("id") for _, e in _entries(raw_prescribers)}
    term_ids = {e.get("id") for _, e in _entries(raw_terms)}
    for name, data in raw_platforms:
        _check_platform_cross_refs(name, data, prescriber_ids, term_ids, geo, errors)

    if errors:
        raise KnowledgeErrors(errors)
    knowledge.prescripteurs.sort(key=lambda p: (p.priorite, p.id))
    return knowledge


# --- reading -------------------------------------------------------------------


def _read(path: Path, errors: list[KnowledgeError]) -> Any:
    try:
        return load_yaml(path)
    except YamlSyntaxError as exc:
        errors.append(KnowledgeError(exc.file, None, None, exc.line, exc.message))
    except OSError as exc:
        errors.append(KnowledgeError(str(path), None, None, None, f"lecture impossible : {exc}"))
    return None


def _read_entries(path: Path, key: str, errors: list[KnowledgeError]) -> tuple[str, list]:
    """A file `key: [entries]` → (file name, the entries that are mappings)."""
    name = str(path)
    if not path.is_file():
        errors.append(KnowledgeError(name, None, None, None, "fichier absent"))
        return name, []
    data = _read(path, errors)
    if data is None:
        return name, []
    if not isinstance(data, LineDict) or not isinstance(data.get(key), LineList):
        errors.append(
            KnowledgeError(
                name,
                None,
                key,
                getattr(data, "line", 1),
                f"le fichier doit contenir « {key}: » suivi d'une liste",
            )
        )
        return name, []
    extra = [k for k in data if k != key]
    for k in extra:
        errors.append(
            KnowledgeError(
                name, None, str(k), data.key_lines.get(k), "champ inconnu (non prévu par le schéma)"
            )
        )
    entries = []
    for index, entry in enumerate(data[key]):
        if isinstance(entry, LineDict):
            entries.append(entry)
        else:
            errors.append(
                KnowledgeError(
                    name,
                    f"{key}[{index}]",
                    None,
                    data[key].item_lines[index],
                    "chaque entrée s'écrit comme une table (clé: valeur)",
                )
            )
    return name, entries


def _entries(raw: tuple[str, list]) -> Iterator[tuple[str, LineDict]]:
    name, entries = raw
    for entry in entries:
        yield name, entry


@functools.lru_cache(maxsize=8)
def _read_codes(path: str, mtime: float, column: str) -> frozenset[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return frozenset(row[column] for row in csv.DictReader(handle))


def _load_geo_codes(directory: Path, errors: list[KnowledgeError]) -> _GeoCodes | None:
    """The codes of knowledge/communes/*.csv, or None (with errors) if a file is missing."""
    sets = {}
    for attr, filename, column in (
        ("departements", "departements.csv", "code"),
        ("epcis", "epci.csv", "siren"),
        ("communes", "communes.csv", "code_insee"),
    ):
        path = directory / filename
        try:
            sets[attr] = _read_codes(str(path), path.stat().st_mtime, column)
        except (OSError, KeyError) as exc:
            errors.append(
                KnowledgeError(
                    str(path),
                    None,
                    None,
                    None,
                    f"référentiel géographique illisible ({exc!r}) : "
                    "impossible de vérifier les codes de territoire",
                )
            )
    if len(sets) != 3:
        return None
    return _GeoCodes(**sets)


# --- schema --------------------------------------------------------------------


def _validate_platform(path: Path, root: Path, data: LineDict, errors) -> Plateforme | None:
    name = str(path)
    entry = data.get("id") if isinstance(data.get("id"), str) else path.stem
    if "fichier" in data:
        errors.append(
            KnowledgeError(
                name,
                entry,
                "fichier",
                data.key_lines["fichier"],
                "champ réservé, rempli par le chargeur : à retirer",
            )
        )
        return None
    document = dict(data)
    document["fichier"] = (Path(root.name) / path.relative_to(root)).as_posix()
    # A file imported from data·inclusion says so; the seed's files keep the seed's checks.
    model = PlateformeImportee if "data_inclusion" in data else Plateforme
    try:
        return model.parse_obj(document)
    except ValidationError as exc:
        for err in exc.errors():
            errors.append(_schema_error(name, data, entry, err))
    return None


def _validate_entries(raw: tuple[str, list], model, errors) -> list:
    valid = []
    for name, entry in _entries(raw):
        entry_id = entry.get("id") if isinstance(entry.get("id"), str) else None
        try:
            valid.append(model.parse_obj(dict(entry)))
        except ValidationError as exc:
            for err in exc.errors():
                errors.append(_schema_error(name, entry, entry_id, err))
    return valid


def _schema_error(name: str, data: LineDict, entry: str | None, err: dict) -> KnowledgeError:
    loc = [step for step in err["loc"] if step != "__root__" and step not in _UNION_MEMBERS]
    line = line_of(data, loc)
    # An error inside a service belongs to that service.
    if len(loc) >= 2 and loc[0] == "services" and isinstance(loc[1], int):
        services = data.get("services")
        service = services[loc[1]] if isinstance(services, list) and loc[1] < len(services) else None
        service_id = service.get("id") if isinstance(service, dict) else None
        entry = service_id if isinstance(service_id, str) else f"{entry} services[{loc[1]}]"
        loc = loc[2:]
    return KnowledgeError(name, entry, _field_name(loc), line, _french(err))


def _field_name(loc: list) -> str | None:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or None


_MESSAGES = {
    "value_error.missing": "champ obligatoire manquant",
    "value_error.extra": "champ inconnu (non prévu par le schéma)",
    "value_error.strictbool": "doit valoir true ou false",
    "type_error.bool": "doit valoir true ou false",
    "type_error.str": 'doit être un texte (entre guillemets si c\'est un code, ex. "49")',
    "type_error.integer": "doit être un nombre entier",
    "type_error.list": "doit être une liste",
    "type_error.dict": "doit être une table (clé: valeur)",
    "type_error.none.not_allowed": "ne peut pas être vide (null)",
    "value_error.list.min_items": "la liste ne peut pas être vide",
    "value_error.discriminated_union.missing_discriminator": "le champ « type » manque (situation, age ou zone)",
}


def _french(err: dict) -> str:
    kind, ctx = err["type"], err.get("ctx", {})
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "value_error.discriminated_union.invalid_discriminator":
        return (
            f"type de condition inconnu « {ctx.get('discriminator_value')} » "
            f"(valeurs possibles : situation, age, zone)"
        )
    if kind == "value_error.const":
        permitted = ", ".join(str(p) for p in ctx.get("permitted", ()))
        return f"valeur « {ctx.get('given')} » non permise (valeurs possibles : {permitted})"
    if kind == "value_error.any_str.min_length":
        return f"texte trop court (au moins {ctx.get('limit_value')} caractères)"
    if kind == "value_error.any_str.max_length":
        return f"texte trop long (au plus {ctx.get('limit_value')} caractères)"
    if kind == "value_error.str.regex":
        return "identifiant invalide (minuscules, chiffres et tirets ; un service : « plateforme--nom »)"
    if kind in ("value_error.number.not_ge", "value_error.number.not_le"):
        return f"valeur hors limites ({err['msg']})"
    return err["msg"]  # our validators already speak French


# --- checks across entries and files -------------------------------------------


def _check_platform_ids(raw_platforms, errors) -> None:
    seen: dict[str, tuple[str, int | None]] = {}
    for name, data in raw_platforms:
        platform_id = data.get("id")
        if isinstance(platform_id, str):
            if Path(name).stem != platform_id:
                errors.append(
                    KnowledgeError(
                        name,
                        platform_id,
                        "id",
                        data.key_lines.get("id"),
                        f"le fichier d'une plateforme porte son id : "
                        f"renommer en {platform_id}.yml ou corriger l'id",
                    )
                )
            _claim(seen, platform_id, name, data.key_lines.get("id"), errors)
        for service in _services(data):
            _claim(seen, service.get("id"), name, service.key_lines.get("id"), errors)


def _check_unique(entries: Iterable[tuple[str, LineDict]], errors) -> None:
    seen: dict[str, tuple[str, int | None]] = {}
    for name, entry in entries:
        _claim(seen, entry.get("id"), name, entry.key_lines.get("id"), errors)


def _claim(seen: dict, entry_id: Any, name: str, line: int | None, errors) -> None:
    if not isinstance(entry_id, str):
        return
    if entry_id in seen:
        first_file, first_line = seen[entry_id]
        errors.append(
            KnowledgeError(
                name, entry_id, "id", line, f"identifiant déjà utilisé ({first_file}:{first_line})"
            )
        )
    else:
        seen[entry_id] = (name, line)


def _services(data: LineDict) -> list[LineDict]:
    services = data.get("services")
    if not isinstance(services, LineList):
        return []
    return [s for s in services if isinstance(s, LineDict)]


def _check_platform_cross_refs(
    name: str, data: LineDict, prescriber_ids: set, term_ids: set, geo: _GeoCodes | None, errors
) -> None:
    platform_id = data.get("id") if isinstance(data.get("id"), str) else Path(name).stem
    territoire = data.get("territoire")
    if isinstance(territoire, LineDict):
        _check_zone_codes(
            name, platform_id, "territoire.zone_eligibilite", territoire.get("zone_eligibilite"), geo, errors
        )
    fiche = data.get("fiche")
    cells = fiche.get("services") if isinstance(fiche, LineDict) else None
    cells = cells if isinstance(cells, LineList) else None
    covered = set()
    for service in _services(data):
        service_id = service.get("id") if isinstance(service.get("id"), str) else None
        entry = service_id or f"{platform_id} services[?]"
        if service_id and not service_id.startswith(f"{platform_id}--"):
            errors.append(
                KnowledgeError(
                    name,
                    entry,
                    "id",
                    service.key_lines.get("id"),
                    f"l'id d'un service commence par « {platform_id}-- »",
                )
            )
        prescripteurs = service.get("prescripteurs")
        if isinstance(prescripteurs, LineList):
            for index, ref in enumerate(prescripteurs):
                if isinstance(ref, str) and ref not in prescriber_ids:
                    errors.append(
                        KnowledgeError(
                            name,
                            entry,
                            f"prescripteurs[{index}]",
                            prescripteurs.item_lines[index],
                            f"prescripteur inconnu « {ref} » (absent de prescripteurs.yml)",
                        )
                    )
        conditions = service.get("conditions")
        if isinstance(conditions, LineList):
            for index, condition in enumerate(conditions):
                if isinstance(condition, LineDict) and condition.get("type") == "zone":
                    _check_zone_codes(
                        name, entry, f"conditions[{index}].values", condition.get("values"), geo, errors
                    )
        glossaire = service.get("glossaire")
        if isinstance(glossaire, str) and glossaire not in term_ids:
            errors.append(
                KnowledgeError(
                    name,
                    entry,
                    "glossaire",
                    service.key_lines.get("glossaire"),
                    f"terme inconnu « {glossaire} » (absent de glossaire.yml)",
                )
            )
        extrait = service.get("extrait_source")
        description = service.get("description")
        if isinstance(extrait, str) and isinstance(description, str):
            added = words_not_in_source(description, extrait)
            if added:
                errors.append(
                    KnowledgeError(
                        name,
                        entry,
                        "description",
                        service.key_lines.get("description"),
                        f"la description ajoute des mots absents de l'extrait de la source "
                        f"({', '.join(added)}) : citer la source ; une explication générale va "
                        f"dans le glossaire (champ « glossaire »)",
                    )
                )
        if cells is not None and isinstance(extrait, str):
            if extrait in cells:
                covered.add(extrait)
            else:
                errors.append(
                    KnowledgeError(
                        name,
                        entry,
                        "extrait_source",
                        service.key_lines.get("extrait_source"),
                        "extrait absent de fiche.services : recopier la cellule de la source mot pour mot",
                    )
                )
    if cells is not None:
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and cell not in covered:
                errors.append(
                    KnowledgeError(
                        name,
                        platform_id,
                        f"fiche.services[{index}]",
                        cells.item_lines[index],
                        f"aucun service n'a pour extrait_source « {cell} »",
                    )
                )


# Abbreviations of the source spelled out in descriptions, and words that
# only link or bound the quote.
_SPELLED_OUT = {"info": "information", "tel": "telephonique", "diag": "diagnostic", "pro": "professionnels"}
_LINK_WORDS = frozenset("le la les l de d du des un une et a au aux pour".split())


def words_not_in_source(description: str, extrait: str) -> list[str]:
    """Words of a description that its source extract does not contain (singular = plural)."""
    from orientation.language.normalize import normalize

    def stems(text):
        words = (_SPELLED_OUT.get(w, w) for w in normalize(text).split())
        return {w.rstrip("sx") for w in words if w not in _LINK_WORDS}

    source = stems(extrait)
    return sorted(w for w in stems(description) if w not in source)


def _check_zone_codes(
    name: str, entry: str, field_name: str, codes: Any, geo: _GeoCodes | None, errors
) -> None:
    if geo is None or not isinstance(codes, LineList):
        return
    for index, code in enumerate(codes):
        if not isinstance(code, str) or code == "france":
            continue
        if code.isdigit() and len(code) == 9:
            known, kind = code in geo.epcis, "EPCI (SIREN)"
        elif len(code) == 5:
            known, kind = code in geo.communes, "commune (code INSEE)"
        elif len(code) in (2, 3):
            known, kind = code in geo.departements, "département"
        else:
            continue  # malformed: the schema reports it
        if not known:
            errors.append(
                KnowledgeError(
                    name,
                    entry,
                    f"{field_name}[{index}]",
                    codes.item_lines[index],
                    f"code {kind} « {code} » inconnu du référentiel " f"knowledge/communes",
                )
            )
