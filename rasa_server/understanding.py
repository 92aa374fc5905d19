"""The NLU step that reads each message once: facts with roles and codes, for the actions.

It runs after DIET (which classifies the intent) on the spaCy doc that `SpacyNLP`
made with fr_core_news_md (lemmas), parsed here: Rasa loads the model without its
parser (the parser disabled, as Rasa does), and the reading needs the parse
(negation scope, the tense, the objects of a verb); the named entities are run by
the reading itself, only for a message where a place needs them. It puts the
reading (`orientation.language.reading`) in the parse data as `lecture` (the actions
read it and never the text), its facts as entities under this component's name
(`rasa test nlu` scores them apart from DIET), and DIET's intent, corrected where
the facts plainly say otherwise. It is not trained: the lexicon is data
(orientation/language/lexique.yml, knowledge/), read at start.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from orientation.knowledge.loader import load_knowledge
from orientation.knowledge.terms import named_terms
from orientation.language.communes import CommuneIndex
from orientation.language.reading import build_reader, corrected_intent
from orientation.territory import load_communes

READING = "lecture"  # the parse data's key the actions read
# READING_CORRECTS_INTENT=0 leaves DIET's intent as it is: to score DIET alone (evaluate_nlu.py --diet).
CORRECTS_INTENT = os.environ.get("READING_CORRECTS_INTENT", "1") != "0"
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
    model_from="SpacyNLP",
)
class Understanding(GraphComponent, IntentClassifier, EntityExtractorMixin):
    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    def __init__(self, communes: CommuneIndex, terms: dict) -> None:
        self.communes, self.terms, self.reader, self.parser = communes, terms, None, None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Understanding:
        # The communes of France (knowledge/communes/) and the terms of knowledge/: about 1.5 s.
        return cls(CommuneIndex(*load_communes()), named_terms(load_knowledge(KNOWLEDGE)))

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        if self.reader is None:  # built once, with the spaCy model SpacyNLP loaded
            self.reader = build_reader(self.communes, self.terms, model.model)
            self.parser = model.model.get_pipe("parser")  # loaded, disabled by SpacyNLP
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if not text or text.startswith("/"):
                continue
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is not None and not doc.has_annotation("DEP"):
                doc = self.parser(doc)  # the same analysis as spacy.load(name) gives
            reading = self.reader.read(text, doc)
            message.set(READING, reading.as_dict(), add_to_output=True)
            entities = [
                {"entity": entity, "value": value, "start": start, "end": end, "extractor": self.name}
                for entity, value, start, end in reading.spans
            ]
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
            name = intent.get(INTENT_NAME_KEY)
            if name and CORRECTS_INTENT:
                # The whole message is a commune's name ("Evron"): an answer, not small talk ("OUIII"
                # is only close to one, and stays DIET's affirm).
                alone = [p for p in reading.homes if p.found and len(p.text) >= len(text.strip()) - 1]
                names_commune = any(not p.approximate for p in alone)
                corrected = corrected_intent(name, reading, names_commune, close_to_commune=bool(alone))
                if corrected != name:
                    message.set(INTENT, {**intent, INTENT_NAME_KEY: corrected}, add_to_output=True)
        return messages
