"""A small knowledge base written as a coordinator would write it, for tests of rules.

The rules of docs/orientation-rules.md are tested on these few lines of YAML,
not on today's knowledge/: a coordinator who edits knowledge/ changes no
expectation of the tests that use them. Only the commune tables are read from
the repository (a national referential, not the coordinators' data).

`write_knowledge(root, platforms, prescribers)` writes plateformes/*.yml,
prescripteurs.yml and glossaire.yml under `root` (`write_platform` one more
platform); `platform()`, `service()` and `prescriber()` build valid documents
with every field the schema requires.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import yaml

from orientation.knowledge.loader import Knowledge, load_knowledge
from orientation.knowledge.snapshot import platform_from_document, prescribers_from_documents

COMMUNES = Path(__file__).resolve().parent.parent / "knowledge" / "communes"
DAY = date(2020, 1, 15)
SOURCE = {"titre": "Fiche de test", "auteur": "tests", "date": DAY}
NO_CONTACT = {"telephone": None, "courriel": None, "adresse": None, "site_web": None}
CONTACT_UNKNOWN = (
    "Coordonnées de la plateforme (téléphone, courriel, adresse, site web) non fournies par la source"
)
PRESCRIBERS_UNKNOWN = "Prescripteurs de ce service non précisés par la source"


def service(
    platform_id: str,
    cell: str,
    *,
    nom: str | None = None,
    besoins=("accompagnement",),
    destinataires: str = "personnes",
    prescription: str = "non_precise",
    porte_entree: bool = False,
    conditions=(),
) -> dict:
    """A service quoting `cell` (its row of the platform's fiche); named after the cell by default."""
    nom = nom or cell.replace(" (p)", "")
    slug = re.sub(
        r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", nom.lower()).encode("ascii", "ignore").decode()
    )
    return {
        "id": f"{platform_id}--{slug}",
        "nom": nom,
        "description": f"{nom}.",
        "extrait_source": cell,
        "type": None,
        "thematiques": ["mobilite--etre-accompagne-dans-son-parcours-mobilite"],
        "destinataires": destinataires,
        "besoins": list(besoins) if destinataires == "personnes" else [],
        "porte_entree": porte_entree,
        "prescription": prescription,
        "prescripteurs": [],
        "conditions": list(conditions),
        "conditions_acces": "Sur prescription d'un professionnel." if prescription == "oui" else None,
        "date_maj": DAY,
        "inconnu": [PRESCRIBERS_UNKNOWN] if prescription == "oui" else [],
    }


def platform(
    platform_id: str,
    zone: list[str],
    services: list[dict],
    *,
    public: str = "Publics en insertion",
    situations=("rsa", "demandeur_emploi", "jeune", "handicap", "salarie_insertion"),
    restriction: str = "indicative",
    perimetre: str = "Département",
) -> dict:
    return {
        "id": platform_id,
        "nom": f"Plateforme {platform_id}",
        "nom_seed": platform_id,
        "porteur": "Association",
        "reseaux_porteurs": [],
        "description": f"Plateforme de test {platform_id}.",
        "contact": dict(NO_CONTACT),
        "territoire": {"zone_eligibilite": list(zone), "precision": f"La source indique « {perimetre} »."},
        "public": {
            "situations": list(situations),
            "publics": ["beneficiaires-des-minimas-sociaux"],
            "texte": public,
            "restriction": restriction,
        },
        "fiche": {
            "lancement": "2019",
            "origine": "Test",
            "suite_donnee": "Test",
            "gestion": {"porteur": "Association", "gouvernance": "Test"},
            "public_vise": public,
            "perimetre": perimetre,
            "services": list(dict.fromkeys(s["extrait_source"] for s in services)),
            "personnel_dedie": "1 conseiller",
            "budget": "~ 10 000 €",
            "sources_financieres": ["département"],
            "bilan": "Test",
        },
        "services": services,
        "avertissements": [],
        "source": dict(SOURCE),
        "date_maj": DAY,
        "inconnu": [CONTACT_UNKNOWN],
    }


def prescriber(prescriber_id: str, situations, priorite: int, *, age=None, par_defaut=False) -> dict:
    doc = {
        "id": prescriber_id,
        "nom": f"Prescripteur {prescriber_id}",
        "description": "Un professionnel qui accompagne la personne.",
        "situations": list(situations),
        "comment_joindre": "Demander à l'accueil.",
        "priorite": priorite,
        "par_defaut": par_defaut,
        "source": "Règle de test.",
        "date_maj": DAY,
    }
    if age:
        doc["age"] = {"min": age[0], "max": age[1]}
    return doc


DEFAULT_PRESCRIBERS = (
    prescriber("referent-rsa", ["rsa"], 1),
    prescriber("jeunes", ["jeune"], 2, age=(16, 25)),
    prescriber("accueil", ["autre", "salarie", "etudiant"], 9, par_defaut=True),
)

TERM = {
    "id": "plateforme",
    "terme": "Plateforme de mobilité",
    "definition": "Un lieu qui aide les personnes à se déplacer.",
    "source": "Définition de test.",
    "date_maj": DAY,
}


def write_knowledge(root: Path, platforms: list[dict], prescribers=DEFAULT_PRESCRIBERS) -> Path:
    (root / "plateformes").mkdir(parents=True)
    for doc in platforms:
        write_platform(root, doc)
    _dump(root / "prescripteurs.yml", {"prescripteurs": list(prescribers)})
    _dump(root / "glossaire.yml", {"termes": [TERM]})
    return root


def write_platform(root: Path, doc: dict) -> Path:
    """plateformes/<id>.yml under the knowledge root `root`."""
    path = root / "plateformes" / f"{doc['id']}.yml"
    _dump(path, doc)
    return path


def load(root: Path) -> Knowledge:
    """The fixture through the real loader: it is a valid knowledge base, or this raises."""
    return load_knowledge(root, communes_dir=COMMUNES)


def snapshot_of(knowledge: Knowledge, communes_snapshot):
    """The engine's view of `knowledge`, with the communes of an existing snapshot (no database build)."""
    platforms = [platform_from_document(json.loads(p.json()), {}) for p in knowledge.plateformes]
    prescribers = prescribers_from_documents([json.loads(p.json()) for p in knowledge.prescripteurs])
    return replace(communes_snapshot, platforms=platforms, prescribers=prescribers, build_id=None)


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
