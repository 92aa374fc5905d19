"""Export of the knowledge base in data·inclusion schema v1 format.

`export_data_inclusion(knowledge, out_dir)` writes `structures.json` (one per
platform) and `services.json` (every service, those for professionals and
the territory too: the schema does not restrict a service's audience).
`scripts/check_export.sh` validates both files with the `data-inclusion-schema`
package itself (it needs pydantic 2, hence a separate virtualenv).

A structure imported by `make kb-import` (`orientation.knowledge.datainclusion`) is
written back with its own data·inclusion `source` and ids, its services' own
publics and its texts as the file gave them: export → import → export gives
the same records.

Choices where our knowledge does not say:
- `mobilisable_par` follows `prescription`: "oui" (the source marks "(p)" /
  "(prescription)") → ["professionnels"]; "non" (access said to be direct) →
  ["usagers", "professionnels"]; "non_precise" → null, never a guess;
- services for professionals or the territory carry no person-facing
  thematique nor publics: they are not services a person is oriented to;
- contact, address, `lien_source` and `frais` stay null (the source gives none);
- `publics` is the platform's public for services to persons, null for
  services to professionals or to the territory (data·inclusion's publics are
  beneficiaries), with `publics_precisions` saying who they serve.
"""

from __future__ import annotations

import json
from pathlib import Path

from orientation.knowledge.loader import Knowledge
from orientation.knowledge.schema import ConditionZone, Plateforme, Service

SOURCE = "cerema-2017-pdl"

_PRECISIONS_DESTINATAIRES = {
    "professionnels": "Service destiné aux professionnels de l'insertion, pas directement aux personnes.",
    "territoire": "Rôle de la plateforme envers le territoire et ses partenaires, "
    "pas un service auquel orienter une personne.",
}


MOBILISABLE_PAR = {"oui": ["professionnels"], "non": ["usagers", "professionnels"], "non_precise": None}


def structure_id(plateforme: Plateforme) -> str:
    """The seed's "cerema-2017-pdl--<id>"; an imported structure keeps its data·inclusion id."""
    ref = getattr(plateforme, "data_inclusion", None)
    return ref.id if ref else f"{SOURCE}--{plateforme.id}"


def _source(plateforme: Plateforme) -> str:
    ref = getattr(plateforme, "data_inclusion", None)
    return ref.source if ref else SOURCE


def _service_id(plateforme: Plateforme, service: Service) -> str:
    ref = getattr(service, "data_inclusion", None)
    return ref.id if ref else f"{_source(plateforme)}--{service.id}"


def _publics(plateforme: Plateforme, service: Service) -> tuple[list | None, str | None]:
    """`publics` and `publics_precisions` of a service for persons.

    The seed's text is folded YAML (spaces normalized); an imported one is
    written back as data·inclusion gave it, and a service may have its own.
    """
    if getattr(plateforme, "data_inclusion", None) is None:
        return list(plateforme.public.publics), " ".join(plateforme.public.texte.split())
    public = getattr(service, "public", None) or plateforme.public
    return list(public.publics) or None, public.texte


def structure_record(plateforme: Plateforme) -> dict:
    contact = plateforme.contact
    return {
        "source": _source(plateforme),
        "id": structure_id(plateforme),
        "nom": plateforme.nom,
        "date_maj": plateforme.date_maj.isoformat(),
        "description": plateforme.description,
        "lien_source": None,
        "siret": None,
        "adresse": contact.adresse,
        "telephone": contact.telephone,
        "courriel": contact.courriel,
        "site_web": contact.site_web,
        "reseaux_porteurs": list(plateforme.reseaux_porteurs) or None,
    }


def service_record(plateforme: Plateforme, service: Service) -> dict:
    for_persons = service.destinataires == "personnes"
    publics, precisions = _publics(plateforme, service) if for_persons else (None, None)
    return {
        "source": _source(plateforme),
        "structure_id": structure_id(plateforme),
        "id": _service_id(plateforme, service),
        "nom": service.nom,
        "description": service.description,
        "date_maj": service.date_maj.isoformat(),
        "lien_source": None,
        "type": service.type,
        "thematiques": list(service.thematiques) if for_persons else None,
        "frais": None,
        "publics": publics,
        "publics_precisions": precisions if for_persons else _PRECISIONS_DESTINATAIRES[service.destinataires],
        "conditions_acces": service.conditions_acces,
        "zone_eligibilite": _zone(plateforme, service),
        "telephone": None,
        "courriel": None,
        "mobilisable_par": MOBILISABLE_PAR[service.prescription],
    }


def _zone(plateforme: Plateforme, service: Service) -> list[str]:
    """The service's own zone condition if it has one, else the platform's territory."""
    for condition in service.conditions:
        if isinstance(condition, ConditionZone):
            return list(condition.values)
    return list(plateforme.territoire.zone_eligibilite)


def export_data_inclusion(knowledge: Knowledge, out_dir: str | Path = "build/export") -> dict:
    """Write structures.json and services.json; return their paths and counts."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    structures = [structure_record(p) for p in knowledge.plateformes]
    services = [service_record(p, s) for p, s in knowledge.services()]
    paths = {}
    for name, records in (("structures", structures), ("services", services)):
        path = out / f"{name}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
        paths[name] = str(path)
    return {"structures": len(structures), "services": len(services), "paths": paths}
