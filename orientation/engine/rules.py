"""The orientation engine: (profile, commune) → services, prescriber, reasons.

Pure Python over an in-memory `Snapshot` of the knowledge database: no Rasa,
no I/O, no text parsing (the commune comes resolved), so it can be tested in
milliseconds and changed without retraining. The rules are written out in
docs/orientation-rules.md; in short:

1. territory: the platforms whose `zone_eligibilite` holds the commune, its
   EPCI or its département;
2. only services for people, and only for the needs their `besoins` list;
3. eligibility is three-valued: `eligible`, `a_verifier` (the source only
   names a target public, or an indicative condition fails) or
   `non_eligible` (the source is explicit);
4. no answering service, or a vague need: the platform's entry point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Optional

from orientation.engine.model import Condition, Platform, Prescriber, Service
from orientation.territory import Commune

STATUT_ORIENTATION = "orientation"
STATUT_PREMIER_PAS = "premier_pas"
STATUT_AUCUNE_PLATEFORME = "aucune_plateforme"
STATUT_AUCUN_SERVICE = "aucun_service"

ELIGIBLE, A_VERIFIER, NON_ELIGIBLE = "eligible", "a_verifier", "non_eligible"

RAISON_TERRITOIRE = "territoire"
RAISON_PUBLIC = "public"
RAISON_AGE = "age"

# The need that asks for advice rather than a tool: answered by the entry
# point and the other services that list it.
VAGUE_NEED = "accompagnement"


@dataclass(frozen=True)
class Profile:
    situations: tuple[str, ...] = ()
    besoin: Optional[str] = None
    age: Optional[int] = None

    @classmethod
    def of(cls, situations=None, besoin=None, age=None) -> Profile:
        """From slot-like values: a code, a list of codes or None."""
        if isinstance(situations, str):
            situations = [situations]
        return cls(
            tuple(dict.fromkeys(s for s in situations or () if s)),
            besoin or None,
            int(age) if age is not None else None,
        )

    @property
    def situation(self) -> Optional[str]:
        return self.situations[0] if self.situations else None


@dataclass(frozen=True)
class Check:
    """One eligibility check's outcome, with what the text layer needs to explain it.

    `citation`: the source's words behind a public rule; `condition`: the
    service condition that failed (an age rule).
    """

    statut: str
    raison: Optional[str] = None
    citation: Optional[str] = None
    condition: Optional[Condition] = None


@dataclass
class ProposedService:
    service: Service
    platform: Platform
    prescripteurs: list[Prescriber]  # named by the knowledge base for this service (often none)
    check: Check = Check(ELIGIBLE)  # eligible, or a_verifier with its reason
    premier_pas: bool = False  # proposed as the platform's entry point, not as an answer to the need

    @property
    def eligibilite(self) -> str:
        return self.check.statut


@dataclass
class ExcludedService:
    service: Service
    platform: Platform
    check: Check

    @property
    def raison(self) -> str:
        return self.check.raison


@dataclass
class Orientation:
    statut: str
    profil: Profile
    commune: Commune
    plateformes: list[Platform] = field(default_factory=list)
    services: list[ProposedService] = field(default_factory=list)
    non_eligibles: list[ExcludedService] = field(default_factory=list)
    prescripteur: Optional[Prescriber] = None
    sources: list[dict] = field(default_factory=list)
    date_connaissances: Optional[str] = None


def orient(snapshot, profile: Profile, commune: Commune) -> Orientation:
    """Orient one person living in `commune` (already resolved: see `CommuneIndex`)."""
    area = area_codes(commune)
    covering = [p for p in snapshot.platforms if area & set(p.zone_eligibilite)]
    prescriber = choose_prescriber(snapshot.prescribers, profile.situations, profile.age)

    answering, front_doors, excluded = [], [], []
    for platform in covering:
        for service in platform.services:
            if service.destinataires != "personnes":
                continue
            wanted = _answers(service, profile.besoin)
            if not (wanted or service.porte_entree):
                continue
            check = eligibility(service, platform, profile, commune, area)
            if check.statut == NON_ELIGIBLE:
                excluded.append(ExcludedService(service, platform, check))
                continue
            if wanted:
                answering.append((service, platform, check))
            if service.porte_entree:
                front_doors.append((service, platform, check))

    if answering:
        statut, chosen, first_step = STATUT_ORIENTATION, answering, False
        # The entry point first when the need is advice: it is where a person starts.
        chosen.sort(key=lambda spc: not spc[0].porte_entree)
    elif front_doors:
        statut, chosen, first_step = STATUT_PREMIER_PAS, front_doors, True
    else:
        statut = STATUT_AUCUN_SERVICE if covering else STATUT_AUCUNE_PLATEFORME
        chosen, first_step = [], False
    proposed = [
        ProposedService(s, p, service_prescribers(s, snapshot.prescribers), c, first_step)
        for s, p, c in chosen
    ]
    # An exclusion explains an empty answer; beside services, it is noise.
    excluded = [] if proposed else _relevant(excluded, profile.besoin)
    return Orientation(
        statut=statut,
        profil=profile,
        commune=commune,
        plateformes=covering,
        services=proposed,
        non_eligibles=excluded,
        prescripteur=prescriber,
        sources=_sources(covering),
        date_connaissances=_latest_date(covering),
    )


def _answers(service: Service, besoin: Optional[str]) -> bool:
    """Whether the source's label says this service answers the need (none: only the entry point)."""
    return besoin is not None and besoin in service.besoins


