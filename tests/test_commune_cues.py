"""Which commune of a message is home: cues before each name, on the real commune index.

Pure functions (orientation.language.communes.cues): the action takes the first
query that resolves. Each case names home and another commune (work, a destination,
a landmark) or a homonym pinned by what follows it.
"""

from __future__ import annotations

import pytest

from orientation.language.communes.cues import by_landmark, home_queries


def home(text, index):
    resolutions = [index.resolve(q) for q in home_queries(text, index)]
    for n, resolution in enumerate(resolutions):
        commune = resolution.commune or by_landmark(resolution, resolutions[n + 1 :])
        if commune is not None:
            return commune.code_insee
        if resolution.status == "ambiguous":
            return "ambiguous"
    return None


CASES = [
    # home before a workplace, a training place or a destination
    ("je vis à Mayenne et je bosse à Laval", "53147"),
    ("au chômage, Bonchamp-lès-Laval, il me faudrait un vélo pour aller travailler à Laval", "53034"),
    ("je travaillais à Nantes avant, maintenant j'habite à Montoir-de-Bretagne", "44103"),
    ("une voiture pour me rendre à Cholet, j'habite à Chemillé-en-Anjou", "49092"),
    ("rsa, Ernée, quelqu'un pour m'amener à Laval le lundi", "53096"),
    ("j'ai un entretien à Angers, j'habite Segré-en-Anjou Bleu", "49331"),
    # a homonym pinned by a département, a postal code or a landmark that follows it
    ("Avrillé en Maine-et-Loire, demandeur d'emploi", "49015"),
    ("Olivet 53410, au RSA", "53169"),
    ("Avrillé près des Sables-d'Olonne, je cherche un transport", "85010"),
    # where the person no longer lives
    ("je suis à Angers depuis janvier, plus à Saumur", "49007"),
    # SMS "jhabite"
    ("jhabite evron jveu le permis", "53097"),
    # "demandeur d'emploi à Laval" is where the person lives
    ("demandeuse d'emploi à Laval, je veux un vélo", "53130"),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_home_is_the_commune_the_cues_point_to(snapshot, text, expected):
    assert home(text, snapshot.communes) == expected


def test_departements_and_streets_are_no_home(snapshot):
    queries = home_queries("j'habite 12 rue de Laval à Craon, en Mayenne", snapshot.communes)
    assert [snapshot.communes.resolve(q).commune.code_insee for q in queries][:1] == ["53084"]
