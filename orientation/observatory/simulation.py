"""`make report-demo`: invented people, oriented by the real engine, counted as simulated.

So that a newcomer sees a real chart at once, without a single conversation.
The people are drawn at random (fixed seed) in the Pays de la Loire, where
the seed's platforms are, in proportion to the communes' population, with
plausible shares of situations and needs; the engine orients each one on the
real knowledge base, and every event carries `simule = true` (the page and
the chart say so). They go to their own database, never the real one.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from orientation.engine import Profile, orient
from orientation.observatory.event import Event, event_from_orientation, unresolved_commune_event

DEPARTEMENTS = ("44", "49", "53", "72", "85")
# Invented shares, of the order the seed's platforms describe (mostly RSA and job seekers, permis first).
SITUATIONS = {
    "rsa": 34,
    "demandeur_emploi": 28,
    "jeune": 16,
    "handicap": 6,
    "salarie_insertion": 6,
    "salarie": 4,
    "etudiant": 3,
    "autre": 3,
}
NEEDS = {
    "permis": 30,
    "vehicule": 17,
    "transport": 14,
    "reparation": 10,
    "financement": 10,
    "accompagnement": 12,
    "velo": 4,
    None: 3,
}
UNRESOLVED_SHARE = 0.03
PROFESSIONAL_SHARE = 0.35


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def simulated_events(snapshot, start: date, end: date, people: int = 2500, seed: int = 2017) -> list[Event]:
    rng = random.Random(seed)
    communes = [c for c in snapshot.communes.all() if c.departement in DEPARTEMENTS and c.population > 0]
    weights = [c.population for c in communes]
    days = (end - start).days + 1
    events = []
    for _ in range(people):
        day = start + timedelta(days=rng.randrange(days))
        professional = rng.random() < PROFESSIONAL_SHARE
        if rng.random() < UNRESOLVED_SHARE:
            events.append(unresolved_commune_event(professional, day, simulated=True))
            continue
        situations = [_pick(rng, SITUATIONS)]
        if situations[0] == "rsa" and rng.random() < 0.3:
            situations.append("demandeur_emploi")
        age = None
        if rng.random() < 0.55:
            age = rng.randint(16, 25) if situations[0] == "jeune" else rng.randint(18, 64)
        commune = rng.choices(communes, weights=weights)[0]
        result = orient(snapshot, Profile.of(situations, _pick(rng, NEEDS), age), commune)
        events.append(event_from_orientation(result, professional, day, simulated=True))
    return events
