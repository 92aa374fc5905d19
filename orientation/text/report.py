"""`make orient`'s text: everything the engine decided, for a coordinator checking an edit."""

from __future__ import annotations

from orientation.text import wording
from orientation.vocabulary import besoin_label


def render_text(o, snapshot) -> str:
    voice = wording.PERSON
    p = o.profil
    c = o.commune
    out = [
        f"Commune : {c.label()} — INSEE {c.code_insee}"
        + (f", EPCI {c.epci_nom} ({c.epci_siren})" if c.epci_siren else ""),
        f"Profil : situations={','.join(p.situations) or '?'} "
        f"besoin={p.besoin or '?'} ({besoin_label(p.besoin)}) âge={p.age if p.age is not None else '?'}",
        f"Statut : {o.statut}",
        "Plateformes qui couvrent la commune : "
        + (", ".join(f"{x.nom} [{x.id}]" for x in o.plateformes) or "aucune"),
        f"\nServices proposés ({len(o.services)}) :",
    ]
    for s in o.services:
        flags = [f"prescription={s.service.prescription}", f"éligibilité={s.eligibilite}"]
        if s.premier_pas:
            flags.append("porte d'entrée")
        out.append(f"  * {s.service.nom} [{s.service.id}] — {s.platform.nom} — {', '.join(flags)}")
        if s.prescripteurs:
            out.append("      prescripteur(s) : " + ", ".join(x.nom for x in s.prescripteurs))
        out.append(f"      {wording.why_service(o, s, snapshot, voice)}")
        for unknown in s.service.inconnu:
            out.append(f"      inconnu : {unknown}")
    out.append(f"\nServices écartés ({len(o.non_eligibles)}) :")
    for e in o.non_eligibles:
        out.append(
            f"  - {e.service.nom} [{e.service.id}] — {e.raison} : "
            f"{wording.explain(e.check, e.platform, p, c, voice)}"
        )
    if o.prescripteur:
        out.append(f"\nÀ qui demander : {o.prescripteur.nom}")
        out.append(f"  {wording.why_prescriber(o.prescripteur, p, voice)}")
    out.append("\nMessage du bot :\n" + wording.chat_message(o, voice))
    out.append(
        "\nSources : "
        + "; ".join(
            f"{s.get('auteur', '')}, « {s.get('titre', '')} », {s.get('date', '')}" for s in o.sources
        )
        + (f" (connaissances à jour du {o.date_connaissances})" if o.date_connaissances else "")
    )
    return "\n".join(out)
