"""French texts the actions send, each written once with the person as a parameter.

Questions, rephrasings, commune choices, recovery and error messages. What
is assembled from an orientation lives in `orientation.text.wording`; both take a
`Voice` ("vous" to the person, "la personne" to a social worker).
Buttons' labels come from the vocabulary (`orientation.vocabulary`).
"""

from __future__ import annotations

import json

from orientation.text.french import where  # noqa: F401 - "Laval, en Mayenne", for the actions
from orientation.text.voice import Voice
from orientation.vocabulary import BESOINS, SITUATIONS, besoin_button, situation_button


def payload(intent: str, **entities) -> str:
    """A button payload: `/inform{"besoin": "permis"}` (JSON, so Rasa parses it as entities)."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


SITUATION_BUTTONS = [
    {"title": situation_button(code), "payload": payload("inform", situation=code)} for code in SITUATIONS
]
BESOIN_BUTTONS = [
    {"title": besoin_button(code), "payload": payload("inform", besoin=code)} for code in BESOINS
]
SKIP_BUTTON = {"title": "Passer cette question", "payload": payload("skip_question")}
RESTART_BUTTON = {"title": "Recommencer", "payload": payload("restart")}
CHANGE_BUTTONS = [
    {"title": "Un autre besoin", "payload": payload("change_answer", reponse="besoin")},
    {"title": "Changer de commune", "payload": payload("change_answer", reponse="commune")},
    {"title": "Changer de situation", "payload": payload("change_answer", reponse="situation")},
]
# After an orientation: the next steps a person usually wants.
FOLLOW_UP_BUTTONS = CHANGE_BUTTONS[:2] + [RESTART_BUTTON]
WHICH_ANSWER = "Quelle réponse voulez-vous changer ?"

GREETING = (
    "Bonjour ! Je vous aide à trouver une aide pour vous déplacer. Dites-moi votre "
    "besoin, votre situation et votre commune. Ou choisissez ci-dessous :"
)

# Each question: as first asked, then rephrased after an answer that was not understood.
QUESTIONS = {
    "situations": (
        "Quelle est {votre_f} situation ?",
        "Je n'ai pas reconnu la situation. Choisissez celle qui ressemble le plus à {votre_f} "
        "situation. Vous pouvez aussi l'écrire, par exemple « au RSA ».",
    ),
    "commune": (
        "Dans quelle commune {habitez_vous} ? Son nom ou son code postal suffit.",
        "Je n'ai pas reconnu la commune. Écrivez son nom ou son code postal, par exemple "
        "« Laval » ou « 44600 ».",
    ),
    "besoin": (
        "De quoi {avez_vous} besoin pour {vous_deplacer} ?",
        "Je n'ai pas compris le besoin. Choisissez ci-dessous, ou écrivez-le simplement. "
        "Par exemple : « passer le permis », « une voiture ».",
    ),
    "age": (
        "Quel âge {avez_vous} ? La réponse en dépend : avant 26 ans, la Mission locale peut aider.",
        "Je n'ai pas compris l'âge. Écrivez-le en chiffres, par exemple « 22 ».",
    ),
}
QUESTION_BUTTONS = {"situations": SITUATION_BUTTONS, "besoin": BESOIN_BUTTONS}

GIVE_UP = (
    "Je n'arrive pas à comprendre cette réponse, désolé. Vous pouvez passer cette question. "
    "Vous pouvez aussi en parler à un professionnel : {prescriber}."
)


def question(slot: str, voice: Voice, attempt: int = 1) -> str:
    first, again = QUESTIONS[slot]
    return voice(first if attempt <= 1 else again)


COMMUNE_UNKNOWN = (
    "Je ne trouve pas la commune « {query} ». Pouvez-vous vérifier "
    "l'orthographe, ou donner le code postal ?"
)
COMMUNE_SUGGESTIONS = "Je ne trouve pas exactement « {query} ». Vouliez-vous dire :"
COMMUNE_AMBIGUOUS = "Plusieurs communes s'appellent « {query} ». Laquelle ?"
COMMUNE_POSTAL = "Plusieurs communes ont le code postal {query}. Laquelle ?"
# The reading is unsure (a bare word, a close spelling): one short question.
COMMUNE_CONFIRM = "{Vous_habitez} bien à {commune} ?"
YES = "Oui"
OTHER_COMMUNE = "Non, une autre commune"
MAX_ECHO = 60  # characters of the person's words said back, at most


def echo(text: str) -> str:
    """The person's words, on one line and cut: said back when asking about them."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…"


