"""`make review-demo`'s invented people: what real people write, misunderstandings included.

Each person is a list of messages (a payload such as `/skip_question` is a button)
played through the bot's REST channel as `simulation-<n>-<random>`: the review
page marks these conversations as simulated. The phrasings were written to look
like the posts and chats the conversation sets were drawn from (slang, spelling,
a phone number or an address given unasked), some several times, so that the
page's ranking by frequency shows at once. None is taken from tests/nlu/heldout.yml.
"""

from __future__ import annotations

PEOPLE: list[list[str]] = [
    # Slang for a car that breaks down, three people: one group of three on the page.
    ["bonjour", "ma caisse tousse", "je suis au rsa", "Laval"],
    ["ma caisse tousse", "rsa", "Mayenne ville"],
    ["slt", "ma caisse tousse", "chomage", "Château-Gontier"],
    # A workplace and a home in one message.
    ["je taffe a sablé mais je crèche a parcé", "je cherche un moyen de transport", "demandeur d'emploi"],
    # A phone number and an e-mail address, given unasked: masked on the page.
    ["rappelez moi au 06 12 34 56 78 svp", "j'ai besoin du permis", "jeune", "Angers"],
    ["mon mail c'est marie.lambert@exemple.fr", "une voiture", "au rsa", "Le Mans"],
    # The commune question, not understood, then passed.
    ["permis", "au rsa", "a coté du bourg", "pres de la riviere", "/skip_question"],
    ["permis", "jeune", "vers chez ma tante", "/skip_question"],
    ["voiture", "demandeur d'emploi", "vers chez ma tante", "Craon"],
    # A spelling the bot is unsure of: "Vous habitez bien à … ?", answered no.
    ["besoin d'un scooter", "rsa", "mamer", "/deny", "Ancinnes"],
    ["garage solidaire", "handicap", "sable", "/deny", "Sablé-sur-Sarthe"],
    # An orientation, then a correction.
    [
        "je suis au rsa à Laval et je voudrais passer le permis",
        '/change_answer{"reponse": "commune"}',
        "Évron",
    ],
    ["demandeur d'emploi a nantes, besoin d'aide pour l'essence", "non je voulais dire saint nazaire"],
    ["permis au rsa a Angers", '/change_answer{"reponse": "besoin"}', "une voiture"],
    # Not understood.
    ["wesh", "jsp", "au revoir"],
    ["g pa de moyen de locomotion pour le taf", "rsa", "Laval"],
    ["jpeux pas aller au boulot le bus passe pas", "demandeur d'emploi", "Mayenne"],
    ["jpeux pas aller au boulot le bus passe pas", "salarié", "Craon"],
    # Ended without an orientation.
    ["bonjour", "c'est pour mon fils", "au revoir"],
    ["c'est pour mon fils", "il a 19 ans", "merci"],
    ["bonjour", "je sais pas trop", "laisse tomber"],
]
