"""The terms of knowledge/ a person may name, and the needs their services answer."""

from __future__ import annotations

import re

from orientation.vocabulary import PLATFORM_TERM as PLATFORM


def named_terms(knowledge) -> dict[str, tuple[list[str], tuple[str, ...]]]:
    """Glossary terms and services for the people → (the names people give them, their needs).

    A service explained by a glossary term is named under the term ("garage-solidaire":
    "Garage solidaire", "garages solidaires", "Relais avec les garages solidaires" →
    reparation); a term no service answers a need with (RSA, CCAS) has no need.
    """
    terms = {t.id: ([t.terme, *t.synonymes], ()) for t in knowledge.glossaire}
    for platform in knowledge.plateformes:
        # "c'est quoi Mobimauges ?", "Wimoov": a platform named is asked for its first step.
        names = [platform.nom, *(n.strip() for n in re.split(r"[()]", platform.nom) if n.strip())]
        terms[PLATFORM + platform.id] = (list(dict.fromkeys(names)), ("accompagnement",))
    for _, service in knowledge.services():
        if service.destinataires != "personnes":
            continue
        key = service.glossaire or service.id
        names, needs = terms.get(key, ([], ()))
        terms[key] = ([*names, service.nom], tuple(dict.fromkeys(needs + tuple(service.besoins))))
    return terms
