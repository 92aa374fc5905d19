"""What one message states: facts with roles and codes, read once (in the NLU pipeline).

The Rasa component puts `Reading.as_dict()` in the message's parse data
(`lecture`); the actions rebuild it with `Reading.from_dict` and never read the
text again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Optional

# How strongly a need is expressed.
MENTIONED, LACKING, ASKED = 1, 2, 3
# Roles of a place: only `domicile` can be where the person lives.
HOME = "domicile"
# Someone's home said in the third person ("un gars qui habite Anduze"): the home of the person a
# professional speaks of, a relative's town otherwise (the reader decides, knowing who speaks).
THIRD_PARTY = "tiers"
ROLES = (HOME, "travail", "ecole", "destination", "proche", "ancien", "repere")


@dataclass(frozen=True)
class Place:
    """A commune named in the message, with the role the words give it."""

    text: str  # as written: said back to the person when asking
    codes: tuple[str, ...]  # INSEE codes: one (found), several (homonyms, a postal code), none (unknown)
    role: str = HOME
    # How surely it names a commune: 2 "j'habite" (or a correction) before it; 1 "à", a
    # capitalized place name, a postal code, a département that narrows it, a part of the
    # message that is nothing else; 0 a bare word (taken if the commune was asked).
    evidence: int = 1
    approximate: bool = False  # a spelling close to a name, not the name as written
    postal: bool = False  # named by a postal code
    former: bool = False  # a former name ("Montjean-sur-Loire", now part of Mauges-sur-Loire)
    corrected: bool = False  # named after "non pardon", "maintenant": it replaces the others
    suggestions: tuple[str, ...] = ()  # close spellings when no name matches
    start: int = 0  # where the message names it (characters)
    end: int = 0

    @property
    def found(self) -> bool:
        return len(self.codes) == 1

    @property
    def strong(self) -> bool:
        """Enough to answer for it without asking first."""
        return self.evidence >= 1 and not self.approximate


@dataclass(frozen=True)
class Reading:
    situations: tuple[str, ...] = ()
    situations_ended: tuple[str, ...] = ()  # "je ne suis plus au RSA"
    besoin: Optional[str] = None
    besoin_strength: int = 0  # ASKED, LACKING, MENTIONED or 0
    terms: tuple[str, ...] = ()  # glossary or service terms named, the asked-about one first
    topic: Optional[str] = None  # a mobility question outside the platforms' services (lexique.yml, sujets)
    age: Optional[int] = None  # said as an age ("j'ai 22 ans", "une dame de 52 ans")
    number: Optional[int] = None  # the whole message is a number: an age only if the age was asked
    places: tuple[Place, ...] = ()
    professional: bool = False  # a professional speaking about someone else
    beneficiary: bool = False  # "ma conseillère", "j'habite": the person speaks of themselves
    # correction, aussi, question, prescripteur, recommencer, passer, ne_sait_pas,
    # etranger, salutation, aide, retraite, donnees_personnelles, oui, non, metier,
    # illisible (markup, or not one letter)
    signals: frozenset[str] = field(default_factory=frozenset)
    # Where the message says each fact, as Rasa entities: (entity, value, start, end).
    spans: tuple[tuple[str, str, int, int], ...] = ()

    def says(self, signal: str) -> bool:
        return signal in self.signals

    @property
    def about_profile(self) -> bool:
        named_home = any(p.codes and p.strong for p in self.homes)
        return bool(
            self.situations or self.situations_ended or self.besoin or self.age is not None or named_home
        )

    @property
    def homes(self) -> tuple[Place, ...]:
        """The places that may be where the person lives, most likely first."""
        return self.homes_for(professional=False)

    def homes_for(self, professional: bool) -> tuple[Place, ...]:
        """The homes, and, in a conversation with a professional, the town where "elle habite"
        ("elle habite Grez-en-Bouère, pas Meslay": the person accompanied) even in a message
        without a word of the trade."""
        roles = (HOME, THIRD_PARTY) if professional else (HOME,)
        homes = [p for p in self.places if p.role in roles]
        return tuple(sorted(homes, key=lambda p: (not p.corrected, -p.evidence, p.approximate)))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["signals"] = sorted(self.signals)
        return data

    @classmethod
    def from_dict(cls, data: Optional[dict]) -> Reading:
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("situations", "situations_ended", "terms"):
            values[key] = tuple(values.get(key) or ())
        values["spans"] = tuple(tuple(span) for span in values.get("spans") or ())
        values["signals"] = frozenset(values.get("signals") or ())
        values["places"] = tuple(
            Place(**{**p, "codes": tuple(p["codes"]), "suggestions": tuple(p.get("suggestions") or ())})
            for p in values.get("places") or ()
        )
        return cls(**values)
