"""Spans of a sentence that name a commune: "je suis au rsa a laval" → ["laval"]."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from orientation.language.communes.names import ARTICLES, QUALIFIER_CONNECTORS
from orientation.language.normalize import normalize

if TYPE_CHECKING:
    from orientation.language.communes.index import CommuneIndex


# Common words that are also communes (Y, Eu, Plan, Mer…): only taken after
# a strong cue ("j'habite", "commune de", "à" written with its accent).
COMMON_WORDS = frozenset(
    """
    y eu ay by bu us ur oz ri oo py ry sy fa don aucun avril mars eve
    bus job ecole ville bourg port pont mont bois sens vue vers ver vert mer plan place
    plaine pin four fours force change charge chemin contre cours celle celles chars bras
    corps croix fosse francs ligne mare mere pere parent moyen poil puits pis riche rocher
    roches rouge routes rue simple soupir sure survie tende tendu teneur trans target
    prince boulot campagne ore ors mens suisse anjou bretagne
    """.split()
)
STRONG_CUES = frozenset(
    """
    habite habites habitons habitez habitent vis vit vivons vivez vivent reside resides
    jhabite jhabites jabite abite jvis
    residons residez resident demeure commune ville village secteur pres vers mairie
    live lives living
    """.split()
)
WEAK_CUES = frozenset("a au aux sur de d du des in".split())
# "Olivet près d'Orléans", "Avrillé à côté d'Angers": the place named next tells which homonym.
LANDMARK_WORDS = frozenset("pres cote proche proximite vers".split())
# "au Mans" is "à le Mans", "aux Sables-d'Olonne" is "à les Sables-d'Olonne".
# "près des Sables-d'Olonne" is "près de les Sables-d'Olonne".
CONTRACTED_ARTICLE = {"au": "le", "du": "le", "aux": "les", "des": "les"}
_NEVER_ALONE = frozenset(ARTICLES) | STRONG_CUES | WEAK_CUES
MAX_NAME_WORDS = 8  # "Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson"
MAX_TEXT_CHARS = 5000
_WORD = re.compile(r"[^\W_]+")
_SEGMENT_BREAK = re.compile(r"[,;:!?\n()]")
_NON_POSTAL_FOLLOWERS = frozenset("euros eur e km habitants ans".split())


@dataclass
class _Token:
    text: str  # as written
    key: str  # normalized
    start: int
    end: int
    segment: int


def _tokens(text: str) -> list[_Token]:
    tokens, segment, last_end = [], 0, 0
    for match in _WORD.finditer(text):
        if _SEGMENT_BREAK.search(text, last_end, match.start()):
            segment += 1
        word = match.group()
        key = "sur" if word.lower() == "s" and text[match.end() : match.end() + 1] == "/" else normalize(word)
        if key:
            tokens.append(_Token(word, key, match.start(), match.end(), segment))
        last_end = match.end()
    return tokens


def _cue_strength(tokens: list[_Token], i: int) -> int:
    """2 after a strong cue chain ("j'habite à", "sur la commune de"), 1 after a weak one, else 0."""
    strength, j = 0, i - 1
    while j >= 0 and tokens[j].segment == tokens[i].segment:
        t = tokens[j]
        if t.key in STRONG_CUES or t.text.lower() == "à":
            strength = 2
        elif t.key in WEAK_CUES:
            strength = max(strength, 1)
        elif t.key not in ARTICLES:
            break
        j -= 1
    return strength


def find_commune_mentions(text: str, index: CommuneIndex) -> list[str]:
    """Spans of `text` that name a commune: "je suis au rsa a laval" → ["laval"].

    Taken: known postal codes anywhere, and exact (normalized) names or old
    names of up to six words that follow a cue (à, au, sur, de, habite, vis,
    commune, ville, secteur, près de, vers…) or fill a whole comma-separated
    part ("RSA, Laval, permis"). The longest name wins.
    """
    if not isinstance(text, str) or not text:
        return []
    tokens = _tokens(text[:MAX_TEXT_CHARS])
    segment_sizes: dict[int, int] = defaultdict(int)
    for t in tokens:
        segment_sizes[t.segment] += 1
    mentions, i = [], 0
    while i < len(tokens):
        t = tokens[i]
        if (
            len(t.key) == 5
            and t.key.isdigit()
            and index.is_postal_code(t.key)
            and not (i + 1 < len(tokens) and tokens[i + 1].key in _NON_POSTAL_FOLLOWERS)
        ):
            end = _name_after_postal_code(tokens, i, index)  # "49600 Beaupréau"
            mentions.append(text[t.start : tokens[end - 1].end])
            i = end
            continue
        end, key = _name_at(tokens, i, index, segment_sizes)
        if not end:
            i += 1
            continue
        stop = tokens[end - 1].end
        if end < len(tokens) and index.narrows(key, tokens[end].key) and not _is_quantity(tokens, end):
            # Keep "Saint-Denis (93)" whole: resolve() understands the qualifier.
            stop = tokens[end].end + (text[tokens[end].end : tokens[end].end + 1] == ")")
            end += 1
        else:
            qualified = _departement_after(tokens, end, index, key)
            if qualified:  # "Solesmes dans la Sarthe", "Saint-Denis de La Réunion"
                stop, end = tokens[qualified - 1].end, qualified
        mentions.append(text[t.start : stop])
        i = end
    return mentions


def _departement_after(tokens: list[_Token], end: int, index: CommuneIndex, key: str) -> int:
    """End of "… en Mayenne" / "… dans la Sarthe" after a name, when that département has it; else 0."""
    i = end
    while i < len(tokens) and i - end < 3 and tokens[i].key in QUALIFIER_CONNECTORS:
        i += 1
    segment = tokens[end - 1].segment
    for size in (3, 2, 1):
        words = tokens[i : i + size]
        if len(words) < size:
            continue
        # "Saint-Nazaire dans le Gard", and across a comma "Saint-Nazaire, dans le Gard".
        same = words[-1].segment == segment
        next_part = i > end and words[-1].segment == tokens[end].segment == segment + 1
        if not (same or next_part):
            continue
        name = " ".join(w.key for w in words)
        if index.is_departement_name(name) and index.narrows(key, name):
            return i + size
    return 0


def _qualified(tokens: list[_Token], end: int, index: CommuneIndex, key: str) -> bool:
    """ "Bais 35680", "Solesmes dans la Sarthe", "Olivet près d'Orléans": a name that opens a
    part of the message, followed by what tells where it is, is a commune however bare."""
    if end >= len(tokens) or not index.codes_for_name(key, bare=True):
        return False
    if index.narrows(key, tokens[end].key) and not _is_quantity(tokens, end):
        return True
    landmark = tokens[end + 1] if tokens[end].key == "a" and end + 1 < len(tokens) else tokens[end]
    if landmark.key in LANDMARK_WORDS and landmark.segment == tokens[end - 1].segment:
        return True
    return bool(_departement_after(tokens, end, index, key))


def _is_quantity(tokens: list[_Token], i: int) -> bool:
    """ "Saint-Nazaire, 30 ans": a number that counts something is no département."""
    return i + 1 < len(tokens) and tokens[i + 1].key in _NON_POSTAL_FOLLOWERS


def _named_after_home(tokens: list[_Token], i: int) -> bool:
    """ "j'habite à Vers": a cue word ("vers", "ville") that is the commune itself."""
    return (
        i >= 2
        and tokens[i - 1].text.lower() == "à"
        and tokens[i - 2].key in STRONG_CUES
        and tokens[i].key in STRONG_CUES
    )


def _name_after_postal_code(tokens: list[_Token], i: int, index: CommuneIndex) -> int:
    """End of "49600 Beaupréau" when a name of that postal code follows token i, else i + 1."""
    for end in range(min(len(tokens), i + 1 + MAX_NAME_WORDS), i + 1, -1):
        if tokens[end - 1].segment != tokens[i].segment:
            continue
        if index.narrows(" ".join(t.key for t in tokens[i + 1 : end]), tokens[i].key):
            return end
    return i + 1


def _name_at(tokens: list[_Token], i: int, index: CommuneIndex, segment_sizes) -> tuple[int, str]:
    """(end (exclusive), normalized name) of the longest acceptable commune name at token i, or (0, "")."""
    segment = tokens[i].segment
    first_of_segment = i == 0 or tokens[i - 1].segment != segment
    strength = _cue_strength(tokens, i)
    if strength == 0 and not first_of_segment:
        return 0, ""
    before = tokens[i - 1].key if i > 0 and tokens[i - 1].segment == segment else ""
    last = min(len(tokens), i + MAX_NAME_WORDS)
    for end in range(last, i, -1):
        if tokens[end - 1].segment != segment:
            continue
        alone = first_of_segment and end - i == segment_sizes[segment]
        words = " ".join(t.key for t in tokens[i:end])
        if strength == 0 and not alone and not (first_of_segment and _qualified(tokens, end, index, words)):
            continue
        one_word = end - i == 1
        # A lone word without its article ("Mans", "Pin") is too often something else.
        key = words if index.codes_for_name(words, bare=not one_word) else ""
        if not key and not one_word and tokens[i].key in ARTICLES and index.is_short_name(words):
            key = words  # "La Baule" for La Baule-Escoublac
        if not key and before in CONTRACTED_ARTICLE:
            contracted = f"{CONTRACTED_ARTICLE[before]} {words}"
            key = contracted if index.codes_for_name(contracted, bare=False) else ""
        if not key or (one_word and words in _NEVER_ALONE and not _named_after_home(tokens, i)):
            continue
        # "à Eu" is the town, "il a eu" and "à la rue" are not.
        if one_word and words in COMMON_WORDS and (strength < 2 or before in ARTICLES):
            continue
        return end, key
    return 0, ""
