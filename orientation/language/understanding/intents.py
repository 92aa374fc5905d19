"""`corrected_intent`: DIET's intent, unless the words plainly say something else."""

from __future__ import annotations

from orientation.language.understanding.reading import Reading

# Intents a message about the person is taken for by mistake: profile facts win.
_SMALL_TALK = {
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "bot_challenge",
    "help",
    "out_of_scope",
    "nlu_fallback",
    "change_answer",
}


def corrected_intent(intent: str, reading: Reading, names_commune: bool) -> str:
    """DIET's intent, unless the words plainly say something else.

    "je touche le revenu de solidarité active" is not a question about the RSA;
    "j'ai une reconnaissance de handicap, suivi par Cap emploi" is not a restart;
    a bare commune name answering "quelle commune ?" is not out of scope.
    """
    about = reading.about_profile or names_commune
    if reading.foreign:
        return "other_language"
    if reading.skip and not (reading.situations or reading.age is not None or names_commune):
        return "skip_question"
    if intent == "restart" and not reading.restart:
        return "inform" if about else "nlu_fallback"
    if intent == "ask_definition" and not reading.question and about:
        return "inform"
    if intent == "ask_prescriber" and not (reading.prescriber_question or reading.question) and about:
        return "inform"
    if intent == "declare_professional" and reading.beneficiary and not reading.professional:
        return "inform"
    if intent in _SMALL_TALK and about and not reading.question:
        return "declare_professional" if reading.professional else "inform"
    if intent == "inform" and reading.professional:
        return "declare_professional"
    return intent
