"""Loads the knowledge database into memory for the engine, and keeps it fresh.

A data change is a `make kb` away: the running action server notices the new
build id and reloads, with no retraining and no restart.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import MISSING, dataclass, fields

from orientation.engine.model import Condition, Platform, Prescriber, Service
from orientation.knowledge import store
from orientation.territory import Communes, commune_from_row
from orientation.vocabulary import PUBLICS

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    build_id: str | None
    platforms: list[Platform]
    prescribers: list[Prescriber]
    glossary: dict[str, dict]
    communes: Communes
    departements: dict[str, dict]
    epcis: dict[str, dict]

    def zone_label(self, code: str) -> str:
        """A zone_eligibilite code in words: "Mayenne, 53", "CA Mauges Communauté"."""
        if code == "france":
            return "toute la France"
        if code in self.departements:
            return f"{self.departements[code]['nom']}, {code}"
        if code in self.epcis:
            return self.epcis[code]["nom"]
        commune = self.communes.by_code(code)
        return commune.nom if commune else code

    @classmethod
    def from_database(cls, url: str | None = None) -> Snapshot:
        engine = store.connect(url)
        try:
            build_id = store.read_build_id(engine)
            departements = {r["code"]: r for r in store.read_all(engine, store.DepartementRow)}
            epcis = {r["siren"]: r for r in store.read_all(engine, store.EpciRow)}
            commune_rows = store.read_all(engine, store.CommuneRow)
            platform_rows = store.read_all(engine, store.PlateformeRow)
            prescriber_rows = store.read_all(engine, store.PrescripteurRow)
            terms = {r["id"]: r["document"] for r in store.read_all(engine, store.TermeRow)}
        finally:
            engine.dispose()
        communes = [commune_from_row(r, departements, epcis) for r in commune_rows]
        regions = _zone_regions(commune_rows, departements)
        platforms = [platform_from_document(r["document"], regions) for r in platform_rows]
        prescribers = prescribers_from_documents([r["document"] for r in prescriber_rows])
        return cls(build_id, platforms, prescribers, terms, Communes(communes), departements, epcis)


def _zone_regions(commune_rows, departements) -> dict[str, set[str]]:
    """Each zone code (département, EPCI, commune) → the regions it lies in."""
    regions: dict[str, set[str]] = {code: {d["region"]} for code, d in departements.items()}
    for r in commune_rows:
        region = r["region"] or departements.get(r["departement"], {}).get("region")
        regions.setdefault(r["code_insee"], set()).add(region)
        if r["epci_siren"]:
            regions.setdefault(r["epci_siren"], set()).add(region)
    return regions


# The validated documents' fields the engine does not reason on, and why. Every
# other field of the schema is copied into the engine's model by name: adding a
# field to a service is one edit in orientation/knowledge/schema.py, one in
# orientation/engine/model.py and its use (tests/test_knowledge_shapes.py holds
# this list and the schema together).
NOT_FOR_THE_ENGINE = {
    "Service": {
        "public": "read as a situation condition (imported services)",
        "data_inclusion": "the export's ids, for make kb-export",
    },
    "Plateforme": {
        "nom_seed": "the study's name, for the export",
        "porteur": "the export's structure",
        "reseaux_porteurs": "the export's structure",
        "description": "the export's structure",
        "territoire": "flattened: zone_eligibilite, territoire_precision",
        "public": "flattened: situations, public_texte, public_stricte",
        "fiche": "the study's rows, for the export",
        "fichier": "error messages of the loader",
        "data_inclusion": "the export's ids, for make kb-export",
    },
    "Prescripteur": {
        "age": "flattened: age_min, age_max",
        "reseaux_porteurs": "the export",
        "source": "the export",
        "date_maj": "the export",
    },
}


def _frozen(value):
    """JSON as the frozen model holds it: lists as tuples."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def copied(cls, doc: dict, **derived):
    """`cls` built from a validated document: every field of the same name copied, `derived` for the rest.

    A missing or null value leaves the model's default (`None` where it has none).
    """
    values = {}
    for f in fields(cls):
        if f.name in derived:
            values[f.name] = derived[f.name]
        elif doc.get(f.name) is not None:
            values[f.name] = _frozen(doc[f.name])
        elif f.default is MISSING and f.default_factory is MISSING:
            values[f.name] = None
    return cls(**values)


def _conditions(docs) -> tuple[Condition, ...]:
    return tuple(copied(Condition, c) for c in docs or ())


