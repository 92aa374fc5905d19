"""The orientation engine: (situation, commune, besoin, âge) → services, prescriber, reasons.

Pure Python over an in-memory `Snapshot` of the knowledge database: no Rasa,
no I/O, so it can be tested in milliseconds and changed without retraining.

Rules, in the order they are checked for each service that meets the need:
1. territory: the commune, its EPCI or its département is in the service's
   zone (a `zone` condition) or else in its platform's `zone_eligibilite`;
2. public: the person's situation is in the service's `situation` condition
   or else in its platform's public;
3. age: every `age` condition holds (unchecked, and said so, when the age is unknown).
Only services meant for people (`destinataires: personnes`) are proposed:
the seed also lists services for professionals and for the territory.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from orientation import wording
from orientation.communes import Commune, CommuneResolution
from orientation.model import Condition, Platform, Prescriber, Service
from orientation.vocabulary import thematiques_for_besoin

STATUT_ORIENTATION = "orientation"
STATUT_AUCUNE_PLATEFORME = "aucune_plateforme"
STATUT_AUCUN_SERVICE = "aucun_service"
STATUT_COMMUNE_INCONNUE = "commune_inconnue"
STATUT_COMMUNE_AMBIGUE = "commune_ambigue"

RAISON_TERRITOIRE = "territoire"
RAISON_PUBLIC = "public"
RAISON_AGE = "age"


@dataclass(frozen=True)
class Profile:
    situation: Optional[str] = None
    besoin: Optional[str] = None
    age: Optional[int] = None


@dataclass
class ProposedService:
    service: Service
    platform: Platform
    prescripteurs: list[Prescriber]
    criteres: list[str]
    pourquoi: str


@dataclass
class ExcludedService:
    service: Service
    platform: Platform
    raison: str
    explication: str


@dataclass
class Orientation:
    statut: str
    profil: Profile
    resolution: Optional[CommuneResolution] = None
    commune: Optional[Commune] = None
    plateformes: list[Platform] = field(default_factory=list)
    services: list[ProposedService] = field(default_factory=list)
    non_eligibles: list[ExcludedService] = field(default_factory=list)
    prescripteur: Optional[Prescriber] = None
    prescripteur_pourquoi: Optional[str] = None
    sources: list[dict] = field(default_factory=list)
    date_connaissances: Optional[str] = None

    def to_payload(self) -> dict:
        from orientation.payload import orientation_payload
        return orientation_payload(self)


def orient(snapshot, situation: Optional[str], commune, besoin: Optional[str],
           age: Optional[int] = None) -> Orientation:
    """Orient one person. `commune` is a name, an INSEE or postal code, or a `Commune`."""
    profile = Profile(situation=situation or None, besoin=besoin or None, age=age)
    if isinstance(commune, Commune):
        resolution, place = None, commune
    else:
        resolution = snapshot.communes.resolve(str(commune or ""))
        # An ambiguous name with one much larger homonym ("Saint-Nazaire") is
        # taken as that one; the others stay in `resolution.candidates`.
        place = resolution.commune
    if place is None:
        statut = (STATUT_COMMUNE_AMBIGUE if resolution and resolution.status == "ambiguous"
                  else STATUT_COMMUNE_INCONNUE)
        return Orientation(statut=statut, profil=profile, resolution=resolution)
    return orient_in_commune(snapshot, profile, place, resolution)


def orient_in_commune(snapshot, profile: Profile, place: Commune,
                      resolution: Optional[CommuneResolution] = None) -> Orientation:
    area = area_codes(place)
    covering = [p for p in snapshot.platforms if area & set(p.zone_eligibilite)]
    wanted = thematiques_for_besoin(profile.besoin)
    prescriber = choose_prescriber(snapshot.prescribers, profile.situation, profile.age)

    proposed: list[ProposedService] = []
    excluded: list[ExcludedService] = []
    for platform in snapshot.platforms:
        nearby = platform in covering or place.region in platform.regions
        for service in platform.services:
            if service.destinataires != "personnes":
                continue
            if wanted and not wanted & set(service.thematiques):
                continue
            failure = first_failure(service, platform, profile, place, area)
            if failure is None:
                prescribers = service_prescribers(service, snapshot.prescribers, prescriber)
                proposed.append(ProposedService(
                    service=service, platform=platform, prescripteurs=prescribers,
                    criteres=wording.criteria_met(service, platform, profile, place, snapshot),
                    pourquoi=wording.why_service(service, platform, profile, place, snapshot)))
            elif nearby:
                raison, explication = failure
                excluded.append(ExcludedService(service, platform, raison, explication))

    if not covering:
        statut = STATUT_AUCUNE_PLATEFORME
    elif not proposed:
        statut = STATUT_AUCUN_SERVICE
    else:
        statut = STATUT_ORIENTATION
    considered = covering or [e.platform for e in excluded]
    return Orientation(
        statut=statut, profil=profile, resolution=resolution, commune=place,
        plateformes=covering, services=proposed, non_eligibles=excluded,
        prescripteur=prescriber,
        prescripteur_pourquoi=wording.why_prescriber(prescriber, profile) if prescriber else None,
        sources=_sources(considered),
        date_connaissances=_latest_date(considered),
    )


def area_codes(place: Commune) -> set[str]:
    """The codes a `zone_eligibilite` may use to include this commune."""
    codes = {place.code_insee, place.departement}
    if place.epci_siren:
        codes.add(place.epci_siren)
    return codes


def effective_zone(service: Service, platform: Platform) -> tuple[str, ...]:
    for c in service.conditions:
        if c.type == "zone":
            return c.values
    return platform.zone_eligibilite


def effective_situations(service: Service, platform: Platform) -> tuple[str, ...]:
    for c in service.conditions:
        if c.type == "situation":
            return c.values
    return platform.situations


def first_failure(service: Service, platform: Platform, profile: Profile,
                  place: Commune, area: set[str]) -> Optional[tuple[str, str]]:
    """None when the person is eligible, else (raison, explanation in French)."""
    if not area & set(effective_zone(service, platform)):
        return RAISON_TERRITOIRE, wording.not_in_territory(platform, place)
    situations = effective_situations(service, platform)
    if profile.situation and situations and profile.situation not in situations:
        return RAISON_PUBLIC, wording.not_in_public(platform, situations, profile)
    for c in service.conditions:
        if c.type == "age" and profile.age is not None and not age_holds(c, profile.age):
            return RAISON_AGE, wording.age_not_met(c, profile.age)
    return None


_OPERATORS = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
}


def age_holds(condition: Condition, age: int) -> bool:
    return _OPERATORS[condition.operator](age, condition.value)


def prescriber_fits(p: Prescriber, situation: Optional[str], age: Optional[int]) -> bool:
    """A prescriber fits the person's situation, or their age when it has an age range.

    The age range is a limit too: the Mission locale follows 16–25 year olds
    only, whatever their situation.
    """
    has_range = p.age_min is not None or p.age_max is not None
    if has_range and age is not None:
        if (p.age_min is not None and age < p.age_min) or (p.age_max is not None and age > p.age_max):
            return False
        return True
    return situation is not None and situation in p.situations


def choose_prescriber(prescribers, situation: Optional[str], age: Optional[int]) -> Optional[Prescriber]:
    """The professional this person should see first (lowest `priorite` that fits)."""
    fitting = [p for p in prescribers if prescriber_fits(p, situation, age)]
    if not fitting:
        fitting = [p for p in prescribers if p.par_defaut]
    return min(fitting, key=lambda p: p.priorite) if fitting else None


def service_prescribers(service: Service, prescribers, person_prescriber) -> list[Prescriber]:
    """Who can open this service for this person.

    When the knowledge base names the service's prescribers, those; the seed
    names none, so usually the person's own prescriber (said so in `inconnu`).
    """
    if not service.prescription:
        return []
    if service.prescripteurs:
        by_id = {p.id: p for p in prescribers}
        return [by_id[i] for i in service.prescripteurs if i in by_id]
    return [person_prescriber] if person_prescriber else []


def age_matters(snapshot, situation: Optional[str], commune: Commune, besoin: Optional[str]) -> bool:
    """Whether asking the age could change the answer (services or prescriber).

    Checked by orienting a 20-year-old and a 40-year-old: the knowledge base,
    not the conversation, decides when age is worth a question.
    """
    def summary(age):
        o = orient_in_commune(snapshot, Profile(situation, besoin, age), commune)
        return ([s.service.id for s in o.services], o.prescripteur.id if o.prescripteur else None)
    return summary(20) != summary(40)


SOURCE_FIELDS = ("titre", "auteur", "date", "fichier")


def _sources(platforms) -> list[dict]:
    """The documents behind the answer, once each (not the per-platform extracts)."""
    seen, out = set(), []
    for p in platforms:
        source = {k: p.source.get(k) for k in SOURCE_FIELDS if p.source.get(k)}
        key = tuple(source.items())
        if source and key not in seen:
            seen.add(key)
            out.append(source)
    return out


def _latest_date(platforms) -> Optional[str]:
    dates = [p.date_maj for p in platforms if p.date_maj]
    return max(dates) if dates else None

