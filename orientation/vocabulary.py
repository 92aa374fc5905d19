"""Enumerations as data: the bot's situations and needs, data·inclusion v1 codes.

The situations and needs are fixed in docs/architecture.md (they are the slot
values shared by the engine, the actions and the NLU). The data·inclusion
codes are copied from `data-inclusion-schema` 1.0.x (`data_inclusion.schema.v1`);
`scripts/check_export.py` checks that every code kept here still exists there.
"""

from __future__ import annotations

# --- The bot's own vocabulary (docs/architecture.md) -------------------------

SITUATIONS: dict[str, str] = {
    "rsa": "bénéficiaire du RSA",
    "demandeur_emploi": "demandeur d'emploi (inscrit ou non à France Travail)",
    "jeune": "jeune de 16 à 25 ans (suivi ou non par une Mission locale)",
    "handicap": "personne en situation de handicap / travailleur handicapé (RQTH)",
    "salarie_insertion": "salarié en insertion (chantier d'insertion, SIAE, contrat aidé)",
    "salarie": "salarié (emploi ordinaire)",
    "etudiant": "étudiant, lycéen, apprenti",
    "autre": "autre situation (retraité, sans activité…)",
}

# The short titles of the choice buttons (the greeting's, the form's, the page's).
SITUATION_BUTTONS: dict[str, str] = {
    "rsa": "Au RSA",
    "demandeur_emploi": "Demandeur d'emploi",
    "jeune": "Jeune (16-25 ans)",
    "handicap": "En situation de handicap",
    "salarie_insertion": "Salarié en insertion",
    "salarie": "Salarié",
    "etudiant": "Étudiant, apprenti",
    "autre": "Autre situation",
}

# The ages of "jeune": said with no other situation ("j'ai 19 ans"), an age in it is one.
JEUNE_AGES = range(16, 26)

# A platform's name among the terms a person may name ("plateforme:mobimauges").
PLATFORM_TERM = "plateforme:"

# What one does with one's days: a correction names the new one in place of the old ("en fait
# je suis salarié"); the other situations (the RSA, a disability, youth) go with any of them.
ACTIVITIES: tuple[str, ...] = ("demandeur_emploi", "salarie_insertion", "salarie", "etudiant", "autre")
# A salaried person "en insertion" is not also an ordinary employee.
SUBSUMES: dict[str, str] = {"salarie_insertion": "salarie"}


def subsumed(situations) -> tuple[str, ...]:
    """The situations without those another one implies."""
    dropped = {SUBSUMES[s] for s in situations if s in SUBSUMES}
    return tuple(s for s in dict.fromkeys(situations) if s not in dropped)


# The seed's "publics en insertion (professionnelle)". Salariés in ordinary
# jobs, students and "autre" (retired, inactive…) are not "en insertion":
# they are outside the public of a platform that says only that.
INSERTION_SITUATIONS: tuple[str, ...] = (
    "rsa",
    "demandeur_emploi",
    "jeune",
    "handicap",
    "salarie_insertion",
)

# --- data·inclusion v1 (data_inclusion.schema.v1) ----------------------------

# v1 `TypeService`.
TYPES: dict[str, str] = {
    "accompagnement": "Accompagnement",
    "aide-financiere": "Aide financière",
    "aide-materielle": "Aide matérielle",
    "atelier": "Atelier",
    "formation": "Formation",
    "information": "Information",
}

# v1 `Thematique`, category "mobilite" only (the bot orients on mobility).
THEMATIQUES: dict[str, str] = {
    "mobilite--acceder-a-un-vehicule": "Accéder à un véhicule",
    "mobilite--entretenir-reparer-son-vehicule": "Entretenir et réparer son véhicule",
    "mobilite--etre-accompagne-dans-son-parcours-mobilite": "Être accompagné dans son parcours mobilité",
    "mobilite--financer-ma-mobilite": "Financer ma mobilité",
    "mobilite--preparer-un-permis": "Préparer un permis",
    "mobilite--mobilite-douce-partagee-collective": "Utiliser des services de mobilité douce, partagée ou collective",
}

# v1 `Public` (all of them). "tous-publics" must stand alone.
PUBLICS: dict[str, str] = {
    "tous-publics": "Tous publics",
    "actifs": "Actifs",
    "beneficiaires-des-minimas-sociaux": "Bénéficiaires des minimas sociaux",
    "demandeurs-emploi": "Demandeurs d'emploi",
    "etudiants": "Étudiants",
    "familles": "Familles",
    "femmes": "Femmes",
    "jeunes": "Jeunes",
    "personnes-en-situation-de-handicap": "Personnes en situation de handicap",
    "personnes-en-situation-durgence": "Personnes en situation d'urgence",
    "personnes-en-situation-juridique-specifique": "Personnes en situation juridique spécifique",
    "personnes-exilees": "Personnes exilées",
    "residents-qpv-frr": "Résidents en QPV ou FRR",
    "seniors": "Séniors",
}

