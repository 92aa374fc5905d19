"""Communes of France: loading, resolution of what a person types, mentions in a sentence.

Pure Python (no Rasa): `CommuneIndex.resolve("j'habite à St Nazaire")` answers
in well under a millisecond once the index is built from knowledge/communes/.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from rapidfuzz import fuzz, process

from orientation.language.normalize import normalize

COMMUNES_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "communes"

FOUND, AMBIGUOUS, UNKNOWN = "found", "ambiguous", "unknown"
MAX_CANDIDATES = 10
MAX_SUGGESTIONS = 5
DOMINANCE = 20  # a homonym this many times more populous than the next is proposed first
FOUND_SCORE = 85  # rapidfuzz fuzz.ratio, 0-100
SUGGESTION_SCORE = 75
WORD_SCORE = 80  # each word of a multi-word typo match
TIE_MARGIN = 3  # typo matches this close to the best one are as plausible
LENGTH_WINDOW = 3  # typo matching only compares names of length ±3 ("chato gontié", "chateau gontier")
SHORT_KEY, SHORT_WINDOW = 8, 2  # ... and ±2 for short names, where one letter is a lot
MAX_QUERY_CHARS = 200  # the longest commune name has 45 characters
# People shorten the names of towns: "Charleville", "Aix", "Sablé". Towns this
# large are also found by the first words of their name.
SHORT_NAME_POPULATION = 10_000
GENERIC_WORDS = frozenset("saint sainte le la les l".split())

ARTICLES = ("le", "la", "les", "l")
# Words that open an answer before the commune: "j'habite à", "commune de"…
LEADING_FILLERS = frozenset("""
    bonjour bonsoir salut alors euh ben bah oui ok donc et moi je j on nous il elle
    ils elles suis es est sommes etes sont habite habites habitons habitez habitent
    vis vit vivons vivez vivent reside resides residons residez resident demeure
    actuellement aussi maintenant c ca y a au aux en sur dans de d du des pres vers
    cote secteur commune ville village mairie code postal cp mon ma notre
    """.split())
TRAILING_FILLERS = frozenset("svp stp merci voila please".split())
# "Laval dans le 53", "Saint-Denis, département 93".
QUALIFIER_CONNECTORS = frozenset(
    "en dans le la les l de du des departement dept dpt dep".split())


@dataclass(frozen=True)
class Commune:
    code_insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    departement: str
    departement_nom: str
    region: str
    epci_siren: Optional[str]
    epci_nom: Optional[str]
    population: int = 0

    def label(self) -> str:
        """"Laval (Mayenne, 53)"."""
        if not self.departement_nom:
            return f"{self.nom} ({self.departement})"
        return f"{self.nom} ({self.departement_nom}, {self.departement})"


@dataclass(frozen=True)
class CommuneResolution:
    """What `CommuneIndex.resolve` understood.

    status: "found" (commune set, candidates == (commune,)), "ambiguous"
    (candidates by population, commune set only when one dominates), or
    "unknown" (commune None, candidates hold at most 5 spelling suggestions).
    """
    status: str
    commune: Optional[Commune]
    candidates: tuple[Commune, ...]
    query: str


# ---------------------------------------------------------------- loading

def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def commune_from_row(row: dict, departements: dict[str, dict], epcis: dict[str, dict]) -> Commune:
    """A `Commune` from a communes.csv row (or database row), with its département and EPCI names."""
    dep = departements.get(row["departement"], {})
    epci = epcis.get(row["epci_siren"] or "", {})
    return Commune(
        code_insee=row["code_insee"], nom=row["nom"],
        codes_postaux=tuple((row["codes_postaux"] or "").split()),
        departement=row["departement"], departement_nom=dep.get("nom", ""),
        region=row["region"] or dep.get("region", ""),
        epci_siren=row["epci_siren"] or None, epci_nom=epci.get("nom"),
        population=int(row["population"] or 0))


def load_communes(directory: str | Path = COMMUNES_DIR) -> tuple[list[Commune], list[tuple[str, str]]]:
    """Communes and (old name, code_insee) aliases from knowledge/communes/*.csv."""
    directory = Path(directory)
    departements = {r["code"]: r for r in read_csv(directory / "departements.csv")}
    epcis = {r["siren"]: r for r in read_csv(directory / "epci.csv")}
    communes = [commune_from_row(r, departements, epcis) for r in read_csv(directory / "communes.csv")]
    aliases = [(r["nom"], r["code_insee"]) for r in read_csv(directory / "anciens_noms.csv")]
    return communes, aliases


# ---------------------------------------------------------------- index

def _without_article(key: str) -> Optional[str]:
    first, _, rest = key.partition(" ")
    return rest if first in ARTICLES and rest else None


_PARENTHESIS = re.compile(r"\s*\(.*?\)")
_ARRONDISSEMENT = re.compile(r"^(.+) (\d+)(?:er|e) arrondissement$")


def _name_keys(nom: str) -> set[str]:
    """The normalized spellings under which a (current or old) name is found."""
    key = normalize(nom)
    keys = {key}
    if "(" in nom:  # "Bors (Canton de Charente-Sud)" is also "Bors"
        keys.add(normalize(_PARENTHESIS.sub("", nom)))
    match = _ARRONDISSEMENT.match(key)
    if match:  # "Paris 11e Arrondissement" → "paris 11e", "paris 11eme", "paris 11"
        city, number = match.group(1), match.group(2)
        ordinal = "er" if number == "1" else "e"
        keys |= {f"{city} {number}", f"{city} {number}{ordinal}", f"{city} {number}eme",
                 f"{city} {number}{ordinal} arrondissement", f"{city} {number}eme arrondissement"}
    return keys


class CommuneIndex:
    """Resolves names (current or old), INSEE codes and postal codes to communes."""

    def __init__(self, communes: Iterable[Commune], aliases: Iterable[tuple[str, str]] = ()):
        self._by_code: dict[str, Commune] = {}
        postal: dict[str, list[str]] = defaultdict(list)
        names: dict[str, set[str]] = defaultdict(set)
        self._departements: dict[str, str] = {}  # qualifier ("53", "mayenne", "reunion") → code
        self._departement_codes: set[str] = set()
        current: set[str] = set()
        for c in communes:
            self._by_code[c.code_insee] = c
            for cp in c.codes_postaux:
                postal[cp].append(c.code_insee)
            for key in _name_keys(c.nom):
                names[key].add(c.code_insee)
                current.add(key)
            self._add_departement(c.departement, c.departement_nom)
        self._current_names = frozenset(current)
        for nom, code in aliases:
            if code in self._by_code:
                for key in _name_keys(nom):
                    names[key].add(code)
        bare: dict[str, set[str]] = defaultdict(set)
        for key, codes in names.items():
            rest = _without_article(key)
            if rest:
                bare[rest] |= codes
        self._by_postal = {cp: tuple(codes) for cp, codes in postal.items()}
        self._by_name = {key: tuple(sorted(codes)) for key, codes in names.items()}
        # "Sables d'Olonne" for "Les Sables-d'Olonne", only when no name is spelled so.
        self._by_bare_name = {key: tuple(sorted(codes)) for key, codes in bare.items()
                              if key not in self._by_name}
        self._by_short_name = self._short_names()
        self._by_prefix = self._prefixes()
        self._build_typo_index()

    def _prefixes(self) -> dict[str, tuple[str, ...]]:
        """Communes by the first words of their current name ("sainte gemmes" → -sur-Loire, -le-Robert)."""
        prefixes: dict[str, set[str]] = defaultdict(set)
        for c in self._by_code.values():
            words = normalize(c.nom).split()
            for size in range(2, len(words)):
                if not GENERIC_WORDS.issuperset(words[:size]):
                    prefixes[" ".join(words[:size])].add(c.code_insee)
        return {key: tuple(sorted(codes)) for key, codes in prefixes.items()}

    def is_short_name(self, key: str) -> bool:
        """Whether a normalized text is the start of a large town's name ("la baule", "charleville")."""
        return key in self._by_short_name

    def _short_names(self) -> dict[str, tuple[str, ...]]:
        short: dict[str, set[str]] = defaultdict(set)
        for c in self._by_code.values():
            if c.population < SHORT_NAME_POPULATION:
                continue
            words = normalize(c.nom).split()
            for size in range(1, len(words)):
                if not GENERIC_WORDS.issuperset(words[:size]):
                    short[" ".join(words[:size])].add(c.code_insee)
        return {key: tuple(sorted(codes)) for key, codes in short.items()}

    def _add_departement(self, code: str, nom: str) -> None:
        if code in self._departement_codes:
            return
        self._departement_codes.add(code)
        keys = {code.lower()}
        if code.isdigit() and len(code) == 2 and code.startswith("0"):
            keys.add(code[1:])
        if nom:
            keys.add(normalize(nom))
            rest = _without_article(normalize(nom))
            if rest:
                keys.add(rest)
        for key in keys:
            self._departements.setdefault(key, code)

    def _build_typo_index(self) -> None:
        """Names grouped so that a typo is only compared with names of similar length."""
        self._typo_names = {**self._by_bare_name, **self._by_name}
        by_length: dict[int, list[str]] = defaultdict(list)
        for key in sorted(self._typo_names):
            by_length[len(key)].append(key)
        longest = max(by_length, default=0)
        self._typo_choices = [
            [key for n in range(length - LENGTH_WINDOW, length + LENGTH_WINDOW + 1)
             for key in by_length.get(n, ())]
            for length in range(longest + LENGTH_WINDOW + 1)
        ]

    # ------------------------------------------------------------ lookups

    def __len__(self) -> int:
        return len(self._by_code)

    def all(self) -> list[Commune]:
        return list(self._by_code.values())

    def by_code(self, code_insee: str) -> Optional[Commune]:
        """Exact INSEE code lookup, for codes the system stored itself."""
        return self._by_code.get(code_insee.upper() if code_insee else "")

    def codes_for_name(self, key: str, bare: bool = True) -> tuple[str, ...]:
        """INSEE codes of a normalized name (current, old, or without its article if `bare`)."""
        return self._by_name.get(key) or (self._by_bare_name.get(key) if bare else None) or ()

    def is_postal_code(self, text: str) -> bool:
        return text in self._by_postal

    def is_departement_name(self, key: str) -> bool:
        """Whether a normalized text names a département ("mayenne", "la sarthe", "53")."""
        return key in self._departements and not key.isdigit()

    def narrows(self, name_key: str, word: str) -> bool:
        """Whether `word`, a département or postal code, fits a commune named `name_key` ("laval", "53")."""
        if len(word) == 5 and word in self._by_postal:
            wanted = ("postal", word)
        elif word in self._departements:
            wanted = ("departement", self._departements[word])
        else:
            return False
        return bool(self._filter(self.codes_for_name(name_key), wanted))

    # ------------------------------------------------------------ resolve

    def resolve(self, query: str) -> CommuneResolution:
        """Understand what a person typed for "votre commune"."""
        query = query if isinstance(query, str) else ""
        if len(query) > MAX_QUERY_CHARS:
            return CommuneResolution(UNKNOWN, None, (), query)
        variants = _variants(normalize(query).split())
        if not variants:
            return CommuneResolution(UNKNOWN, None, (), query)
        words = variants[-1]
        codes = self._codes_for_digits(" ".join(words))
        if codes:
            return self._resolution(codes, query)
        for variant in variants:
            key = " ".join(variant)
            codes = self._with_larger_towns(key, self.codes_for_name(key))
            if codes:
                return self._resolution(codes, query)
        contradicted = None
        for name_words, wanted in self._qualified(words):
            codes = self.codes_for_name(" ".join(name_words))
            if codes:
                kept = self._filter(codes, wanted)
                if kept:
                    return self._resolution(kept, query)
                contradicted = contradicted or codes
        typo = self._typo(" ".join(words), query)
        if typo.status != UNKNOWN:
            return typo
        for name_words, wanted in self._qualified(words):
            qualified = self._typo(" ".join(name_words), query, wanted)
            if qualified.status != UNKNOWN:
                return qualified
        if contradicted:  # "Laval 44": Laval exists, but not in the 44: ask
            communes = self._sorted(contradicted)
            return CommuneResolution(AMBIGUOUS, None, tuple(communes), query)
        if len(words) > 2 and typo.status == UNKNOWN and not typo.candidates:
            # A whole sentence: "je suis vers Laval je crois".
            for mention in find_commune_mentions(query, self):
                spotted = self.resolve(mention)
                if spotted.status != UNKNOWN:
                    return CommuneResolution(spotted.status, spotted.commune, spotted.candidates, query)
        return typo

    def _with_larger_towns(self, key: str, codes: tuple[str, ...]) -> tuple[str, ...]:
        """Add the towns whose name starts with `key` and are larger than the exact matches.

        "Charleville" is a village of the Marne and the start of Charleville-Mézières;
        "Clermont" is in the Oise, the Landes… and the start of Clermont-Ferrand.
        """
        towns = self._by_short_name.get(key, ())
        largest = max((self._by_code[c].population for c in codes), default=0)
        codes = codes + tuple(c for c in towns if self._by_code[c].population > largest)
        if codes and key not in self._current_names:
            # Only a former name matches exactly ("Sainte-Gemmes", merged in 2017):
            # the person more likely means a commune of today whose name starts so.
            codes = tuple(dict.fromkeys(codes + self._by_prefix.get(key, ())))
        return codes

    def _codes_for_digits(self, key: str) -> tuple[str, ...]:
        # A person types postal codes; INSEE codes come from the system itself,
        # so a postal code wins where both exist (e.g. 01400).
        compact = key.replace(" ", "")
        if len(compact) == 4 and compact.isdigit():  # "1000" for 01000
            compact = "0" + compact
        if len(compact) != 5:
            return ()
        if compact in self._by_postal:
            return self._by_postal[compact]
        commune = self.by_code(compact)
        return (commune.code_insee,) if commune else ()

    def _qualified(self, words: list[str]):
        """(name words, qualifier) splits: "saint denis 93", "laval 53000", "53000 laval"."""
        if len(words) < 2:
            return
        for size in (3, 2, 1):
            if len(words) <= size:
                continue
            suffix = " ".join(words[-size:])
            name = words[:-size]
            if suffix in self._departements:
                wanted = ("departement", self._departements[suffix])
            elif size == 1 and suffix in self._by_postal:
                wanted = ("postal", suffix)
            else:
                continue
            while len(name) > 1 and name[-1] in QUALIFIER_CONNECTORS:
                name = name[:-1]
            yield name, wanted
        if words[0] in self._by_postal:
            yield words[1:], ("postal", words[0])
        elif words[0] in self._departements and words[0].isdigit():
            yield words[1:], ("departement", self._departements[words[0]])

    def _filter(self, codes: Iterable[str], wanted: tuple[str, str]) -> tuple[str, ...]:
        kind, value = wanted
        if kind == "departement":
            return tuple(c for c in codes if self._by_code[c].departement == value)
        exact = tuple(c for c in codes if value in self._by_code[c].codes_postaux)
        if exact:
            return exact
        departements = {self._by_code[c].departement for c in self._by_postal[value]}
        return tuple(c for c in codes if self._by_code[c].departement in departements)

    def _typo(self, key: str, query: str, wanted=None) -> CommuneResolution:
        if len(key) < 4 or len(key) >= len(self._typo_choices):
            return CommuneResolution(UNKNOWN, None, (), query)
        matches = process.extract(key, self._typo_choices[len(key)], scorer=fuzz.ratio,
                                  score_cutoff=SUGGESTION_SCORE, limit=MAX_CANDIDATES)
        if len(key) < SHORT_KEY:
            matches = [m for m in matches if abs(len(m[0]) - len(key)) <= SHORT_WINDOW]
        if wanted:
            matches = [(name, score, i) for name, score, i in matches
                       if self._filter(self._typo_names[name], wanted)]
        if not matches:
            return CommuneResolution(UNKNOWN, None, (), query)
        best = matches[0][1]
        close = [name for name, score, _ in matches
                 if score >= best - TIE_MARGIN and _plausible_typo(key, name)]
        if best >= FOUND_SCORE and close:
            codes = {c for name in close for c in self._typo_names[name]}
            if wanted:
                codes = set(self._filter(codes, wanted))
            return self._resolution(codes, query)
        suggestions = []
        for name, _, _ in matches:
            for commune in self._sorted(self._typo_names[name]):
                if commune not in suggestions:
                    suggestions.append(commune)
        return CommuneResolution(UNKNOWN, None, tuple(suggestions[:MAX_SUGGESTIONS]), query)

    def _sorted(self, codes: Iterable[str]) -> list[Commune]:
        return sorted((self._by_code[c] for c in set(codes)),
                      key=lambda c: (-c.population, c.nom, c.code_insee))

    def _resolution(self, codes: Iterable[str], query: str) -> CommuneResolution:
        communes = self._sorted(codes)
        if len(communes) == 1:
            return CommuneResolution(FOUND, communes[0], (communes[0],), query)
        first = communes[0]
        second = communes[1].population if len(communes) > 1 else 0
        dominant = first if first.population > 0 and first.population >= DOMINANCE * second else None
        return CommuneResolution(AMBIGUOUS, dominant, tuple(communes), query)


_SMALL_WORDS = frozenset("sur sous en de d du des le la les l et aux au lez".split())


def _plausible_typo(query: str, name: str) -> bool:
    """A close ratio is not enough when names share "sur Marne": every word must be close.

    "Sant-Nazaire" → "Saint-Nazaire" yes; "Chalons s/ Marne" → "Châtillon-sur-Marne" no.
    """
    a = [w for w in query.split() if w not in _SMALL_WORDS]
    b = [w for w in name.split() if w not in _SMALL_WORDS]
    if len(a) == len(b) > 1:
        return all(fuzz.ratio(x, y) >= WORD_SCORE for x, y in zip(a, b))
    return fuzz.ratio(" ".join(a), " ".join(b)) >= FOUND_SCORE


def _variants(words: list[str]) -> list[list[str]]:
    """The query, then the query without its leading fillers one word at a time."""
    while len(words) > 1 and words[-1] in TRAILING_FILLERS:
        words = words[:-1]
    variants = [words] if words else []
    while len(words) > 1 and words[0] in LEADING_FILLERS:
        words = words[1:]
        variants.append(words)
    return variants


# ---------------------------------------------------------------- mentions

# Common words that are also communes (Y, Eu, Plan, Mer…): only taken after
# a strong cue ("j'habite", "commune de", "à" written with its accent).
COMMON_WORDS = frozenset("""
    y eu ay by bu us ur oz ri oo py ry sy fa don aucun avril mars eve
    bus job ecole ville bourg port pont mont bois sens vue vers ver vert mer plan place
    plaine pin four fours force change charge chemin contre cours celle celles chars bras
    corps croix fosse francs ligne mare mere pere parent moyen poil puits pis riche rocher
    roches rouge routes rue simple soupir sure survie tende tendu teneur trans target
    prince boulot campagne ore ors mens suisse anjou bretagne
    """.split())
STRONG_CUES = frozenset("""
    habite habites habitons habitez habitent vis vit vivons vivez vivent reside resides
    residons residez resident demeure commune ville village secteur pres vers mairie
    """.split())
WEAK_CUES = frozenset("a au aux sur de d du".split())
# "au Mans" is "à le Mans", "aux Sables-d'Olonne" is "à les Sables-d'Olonne".
CONTRACTED_ARTICLE = {"au": "le", "du": "le", "aux": "les"}
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
        key = "sur" if word.lower() == "s" and text[match.end():match.end() + 1] == "/" else normalize(word)
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
        if (len(t.key) == 5 and t.key.isdigit() and index.is_postal_code(t.key)
                and not (i + 1 < len(tokens) and tokens[i + 1].key in _NON_POSTAL_FOLLOWERS)):
            end = _name_after_postal_code(tokens, i, index)  # "49600 Beaupréau"
            mentions.append(text[t.start:tokens[end - 1].end])
            i = end
            continue
        end, key = _name_at(tokens, i, index, segment_sizes)
        if not end:
            i += 1
            continue
        stop = tokens[end - 1].end
        if end < len(tokens) and index.narrows(key, tokens[end].key):
            # Keep "Saint-Denis (93)" whole: resolve() understands the qualifier.
            stop = tokens[end].end + (text[tokens[end].end:tokens[end].end + 1] == ")")
            end += 1
        else:
            qualified = _departement_after(tokens, end, index, key)
            if qualified:  # "Solesmes dans la Sarthe", "Saint-Denis de La Réunion"
                stop, end = tokens[qualified - 1].end, qualified
        mentions.append(text[t.start:stop])
        i = end
    return mentions


def _departement_after(tokens: list[_Token], end: int, index: CommuneIndex, key: str) -> int:
    """End of "… en Mayenne" / "… dans la Sarthe" after a name, when that département has it; else 0."""
    i = end
    while i < len(tokens) and i - end < 3 and tokens[i].key in QUALIFIER_CONNECTORS:
        i += 1
    for size in (3, 2, 1):
        words = tokens[i:i + size]
        if len(words) < size or words[-1].segment != tokens[end - 1].segment:
            continue
        name = " ".join(w.key for w in words)
        if index.is_departement_name(name) and index.narrows(key, name):
            return i + size
    return 0


def _named_after_home(tokens: list[_Token], i: int) -> bool:
    """"j'habite à Vers": a cue word ("vers", "ville") that is the commune itself."""
    return (i >= 2 and tokens[i - 1].text.lower() == "à" and tokens[i - 2].key in STRONG_CUES
            and tokens[i].key in STRONG_CUES)


def _name_after_postal_code(tokens: list[_Token], i: int, index: CommuneIndex) -> int:
    """End of "49600 Beaupréau" when a name of that postal code follows token i, else i + 1."""
    for end in range(min(len(tokens), i + 1 + MAX_NAME_WORDS), i + 1, -1):
        if tokens[end - 1].segment != tokens[i].segment:
            continue
        if index.narrows(" ".join(t.key for t in tokens[i + 1:end]), tokens[i].key):
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
        if strength == 0 and not alone:
            continue
        words = " ".join(t.key for t in tokens[i:end])
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
