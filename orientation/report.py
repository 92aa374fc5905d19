"""Orientation results in words: the bot's chat message and the coordinator's check.

`chat_message` is what a beneficiary reads (short); `render_text` is the
complete answer `make orient` prints for a coordinator checking an edit.
"""
from __future__ import annotations

from orientation import engine
from orientation.vocabulary import besoin_label, situation_label
from orientation.wording import with_article

MAX_SERVICES_IN_CHAT = 4


def _where(commune) -> str:
    return f"{commune.nom} ({commune.departement_nom}, {commune.departement})"


def _prescriber_line(o) -> str:
    p = o.prescripteur
    if p is None:
        return "Je ne sais pas quel professionnel peut vous orienter : ma base ne le précise pas."
    how = f" {p.comment_joindre}" if p.comment_joindre else ""
    return f"À qui vous adresser : {p.nom}.{how}"


def chat_message(o, professional: bool = False) -> str:
    """The French text of the orientation message (the card carries the details).

    For a social worker, it speaks of "la personne" and says who can prescribe.
    """
    text = _chat_text(o)
    if professional:
        text = _for_professional(text, o)
    return text


def _for_professional(text: str, o) -> str:
    text = (text.replace("peut vous aider", "peut aider la personne")
                .replace("votre référent", "son référent").replace("votre conseiller", "son conseiller")
                .replace("votre agence", "son agence").replace("votre secteur", "son secteur")
                .replace("votre département", "son département").replace("votre structure", "sa structure")
                .replace("qui vous corresponde", "qui corresponde à la personne")
                .replace("votre situation", "sa situation")
                .replace("votre besoin", "son besoin")
                .replace("le professionnel qui vous suit pourra vous les donner",
                         "le réseau de prescripteurs de la plateforme pourra vous les indiquer")
                .replace("À qui vous adresser", "Prescripteur pour cette personne"))
    if any(s.service.prescription for s in o.services) and o.prescripteur:
        text += (f"\nSi vous êtes son interlocuteur à {o.prescripteur.nom}, vous pouvez prescrire "
                 "directement les services marqués « sur prescription » ; sinon, orientez-la vers lui. "
                 "La fiche d'orientation résume les critères vérifiés et les sources.")
    return text


def _chat_text(o) -> str:
    if o.statut == engine.STATUT_AUCUNE_PLATEFORME:
        return (f"Je ne connais aucune plateforme de mobilité qui couvre {_where(o.commune)} : "
                "ma base ne décrit que cinq plateformes des Pays de la Loire (étude Cerema de 2017).\n"
                + _prescriber_line(o)
                + " Ce professionnel pourra vous indiquer les aides à la mobilité de votre secteur.")
    if o.statut == engine.STATUT_AUCUN_SERVICE:
        names = " et ".join(with_article(p.nom) for p in o.plateformes)
        reasons = {e.explication for e in o.non_eligibles if e.platform in o.plateformes}
        because = (" " + " ".join(sorted(reasons))) if reasons else (
            " Aucun de ses services ne répond à ce besoin dans ma base.")
        return (f"{_where(o.commune)} est couvert par {names}, mais je n'ai pas trouvé de service "
                f"qui vous corresponde.{because}\n" + _prescriber_line(o))
    lines = [f"Voici ce qui peut vous aider à {_where(o.commune)} :"]
    for s in o.services[:MAX_SERVICES_IN_CHAT]:
        access = "sur prescription" if s.service.prescription else "sans prescription indiquée"
        lines.append(f"• {s.service.nom} — {s.platform.nom} ({access})")
    if len(o.services) > MAX_SERVICES_IN_CHAT:
        lines.append(f"• … et {len(o.services) - MAX_SERVICES_IN_CHAT} autre(s) dans la fiche.")
    lines.append(_why_summary(o))
    lines.append(_prescriber_line(o))
    if not any(s.platform.contact.get("telephone") for s in o.services):
        lines.append("Je n'ai pas les coordonnées de la plateforme : le professionnel qui vous "
                     "suit pourra vous les donner.")
    return "\n".join(lines)


