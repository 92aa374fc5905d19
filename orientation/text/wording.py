"""Everything the bot says about an orientation, in French, in one of two voices.

Each template is written once; the person spoken about is a parameter
(`Voice`): "vous" to the person, "la personne" to the social worker who
accompanies them. Plain French for people who do not read easily: sentences
of 15 words at most, no brackets, no acronym but those the glossary explains
(tests/test_plain_french.py). Never more than the knowledge base says: what
the source does not say is said to be unknown.
"""

from __future__ import annotations

from orientation import engine
from orientation.text.french import (  # noqa: F401
    a_commune,
    and_list,
    capitalized,
    place,
    quoted,
    short_name,
    where,
    with_article,
    without_brackets,
)
from orientation.text.voice import PERSON, PROFESSIONAL, VOICES, Voice, voice_for  # noqa: F401
from orientation.vocabulary import besoin_label, situation_label

ACCESS = {
    "oui": "sur prescription",
    "non": "accès direct",
    "non_precise": "accès à vérifier",
}
ACCESS_LONG = {
    "oui": "Sur prescription : un professionnel doit {vous_y} inscrire.",
    "non": "Accès direct.",
    "non_precise": "Accès à vérifier auprès de la plateforme. La source ne dit pas s'il faut une prescription.",
}
PRESCRIPTION_MEANS = "Sur prescription : un professionnel doit {vous_y} inscrire."
OPERATOR_WORDS = {"<": "moins de", "<=": "au plus", ">": "plus de", ">=": "au moins", "==": "exactement"}


def access(service) -> str:
    return ACCESS[service.prescription]


def access_long(service, voice: Voice) -> str:
    return voice(ACCESS_LONG[service.prescription])


# --- Why, criteria, exclusions -----------------------------------------------------


def territory_label(platform, snapshot) -> str:
    return ", ".join(snapshot.zone_label(code) for code in platform.zone_eligibilite)


def _situations_label(profile) -> str:
    return and_list([situation_label(s) for s in profile.situations])


def _age_rule(condition) -> str:
    if condition.texte_source:
        return quoted(condition.texte_source)
    return f"{OPERATOR_WORDS[condition.operator]} {condition.value} ans"


def explain(check, platform, profile, commune, voice: Voice) -> str:
    """An eligibility check that is not plainly "eligible", in words (quoting the source)."""
    if check.raison == engine.RAISON_TERRITOIRE:
        return f"{capitalized(with_article(platform.nom))} ne couvre pas {commune.nom}."
    if check.raison == engine.RAISON_AGE:
        rule = _age_rule(check.condition)
        if check.statut == engine.A_VERIFIER:
            return voice(
                "À vérifier : ce service est {rule}. {Vous_avez} {age} ans.", rule=rule, age=profile.age
            )
        return voice("Ce service demande d'avoir {rule}. {Vous_avez} {age} ans.", rule=rule, age=profile.age)
    quote = quoted(check.citation or platform.public_texte)
    if check.statut == engine.NON_ELIGIBLE:
        return voice(
            "Cette plateforme s'adresse aux {quote}. {Votre_f} situation n'en fait pas partie.", quote=quote
        )
    if not profile.situations:
        return f"Public à vérifier : cette plateforme accueille {quote}."
    return f"À vérifier : cette plateforme accueille {quote}."


def why_service(o, proposed, snapshot, voice: Voice) -> str:
    """Why this service is proposed, in short sentences: territory, public, need, or the entry point."""
    sentences = [f"{o.commune.nom} est dans le territoire de la plateforme."]
    if proposed.eligibilite == engine.ELIGIBLE and o.profil.situations:
        sentences.append(voice("{Votre_f} situation fait partie de son public."))
    if proposed.premier_pas:
        sentences += [
            "Aucun de ses services ne répond à ce besoin dans ma base.",
            "Ce service est sa porte d'entrée.",
        ]
    elif o.profil.besoin:
        sentences.append(
            voice("Il répond à {votre_m} besoin : {label}.", label=besoin_label(o.profil.besoin))
        )
    if proposed.eligibilite == engine.A_VERIFIER:
        sentences.append(explain(proposed.check, proposed.platform, o.profil, o.commune, voice))
    return " ".join(sentences)