def definition(term: dict) -> str:
    """A glossary term's definition, as the bot says it."""
    return f"{term['terme']} : {' '.join(term['definition'].split())}"


PLATFORM_IS = (
    "{nom} est une plateforme de mobilité : elle aide les personnes en insertion à se déplacer. "
    "Territoire : {zone}. Je vous dis ce qu'elle peut faire pour vous."
)
DEFINITION_UNKNOWN = "Je n'ai pas de définition pour ce mot. Je peux expliquer ces mots :\n{terms}"
UNCHANGED = "C'est noté. Ma réponse reste la même."
ALREADY_ORIENTED = (
    "Votre orientation ci-dessus reste valable. Vous pouvez corriger une réponse, "
    "par exemple « en fait j'habite à Laval ». Vous pouvez aussi demander un autre "
    "besoin, ou écrire « recommencer »."
)
RESTARTED = (
    "C'est reparti de zéro : je ne garde rien de vos réponses. " "Quel est votre besoin pour vous déplacer ?"
)
NOT_UNDERSTOOD = (
    "Je n'ai pas bien compris. Je vous aide à trouver une aide pour vous déplacer. "
    "Dites-moi votre besoin, votre situation et votre commune."
)
OUT_OF_SCOPE = (
    "Je ne peux pas vous aider sur ce sujet. Je connais seulement les aides pour se "
    "déplacer : permis, véhicule, transport, garage. Pour le reste, le service social "
    "de votre mairie peut vous orienter."
)
# The facts were understood in another language: the bot goes on, in French.
OTHER_LANGUAGE_UNDERSTOOD = "Je réponds en français (I answer in French)."
OTHER_LANGUAGE = (
    "Je ne parle que français, désolé. I only speak French. Écrivez simplement votre "
    "besoin, votre commune et votre situation. Je vous aiderai."
)
# "j'habite Montjean-sur-Loire": the commune it is part of today, said once.
FORMER_NAME = "{ancien} fait aujourd'hui partie de {commune}."
# A mobility question the platforms' services do not answer: what the bot knows, then the
# closest next step (the platform's first step, or the usual prescriber).
SUJETS = {
    "echange_permis": "Je ne connais pas la démarche pour échanger un permis étranger : ma base ne la décrit pas.",
    "transport_scolaire": "Je ne connais pas les transports scolaires : ma base ne les décrit pas.",
    "employeur": "Je ne sais pas ce qu'un employeur prend en charge : ma base ne le dit pas.",
    "demenagement": "Je ne connais pas les aides pour déménager : ma base ne les décrit pas.",
    "coordonnees": "Je n'ai pas les numéros ni les adresses des services : ma source ne les donne pas.",
}
SUJET_NEXT = " Une plateforme de mobilité peut {vous} aider à faire le point sur {vos} déplacements."
# The bot would say again what it just said: it says so, and how to go on.
STUCK = (
    "Je tourne en rond, désolé. Choisissez ci-dessous, passez la question ou écrivez "
    "« recommencer ». Vous pouvez aussi en parler à un professionnel : {prescriber}."
)
SOCIAL_SERVICE = "le service social de votre mairie"
# After two answers not understood: how to go on with a person, and the question can be passed.
WAY_OUT = " Vous pouvez passer cette question, ou demander à un professionnel : {prescriber}."
NOTHING_TO_SKIP = (
    "Il n'y a pas de question en cours. Dites-moi votre besoin, votre situation et votre commune."
)
SKIPPED = "D'accord, je passe cette question."
SKIPPED_AFTER_TRIES = "Je passe cette question pour avancer."
PERSONAL_DATA = (
    "Je n'ai pas besoin de {vos} nom, téléphone ou adresse. Seulement {votre_f} commune, "
    "{votre_f} situation et {votre_m} besoin. Je ne garde pas ces informations."
)
# Something broke on our side: the person still gets an answer and a way forward.
ERROR = (
    "Désolé, un problème technique m'empêche de répondre. Réessayez dans un instant, "
    "ou écrivez « recommencer ». Si cela dure, le service social de votre mairie peut "
    "vous orienter."
)
