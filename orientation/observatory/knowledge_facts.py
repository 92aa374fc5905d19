"""What the report needs from the knowledge database: names, prescriptions, dates, territories.

Read once from the knowledge base `make kb` built (not the whole commune
index the bot loads: a report needs names, not resolution).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from orientation.knowledge import store


@dataclass
class KnowledgeFacts:
    departements: dict[str, str] = field(default_factory=dict)  # code → name
    epcis: dict[str, str] = field(default_factory=dict)  # SIREN → name
    platforms: list[dict] = field(default_factory=list)  # validated documents, as stored
    platform_departements: dict[str, set[str]] = field(default_factory=dict)
    built_at: str | None = None

    def platform_name(self, platform_id: str) -> str:
        return next((p["nom"] for p in self.platforms if p["id"] == platform_id), platform_id)

    def platforms_label(self, ids) -> str:
        return ", ".join(self.platform_name(i) for i in ids) or "—"

    def territory_label(self, departement: str | None, epci: str | None) -> str:
        if departement is None:
            return "commune non trouvée"
        dep = f"{self.departements.get(departement, departement)} ({departement})"
        return f"{self.epcis.get(epci, epci)} — {dep}" if epci else dep

    def in_departement(self, platform: dict, departement: str | None) -> bool:
        return departement is None or departement in self.platform_departements.get(platform["id"], ())

    def services_on_prescription(self, departement: str | None = None) -> list[tuple[dict, dict]]:
        """(platform, service) a person can only reach through a professional (prescription "oui")."""
        return [
            (p, s)
            for p in self.platforms
            if self.in_departement(p, departement)
            for s in p.get("services") or ()
            if s.get("prescription") == "oui" and s.get("destinataires") == "personnes"
        ]


def read_facts(url: str | None = None) -> KnowledgeFacts:
    engine = store.connect(url)
    try:
        facts = KnowledgeFacts(
            departements={r["code"]: r["nom"] for r in store.read_all(engine, store.DepartementRow)},
            epcis={r["siren"]: r["nom"] for r in store.read_all(engine, store.EpciRow)},
            platforms=sorted(
                (r["document"] for r in store.read_all(engine, store.PlateformeRow)), key=lambda d: d["nom"]
            ),
        )
        with engine.connect() as conn:
            places = conn.execute(
                select(store.CommuneRow.code_insee, store.CommuneRow.epci_siren, store.CommuneRow.departement)
            ).all()
            facts.built_at = conn.execute(
                select(store.MetaRow.value).where(store.MetaRow.key == "built_at")
            ).scalar()
    finally:
        engine.dispose()
    facts.platform_departements = _platform_departements(facts.platforms, places, facts.departements)
    return facts


def _platform_departements(platforms, places, departements) -> dict[str, set[str]]:
    """Each platform → the départements its `zone_eligibilite` touches (a département, EPCI or commune)."""
    deps_of: dict[str, set[str]] = defaultdict(set)
    for code_insee, epci, dep in places:
        deps_of[code_insee].add(dep)
        if epci:
            deps_of[epci].add(dep)
    out = {}
    for p in platforms:
        zone = p["territoire"]["zone_eligibilite"]
        if "france" in zone:
            out[p["id"]] = set(departements)
            continue
        out[p["id"]] = {
            d for code in zone for d in ({code} if code in departements else deps_of.get(code, ()))
        }
    return out
