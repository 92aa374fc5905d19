"""The person spoken about, as a parameter of every template.

"vous" to the person, "la personne" to the social worker who accompanies
them: each template is written once with `{vous}`, `{votre_f}`… and rendered
by the `Voice` of the conversation (tests/test_plain_french.py renders every
template in both).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Voice:
    """The words that change with the person spoken about."""

    professional: bool
    words: dict

    def __call__(self, template: str, **values) -> str:
        return template.format(**self.words, **values)


PERSON = Voice(
    False,
    {
        "vous": "vous",
        "Vous": "Vous",
        "vous_avez": "vous avez",
        "Vous_avez": "Vous avez",
        "vous_etes": "vous êtes",
        "Vous_etes": "Vous êtes",
        "votre_f": "votre",
        "votre_m": "votre",
        "Votre_f": "Votre",
        "Votre_m": "Votre",
        "vos": "vos",
        "peut_vous_aider": "peut vous aider",
        "peuvent_vous_aider": "peuvent vous aider",
        "vous_orienter": "vous orienter",
        "vous_indiquer": "vous indiquer",
        "demander": "À qui demander",
        "vous_correspond": "ne vous correspond",
        "vous_y": "vous y",
        "habitez_vous": "habitez-vous",
        "Vous_habitez": "Vous habitez",
        "avez_vous": "avez-vous",
        "vous_deplacer": "vous déplacer",
    },
)
PROFESSIONAL = Voice(
    True,
    {
        "vous": "la personne",
        "Vous": "La personne",
        "vous_avez": "la personne a",
        "Vous_avez": "La personne a",
        "vous_etes": "la personne est",
        "Vous_etes": "La personne est",
        "votre_f": "sa",
        "votre_m": "son",
        "Votre_f": "Sa",
        "Votre_m": "Son",
        "vos": "ses",
        "peut_vous_aider": "peut aider la personne",
        "peuvent_vous_aider": "peuvent aider la personne",
        "vous_orienter": "l'orienter",
        "vous_indiquer": "lui indiquer",
        "demander": "Prescripteur habituel",
        "vous_correspond": "ne correspond à la personne",
        "vous_y": "l'y",
        "habitez_vous": "la personne habite-t-elle",
        "Vous_habitez": "La personne habite",
        "avez_vous": "la personne a-t-elle",
        "vous_deplacer": "se déplacer",
    },
)
VOICES = (PERSON, PROFESSIONAL)


def voice_for(professional: bool) -> Voice:
    return PROFESSIONAL if professional else PERSON
