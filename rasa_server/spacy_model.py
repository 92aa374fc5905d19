"""Rasa's `SpacyNLP`, loading fr_core_news_md once per process, and lighter.

Rasa's default recipe makes two graph nodes of `SpacyNLP`: one that provides the
model to the tokenizer, the featurizer and the reading (`provide_SpacyNLP0`), one that
puts the spaCy doc on each message (`run_SpacyNLP0`). Each node creates its own
component, and each component loads its own copy of the model: 337 MB held twice
in every Rasa process (`make benchmark` prints the server's memory). The class keeps
Rasa's name, which the other spaCy components look their provider up by.

The model is loaded as the reading loads it (`load_spacy`: lighter, the same
analysis), with the parser disabled as Rasa disables it (rasa_server.understanding
runs it) and the named entities too: the reading runs them only on a message where
a place needs them (about 40 % of spaCy's time, on every message otherwise).
"""

from __future__ import annotations

import functools

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.exceptions import InvalidConfigException

from orientation.language.reading import SPACY_MODEL, load_spacy


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    @staticmethod
    @functools.cache
    def load_model(spacy_model_name: str) -> SpacyModel:
        if spacy_model_name != SPACY_MODEL:
            raise InvalidConfigException(f"config.yml : le modèle spaCy doit être {SPACY_MODEL}.")
        return SpacyModel(model=load_spacy(disable=("parser", "ner")), model_name=spacy_model_name)
