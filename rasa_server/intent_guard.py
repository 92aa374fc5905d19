"""A last NLU step: DIET's intent, unless the words plainly say something else.

DIET generalises well, but a few of its mistakes cost a person their
conversation: "j'ai une reconnaissance de handicap, suivi par Cap emploi"
taken for a restart, "je touche le revenu de solidarité active" answered with
a definition, a bare "Evron" declared out of scope. The rules are in
`orientation.understanding.corrected_intent` (pure, tested without Rasa); this
component only applies them after the FallbackClassifier. It is not trained.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from orientation.communes import COMMUNES_DIR, read_csv
from orientation.normalize import normalize
from orientation.understanding import corrected_intent, read

_POSTAL_CODE = re.compile(r"^\s*\d{5}\s*$")


def commune_names(directory: Path = COMMUNES_DIR) -> frozenset[str]:
    """The normalized names (current and former) of every French commune."""
    names = {normalize(r["nom"]) for r in read_csv(directory / "communes.csv")}
    names |= {normalize(r["nom"]) for r in read_csv(directory / "anciens_noms.csv")}
    return frozenset(names)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentGuard(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> List[type]:
        return [IntentClassifier]

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "IntentGuard":
        return cls(commune_names())

    def names_commune(self, text: str) -> bool:
        """The whole message is a commune's name or a postal code: an answer, not small talk."""
        return bool(_POSTAL_CODE.match(text)) or normalize(text[:200]) in self.names

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            if not name or not text or text.startswith("/"):
                continue
            corrected = corrected_intent(name, read(text), self.names_commune(text))
            if corrected != name:
                message.set(INTENT, {**intent, INTENT_NAME_KEY: corrected}, add_to_output=True)
        return messages
