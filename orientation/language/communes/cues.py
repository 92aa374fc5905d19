"""Which of the communes a message names is where the person lives.

"J'habite Saint-Berthevin et je vais bosser à Laval": both are communes; the
words before each say which is home. `home_queries` orders the spans, most
likely home first: after a correction ("non pardon, à Chailland"), after
"j'habite", after "à", a bare name, then workplaces, destinations and landmarks
("près d'Orléans"). Départements ("en Mayenne") and streets ("rue Carnot") are
left out. `by_landmark` picks the homonym a landmark points to.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from orientation.language.communes.commune import Commune, CommuneResolution
from orientation.language.communes.mentions import find_commune_mentions
from orientation.language.normalize import normalize

if TYPE_CHECKING:
    from orientation.language.communes.index import CommuneIndex

DROPPED = 9  # rank of a span that is not where the person lives
# Where the person lives ("j'habite", SMS "jhabite", "je vis", "ma commune").
RESIDENCE = re.compile(
    r"\b(j?h?abite|j?h?abites|habitons|habitez|vis|jvis|vit|reside|demeure|domicilie|installee?"
    r"|demenage|ma commune|mon village|ma ville)\b"
)
# Where the person works or trains ("mon boulot est à Angers", "un CDD à Ancenis"),
# not "demandeur d'emploi à Laval".
_WORKPLACE = re.compile(
    r"\b(travaill\w*|taff\w*|boss\w*|embauch\w*"
    r"|(mon|ma|mes|au|du|de|un|une|le|la|les|des|nouvel|cet|l|son) (boulot|taf|travail|job|emploi|formation"
    r"|stage|entretiens?|chantier|usine|cdd|cdi|interim|contrat|poste|mission|rdv|rendez vous)"
    r"|lieu de travail|en formation|en stage|cdd|cdi)\b\W+(?:\w+\W+){0,4}$"
)
# Where the person must go ("pour aller à Vitré", "m'emmener à Chartres", "jusqu'à Angers").
_DESTINATION = re.compile(
    r"\b(aller|allez|vais|va|rendre|emmener|amener|conduire|deplacer|trajets?|venir)( \w+)? (a|au|aux|sur)\s*$"
    r"|\bjusqu (a|au|aux)\s*$"
)
# "à côté d'Angers", "près du Mans": a landmark that tells which homonym, not where one lives.
_LANDMARK = re.compile(
    r"\b(pres|cote|proche|loin|vers|autour|environs|alentours|banlieue)\s+(de|d|du|des)?\s*$"
)
# "53 rue Carnot": a street, not a commune.
_STREET = re.compile(
    r"\b(rue|avenue|av|bd|boulevard|chemin|allee|impasse|place|route|quai|square|residence"
    r"|lotissement|lieu dit|cite)\s+(de |du |des |la |le |l )?$"
)
# "à Cholet", "au Mans", "sur Saumur": a place, more likely home than a bare word.
_PLACE_CUE = re.compile(r"\b(a|au|aux|sur|in)\s*$")
# "sur la commune de Beaupréau-en-Mauges": as telling as "à".
_HOME_NOUN = re.compile(r"\b(commune|ville|village|bourg|secteur) (de|d)\s*$")
# "à Ernée… non pardon, à Chailland", "maintenant j'habite à Trignac": the name after the
# correction or the move is the right one.
_INLINE_CORRECTION = re.compile(
    r"\b(non pardon|pardon|je veux dire|je voulais dire|plutot|enfin non|non non|je me suis trompee?"
    r"|je me trompe|erreur|maintenant|desormais|depuis peu)\W+(?:\w+\W+){0,3}$"
)
# "j'habite à Nantes maintenant, plus à Cholet", "pas à Nantes": where the person no longer lives.
_NOT_HOME = re.compile(r"\b(plus|pas|non|ni)\s+(a|au|aux|sur|en)?\s*$")
_DEPARTEMENT_CUE = re.compile(
    r"\b(en|dans la|dans le|dans l|departement de la|departement du|departement)\s*$"
)


def rank(text: str, query: str, index: CommuneIndex) -> int:
    """How likely `query` (a span of `text`) is home: -1 (corrected to) … 3 (workplace), DROPPED."""
    position = text.lower().find(query.lower())
    before = normalize(text[:position]) + " " if position >= 0 else " "
    if index.is_departement_name(normalize(query)) and _DEPARTEMENT_CUE.search(before):
        return DROPPED  # "en Mayenne": the département, not the commune of Mayenne
    if _STREET.search(before) or _NOT_HOME.search(before):
        return DROPPED
    if _INLINE_CORRECTION.search(before):
        return -1
    last_words = before.split()[-3:]
    if RESIDENCE.search(" ".join(last_words)):
        return 0  # "j'habite (à)": nearest cue first, even after "un CDD dans une usine"
    if _WORKPLACE.search(before) or _DESTINATION.search(before) or _LANDMARK.search(before):
        return 3
    if RESIDENCE.search(" ".join(before.split()[-4:])):
        return 0
    return 1 if _PLACE_CUE.search(before) or _HOME_NOUN.search(before) else 2


def home_queries(text: str, index: CommuneIndex, explicit: list[str] = (), asked: bool = False) -> list[str]:
    """The spans of `text` (and DIET's `explicit` values) that may name home, most likely first.

    A word DIET alone took for a commune, that only a typo makes one ("je sors
    du lycée" → Sours), is no commune unless the commune was asked.
    """
    spotted = find_commune_mentions(text, index)
    seen = {normalize(s) for s in spotted}
    ranks = {q: rank(text, q, index) for q in spotted + [v for v in explicit if normalize(v) not in seen]}
    kept = [q for q in ranks if q in spotted or asked or ranks[q] < 2 or not index.resolve(q).approximate]
    return [q for q in sorted(kept, key=ranks.get) if ranks[q] < DROPPED]


def by_landmark(resolution: CommuneResolution, others: list[CommuneResolution]) -> Optional[Commune]:
    """The one homonym in the département of a place named beside it ("Avrillé, près d'Angers")."""
    if resolution.status != "ambiguous":
        return None
    for other in others:
        if other.commune is not None:
            near = [c for c in resolution.candidates if c.departement == other.commune.departement]
            if len(near) == 1:
                return near[0]
    return None
