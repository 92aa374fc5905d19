"""One anonymous event per orientation: categories, never words.

An event holds exactly these fields, each from a closed set of codes:
- `jour`: the day, never the time (two events of one day cannot be ordered);
- `besoin`, `situation` (one category), `tranche_age` (under 26 / 26 and over
  / unknown): the profile as categories, never the exact age;
- `departement`, `epci`: where, never the commune;
- `plateformes` (those covering the commune), `services` (those proposed);
- `resultat`: what the person got, or why nothing;
- `professionnel`: whether a professional was speaking for the person.
No text the person typed, no sender id, nothing that links two events.
`simule` marks the demonstration's invented events.
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass, fields
from datetime import date

from orientation.vocabulary import BESOINS, SITUATIONS

# The engine's statut → the event's outcome.
RESULTAT_BY_STATUT = {
    "orientation": "orientation",
    "premier_pas": "premier_pas",
    "aucun_service": "non_eligible",
    "aucune_plateforme": "aucune_plateforme",
}
COMMUNE_INCONNUE = "commune_inconnue"

# Codes and the words a coordinator reads, in display order.
RESULTATS: dict[str, str] = {
    "orientation": "Service proposé",
    "premier_pas": "Premier pas proposé (aucun service pour ce besoin)",
    "non_eligible": "Non éligible aux services du territoire",
    "aucune_plateforme": "Aucune plateforme sur le territoire",
    COMMUNE_INCONNUE: "Commune non trouvée",
}
TRANCHES_AGE: dict[str, str] = {
    "moins_de_26": "moins de 26 ans",
    "26_et_plus": "26 ans et plus",
    "inconnu": "âge non dit",
}
# A need in a coordinator's words (the bot's own labels speak to the person: "votre véhicule").
BESOIN_LABELS: dict[str, str] = {
    "permis": "Passer le permis",
    "vehicule": "Avoir un véhicule",
    "reparation": "Réparer, entretenir un véhicule",
    "financement": "Financer ses déplacements",
    "transport": "Transport solidaire, covoiturage, bus",
    "velo": "Se déplacer à vélo",
    "accompagnement": "Être conseillé, accompagné",
    "inconnu": "Besoin non dit",
}
SITUATION_INCONNUE = "inconnue"
BESOIN_INCONNU = "inconnu"
AGE_LIMIT = 26  # the Mission locale's public ends at 25: the split funders ask for


@dataclass(frozen=True)
class Event:
    jour: date
    besoin: str
    situation: str
    tranche_age: str
    departement: str | None
    epci: str | None
    plateformes: tuple[str, ...]
    services: tuple[str, ...]
    resultat: str
    professionnel: bool
    simule: bool = False

    def key(self) -> str:
        """The same for every identical event of a day: events are stored as counts."""
        return hashlib.sha1(repr(astuple(self)).encode("utf-8")).hexdigest()


EVENT_FIELDS = tuple(f.name for f in fields(Event))


def situation_category(situations) -> str:
    """One category for the report: the first of the person's situations in the vocabulary's order.

    That order puts the schemes of insertion first (RSA, France Travail,
    Mission locale…), the ones a funder counts; several situations would
    otherwise split every count into combinations too small to publish.
    """
    given = set(situations or ())
    return next((code for code in SITUATIONS if code in given), SITUATION_INCONNUE)


def age_band(age) -> str:
    if age is None:
        return "inconnu"
    return "moins_de_26" if int(age) < AGE_LIMIT else "26_et_plus"


def event_from_orientation(orientation, professional: bool, day: date, simulated: bool = False) -> Event:
    """The event of one computed orientation (a pure function: the clock is a parameter)."""
    profile, commune = orientation.profil, orientation.commune
    resultat = RESULTAT_BY_STATUT.get(orientation.statut)
    if resultat is None:
        raise ValueError(f"statut d'orientation inconnu de l'observatoire : {orientation.statut!r}")
    return Event(
        jour=day,
        besoin=profile.besoin if profile.besoin in BESOINS else BESOIN_INCONNU,
        situation=situation_category(profile.situations),
        tranche_age=age_band(profile.age),
        departement=commune.departement,
        epci=commune.epci_siren or None,
        plateformes=tuple(sorted({p.id for p in orientation.plateformes})),
        services=tuple(sorted({s.service.id for s in orientation.services})),
        resultat=resultat,
        professionnel=bool(professional),
        simule=simulated,
    )


def unresolved_commune_event(professional: bool, day: date, simulated: bool = False) -> Event:
    """A person whose commune could not be found: only that, and who was speaking."""
    return Event(
        jour=day,
        besoin=BESOIN_INCONNU,
        situation=SITUATION_INCONNUE,
        tranche_age="inconnu",
        departement=None,
        epci=None,
        plateformes=(),
        services=(),
        resultat=COMMUNE_INCONNUE,
        professionnel=bool(professional),
        simule=simulated,
    )