# v1 `ReseauPorteur`: a subset (the schema has 108), the ones used in
# knowledge/ plus those a mobility or insertion actor is likely to need.
RESEAUX_PORTEURS: dict[str, str] = {
    "wimoov": "Wimoov",
    "mobin": "Mob'In",
    "departements": "Départements",
    "delegataire-conseil-departemental": "Délégataire du Conseil départemental",
    "regions": "Régions",
    "communes": "Communes",
    "france-travail": "France Travail",
    "mission-locale": "Mission locale",
    "cap-emploi-reseau-cheops": "Cap emploi (réseau Cheops)",
    "ccas-cias": "CCAS / CIAS",
    "cms": "Centres médico-sociaux",
    "maisons-des-solidarites": "Maisons des solidarités",
    "plie": "PLIE",
    "inae": "Insertion par l'activité économique",
    "aci": "Ateliers et chantiers d'insertion",
    "ai": "Associations intermédiaires",
    "ei": "Entreprises d'insertion",
    "etti": "Entreprises de travail temporaire d'insertion",
    "eiti": "Entreprises d'insertion par le travail indépendant",
    "caf": "CAF",
    "mutualite-sociale-agricole": "Mutualité sociale agricole",
    "france-service": "France services",
    "adie": "Adie",
}

# v1 `PersonneMobilisatrice` (the export's `mobilisable_par`).
MOBILISABLE_PAR: tuple[str, ...] = ("usagers", "professionnels")

# --- Ours: who a platform's service is for -----------------------------------

DESTINATAIRES: dict[str, str] = {
    # a person can be oriented to it
    "personnes": "personnes accompagnées",
    # it serves the professionals who accompany them ("sensibilisation des pro.")
    "professionnels": "professionnels de l'insertion",
    # it serves the territory (coordination, remontée des besoins)
    "territoire": "territoire et partenaires",
}

# The bot's needs (docs/architecture.md) and the v1 thematiques each covers.
BESOINS: dict[str, dict] = {
    "permis": {
        "button": "Passer le permis",
        "label": "passer le permis",
        "thematiques": ("mobilite--preparer-un-permis",),
    },
    "vehicule": {
        "button": "Avoir un véhicule",
        "label": "avoir un véhicule (prêt, location, achat de voiture ou de scooter)",
        "thematiques": ("mobilite--acceder-a-un-vehicule",),
    },
    "reparation": {
        "button": "Réparer un véhicule",
        "label": "faire réparer un véhicule (ou l'entretenir)",
        "thematiques": ("mobilite--entretenir-reparer-son-vehicule",),
    },
    "financement": {
        "button": "Aide financière",
        "label": "financer les déplacements",
        "thematiques": ("mobilite--financer-ma-mobilite",),
    },
    "transport": {
        "button": "Transport, covoiturage",
        "label": "se déplacer (transport solidaire, covoiturage, transports en commun)",
        "thematiques": ("mobilite--mobilite-douce-partagee-collective",),
    },
    "velo": {
        "button": "Vélo",
        "label": "se déplacer à vélo",
        "thematiques": ("mobilite--mobilite-douce-partagee-collective", "mobilite--acceder-a-un-vehicule"),
    },
    "accompagnement": {
        "button": "Un conseil, je ne sais pas",
        "label": "être accompagné (diagnostic, conseil, « je ne sais pas »)",
        "thematiques": ("mobilite--etre-accompagne-dans-son-parcours-mobilite",),
    },
}

# Condition vocabulary (typed as in aides-jeunes' `conditions_generales`).
CONDITION_TYPES: tuple[str, ...] = ("situation", "age", "zone")
AGE_OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<")


def _short(label: str) -> str:
    """A label without its parenthesis, to fit inside a sentence."""
    return label.split(" (")[0]


def situation_button(code: str) -> str:
    return SITUATION_BUTTONS[code]


def besoin_button(code: str) -> str:
    return BESOINS[code]["button"]


def situation_label(code: str | None) -> str:
    return _short(SITUATIONS[code]) if code in SITUATIONS else (code or "situation inconnue")


def besoin_label(code: str | None) -> str:
    return _short(BESOINS[code]["label"]) if code in BESOINS else (code or "besoin inconnu")


def thematiques_for_besoin(code: str | None) -> set[str]:
    """The thematiques a need covers; empty (= any) when the need is unknown."""
    return set(BESOINS[code]["thematiques"]) if code in BESOINS else set()