def criteria_met(o, proposed, snapshot, voice: Voice) -> list[str]:
    s, platform = proposed.service, proposed.platform
    out = [f"Territoire : {where(o.commune)}, couvert par la plateforme."]
    if o.profil.situations and proposed.check.raison != engine.RAISON_PUBLIC:
        out.append(
            f"Public : {_situations_label(o.profil)}. La plateforme accueille {quoted(platform.public_texte)}."
        )
    else:
        out.append(f"Public à vérifier : la plateforme accueille {quoted(platform.public_texte)}.")
    if o.profil.besoin and not proposed.premier_pas:
        out.append(f"Besoin : {besoin_label(o.profil.besoin)}.")
    for c in s.conditions:
        if c.type == "age":
            known = (
                voice(" {Vous_avez} {age} ans.", age=o.profil.age)
                if o.profil.age is not None
                else " Âge non vérifié."
            )
            out.append(f"Âge : {_age_rule(c)}.{known}")
    out.append(f"Accès : {ACCESS[s.prescription]}.")
    return out


def why_prescriber(prescriber, profile, voice: Voice) -> str:
    in_age_range = profile.age is not None and (
        prescriber.age_min is not None or prescriber.age_max is not None
    )
    if in_age_range:
        return voice(
            "{Vous_avez} {age} ans : {name} accompagne les {lo} à {hi} ans.",
            age=profile.age,
            name=prescriber.nom,
            lo=prescriber.age_min,
            hi=prescriber.age_max,
        )
    common = [s for s in profile.situations if s in prescriber.situations]
    if common:
        return voice(
            "{Vous_etes} {label} : {name} peut {vous_orienter}.",
            label=situation_label(common[0]),
            name=prescriber.nom,
        )
    return voice("{name} peut {vous_orienter}, dans tous les cas.", name=prescriber.nom)


# --- The chat message: what a person reads on a phone (≤ 60 words) -----------------

MAX_SERVICES_IN_CHAT = 3


def chat_message(o, voice: Voice) -> str:
    if o.statut == engine.STATUT_AUCUNE_PLATEFORME:
        return _no_platform(o, voice)
    if o.statut == engine.STATUT_AUCUN_SERVICE:
        return _nothing(o, voice)
    return _services(o, voice)


def _whom(o, voice: Voice) -> str:
    if o.prescripteur is None:
        return "Je ne sais pas quel professionnel peut vous orienter. Ma base ne le dit pas."
    return voice("{demander} : {name}.", name=o.prescripteur.nom)


def _no_platform(o, voice: Voice) -> str:
    return "\n".join(
        [
            f"Je ne connais pas de plateforme de mobilité {place(o.commune)}.",
            "Ma base ne couvre que quelques territoires.",
            _whom(o, voice)
            + voice(" Ce professionnel pourra {vous_indiquer} les aides de {votre_m} secteur."),
        ]
    )


def _nothing(o, voice: Voice) -> str:
    reasons = []
    for e in o.non_eligibles:
        text = explain(e.check, e.platform, o.profil, o.commune, voice)
        if text not in reasons:
            reasons.append(text)
    names = and_list([with_article(p.nom) for p in o.plateformes])
    their = "leurs" if len(o.plateformes) > 1 else "ses"
    return "\n".join(
        [
            f"{place(o.commune, capital=True)}, je connais {names}.",
            voice("Aucun de {their} services {vous_correspond}.", their=their),
            *reasons[:2],
            _whom(o, voice),
        ]
    )


