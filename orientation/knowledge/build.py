"""`make kb`: validate knowledge/ and publish it into the database.

Validation comes first and touches nothing: on any error the database in
service stays as it was.
"""

from __future__ import annotations

from pathlib import Path

from orientation.knowledge import store
from orientation.knowledge.loader import load_knowledge
from orientation.territory import read_csv

KNOWLEDGE_ROOT = Path("knowledge")


def read_commune_tables(communes_dir: Path):
    """The rows of knowledge/communes/*.csv, typed for the database."""
    communes = [
        {**r, "population": int(r["population"] or 0), "epci_siren": r["epci_siren"] or None}
        for r in read_csv(communes_dir / "communes.csv")
    ]
    aliases = [
        {"nom": r["nom"], "code_insee": r["code_insee"]} for r in read_csv(communes_dir / "anciens_noms.csv")
    ]
    departements = read_csv(communes_dir / "departements.csv")
    epcis = read_csv(communes_dir / "epci.csv")
    return communes, aliases, departements, epcis


def build(root: Path = KNOWLEDGE_ROOT, url: str | None = None, knowledge=None) -> store.BuildReport:
    """Raises `orientation.knowledge.loader.KnowledgeErrors` when knowledge/ is invalid.

    `knowledge`: already loaded from `root` (`make kb` reuses it to warn about old data).
    """
    knowledge = knowledge if knowledge is not None else load_knowledge(root)
    communes, aliases, departements, epcis = read_commune_tables(Path(root) / "communes")
    return store.build_database(knowledge, communes, aliases, departements, epcis, url=url)
