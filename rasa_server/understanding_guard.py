"""The last NLU step: DIET's intent and entities, checked against what the words plainly say.

DIET generalises well, but a few of its mistakes cost a person their
conversation: "j'ai une reconnaissance de handicap, suivi par Cap emploi"
taken for a restart, "je touche le revenu de solidarité active" answered with
a definition, a bare "Evron" declared out of scope; and its entity spans come
with fragments ("d'", "à") or an "age" in "au RSA depuis 15 ans". The rules are
in `orientation.language.understanding` (`corrected_intent`, `clean_entities`: pure,
tested without Rasa); this component applies them after the FallbackClassifier,
with the communes of France to spot the commune DIET missed. It is not trained.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from orientation.language.communes import CommuneIndex, find_commune_mentions, load_communes
from orientation.language.normalize import normalize
from orientation.language.understanding import clean_entities, corrected_intent, read

_POSTAL_CODE = re.compile(r"^\s*\d{5}\s*$")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnderstandingGuard(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    def __init__(self, communes: CommuneIndex) -> None:
        self.communes = communes

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnderstandingGuard:
        # The communes of France from knowledge/communes/ (about 1 s, 60 MB): the
        # same index the action server resolves them with.
        return cls(CommuneIndex(*load_communes()))

    def names_commune(self, text: str) -> bool:
        """The whole message is a commune's name or a postal code: an answer, not small talk."""
        return bool(_POSTAL_CODE.match(text)) or bool(self.communes.codes_for_name(normalize(text[:200])))

    def mentions(self, text: str) -> list[str]:
        return find_commune_mentions(text, self.communes)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            if not name or not text or text.startswith("/"):
                continue
            reading = read(text)
            # "non pardon, je vis à Cholet": a commune where the person lives is about them.
            commune = self.names_commune(text) or (reading.residence and bool(self.mentions(text)))
            corrected = corrected_intent(name, reading, commune)
            if corrected != name:
                message.set(INTENT, {**intent, INTENT_NAME_KEY: corrected}, add_to_output=True)
            entities = message.get(ENTITIES) or []
            cleaned = (
                []
                if corrected == "skip_question"
                # "je sais pas trop, on passe": no need
                else clean_entities(text, entities, self.mentions, self.communes.is_departement_name)
            )
            if cleaned != entities:
                message.set(ENTITIES, cleaned, add_to_output=True)
        return messages
