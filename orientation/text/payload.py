"""The structured orientation sent to channels in the bot message's `custom`.

Read by the web page and by social workers' tools: its shape is documented in
docs/architecture.md. Version 2: `prescription` is "oui" | "non" |
"non_precise" (it was a boolean), services carry their `eligibilite`.
"""

from __future__ import annotations

from datetime import date

from orientation.text import wording
from orientation.text.french import with_article
from orientation.vocabulary import besoin_label

PAYLOAD_VERSION = 2
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def month_year(iso_date) -> str | None:
    """ "2017-12-11" → "décembre 2017": how old the information is, in words."""
    if not iso_date:
        return None
    d = iso_date if isinstance(iso_date, date) else date.fromisoformat(str(iso_date))
    return f"{MONTHS[d.month - 1]} {d.year}"


def _platform_ref(platform) -> dict:
    # "la Plateforme mobilité de la Sarthe", "Mobimauges": for "Demander à …" on the fiche.
    return {"id": platform.id, "nom": platform.nom, "avec_article": with_article(platform.nom)}


def _prescriber(p, pourquoi=None) -> dict:
    out = {"id": p.id, "nom": p.nom, "comment_joindre": p.comment_joindre}
    if pourquoi:
        out["pourquoi"] = pourquoi
    return out


def _commune(c) -> dict:
    return {
        "nom": c.nom,
        "code_insee": c.code_insee,
        "departement": c.departement,
        "departement_nom": c.departement_nom,
        "epci": c.epci_nom,
        "codes_postaux": list(c.codes_postaux),
    }


def _glossary(service, snapshot) -> dict | None:
    term = snapshot.glossary.get(service.glossaire) if service.glossaire else None
    if not term:
        return None
    return {
        "terme": term["terme"],
        "definition": " ".join(term["definition"].split()),
        "nature": "information générale, pas une description de ce service",
    }


def _service(o, s, snapshot, voice) -> dict:
    platform = s.platform
    return {
        "id": s.service.id,
        "nom": s.service.nom,
        "description": s.service.description,
        "extrait_source": s.service.extrait_source,
        "plateforme": _platform_ref(platform),
        "prescription": s.service.prescription,
        "acces": wording.access_long(s.service, voice),
        "prescripteurs": [_prescriber(p) for p in s.prescripteurs],
        "prescripteurs_precises": bool(s.prescripteurs),
        "eligibilite": s.eligibilite,
        "a_verifier": (
            [wording.explain(s.check, platform, o.profil, o.commune, voice)]
            if s.eligibilite == "a_verifier"
            else []
        ),
        "premier_pas": s.premier_pas,
        "pourquoi": wording.why_service(o, s, snapshot, voice),
        "criteres": wording.criteria_met(o, s, snapshot, voice),
        "conditions_acces": s.service.conditions_acces,
        "glossaire": _glossary(s.service, snapshot),
        "contact": dict(platform.contact or {}),
        "avertissements": list(platform.avertissements),
        "date_maj": s.service.date_maj,
        "informations_du": month_year(s.service.date_maj),
        "inconnu": list(platform.inconnu) + list(s.service.inconnu),
    }


def orientation_payload(o, snapshot, voice=wording.PERSON) -> dict:
    p = o.profil
    return {
        "orientation": {
            "version": PAYLOAD_VERSION,
            "statut": o.statut,
            "voix": "professionnel" if voice.professional else "personne",
            "commune": _commune(o.commune),
            "profil": {
                "situations": list(p.situations),
                "situation": p.situation,
                "besoin": p.besoin,
                "besoin_label": besoin_label(p.besoin) if p.besoin else None,
                "age": p.age,
            },
            "plateformes": [_platform_ref(x) for x in o.plateformes],
            "services": [_service(o, s, snapshot, voice) for s in o.services],
            "non_eligibles": [
                {
                    "service": e.service.nom,
                    "service_id": e.service.id,
                    "plateforme": e.platform.nom,
                    "raison": e.raison,
                    "explication": wording.explain(e.check, e.platform, p, o.commune, voice),
                }
                for e in o.non_eligibles
            ],
            "prescripteur": (
                _prescriber(o.prescripteur, wording.why_prescriber(o.prescripteur, p, voice))
                if o.prescripteur
                else None
            ),
            "sources": o.sources,
            "date_connaissances": o.date_connaissances,
            "informations_du": month_year(o.date_connaissances),
        }
    }