def _relevant(excluded: list[ExcludedService], besoin: Optional[str]) -> list[ExcludedService]:
    """The exclusions of services that answer the need, else of the entry points."""
    answering = [e for e in excluded if _answers(e.service, besoin)]
    return answering or excluded


def area_codes(place: Commune) -> set[str]:
    """The codes a `zone_eligibilite` may use to include this commune ("france": everywhere)."""
    codes = {place.code_insee, place.departement, "france"}
    if place.epci_siren:
        codes.add(place.epci_siren)
    return codes


def effective_zone(service: Service, platform: Platform) -> tuple[str, ...]:
    for c in service.conditions:
        if c.type == "zone":
            return c.values
    return platform.zone_eligibilite


def eligibility(
    service: Service, platform: Platform, profile: Profile, place: Commune, area: set[str]
) -> Check:
    """Territory, public, then the service's own conditions; the first that fails decides."""
    if not area & set(effective_zone(service, platform)):
        return Check(NON_ELIGIBLE, RAISON_TERRITOIRE)
    public = _public_check(service, platform, profile)
    if public.statut != ELIGIBLE:
        return public
    for c in service.conditions:
        if c.type == "age" and profile.age is not None and not age_holds(c, profile.age):
            return Check(NON_ELIGIBLE if c.stricte else A_VERIFIER, RAISON_AGE, c.texte_source, condition=c)
    return Check(ELIGIBLE)


def _public_check(service: Service, platform: Platform, profile: Profile) -> Check:
    condition = next((c for c in service.conditions if c.type == "situation"), None)
    situations = condition.values if condition else platform.situations
    strict = condition.stricte if condition else platform.public_stricte
    if not situations or set(profile.situations) & set(situations):
        return Check(ELIGIBLE)
    quote = condition.texte_source if condition and condition.texte_source else platform.public_texte
    if strict and profile.situations:
        return Check(NON_ELIGIBLE, RAISON_PUBLIC, quote)
    return Check(A_VERIFIER, RAISON_PUBLIC, quote)


_OPERATORS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
}


def age_holds(condition: Condition, age: int) -> bool:
    return _OPERATORS[condition.operator](age, condition.value)


def prescriber_fits(p: Prescriber, situations: Sequence[str], age: Optional[int]) -> bool:
    """A prescriber fits one of the person's situations, or their age when it has an age range.

    The age range is a limit too: the Mission locale follows 16–25 year olds
    only, whatever their situation.
    """
    has_range = p.age_min is not None or p.age_max is not None
    if has_range and age is not None:
        return not (
            (p.age_min is not None and age < p.age_min) or (p.age_max is not None and age > p.age_max)
        )
    return bool(set(situations) & set(p.situations))


def choose_prescriber(prescribers, situations, age: Optional[int]) -> Optional[Prescriber]:
    """The professional this person should see first (lowest `priorite` that fits).

    With several situations, the lowest priority among them: the referent
    already designated (RSA) before the general services.
    """
    if isinstance(situations, str):
        situations = (situations,)
    situations = tuple(situations or ())
    fitting = [p for p in prescribers if prescriber_fits(p, situations, age)]
    if not fitting:
        fitting = [p for p in prescribers if p.par_defaut]
    return min(fitting, key=lambda p: p.priorite) if fitting else None


def service_prescribers(service: Service, prescribers) -> list[Prescriber]:
    """The prescribers the knowledge base names for this service (the 2017 source names none)."""
    if service.prescription != "oui" or not service.prescripteurs:
        return []
    by_id = {p.id: p for p in prescribers}
    return [by_id[i] for i in service.prescripteurs if i in by_id]


def age_matters(snapshot, profile: Profile, commune: Commune) -> bool:
    """Whether asking the age could change the answer (services, their status or the prescriber).

    Checked by orienting a 20-year-old and a 40-year-old: the knowledge base,
    not the conversation, decides when age is worth a question.
    """

    def summary(age):
        o = orient(snapshot, Profile(profile.situations, profile.besoin, age), commune)
        return (
            [(s.service.id, s.eligibilite) for s in o.services],
            o.prescripteur.id if o.prescripteur else None,
        )

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
