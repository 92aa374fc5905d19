"""The tables of the communes of France and their lookups (by code, name, postal code)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from orientation.language.communes.names import name_keys, without_article
from orientation.language.communes.resolution import Resolution
from orientation.language.normalize import normalize
from orientation.language.words import WORDS
from orientation.territory import Commune, Communes

LENGTH_WINDOW = 3  # typo matching only compares names of length ±3 ("chato gontié", "chateau gontier")
# People shorten the names of towns: "Charleville", "Aix", "Sablé". Towns this
# large are also found by the first words of their name.
SHORT_NAME_POPULATION = 10_000


class CommuneIndex(Communes, Resolution):
    """Resolves names (current or old), INSEE codes and postal codes to communes."""

    def __init__(self, communes: Iterable[Commune], aliases: Iterable[tuple[str, str]] = ()):
        communes = list(communes)
        super().__init__(communes)
        postal: dict[str, list[str]] = defaultdict(list)
        names: dict[str, set[str]] = defaultdict(set)
        self._departements: dict[str, str] = {}  # qualifier ("53", "mayenne", "reunion") → code
        self._departement_codes: set[str] = set()
        current: set[str] = set()
        for c in communes:
            for cp in c.codes_postaux:
                postal[cp].append(c.code_insee)
            for key in name_keys(c.nom):
                names[key].add(c.code_insee)
                current.add(key)
            self._add_departement(c.departement, c.departement_nom)
        self._current_names = frozenset(current)
        former: set[str] = set()
        for nom, code in aliases:
            if code in self._by_code:
                for key in name_keys(nom):
                    names[key].add(code)
                    former.add(key)
        self._former_names = frozenset(former - self._current_names)
        bare: dict[str, set[str]] = defaultdict(set)
        for key, codes in names.items():
            rest = without_article(key)
            if rest:
                bare[rest] |= codes
        self._by_postal = {cp: tuple(codes) for cp, codes in postal.items()}
        self._by_name = {key: tuple(sorted(codes)) for key, codes in names.items()}
        # "Sables d'Olonne" for "Les Sables-d'Olonne", only when no name is spelled so.
        self._by_bare_name = {
            key: tuple(sorted(codes)) for key, codes in bare.items() if key not in self._by_name
        }
        self._by_short_name = self._short_names()
        self._large_names = {  # the names of the towns people shorten ("st naz")
            key: tuple(c for c in codes if self._by_code[c].population >= SHORT_NAME_POPULATION)
            for key, codes in self._by_name.items()
            if self.is_large(key)
        }
        self._by_prefix = self._prefixes()
        self._by_first_word = self._first_words()
        self._build_typo_index()

    def _first_words(self) -> dict[str, tuple[str, ...]]:
        """The communes whose name starts with a word that is no name itself: "fontevraud" →
        Fontevraud-l'Abbaye; "lassay" → Lassay-les-Châteaux and Lassay-sur-Croisne (to ask)."""
        first: dict[str, set[str]] = defaultdict(set)
        for c in self._by_code.values():
            words = normalize(c.nom).split()
            if len(words) > 1 and len(words[0]) >= 5 and words[0] not in WORDS["generiques"]:
                first[words[0]].add(c.code_insee)
        return {
            word: tuple(sorted(codes))
            for word, codes in first.items()
            if word not in self._by_name and word not in self._by_bare_name
        }

    def first_word_keys(self) -> set[str]:
        """The words a commune's name is shortened to ("lassay", "fontevraud"), but a word of a
        département's name ("Maine" of Maine-et-Loire is no Maine-de-Boixe)."""
        departements = {w for key in self._departements for w in key.split()}
        return set(self._by_first_word) - departements

    def _prefixes(self) -> dict[str, tuple[str, ...]]:
        """Communes by the first words of their current name ("sainte gemmes" → -sur-Loire, -le-Robert)."""
        prefixes: dict[str, set[str]] = defaultdict(set)
        for c in self._by_code.values():
            words = normalize(c.nom).split()
            for size in range(2, len(words)):
                if not WORDS["generiques"].issuperset(words[:size]):
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
                # "saint", "ville d" (Ville-d'Avray): no name is cut so
                if (
                    not WORDS["generiques"].issuperset(words[:size])
                    and words[size - 1] not in WORDS["petits_mots"]
                ):
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
            full = normalize(nom)
            name = without_article(full) or full  # "sarthe" for "La Sarthe"
            keys |= {full, name}
            if name[0] in "aeiouy":
                keys.add("l" + name)  # "dans lorne", "lisere": l' typed glued
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
            [
                key
                for n in range(length - LENGTH_WINDOW, length + LENGTH_WINDOW + 1)
                for key in by_length.get(n, ())
            ]
            for length in range(longest + LENGTH_WINDOW + 1)
        ]

    # ------------------------------------------------------------ lookups

    def codes_for_name(self, key: str, bare: bool = True) -> tuple[str, ...]:
        """INSEE codes of a normalized name (current, old, or without its article if `bare`)."""
        return self._by_name.get(key) or (self._by_bare_name.get(key) if bare else None) or ()

    def name_keys(self) -> set[str]:
        """Every key a name is found by: current and former names, without their article, and
        the first words of a large town's name ("la baule")."""
        return set(self._by_name) | set(self._by_bare_name) | set(self._by_short_name)

    def is_former_name(self, key: str) -> bool:
        """Whether a normalized text is only a former name ("montjean sur loire")."""
        return key in self._former_names

    def is_large(self, key: str) -> bool:
        """Whether a name belongs to a town of SHORT_NAME_POPULATION people or more."""
        codes = self.codes_for_name(key) or self._by_short_name.get(key, ())
        return any(self._by_code[c].population >= SHORT_NAME_POPULATION for c in codes)

    def is_postal_code(self, text: str) -> bool:
        return text in self._by_postal

    def is_departement_name(self, key: str) -> bool:
        """Whether a normalized text names a département ("mayenne", "la sarthe", "53")."""
        return key in self._departements and not key.isdigit()

    def near(self, name_key: str, codes: tuple[str, ...], landmark: str) -> tuple[str, ...]:
        """Those of `codes` (the communes a name was read as) in the landmark's département, else
        the communes there named after the name (Laval → Laval-en-Belledonne), else those of
        `codes` in its region."""
        there = self._by_code[landmark]
        wanted = ("departement", there.departement)
        return (
            self._filter(codes, wanted)
            or self._starting_with(name_key.split(), wanted)
            or tuple(c for c in codes if self._by_code[c].region == there.region)
        )

    def narrows(self, name_key: str, word: str) -> bool:
        """Whether `word`, a département or postal code, fits a commune named `name_key` ("laval", "53")."""
        if len(word) == 5 and word in self._by_postal:
            wanted = ("postal", word)
        elif word in self._departements:
            wanted = ("departement", self._departements[word])
        else:
            return False
        return bool(
            self._filter(self.codes_for_name(name_key), wanted)
            or (self.codes_for_name(name_key) and self._starting_with(name_key.split(), wanted))
        )
