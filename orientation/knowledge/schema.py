"""Pydantic (v1, as Rasa 3.6 pins it) models of the files under knowledge/.

Strict on purpose: an unknown field is an error (a typo must not silently
drop a fact), strings must be strings (an unquoted `49` is not the code
"49"), booleans must be true/false, and every code is checked against
`orientation.vocabulary`. Field names follow data·inclusion schema v1 where it
has one (`thematiques`, `publics`, `zone_eligibilite`, `conditions_acces`,
`date_maj`, `reseaux_porteurs`).

Checks that need more than one entry or file (unique ids, geographic codes
that exist, prescriber references) live in `orientation.knowledge.loader`.
"""

import datetime as dt
import re
from datetime import date, datetime
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, Extra, Field, StrictBool, StrictStr, conint, validator

from orientation import vocabulary as voc

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SERVICE_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*--[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE_MIN = date(2000, 1, 1)

# A geographic code as data·inclusion v1 accepts it in `zone_eligibilite`.
ZONE_CODE = re.compile(
    r"^(?:\d{2}|2A|2B|97\d"  # département
    r"|(?:\d{2}|2A|2B)\d{3}"  # commune (INSEE code)
    r"|\d{9}"  # EPCI (SIREN)
    r"|france)$"
)

# Contact details must come from a source: never typed from memory into a
# field meant for something else (see `Prescripteur.comment_joindre`).
CONTACT_DETAILS = re.compile(r"(?:\d[\s.]?){6,}|https?://|www\.|@|\.fr\b|\.com\b|\.org\b")


class StrictModel(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


def _check_date(value):
    if isinstance(value, datetime):
        raise ValueError("doit être une date (AAAA-MM-JJ), sans heure")
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"date invalide « {value} » (format attendu : AAAA-MM-JJ)") from None
    if not isinstance(value, date):
        raise ValueError("doit être une date (AAAA-MM-JJ)")
    if not DATE_MIN <= value <= date.today():
        raise ValueError(f"date {value.isoformat()} hors limites : entre 2000-01-01 et aujourd'hui")
    return value


def _check_codes(values, allowed, what: str):
    for v in values:
        if v not in allowed:
            raise ValueError(f"{what} inconnu(e) « {v} » (valeurs possibles : {', '.join(allowed)})")
    if len(set(values)) != len(values):
        raise ValueError(f"{what} en double")
    return values


def _check_zone_code(value):
    if not ZONE_CODE.match(value):
        raise ValueError(f"code « {value} » : ni département, ni commune (INSEE), ni EPCI (SIREN)")
    return value


def _date_validator(*fields):
    return validator(*fields, pre=True, allow_reuse=True)(_check_date)


class Source(StrictModel):
    titre: StrictStr
    auteur: StrictStr
    date: Optional[dt.date] = None
    fichier: Optional[StrictStr] = None
    extrait: Optional[StrictStr] = None

    @validator("date", pre=True)
    def _date(cls, v):
        return None if v is None else _check_date(v)


def phone_e164(text: str) -> Optional[str]:
    """ "02 43 12 34 56", "02.43.12.34.56", "+33 2 43 12 34 56" → "+33243123456"; None if not a number."""
    compact = re.sub(r"[\s.\-/()]", "", text)
    if re.fullmatch(r"0[1-9]\d{8}", compact):  # French national format
        return "+33" + compact[1:]
    if compact.startswith("0033"):
        compact = "+" + compact[2:]
    return compact if re.fullmatch(r"\+\d{8,15}", compact) else None


class Contact(StrictModel):
    """All null in the seed: a value here must be copied from a dated source.

    Maintainers write numbers and addresses as people do ("02 43 12 34 56",
    " Contact@Exemple.fr "): they are stored normalized (E.164, lower case).
    """

    telephone: Optional[StrictStr] = None
    courriel: Optional[StrictStr] = None
    adresse: Optional[StrictStr] = None
    site_web: Optional[StrictStr] = None

    @validator("telephone")
    def _telephone(cls, v):
        if v is None:
            return v
        normalized = phone_e164(v)
        if normalized is None:
            raise ValueError(
                f"numéro de téléphone « {v} » invalide (exemples : 02 43 12 34 56 " "ou +33 2 43 12 34 56)"
            )
        return normalized

    @validator("courriel")
    def _courriel(cls, v):
        if v is None:
            return v
        v = v.strip().lower()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v):
            raise ValueError(f"adresse électronique « {v} » invalide (exemple : contact@plateforme.fr)")
        return v

    @validator("site_web")
    def _site_web(cls, v):
        if v is not None and not v.startswith("https://"):
            raise ValueError("lien https:// attendu")
        return v


