"""French texts the actions send (those fixed in advance live in domain.yml).

These are here rather than in domain.yml because they are assembled from the
knowledge base (commune candidates, glossary) or sent by actions only, and
Rasa's validator flags domain responses that no rule or story names.
Each question exists in two voices: to the person ("vous") and to a social
worker about the person they accompany ("la personne").
"""
from __future__ import annotations


def _inform(entity: str, value: str) -> str:
    return f'/inform{{"{entity}": "{value}"}}'


SITUATION_BUTTONS = [
    {"title": "Au RSA", "payload": _inform("situation", "rsa")},
    {"title": "Demandeur d'emploi", "payload": _inform("situation", "demandeur_emploi")},
    {"title": "Jeune (16-25 ans)", "payload": _inform("situation", "jeune")},
    {"title": "En situation de handicap", "payload": _inform("situation", "handicap")},
    {"title": "Salarié en insertion", "payload": _inform("situation", "salarie_insertion")},
    {"title": "Salarié", "payload": _inform("situation", "salarie")},
    {"title": "Étudiant, apprenti", "payload": _inform("situation", "etudiant")},
    {"title": "Autre", "payload": _inform("situation", "autre")},
]

BESOIN_BUTTONS = [
    {"title": "Passer le permis", "payload": _inform("besoin", "permis")},
    {"title": "Avoir un véhicule", "payload": _inform("besoin", "vehicule")},
    {"title": "Réparer un véhicule", "payload": _inform("besoin", "reparation")},
    {"title": "Transport, covoiturage", "payload": _inform("besoin", "transport")},
    {"title": "Vélo", "payload": _inform("besoin", "velo")},
    {"title": "Aide financière", "payload": _inform("besoin", "financement")},
    {"title": "Un conseil, un bilan", "payload": _inform("besoin", "accompagnement")},
]

QUESTIONS = {
    "situation": ("Quelle est votre situation ?",
                  "Quelle est la situation de la personne que vous accompagnez ?"),
    "commune": ("Dans quelle commune habitez-vous ? (nom ou code postal)",
                "Dans quelle commune la personne habite-t-elle ? (nom ou code postal)"),
    "besoin": ("De quoi avez-vous besoin pour vous déplacer ?",
               "De quoi la personne a-t-elle besoin pour se déplacer ?"),
    "age": ("Quel âge avez-vous ? La réponse en dépend (avant 26 ans, la Mission locale peut vous accompagner).",
            "Quel âge a la personne ? La réponse en dépend (avant 26 ans, la Mission locale peut l'accompagner)."),
}

QUESTION_BUTTONS = {"situation": SITUATION_BUTTONS, "besoin": BESOIN_BUTTONS}


def question(slot: str, professional: bool) -> str:
    return QUESTIONS[slot][1 if professional else 0]


COMMUNE_UNKNOWN = ("Je ne trouve pas la commune « {query} ». Pouvez-vous vérifier "
                   "l'orthographe ou donner le code postal ?")
COMMUNE_SUGGESTIONS = "Je ne trouve pas exactement « {query} ». Vouliez-vous dire :"
COMMUNE_AMBIGUOUS = "Plusieurs communes correspondent à « {query} ». Laquelle ?"
AGE_INVALID = "Je n'ai pas compris l'âge. Pouvez-vous l'écrire en chiffres, par exemple « 22 » ?"
DEFINITION_UNKNOWN = ("Je n'ai pas de définition pour ce mot. Je peux expliquer : {terms}.")
ALREADY_ORIENTED = ("Votre orientation ci-dessus reste valable. Vous pouvez corriger une réponse "
                    "(par exemple « en fait j'habite à Laval »), demander ce que veut dire un mot, "
                    "ou écrire « recommencer ».")
RESTARTED = ("C'est reparti de zéro : je ne garde rien de vos réponses précédentes. "
             "Quel est votre besoin pour vous déplacer ?")
