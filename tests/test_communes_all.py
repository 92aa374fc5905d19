"""Properties of commune resolution over every commune of France (34,969), not examples.

A person names their commune by its name, one of its postal codes or inside a
sentence; the system stores it by INSEE code. Whatever they type, the commune
they mean must be the answer or among the choices offered.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _includes(resolution, commune) -> bool:
    return resolution.commune == commune or commune in resolution.candidates


def test_every_commune_is_found_by_its_insee_code(communes_index):
    index = communes_index
    assert all(index.by_code(c.code_insee) == c for c in index.all())


def test_every_commune_is_found_by_its_name_or_offered_among_homonyms(communes_index):
    index = communes_index
    missed = [c.label() for c in index.all() if not _includes(index.resolve(c.nom), c)]
    assert missed == []


def test_every_postal_code_offers_each_of_its_communes(communes_index):
    index = communes_index
    missed = [
        (c.label(), cp) for c in index.all() for cp in c.codes_postaux if not _includes(index.resolve(cp), c)
    ]
    assert missed == []


def test_every_commune_is_understood_inside_a_sentence(reader, communes_index):
    """The reading finds the name as home, and the commune meant is the answer or among the
    choices (a far larger homonym is taken first, its département said: Saint-Nazaire 44).
    Read on spaCy's tokens alone (no parse: 35,000 sentences), which "j'habite à" needs."""
    missed = []
    for c in communes_index.all():
        text = f"j'habite à {c.nom} depuis 3 ans"
        homes = reader.read(text, reader.nlp.make_doc(text)).homes
        if not any(_includes(communes_index.resolve(p.text), c) for p in homes):
            missed.append(c.label())
    assert missed == []