class Territoire(StrictModel):
    # data·inclusion codes: département ("49"), EPCI SIREN, commune INSEE code.
    zone_eligibilite: list[StrictStr] = Field(..., min_items=1)
    precision: Optional[StrictStr] = None

    _code = validator("zone_eligibilite", each_item=True, allow_reuse=True)(_check_zone_code)


class Public(StrictModel):
    """Who the platform is for, in the source's words (`texte`) and as codes.

    `restriction: stricte` only where the source excludes the others in so
    many words (the Sarthe's "Bénéficiaires du RSA"); `indicative` where it
    names a target public ("principalement", "globalement", "publics en
    insertion"): a person outside `situations` is then "à vérifier", not refused.
    """

    situations: list[StrictStr] = Field(..., min_items=1)
    publics: list[StrictStr] = Field(..., min_items=1)
    texte: StrictStr
    restriction: Literal["stricte", "indicative"]

    @validator("situations")
    def _situations(cls, v):
        return _check_codes(v, voc.SITUATIONS, "situation")

    @validator("publics")
    def _publics(cls, v):
        _check_codes(v, voc.PUBLICS, "public")
        if "tous-publics" in v and len(v) > 1:
            raise ValueError("« tous-publics » ne peut pas être utilisé avec d'autres publics")
        return v


class _Strictness(StrictModel):
    """`stricte: false` when the source only suggests the rule ("pour adultes"):
    a person who fails it is "à vérifier" (quoting `texte_source`), not refused."""

    stricte: StrictBool = True
    texte_source: Optional[StrictStr] = None

    @validator("texte_source", always=True)
    def _quote_needed(cls, v, values):
        if values.get("stricte") is False and not v:
            raise ValueError("une condition indicative (stricte: false) cite les mots de la source")
        return v


class ConditionSituation(_Strictness):
    """The person's situation must be one of `values`."""

    type: Literal["situation"]
    values: list[StrictStr] = Field(..., min_items=1)

    @validator("values")
    def _values(cls, v):
        return _check_codes(v, voc.SITUATIONS, "situation")


class ConditionAge(_Strictness):
    """The person's age compared to `value` (e.g. `>= 18` for "adultes")."""

    type: Literal["age"]
    operator: Literal[">=", ">", "<=", "<"]
    value: conint(strict=True, ge=0, le=120)


class ConditionZone(StrictModel):
    """The person's commune must lie in one of these codes (as zone_eligibilite)."""

    type: Literal["zone"]
    values: list[StrictStr] = Field(..., min_items=1)

    _code = validator("values", each_item=True, allow_reuse=True)(_check_zone_code)


Condition = Annotated[Union[ConditionSituation, ConditionAge, ConditionZone], Field(discriminator="type")]


PRESCRIPTION_VALUES = ("oui", "non", "non_precise")


