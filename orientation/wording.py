"""The French sentences the engine assembles from the knowledge base.

Kept apart from the logic so wording can be reviewed (and corrected) by
someone who does not read the rules. Short sentences, "vous", and never more
than the knowledge base says.
"""
from __future__ import annotations

from orientation.vocabulary import besoin_label, situation_label

_OPERATOR_WORDS = {"<": "moins de", "<=": "au plus", ">": "plus de", ">=": "au moins", "==": "exactement"}


def with_article(platform_name: str) -> str:
    """"la Plateforme mobilité de la Mayenne", but "Mobimauges"."""
    return f"la {platform_name}" if platform_name.lower().startswith("plateforme") else platform_name


def territory_label(platform, snapshot) -> str:
    return ", ".join(snapshot.zone_label(code) for code in platform.zone_eligibilite)


def _public_phrase(platform, profile) -> str:
    if not profile.situation:
        return f"son public : « {platform.public_texte} » (votre situation reste à préciser)"
    return (f"votre situation ({situation_label(profile.situation)}) fait partie de son public "
            f"(« {platform.public_texte} »)")


def why_service(service, platform, profile, place, snapshot) -> str:
    parts = [f"{place.nom} est couvert par cette plateforme (territoire : {territory_label(platform, snapshot)})",
             _public_phrase(platform, profile)]
    if profile.besoin:
        parts.append(f"ce service répond à votre besoin : {besoin_label(profile.besoin)}")
    return "Proposé parce que " + " ; ".join(parts) + "."



def criteria_met(service, platform, profile, place, snapshot) -> list[str]:
    criteria = [f"Territoire : {place.nom} ({place.departement}) est couvert — "
                f"{territory_label(platform, snapshot)}"]
    if profile.situation:
        criteria.append(f"Public : {situation_label(profile.situation)} — « {platform.public_texte} »")
    else:
        criteria.append(f"Public à vérifier : « {platform.public_texte} »")
    if profile.besoin:
        criteria.append(f"Besoin : {besoin_label(profile.besoin)}")
    for c in service.conditions:
        if c.type == "age":
            rule = f"{_OPERATOR_WORDS.get(c.operator, c.operator)} {c.value} ans"
            criteria.append(f"Âge : {rule}" + (f" (vous avez {profile.age} ans)" if profile.age is not None
                                               else " (à vérifier)"))
    if service.prescription:
        criteria.append("Accès : sur prescription d'un professionnel")
    return criteria


def not_in_territory(platform, place) -> str:
    return f"{_capitalized(with_article(platform.nom))} ne couvre pas {place.nom}."


def not_in_public(platform, situations, profile) -> str:
    return (f"{_capitalized(with_article(platform.nom))} s'adresse à un autre public (« {platform.public_texte} ») : "
            f"{situation_label(profile.situation)} n'en fait pas partie.")


def age_not_met(condition, age) -> str:
    rule = f"{_OPERATOR_WORDS.get(condition.operator, condition.operator)} {condition.value} ans"
    return f"Ce service demande d'avoir {rule} (vous avez {age} ans)."


def why_prescriber(prescriber, profile) -> str:
    in_age_range = (profile.age is not None
                    and (prescriber.age_min is not None or prescriber.age_max is not None))
    if in_age_range:
        return (f"Vous avez {profile.age} ans : {prescriber.nom} accompagne les personnes "
                f"de {prescriber.age_min} à {prescriber.age_max} ans.")
    if profile.situation and profile.situation in prescriber.situations:
        return (f"Vous êtes {situation_label(profile.situation)} : {prescriber.nom} "
                f"est le professionnel qui peut vous orienter et prescrire ces services.")
    return (f"{prescriber.nom} peut vous orienter quelle que soit votre situation.")


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]