def _services(o, voice: Voice) -> str:
    platforms = list(dict.fromkeys(s.platform for s in o.services))
    several = len(platforms) > 1
    names = and_list([with_article(p.nom) for p in platforms])
    if o.statut == engine.STATUT_PREMIER_PAS:
        # The why is said at once: no service for this need, so the front door.
        known = f"{len(platforms)} plateformes" if several else names  # each is named on its line
        lines = [
            f"{place(o.commune, capital=True)}, je connais {known}.",
            voice("Pour ce besoin, aucun service {vous_correspond} directement."),
            "Premier pas, " + ("leur" if several else "sa") + " porte d'entrée :",
        ]
    elif several:
        lines = [f"{place(o.commune, capital=True)}, {len(platforms)} plateformes proposent :"]
    else:
        lines = [f"{place(o.commune, capital=True)}, {names} propose :"]
    for s in o.services[:MAX_SERVICES_IN_CHAT]:
        label = s.service.nom + (f", {short_name(s.platform.nom)}" if several else "")
        lines.append(f"• {label} : {access(s.service)}.")
    rest = len(o.services) - MAX_SERVICES_IN_CHAT
    if rest > 0:
        lines.append(f"• Et {rest} autre{'s' if rest > 1 else ''} dans la fiche.")
    if o.statut != engine.STATUT_PREMIER_PAS:
        lines.append(_why_line(o, voice, several))
    lines += _prescription_means(o.services[:MAX_SERVICES_IN_CHAT], voice)
    checks = [_check_line(s, o, voice, several) for s in o.services if s.eligibilite == engine.A_VERIFIER]
    lines += list(dict.fromkeys(checks))[:1]
    lines.append(_whom(o, voice))
    return "\n".join(lines)


def _prescription_means(shown, voice: Voice) -> list[str]:
    """What a prescription means, once, when a service shown needs one."""
    return [voice(PRESCRIPTION_MEANS)] if any(s.service.prescription == "oui" for s in shown) else []


def _check_line(s, o, voice: Voice, several: bool) -> str:
    """What to check with the platform, in one short line (the card has the full sentence)."""
    if s.check.raison != engine.RAISON_PUBLIC:
        return explain(s.check, s.platform, o.profil, o.commune, voice)
    if not o.profil.situations:  # the situation was not given: the card quotes the public
        return "À vérifier : le public accueilli."
    return f"À vérifier : {'le' if several else 'son'} public, {quoted(s.check.citation)}."


def _why_line(o, voice: Voice, several: bool) -> str:
    if not o.profil.besoin:
        return voice("Pourquoi : {votre_f} commune est dans leur territoire.")
    return f"Pourquoi : pour {besoin_label(o.profil.besoin)}."


def no_commune_message(snapshot, prescriber, voice: Voice) -> str:
    """The person skipped the commune: which territories are known, and whom to ask."""
    names = and_list([short_name(p.nom) for p in snapshot.platforms])
    whom = (
        voice("{demander} : {name}.", name=prescriber.nom)
        if prescriber
        else "Le service social de votre mairie peut vous orienter."
    )
    return "\n".join(
        [
            voice("Sans {votre_f} commune, je ne sais pas quelle plateforme couvre {votre_m} secteur."),
            f"Je connais {len(snapshot.platforms)} plateformes : {names}.",
            whom,
        ]
    )


# --- The prescriber question, outside an orientation --------------------------------


def prescribers_overview(prescribers) -> str:
    """The general rule, when the person's situation is not known yet."""
    lines = ["Le professionnel à qui demander dépend de votre situation :"]
    for p in prescribers:
        lines.append(f"• {p.nom} : {' '.join(p.description.split())}")
    return "\n".join(lines)


def prescription_of_services(o, voice: Voice) -> str:
    """ "Il faut une prescription ?" once services were proposed: for each, whether, then who."""
    shown = o.services[:MAX_SERVICES_IN_CHAT]
    lines = [f"• {s.service.nom} : {access(s.service)}." for s in shown]
    lines += _prescription_means(shown, voice)
    lines.append(_whom(o, voice))
    if o.prescripteur is not None:
        lines.append(why_prescriber(o.prescripteur, o.profil, voice))
    return "\n".join(lines)


def prescriber_answer(prescriber, profile, voice: Voice) -> str:
    if prescriber is None:
        return "Je ne sais pas quel professionnel peut vous orienter. Ma base ne le dit pas."
    how = f" {prescriber.comment_joindre}" if prescriber.comment_joindre else ""
    return (
        voice("{demander} : {name}. ", name=prescriber.nom) + why_prescriber(prescriber, profile, voice) + how
    )