class Service(StrictModel):
    id: StrictStr = Field(..., regex=SERVICE_ID)  # "<plateforme>--<slug>"
    nom: StrictStr = Field(..., min_length=3, max_length=150)
    # The source's words (a quote, abbreviations spelled out): checked by the loader.
    description: StrictStr = Field(..., min_length=5)
    extrait_source: StrictStr  # the seed's cell, word for word
    type: Optional[StrictStr] = None  # null where the source does not say
    thematiques: list[StrictStr] = Field(..., min_items=1)  # data·inclusion, for the export
    destinataires: StrictStr
    # The needs this service answers, read from its label in the source: the
    # only thing the engine matches a need against (not the thematiques).
    besoins: list[StrictStr] = []
    # The platform's front door (its diagnostic or bilan): proposed when none
    # of its services answers the need, or the need is vague.
    porte_entree: StrictBool = False
    glossaire: Optional[StrictStr] = None  # a term of glossaire.yml: general information
    # "oui" where the source marks "(p)"/"(prescription)", "non" only where a
    # source says access is direct, "non_precise" otherwise.
    prescription: StrictStr
    prescripteurs: list[StrictStr] = []  # ids in knowledge/prescripteurs.yml
    conditions: list[Condition] = []  # on top of the platform's territory and public
    conditions_acces: Optional[StrictStr] = None  # what a person reads
    date_maj: date
    inconnu: list[StrictStr] = []

    _date_maj = _date_validator("date_maj")

    @validator("nom")
    def _nom(cls, v):
        if v.endswith(".") and not v.endswith("etc."):
            raise ValueError("le nom ne se termine pas par un point")
        return v

    @validator("type")
    def _type(cls, v):
        if v is not None:
            _check_codes([v], voc.TYPES, "type")
        return v

    @validator("thematiques")
    def _thematiques(cls, v):
        return _check_codes(v, voc.THEMATIQUES, "thématique")

    @validator("destinataires")
    def _destinataires(cls, v):
        _check_codes([v], voc.DESTINATAIRES, "destinataires")
        return v

    @validator("besoins")
    def _besoins(cls, v, values):
        _check_codes(v, voc.BESOINS, "besoin")
        if values.get("destinataires") == "personnes" and not v:
            raise ValueError(
                "un service pour les personnes dit à quels besoins il répond "
                f"(valeurs possibles : {', '.join(voc.BESOINS)})"
            )
        if values.get("destinataires") not in (None, "personnes") and v:
            raise ValueError("seul un service pour les personnes répond à des besoins")
        return v

    @validator("porte_entree")
    def _porte_entree(cls, v, values):
        if v and values.get("destinataires") != "personnes":
            raise ValueError("la porte d'entrée est un service pour les personnes")
        return v

    @validator("prescription", pre=True)
    def _prescription(cls, v):
        if isinstance(v, bool):
            raise ValueError(
                "oui, non ou non_precise (true → oui ; false → non_precise, "
                "sauf si une source dit que l'accès est direct)"
            )
        if v not in PRESCRIPTION_VALUES:
            raise ValueError(f"valeur « {v} » non permise (valeurs possibles : oui, non, non_precise)")
        return v

    @validator("conditions_acces", always=True)
    def _prescription_dite(cls, v, values):
        if values.get("prescription") == "oui" and (v is None or "prescri" not in v.lower()):
            raise ValueError(
                "service sur prescription : les conditions d'accès doivent le dire "
                "(le mot « prescription » ou « prescripteur »)"
            )
        return v


class Gestion(StrictModel):
    porteur: StrictStr
    gouvernance: StrictStr


class Fiche(StrictModel):
    """Every row of the seed's tables for one platform, word for word."""

    lancement: StrictStr
    origine: StrictStr
    suite_donnee: StrictStr
    gestion: Gestion
    public_vise: StrictStr
    perimetre: StrictStr
    services: list[StrictStr] = Field(..., min_items=1)
    personnel_dedie: StrictStr
    budget: StrictStr
    sources_financieres: list[StrictStr] = Field(..., min_items=1)
    bilan: StrictStr


class Plateforme(StrictModel):
    id: StrictStr = Field(..., regex=SLUG)
    nom: StrictStr = Field(..., min_length=3, max_length=150)
    nom_seed: StrictStr
    porteur: StrictStr
    reseaux_porteurs: list[StrictStr] = []
    description: StrictStr = Field(..., min_length=5)
    contact: Contact
    territoire: Territoire
    public: Public
    fiche: Fiche
    services: list[Service] = Field(..., min_items=1)
    # Caveats a person must see (approximate territory, changing porteur), one short line each.
    avertissements: list[StrictStr] = []
    source: Source
    date_maj: date
    inconnu: list[StrictStr] = []
    # Set by the loader (path of the YAML file, relative to the knowledge root's parent).
    fichier: Optional[StrictStr] = None

    _date_maj = _date_validator("date_maj")

    @validator("reseaux_porteurs")
    def _reseaux(cls, v):
        return _check_codes(v, voc.RESEAUX_PORTEURS, "réseau porteur")

    @validator("services")
    def _one_front_door(cls, v):
        doors = [s.id for s in v if s.porte_entree]
        if len(doors) > 1:
            raise ValueError(f"une seule porte d'entrée par plateforme ({', '.join(doors)})")
        return v