def _why_summary(o) -> str:
    platforms = sorted({s.platform.nom for s in o.services})
    several = len(platforms) > 1
    parts = [f"{o.commune.nom} est couvert par {' et '.join(with_article(p) for p in platforms)}"]
    if o.profil.situation:
        parts.append(f"votre situation ({situation_label(o.profil.situation)}) fait partie "
                     f"{'de leur public' if several else 'de son public'}")
    if o.profil.besoin:
        verb = "ces services répondent" if len(o.services) > 1 else "ce service répond"
        parts.append(f"{verb} à votre besoin ({besoin_label(o.profil.besoin)})")
    return "Pourquoi : " + ", ".join(parts[:-1]) + (" et " if len(parts) > 1 else "") + parts[-1] + "."


def render_text(o, snapshot=None) -> str:
    """Everything the engine decided, for a coordinator checking an edit."""
    out = []
    if o.statut in (engine.STATUT_COMMUNE_INCONNUE, engine.STATUT_COMMUNE_AMBIGUE):
        r = o.resolution
        out.append(f"Commune « {r.query if r else ''} » : "
                   + ("plusieurs communes possibles" if o.statut == engine.STATUT_COMMUNE_AMBIGUE
                      else "introuvable"))
        for c in (r.candidates if r else []):
            out.append(f"  - {c.label()} [{c.code_insee}]")
        return "\n".join(out)
    p = o.profil
    out.append(f"Commune : {o.commune.label()} — INSEE {o.commune.code_insee}"
               + (f", EPCI {o.commune.epci_nom} ({o.commune.epci_siren})" if o.commune.epci_siren else ""))
    out.append(f"Profil : situation={p.situation or '?'} besoin={p.besoin or '?'} âge={p.age if p.age is not None else '?'}")
    out.append(f"Statut : {o.statut}")
    out.append("Plateformes qui couvrent la commune : "
               + (", ".join(f"{x.nom} [{x.id}]" for x in o.plateformes) or "aucune"))
    out.append(f"\nServices proposés ({len(o.services)}) :")
    for s in o.services:
        badge = "SUR PRESCRIPTION" if s.service.prescription else "accès direct non précisé"
        out.append(f"  * {s.service.nom} [{s.service.id}] — {s.platform.nom} — {badge}")
        if s.prescripteurs:
            out.append("      prescripteur(s) : " + ", ".join(x.nom for x in s.prescripteurs))
        out.append(f"      {s.pourquoi}")
        for unknown in s.service.inconnu:
            out.append(f"      inconnu : {unknown}")
    out.append(f"\nServices écartés ({len(o.non_eligibles)}) :")
    for e in o.non_eligibles:
        out.append(f"  - {e.service.nom} [{e.service.id}] — {e.raison} : {e.explication}")
    out.append("\n" + _prescriber_line(o))
    if o.prescripteur_pourquoi:
        out.append(f"  {o.prescripteur_pourquoi}")
    out.append("\nSources : " + "; ".join(
        f"{s.get('auteur', '')}, « {s.get('titre', '')} », {s.get('date', '')}" for s in o.sources)
        + (f" (connaissances à jour du {o.date_connaissances})" if o.date_connaissances else ""))
    return "\n".join(out)


def prescribers_overview(prescribers) -> str:
    """The general rule, when the person's situation is not known yet."""
    lines = ["Votre prescripteur dépend de votre situation :"]
    for p in prescribers:
        lines.append(f"• {p.nom} — {' '.join(p.description.split())}")
    return "\n".join(lines)


def prescriber_answer(prescriber, situation, age) -> str:
    if prescriber is None:
        return "Je ne sais pas quel professionnel peut vous orienter : ma base ne le précise pas."
    from orientation.engine import Profile
    from orientation.wording import why_prescriber
    how = f" {prescriber.comment_joindre}" if prescriber.comment_joindre else ""
    return (f"Votre prescripteur : {prescriber.nom}. "
            f"{why_prescriber(prescriber, Profile(situation, None, age))}{how}")
