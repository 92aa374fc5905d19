"""data·inclusion records → one platform document per structure (pure functions).

The rules, each a table a maintainer can read and change:
- `mobilisable_par`: ["professionnels"] → prescription "oui"; usagers (with or
  without professionnels) → "non"; absent → "non_precise", never a guess;
- `publics` → the bot's situations (`PUBLIC_SITUATIONS`; "tous-publics" → all),
  always as an indicative public: data·inclusion says whom a service is for,
  not whom it refuses;
- `thematiques` → needs (`THEMATIQUE_BESOINS`; a shared-mobility service that
  speaks of bikes answers "velo");
- `zone_eligibilite` → the structure's territory (every service's codes, less
  those another one contains) and, for a service whose zone differs, a zone
  condition;
- a service named "diagnostic" or "bilan" … "mobilité" is the structure's
  entry point (`porte_entree`);
- whatever the file does not say stays empty and is listed in `inconnu`.
"""

from __future__ import annotations

import re

from orientation import vocabulary as voc
from orientation.knowledge.datainclusion.checks import MOBILITY, NATIONAL_CODES, GeoCodes, parse_date
from orientation.language.normalize import normalize

PUBLIC_SITUATIONS: dict[str, tuple[str, ...]] = {
    "tous-publics": tuple(voc.SITUATIONS),
    "beneficiaires-des-minimas-sociaux": ("rsa",),
    "demandeurs-emploi": ("demandeur_emploi",),
    "jeunes": ("jeune",),
    "personnes-en-situation-de-handicap": ("handicap",),
    "etudiants": ("etudiant",),
    "actifs": ("salarie", "salarie_insertion"),
    "seniors": ("autre",),
    # Publics that cut across situations: none of the bot's situations says them.
    "familles": (),
    "femmes": (),
    "personnes-en-situation-durgence": (),
    "personnes-en-situation-juridique-specifique": (),
    "personnes-exilees": (),
    "residents-qpv-frr": (),
}

THEMATIQUE_BESOINS: dict[str, tuple[str, ...]] = {
    "mobilite--preparer-un-permis": ("permis",),
    "mobilite--acceder-a-un-vehicule": ("vehicule",),
    "mobilite--entretenir-reparer-son-vehicule": ("reparation",),
    "mobilite--financer-ma-mobilite": ("financement",),
    "mobilite--etre-accompagne-dans-son-parcours-mobilite": ("accompagnement",),
    "mobilite--mobilite-douce-partagee-collective": ("transport",),
}
BIKE_WORDS = re.compile(r"\b(velo|velos|bicyclette|bicyclettes|vae|cycle|cycles)\b")
MOTOR_WORDS = re.compile(
    r"\b(voiture|voitures|automobile|automobiles|scooter|scooters|cyclomoteur|"
    r"cyclomoteurs|moto|motos|vehicule motorise|vehicules motorises)\b"
)
ENTRY_POINT = re.compile(r"\b(diagnostic|diagnostics|bilan|bilans)\b.*\bmobilite\b")

_LINK_WORDS = frozenset("a au aux d de des du en et l la le les pour sur un une".split())
SOURCE_TITLE = "Export data·inclusion (schéma v1)"
UNKNOWN_ACCESS = "Modalités d'accès (prescription ou accès direct) non précisées par le fichier"


def slug(text: str, limit: int = 40) -> str:
    """ "Auto-école associative (structure fictive)" → "auto-ecole-associative" (no parenthesis, cut between words)."""
    words = normalize(re.sub(r"\([^)]*\)", " ", text)).split()
    kept: list[str] = []
    for w in words:
        if len("-".join(kept + [w])) > limit:
            break
        kept.append(w)
    while len(kept) > 1 and kept[-1] in _LINK_WORDS:  # not "location-de-voitures-et-de"
        kept.pop()
    return "-".join(kept) or "sans-nom"


def prescription_for(mobilisable_par) -> str:
    if not mobilisable_par:
        return "non_precise"
    return "non" if "usagers" in mobilisable_par else "oui"


def besoins_for(thematiques, nom: str, description: str) -> list[str]:
    """The needs a service answers, from its mobility thematiques.

    A service that speaks of bikes answers "velo" instead of "transport"; one
    giving access to a vehicle answers "velo" too, and "vehicule" (a car, a
    scooter) only if it also speaks of motor vehicles.
    """
    words = normalize(f"{nom} {description}")
    bikes, motors = bool(BIKE_WORDS.search(words)), bool(MOTOR_WORDS.search(words))
    out: list[str] = []
    for t in thematiques:
        for need in THEMATIQUE_BESOINS.get(t, ()):
            if bikes and need == "transport":
                need = "velo"
            elif bikes and need == "vehicule":
                needs = ("vehicule", "velo") if motors else ("velo",)
                out += [n for n in needs if n not in out]
                continue
            if need not in out:
                out.append(need)
    return out


def public_for(record: dict) -> tuple[dict, list[str]]:
    """(the `public` block, its `inconnu` lines) from `publics` and `publics_precisions`."""
    publics = list(record.get("publics") or ())
    situations: list[str] = []
    for p in publics:
        for s in PUBLIC_SITUATIONS.get(p, ()):
            if s not in situations:
                situations.append(s)
    unknown = []
    if not publics:
        unknown.append("Public non précisé par le fichier")
    without = [voc.PUBLICS[p] for p in publics if p in voc.PUBLICS and not PUBLIC_SITUATIONS.get(p)]
    if without:
        unknown.append(
            f"Public « {', '.join(without)} » : sans équivalent parmi les situations de "
            "l'assistant (à vérifier auprès de la structure)"
        )
    return {
        "situations": situations,
        "publics": publics,
        "texte": record.get("publics_precisions"),
        "restriction": "indicative",
    }, unknown