def _public_condition(public: dict | None) -> tuple[Condition, ...]:
    """An imported service's own public, as the situation condition the engine checks.

    No situation (the file names no public for it): no restriction, not the structure's public.
    """
    if public is None:
        return ()
    return (
        Condition(
            type="situation",
            values=tuple(public.get("situations") or ()),
            stricte=public.get("restriction") == "stricte",
            texte_source=_public_words(public) or None,
        ),
    )


def _public_words(public: dict) -> str:
    """The file's words for a public, else its data·inclusion codes in words."""
    return public.get("texte") or ", ".join(PUBLICS.get(p, p) for p in public.get("publics") or ())


def service_from_document(doc: dict, platform_id: str) -> Service:
    return copied(
        Service,
        doc,
        plateforme_id=platform_id,
        conditions=_public_condition(doc.get("public")) + _conditions(doc.get("conditions")),
    )


def platform_from_document(doc: dict, zone_regions: dict[str, set[str]]) -> Platform:
    zone = tuple(doc["territoire"]["zone_eligibilite"])
    public = doc.get("public") or {}
    return copied(
        Platform,
        doc,
        zone_eligibilite=zone,
        situations=tuple(public.get("situations") or ()),
        public_texte=_public_words(public),
        territoire_precision=doc["territoire"].get("precision"),
        services=tuple(service_from_document(s, doc["id"]) for s in doc.get("services") or ()),
        public_stricte=public.get("restriction") == "stricte",
        regions=tuple(sorted({r for code in zone for r in zone_regions.get(code, ()) if r})),
    )


def prescribers_from_documents(docs: list[dict]) -> list[Prescriber]:
    """Sorted by priority; `par_defaut` marks whom anyone may turn to."""
    return [
        copied(
            Prescriber, d, age_min=(d.get("age") or {}).get("min"), age_max=(d.get("age") or {}).get("max")
        )
        for d in sorted(docs, key=lambda d: d["priorite"])
    ]


class SnapshotCache:
    """The current snapshot, reloaded when `make kb` publishes a new build.

    The build id is checked at most every `check_every` seconds. A new build
    is loaded in a background thread while the previous snapshot keeps
    answering (a reload takes seconds: it must not hold every conversation up);
    a failed reload keeps the previous snapshot in service. Only the very
    first load waits.
    """

    def __init__(self, url: str | None = None, check_every: float = 5.0):
        self.url = url
        self.check_every = check_every
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._reloading: threading.Thread | None = None

    @classmethod
    def holding(
        cls, snapshot: Snapshot, url: str | None = None, check_every: float = 3600.0
    ) -> SnapshotCache:
        """A cache that already holds `snapshot` (tests share one loaded snapshot)."""
        cache = cls(url, check_every)
        cache._snapshot, cache._checked_at = snapshot, time.monotonic()
        return cache

    def get(self) -> Snapshot:
        now = time.monotonic()
        if self._snapshot is not None and now - self._checked_at < self.check_every:
            return self._snapshot
        with self._lock:
            if self._snapshot is None:
                self._snapshot = Snapshot.from_database(self.url)
                self._checked_at = now
                return self._snapshot
            if now - self._checked_at < self.check_every:
                return self._snapshot
            self._checked_at = now
            if self._reloading is None or not self._reloading.is_alive():
                try:
                    current = self._build_id()
                except Exception:
                    log.exception("Knowledge base unreachable; the previous one stays in service")
                    return self._snapshot
                if current != self._snapshot.build_id:
                    self._reloading = threading.Thread(
                        target=self._reload, args=(current,), daemon=True, name="knowledge-reload"
                    )
                    self._reloading.start()
        return self._snapshot

    def wait_for_reload(self, timeout: float | None = None) -> None:
        """For tests and tools: until a reload in progress is over."""
        thread = self._reloading
        if thread is not None:
            thread.join(timeout)

    def _build_id(self) -> str | None:
        engine = store.connect(self.url)
        try:
            return store.read_build_id(engine)
        finally:
            engine.dispose()

    def _reload(self, build_id) -> None:
        try:
            snapshot = Snapshot.from_database(self.url)
        except Exception:
            log.exception("Knowledge base reload failed; the previous one stays in service")
            return
        self._snapshot = snapshot  # one assignment: readers see the old or the new, never half
        log.info("Knowledge base reloaded (build %s)", build_id)
