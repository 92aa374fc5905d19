"""The in-memory view of the knowledge base that the engine reasons on.

Small frozen dataclasses, built from the database by `orientation.knowledge.snapshot`
(or directly in tests). The engine never sees YAML nor SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Condition:
    """A machine-checkable condition, typed as in aides-jeunes.

    type "situation": `values` are situation codes;
    type "age": `operator` in <, <=, >, >= and an integer `value`;
    type "zone": `values` are commune, EPCI (SIREN) or département codes.
    """

    type: str
    values: tuple[str, ...] = ()
    operator: str | None = None
    value: int | None = None
    # False where the source only suggests it ("pour adultes"): failing it is "à vérifier".
    stricte: bool = True
    texte_source: str | None = None


@dataclass(frozen=True)
class Service:
    id: str
    nom: str
    description: str
    plateforme_id: str
    type: str | None
    thematiques: tuple[str, ...]
    destinataires: str  # personnes | professionnels | territoire
    prescription: str  # oui | non | non_precise
    besoins: tuple[str, ...] = ()  # the needs it answers, as the source's label says
    porte_entree: bool = False  # the platform's front door (diagnostic, bilan)
    glossaire: str | None = None  # a glossary term giving general information
    prescripteurs: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    conditions_acces: str | None = None
    inconnu: tuple[str, ...] = ()
    extrait_source: str | None = None
    date_maj: str | None = None


@dataclass(frozen=True)
class Platform:
    id: str
    nom: str
    zone_eligibilite: tuple[str, ...]
    situations: tuple[str, ...]
    public_texte: str
    territoire_precision: str | None
    services: tuple[Service, ...]
    public_stricte: bool = False  # the source excludes other publics in so many words
    avertissements: tuple[str, ...] = ()
    contact: dict = field(default_factory=dict, hash=False, compare=False)
    inconnu: tuple[str, ...] = ()
    source: dict = field(default_factory=dict, hash=False, compare=False)
    date_maj: str | None = None
    regions: tuple[str, ...] = ()  # regions its territory lies in (derived)


@dataclass(frozen=True)
class Prescriber:
    id: str
    nom: str
    description: str
    situations: tuple[str, ...]
    age_min: int | None
    age_max: int | None
    comment_joindre: str | None
    priorite: int
    # True for the prescriber anyone can turn to when no other fits (CCAS…).
    par_defaut: bool = False