def zone_for(record: dict) -> list[str]:
    return ["france" if c in NATIONAL_CODES else c for c in record.get("zone_eligibilite") or ()]


def territory(zones: list[list[str]], geo: GeoCodes) -> list[str]:
    """Every code of the services' zones, in order, less those another code contains."""
    codes = list(dict.fromkeys(c for zone in zones for c in zone))
    if "france" in codes:
        return ["france"]
    kept = set(codes)

    def contained(code: str) -> bool:
        if code in geo.communes:
            dep, epci = geo.communes[code]
            return dep in kept or (epci is not None and epci in kept)
        if code in geo.epcis:
            deps = geo.epci_departements.get(code, frozenset())
            return bool(deps) and deps <= kept
        return False

    return [c for c in codes if not contained(c)]


def _contact(structure: dict) -> tuple[dict, list[str]]:
    address = structure.get("adresse")
    place = " ".join(x for x in (structure.get("code_postal"), structure.get("commune")) if x)
    if address and place:
        address = f"{address}, {place}"
    contact = {
        "telephone": structure.get("telephone"),
        "courriel": structure.get("courriel"),
        "adresse": address,
        "site_web": structure.get("site_web"),
    }
    missing = [
        label
        for key, label in (
            ("telephone", "téléphone"),
            ("courriel", "courriel"),
            ("adresse", "adresse"),
            ("site_web", "site web"),
        )
        if not contact[key]
    ]
    unknown = [f"Coordonnées non fournies par le fichier : {', '.join(missing)}"] if missing else []
    return contact, unknown


def service_document(
    record: dict, service_id: str, platform_public: dict, platform_zone: list[str], entry_point: bool
) -> dict:
    """One imported service, as `orientation.knowledge.schema.ServiceImporte` reads it."""
    thematiques = [t for t in record.get("thematiques") or () if t.startswith(MOBILITY)]
    public, public_unknown = public_for(record)
    own_public = public != platform_public
    unknown = public_unknown if own_public else []  # else said once, on the structure
    zone = zone_for(record)
    doc = {
        "id": service_id,
        "data_inclusion": {"source": record["source"], "id": record["id"]},
        "nom": record["nom"],
        "description": record["description"],
        "type": record.get("type"),
        "thematiques": thematiques,
        "destinataires": "personnes",  # data·inclusion lists services for the people themselves
        "besoins": besoins_for(thematiques, record["nom"], record["description"]),
        "porte_entree": entry_point,
        "prescription": prescription_for(record.get("mobilisable_par")),
        "prescripteurs": [],
    }
    if own_public:
        doc["public"] = public
    doc["conditions"] = [{"type": "zone", "values": zone}] if zone and zone != platform_zone else []
    doc["conditions_acces"] = record.get("conditions_acces")
    doc["date_maj"] = parse_date(record["date_maj"])
    if doc["prescription"] == "non_precise":
        unknown.insert(0, UNKNOWN_ACCESS)
    if not record.get("type"):
        unknown.append("Type de service non précisé par le fichier")
    if not record.get("conditions_acces"):
        unknown.append("Conditions d'accès non précisées par le fichier")
    if not zone:
        unknown.append("Zone d'éligibilité non précisée par le fichier : territoire de la structure retenu")
    doc["inconnu"] = unknown
    return doc


def is_entry_point(record: dict) -> bool:
    return bool(ENTRY_POINT.search(normalize(record["nom"])))


def platform_document(
    structure: dict,
    services: list[dict],
    platform_id: str,
    service_ids: list[str],
    source_file: str,
    geo: GeoCodes,
) -> dict:
    """One structure and its mobility services, as `orientation.knowledge.schema.PlateformeImportee` reads it.

    The structure's public is its first service's; a service with another keeps its own.
    """
    public, public_unknown = public_for(services[0])
    zone = territory([zone_for(s) for s in services], geo)
    entry = next((i for i, s in enumerate(services) if is_entry_point(s)), None)
    contact, unknown = _contact(structure)
    if not zone:
        unknown.append("Territoire non précisé par le fichier : la structure n'est proposée nulle part")
    unknown += public_unknown
    return {
        "id": platform_id,
        "data_inclusion": {"source": structure["source"], "id": structure["id"]},
        "nom": structure["nom"],
        "porteur": structure["nom"],  # the structure carries its own services
        "reseaux_porteurs": [r for r in structure.get("reseaux_porteurs") or () if r in voc.RESEAUX_PORTEURS],
        "description": structure["description"],
        "contact": contact,
        "territoire": {"zone_eligibilite": zone, "precision": None},
        "public": public,
        "services": [
            service_document(s, sid, public, zone, i == entry)
            for i, (s, sid) in enumerate(zip(services, service_ids, strict=False))
        ],
        "source": {
            "titre": SOURCE_TITLE,
            "auteur": structure["source"],
            "date": None,
            "fichier": source_file,
            "extrait": None,
        },
        "date_maj": parse_date(structure["date_maj"]),
        "inconnu": unknown,
    }
