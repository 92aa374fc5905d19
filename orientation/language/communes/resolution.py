"""What a person typed for "votre commune" → one commune, homonyms to choose from, or spellings.

`Resolution` is the half of `CommuneIndex` that reads a query; it works on the
tables the index builds (names, postal codes, départements, typo lists).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Optional

from rapidfuzz import fuzz, process

from orientation.language.communes.commune import AMBIGUOUS, FOUND, UNKNOWN, CommuneResolution
from orientation.language.normalize import normalize
from orientation.language.words import WORDS, lexique
from orientation.territory import Commune

MAX_CANDIDATES = 10
MAX_SUGGESTIONS = 5
DOMINANCE = 20  # a homonym this many times more populous than the next is proposed first
FOUND_SCORE = 85  # rapidfuzz fuzz.ratio, 0-100
SUGGESTION_SCORE = 75
WORD_SCORE = 80  # each word of a multi-word typo match
TIE_MARGIN = 3  # typo matches this close to the best one are as plausible
SHORT_KEY, SHORT_WINDOW = 8, 2  # short names compare with names of length ±2: one letter is a lot
MAX_QUERY_CHARS = 200  # the longest commune name has 45 characters
# Countries and regions (lexique.yml): no commune unless one is named so ("France" → Rancé).
_NOT_COMMUNE_KEYS = frozenset(
    k for n in lexique()["pas_des_communes"] for k in (normalize(n), normalize("la " + n))
)


class Resolution:
    """Reads a query against the index's tables (`CommuneIndex` builds them)."""

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
        starting = self._by_first_word.get(" ".join(words))
        if starting:  # "Fontevraud" for Fontevraud-l'Abbaye; "Lassay": which Lassay-… ?
            return self._resolution(starting, query)
        contradicted = None
        for name_words, wanted in self._qualified(words):
            codes = self.codes_for_name(" ".join(name_words))
            kept = self._filter(codes, wanted) or (codes and self._starting_with(name_words, wanted))
            if kept:  # "Ballon, dans la Sarthe": Ballon-Saint-Mars, not Ballon (17)
                return self._resolution(kept, query)
            contradicted = contradicted or codes
        if " ".join(words) in _NOT_COMMUNE_KEYS:  # and no commune is named so
            return CommuneResolution(UNKNOWN, None, (), query)
        typo = self._typo(" ".join(words), query)
        if typo.status != UNKNOWN:
            return typo
        short = self._abbreviated(words)
        if short:  # "st naz": the one large town whose words start so
            return replace(self._resolution((short,), query), approximate=True)
        for name_words, wanted in self._qualified(words):
            qualified = self._typo(" ".join(name_words), query, wanted)
            if qualified.status != UNKNOWN:
                return qualified
        if contradicted:  # "Laval 44": Laval exists, but not in the 44: ask
            communes = self._sorted(contradicted)
            return CommuneResolution(AMBIGUOUS, None, tuple(communes), query)
        return typo

    def _abbreviated(self, words: list[str]) -> Optional[str]:
        """The one town of SHORT_NAME_POPULATION people or more whose name's words start with
        these ("saint naz" → Saint-Nazaire, "la roche sur yon" typed "la roche s yon"), if only one."""
        if len(words) < 2 or all(w in WORDS["petits_mots"] | WORDS["saints"] for w in words):
            return None
        found = {
            code
            for key, codes in self._large_names.items()
            for code in codes
            if len(key.split()) >= len(words)
            and all(n.startswith(w) for w, n in zip(words, key.split(), strict=False))
        }
        return next(iter(found)) if len(found) == 1 else None

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
            while len(name) > 1 and name[-1] in WORDS["connecteurs_de_departement"]:
                name = name[:-1]
            yield name, wanted
        if words[0] in self._by_postal:
            yield words[1:], ("postal", words[0])
        elif words[0] in self._departements and words[0].isdigit():
            yield words[1:], ("departement", self._departements[words[0]])

    def _starting_with(self, name_words: list[str], wanted: tuple[str, str]) -> tuple[str, ...]:
        """The communes there whose name starts with these words (a merged commune's new name
        often keeps the old one first: Ballon → Ballon-Saint Mars)."""
        if not name_words or all(w in WORDS["petits_mots"] | WORDS["saints"] for w in name_words):
            return ()
        kind, value = wanted
        there = (
            self._by_postal.get(value, ())
            if kind == "postal"
            else (c.code_insee for c in self._by_code.values() if c.departement == value)
        )
        size = len(name_words)
        return tuple(c for c in there if normalize(self._by_code[c].nom).split()[:size] == name_words)

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
        matches = process.extract(
            key,
            self._typo_choices[len(key)],
            scorer=fuzz.ratio,
            score_cutoff=SUGGESTION_SCORE,
            limit=MAX_CANDIDATES,
        )
        if len(key) < SHORT_KEY:
            matches = [m for m in matches if abs(len(m[0]) - len(key)) <= SHORT_WINDOW]
        if wanted:
            matches = [
                (name, score, i) for name, score, i in matches if self._filter(self._typo_names[name], wanted)
            ]
        if not matches:
            return CommuneResolution(UNKNOWN, None, (), query)
        best = matches[0][1]
        close = [
            name for name, score, _ in matches if score >= best - TIE_MARGIN and _plausible_typo(key, name)
        ]
        if best >= FOUND_SCORE and close:
            codes = {c for name in close for c in self._typo_names[name]}
            if wanted:
                codes = set(self._filter(codes, wanted))
            return replace(self._resolution(codes, query), approximate=True)
        suggestions = []
        for name, _, _ in matches:
            for commune in self._sorted(self._typo_names[name]):
                if commune not in suggestions:
                    suggestions.append(commune)
        return CommuneResolution(UNKNOWN, None, tuple(suggestions[:MAX_SUGGESTIONS]), query)

    def _sorted(self, codes: Iterable[str]) -> list[Commune]:
        return sorted(
            (self._by_code[c] for c in set(codes)), key=lambda c: (-c.population, c.nom, c.code_insee)
        )

    def _resolution(self, codes: Iterable[str], query: str) -> CommuneResolution:
        communes = self._sorted(codes)
        if len(communes) == 1:
            return CommuneResolution(FOUND, communes[0], (communes[0],), query)
        first = communes[0]
        second = communes[1].population if len(communes) > 1 else 0
        dominant = first if first.population > 0 and first.population >= DOMINANCE * second else None
        return CommuneResolution(AMBIGUOUS, dominant, tuple(communes), query)


def _plausible_typo(query: str, name: str) -> bool:
    """A close ratio is not enough when names share "sur Marne": every word must be close.

    "Sant-Nazaire" → "Saint-Nazaire" yes; "Chalons s/ Marne" → "Châtillon-sur-Marne" no.
    """
    a = [w for w in query.split() if w not in WORDS["petits_mots"]]
    b = [w for w in name.split() if w not in WORDS["petits_mots"]]
    if len(a) == len(b) > 1:
        return all(fuzz.ratio(x, y) >= WORD_SCORE for x, y in zip(a, b, strict=False))
    return fuzz.ratio(" ".join(a), " ".join(b)) >= FOUND_SCORE


def _variants(words: list[str]) -> list[list[str]]:
    """The query, then the query without its leading fillers one word at a time."""
    while len(words) > 1 and words[-1] in WORDS["apres_commune"]:
        words = words[:-1]
    variants = [words] if words else []
    while len(words) > 1 and words[0] in WORDS["avant_commune"]:
        words = words[1:]
        variants.append(words)
    return variants