class TrancheAge(StrictModel):
    min: Optional[conint(strict=True, ge=0, le=120)] = None
    max: Optional[conint(strict=True, ge=0, le=120)] = None

    @validator("max")
    def _ordre(cls, v, values):
        if v is not None and values.get("min") is not None and v < values["min"]:
            raise ValueError("l'âge maximum est inférieur à l'âge minimum")
        return v


class Prescripteur(StrictModel):
    """Who can prescribe a platform's service for a person.

    It fits a person when (their situation is in `situations` or their known
    age is within `age`) and (when `age` is given and theirs is known, it is
    within `age`). `par_defaut`: the one anyone can turn to when none fits.
    Lower `priorite` first when several fit.
    """

    id: StrictStr = Field(..., regex=SLUG)
    nom: StrictStr
    description: StrictStr
    situations: list[StrictStr] = []
    age: Optional[TrancheAge] = None
    reseaux_porteurs: list[StrictStr] = []
    comment_joindre: StrictStr
    priorite: conint(strict=True, ge=1)
    par_defaut: StrictBool = False
    source: StrictStr
    date_maj: date

    _date_maj = _date_validator("date_maj")

    @validator("situations")
    def _situations(cls, v):
        return _check_codes(v, voc.SITUATIONS, "situation")

    @validator("reseaux_porteurs")
    def _reseaux(cls, v):
        return _check_codes(v, voc.RESEAUX_PORTEURS, "réseau porteur")

    @validator("comment_joindre")
    def _pas_de_coordonnees(cls, v):
        if CONTACT_DETAILS.search(v):
            raise ValueError("en termes généraux seulement : pas de numéro, d'adresse ni de lien")
        return v


class TermeGlossaire(StrictModel):
    id: StrictStr = Field(..., regex=SLUG)
    terme: StrictStr
    synonymes: list[StrictStr] = []
    definition: StrictStr = Field(..., min_length=20)
    source: StrictStr
    date_maj: date

    _date_maj = _date_validator("date_maj")

    @validator("synonymes", each_item=True)
    def _minuscules(cls, v):
        if v != v.lower():
            raise ValueError(f"synonyme « {v} » : en minuscules")
        return v


# --- Structures imported from a data·inclusion export (`make kb-import`) ------------------
#
# The models above were written for the 2017 seed and stay exactly as strict
# for it: a table row of the study behind every platform (`fiche`), every
# service quoting its cell (`extrait_source`). An imported file says where it
# comes from instead (`data_inclusion`: the export's `source` and `id`, kept
# for the round trip export → import → export); what the file does not say
# stays empty and is listed in `inconnu`. `orientation.knowledge.loader` validates a
# platform file with `PlateformeImportee` exactly when it has `data_inclusion`.


class ReferenceDataInclusion(StrictModel):
    source: StrictStr = Field(..., min_length=1)  # the data·inclusion producer ("dora"…)
    id: StrictStr = Field(..., min_length=1)  # the record's id in the export


class PublicImporte(Public):
    """data·inclusion `publics` (and `publics_precisions` as `texte`); empty when the file says nothing.

    Always `indicative`: data·inclusion's publics say whom a service is for,
    not whom it refuses.
    """

    situations: list[StrictStr] = []
    publics: list[StrictStr] = []
    texte: Optional[StrictStr] = None
    restriction: Literal["stricte", "indicative"] = "indicative"


class TerritoireImporte(Territoire):
    # Empty when no service of the structure gives a zone: then it is proposed nowhere.
    zone_eligibilite: list[StrictStr] = []


class ServiceImporte(Service):
    extrait_source: Optional[StrictStr] = None  # no study cell to quote
    # Its own public when it differs from the structure's first service (data·inclusion
    # gives publics per service); the engine reads it as a situation condition.
    public: Optional[PublicImporte] = None
    data_inclusion: Optional[ReferenceDataInclusion] = None

    @validator("conditions_acces", always=True)
    def _prescription_dite(cls, v, values):
        # data·inclusion's own text is kept as it is: the card says "sur prescription"
        # from `prescription` (mobilisable_par), whatever `conditions_acces` says.
        return v


class PlateformeImportee(Plateforme):
    nom_seed: Optional[StrictStr] = None
    fiche: Optional[Fiche] = None
    territoire: TerritoireImporte
    public: PublicImporte
    services: list[ServiceImporte] = Field(..., min_items=1)
    data_inclusion: ReferenceDataInclusion
