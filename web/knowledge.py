"""What the web app reads from the knowledge base: glossary, labels, orientations.

The page itself only reads what the bot sends. The app needs the base for
three things the bot does not send: the glossary (the page's "C'est quoi ?"),
the labels of the codes (one label per code, from `orientation.vocabulary`),
and the orientation of a handed-over fiche, recomputed from codes so that
nothing the person typed is ever stored.

The snapshot is loaded in a worker thread and reloaded when `make kb`
publishes a new build: the event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from orientation.engine import Profile, orient
from orientation.knowledge.snapshot import Snapshot, SnapshotCache
from orientation.knowledge.store import database_url
from orientation.text import wording
from orientation.text.payload import orientation_payload
from orientation.vocabulary import BESOINS, SITUATIONS, besoin_label, situation_label

# The statuses that carry a card and a fiche (commune_inconnue / commune_ambigue do not).
FICHE_STATUSES = ("orientation", "premier_pas", "aucune_plateforme", "aucun_service")
MAX_AGE = 120


class InvalidProfile(ValueError):
    """A code the vocabulary does not know, or a commune the base does not hold."""


@dataclass(frozen=True)
class ProfileCodes:
    """The only things a client may send about a person: codes, never text."""

    situations: tuple[str, ...]
    code_insee: str
    besoin: str | None
    age: int | None

    @classmethod
    def parse(cls, body: dict) -> ProfileCodes:
        situations = body.get("situations") or []
        if isinstance(situations, str):
            situations = [situations]
        if not isinstance(situations, list) or not all(s in SITUATIONS for s in situations):
            raise InvalidProfile("situations")
        besoin = body.get("besoin") or None
        if besoin is not None and besoin not in BESOINS:
            raise InvalidProfile("besoin")
        code = body.get("code_insee")
        if not isinstance(code, str) or not re.fullmatch(r"\d[\dAB]\d{3}", code):
            raise InvalidProfile("code_insee")
        age = body.get("age")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 < age <= MAX_AGE):
            raise InvalidProfile("age")
        return cls(tuple(dict.fromkeys(situations)), code, besoin, age)


def _words(term: dict) -> list[str]:
    """The words the page links to a term: each part of its name ("RSA, revenu de solidarité
    active"), without brackets, and its synonyms."""
    names = term["terme"].split(" (")[0].split(", ")
    words = [*names, *(term.get("synonymes") or [])]
    return list(dict.fromkeys(w.strip() for w in words if len(w.strip()) >= 3))


def glossary_document(snapshot: Snapshot) -> dict:
    return {
        "termes": [
            {
                "id": t["id"],
                "terme": t["terme"],
                "mots": _words(t),
                "definition": " ".join(t["definition"].split()),
            }
            for t in snapshot.glossary.values()
        ]
    }


def labels_document() -> dict:
    """Short labels (no brackets) of the codes the orientation payload carries."""
    return {
        "situations": {code: situation_label(code) for code in SITUATIONS},
        "besoins": {code: besoin_label(code) for code in BESOINS},
    }


def orientation_for(snapshot: Snapshot, codes: ProfileCodes) -> dict:
    """The orientation payload the bot would send, in the third person (a professional reads it)."""
    commune = snapshot.communes.by_code(codes.code_insee)
    if commune is None:
        raise InvalidProfile("code_insee")
    result = orient(snapshot, Profile.of(list(codes.situations), codes.besoin, codes.age), commune)
    payload = orientation_payload(result, snapshot, wording.PROFESSIONAL)["orientation"]
    if payload["statut"] not in FICHE_STATUSES:
        raise InvalidProfile("statut")
    return payload


class Knowledge:
    """The snapshot cache of one app, read off the event loop."""

    def __init__(self, url: str | None = None, fixed: Snapshot | None = None):
        self.cache = SnapshotCache(database_url(url))
        self.fixed = fixed  # tests share one loaded snapshot between apps

    async def snapshot(self) -> Snapshot:
        if self.fixed is not None:
            return self.fixed
        return await asyncio.to_thread(self.cache.get)

    async def glossary(self) -> dict:
        return glossary_document(await self.snapshot())

    async def orientation(self, codes: ProfileCodes) -> dict:
        snapshot = await self.snapshot()
        return await asyncio.to_thread(orientation_for, snapshot, codes)
