"""The structured orientation sent to channels in the bot message's `custom`.

Read by the web page and by social workers' tools: its shape is documented in
docs/architecture.md and must only grow, never change meaning.
"""
from __future__ import annotations


def _platform_ref(platform) -> dict:
    return {"id": platform.id, "nom": platform.nom}


def _prescriber(p, pourquoi=None) -> dict:
    out = {"id": p.id, "nom": p.nom, "comment_joindre": p.comment_joindre}
    if pourquoi:
        out["pourquoi"] = pourquoi
    return out


def _commune(c) -> dict:
    return {"nom": c.nom, "code_insee": c.code_insee, "departement": c.departement,
            "departement_nom": c.departement_nom, "epci": c.epci_nom,
            "codes_postaux": list(c.codes_postaux)}


def orientation_payload(o) -> dict:
    services = []
    for s in o.services:
        services.append({
            "id": s.service.id,
            "nom": s.service.nom,
            "description": s.service.description,
            "plateforme": _platform_ref(s.platform),
            "prescription": s.service.prescription,
            "prescripteurs": [_prescriber(p) for p in s.prescripteurs],
            "pourquoi": s.pourquoi,
            "criteres": s.criteres,
            "conditions_acces": s.service.conditions_acces,
            "contact": dict(s.platform.contact or {}),
            "inconnu": list(s.platform.inconnu) + list(s.service.inconnu),
        })
    return {"orientation": {
        "statut": o.statut,
        "commune": _commune(o.commune) if o.commune else None,
        "profil": {"situation": o.profil.situation, "besoin": o.profil.besoin, "age": o.profil.age},
        "plateformes": [_platform_ref(p) for p in o.plateformes],
        "services": services,
        "non_eligibles": [{"service": e.service.nom, "service_id": e.service.id,
                           "plateforme": e.platform.nom, "raison": e.raison,
                           "explication": e.explication} for e in o.non_eligibles],
        "prescripteur": (_prescriber(o.prescripteur, o.prescripteur_pourquoi)
                         if o.prescripteur else None),
        "sources": o.sources,
        "date_connaissances": o.date_connaissances,
    }}
