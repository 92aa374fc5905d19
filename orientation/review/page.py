"""The review page (/revue): the moments by kind, most frequent first, each with a form.

No script (its Content-Security-Policy allows none): plain HTML forms post the
maintainer's choice. The only inline code is `CSS`, allowed by its hash. Every
text that comes from a conversation is masked before it gets here and escaped here.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from html import escape
from typing import Optional

from orientation.review.groups import Group, Section
from orientation.review.masking import masked_values
from orientation.review.moments import QUESTIONS
from orientation.review.training import ROLE_LABELS, ROLES
from orientation.text.payload import MONTHS
from orientation.vocabulary import BESOINS, SITUATION_BUTTONS

MAX_GROUPS = 40  # per kind: the most frequent first, the rest counted
STRENGTHS = {3: "demandé", 2: "qui manque", 1: "cité"}  # orientation.language.reading.facts
NOTICES = {
    "appris": "Exemple enregistré. Il servira au prochain « make train ».",
    "appris-base": "Exemple enregistré, mais les fichiers n'ont pas pu être écrits ici : téléchargez le correctif.",
    "ecarte": "Message écarté : il ne sera plus proposé.",
}

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b;
       max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid #d0d0d0; padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 0 0 .3rem; font-weight: 600; }
.intro { color: #333; margin: .3rem 0; }
.avis { background: #e6f4ea; border-left: 6px solid #1e7b34; padding: .6rem 1rem; }
.erreur { background: #fde8ea; border-left: 6px solid #b00020; padding: .6rem 1rem; }
.simule { background: #fff4d6; border: 1px solid #8a6100; color: #5c4100; border-radius: .3rem;
          padding: 0 .4rem; font-size: .85rem; font-weight: 600; }
ol.groupes { padding-left: 0; list-style: none; }
ol.groupes > li { border: 1px solid #d0d0d0; border-radius: .5rem; padding: .8rem 1rem; margin: .8rem 0; }
.freq { color: #333; margin: 0 0 .4rem; }
dl { margin: .3rem 0; display: grid; grid-template-columns: minmax(8rem, 12rem) 1fr; gap: .2rem .8rem; }
dt { font-weight: 600; color: #333; }
dd { margin: 0; }
details { margin-top: .5rem; }
summary { cursor: pointer; font-weight: 600; color: #0b4f9c; }
fieldset { border: 1px solid #d0d0d0; border-radius: .4rem; margin: .5rem 0; padding: .4rem .8rem; }
legend { font-weight: 600; }
.champ { display: inline-block; vertical-align: top; margin: .25rem 1.2rem .25rem 0; }
.champ label { display: block; font-size: .92rem; color: #333; }
input[type=text], select { font: inherit; padding: .2rem .3rem; max-width: 100%; }
input[type=text] { width: 22rem; }
button { font: inherit; padding: .35rem .9rem; border-radius: .3rem; border: 1px solid #0b4f9c;
         background: #0b4f9c; color: #fff; cursor: pointer; margin: .3rem .4rem .1rem 0; }
button.second { background: #fff; color: #0b4f9c; }
form.ecarter { display: inline; }
a { color: #0b4f9c; }
nav ul { padding-left: 1.2rem; }
@media (max-width: 40rem) { body { padding: .5rem .8rem 2rem; } dl { grid-template-columns: 1fr; }
  dd { margin-bottom: .3rem; } input[type=text] { width: 100%; } }
"""

CSP = "; ".join(
    [
        "default-src 'none'",
        "style-src 'sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode() + "'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n in (0, 1) else many}"


def when(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    try:
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo("Europe/Paris"))
    except Exception:  # noqa: BLE001 - no time zone data: UTC, said so
        return f"{moment.day} {MONTHS[moment.month - 1]} {moment:%H:%M} UTC"
    return f"{moment.day} {MONTHS[moment.month - 1]} à {moment:%H:%M}"


def understood(message: dict) -> list[str]:
    """What the bot understood of a message, in a coordinator's words."""
    lines = []
    intent = message.get("intent") or "aucune"
    confidence = f"{message.get('confidence') or 0:.2f}".replace(".", ",")
    diet = f" ; DIET seul : {message['diet']}" if message.get("diet") else ""
    lines.append(f"Intention : {intent} ({confidence}){diet}")
    lecture = message.get("lecture") or {}
    situations = [SITUATION_BUTTONS.get(s, s) for s in lecture.get("situations") or []]
    if situations:
        lines.append("Situation : " + ", ".join(situations))
    ended = [SITUATION_BUTTONS.get(s, s) for s in lecture.get("situations_ended") or []]
    if ended:
        lines.append("N'est plus : " + ", ".join(ended))
    besoin = lecture.get("besoin")
    if besoin:
        label = BESOINS.get(besoin, {}).get("button", besoin)
        lines.append(f"Besoin : {label} ({STRENGTHS.get(lecture.get('besoin_strength'), 'cité')})")
    if lecture.get("age") is not None:
        lines.append(f"Âge : {lecture['age']} ans")
    for place in lecture.get("places") or []:
        codes = place.get("codes") or []
        found = "trouvée" if len(codes) == 1 else ("plusieurs communes" if codes else "inconnue")
        found += ", orthographe proche" if place.get("approximate") else ""
        role = ROLE_LABELS.get(place.get("role"), place.get("role"))
        lines.append(f"Commune : « {place.get('text')} », {role}, {found}")
    if lecture.get("professional"):
        lines.append("Un professionnel parle pour la personne")
    if lecture.get("terms"):
        lines.append("Mots expliqués : " + ", ".join(lecture["terms"]))
    if lecture.get("signals"):
        lines.append("Signaux : " + ", ".join(lecture["signals"]))
    if len(lines) == 1:
        lines.append("Aucun fait lu dans le message")
    return lines


def _options(values: list[tuple[str, str]], chosen: Optional[str]) -> str:
    return "".join(
        f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(label)}</option>'
        for v, label in values
    )


def _words(message: dict, entity: str) -> str:
    """The words the reader found for an entity (its spans), to start the form from."""
    text = message.get("text") or ""
    for span in (message.get("lecture") or {}).get("spans") or []:
        if len(span) == 4 and span[0] == entity and 0 <= span[2] < span[3] <= len(text):
            return text[span[2] : span[3]]
    return ""


def _form(message: dict, n: str, intents: list[str], csrf: str) -> str:
    lecture = message.get("lecture") or {}
    text = message.get("text") or ""
    situations = lecture.get("situations") or []
    # A commune the reading found: the whole message taken for an unknown name is none.
    place = next((p for p in lecture.get("places") or [] if p.get("codes")), {})
    besoin_choices = [("", "Aucun")] + [(code, value["button"]) for code, value in BESOINS.items()]
    situation_choices = [("", "Aucune")] + list(SITUATION_BUTTONS.items())
    role_choices = [(role, ROLE_LABELS[role]) for role in ROLES]
    hidden = (
        f'<input type="hidden" name="jeton" value="{escape(csrf)}">'
        f'<input type="hidden" name="texte" value="{escape(text)}">'
    )
    return f"""
<details>
<summary>Choisir la bonne lecture</summary>
<form method="post" action="/revue">
{hidden}
<div class="champ"><label for="{n}-intention">Intention</label>
<select id="{n}-intention" name="intention">{_options([(i, i) for i in intents], message.get("intent"))}</select></div>
<fieldset><legend>Besoin</legend>
<div class="champ"><label for="{n}-besoin">Code</label>
<select id="{n}-besoin" name="besoin">{_options(besoin_choices, lecture.get("besoin"))}</select></div>
<div class="champ"><label for="{n}-besoin-mots">Les mots du message qui le disent</label>
<input type="text" id="{n}-besoin-mots" name="besoin_mots" value="{escape(_words(message, "besoin"))}"></div>
</fieldset>
<fieldset><legend>Situation</legend>
<div class="champ"><label for="{n}-situation">Code</label>
<select id="{n}-situation" name="situation">{_options(situation_choices, situations[0] if situations else "")}</select></div>
<div class="champ"><label for="{n}-situation-mots">Les mots du message qui la disent</label>
<input type="text" id="{n}-situation-mots" name="situation_mots" value="{escape(_words(message, "situation"))}"></div>
</fieldset>
<fieldset><legend>Commune</legend>
<div class="champ"><label for="{n}-commune-mots">Les mots du message qui la nomment</label>
<input type="text" id="{n}-commune-mots" name="commune_mots" value="{escape(place.get("text") or "")}"></div>
<div class="champ"><label for="{n}-commune-role">Rôle</label>
<select id="{n}-commune-role" name="commune_role">{_options(role_choices, place.get("role") or "domicile")}</select></div>
</fieldset>
<button type="submit" name="action" value="apprendre">Apprendre cette lecture</button>
</form>
</details>
<form class="ecarter" method="post" action="/revue">
{hidden}<button type="submit" name="action" value="ecarter" class="second">Écarter ce message</button>
</form>"""


def _group(group: Group, n: str, intents: list[str], csrf: str) -> str:
    # Masked where the moments were found; masked again here, whatever sent them.
    example = masked_values(group.example)
    message = example["message"]
    times = f"{group.count} fois"
    where = plural(group.conversations, "conversation", "conversations")
    simulated = (
        ' <span class="simule">simulée</span>'
        if group.simulated == group.count
        else (
            f' <span class="simule">dont {plural(group.simulated, "simulée", "simulées")}</span>'
            if group.simulated
            else ""
        )
    )
    # (label, HTML): every value escaped here.
    rows = [("Quand", escape(f"la dernière fois le {when(group.last)}"))]
    if message.get("question"):
        rows.append(("Question posée", escape(QUESTIONS.get(message["question"], message["question"]))))
    rows.append(("Compris", "<br>".join(escape(line) for line in understood(message))))
    answer = " / ".join(example.get("answer") or []) or "rien"
    rows.append(("Réponse du bot", escape(answer[:400] + ("…" if len(answer) > 400 else ""))))
    if example.get("context"):
        rows.append(("Ce qui l'a montré", escape(example["context"])))
    found = (
        "un marqueur Rasa (markers.yml)" if example.get("found_by") == "marqueur" else "le code de la revue"
    )
    rows.append(("Trouvé par", escape(found)))
    details = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return f"""<li><article aria-labelledby="{n}-titre">
<h3 id="{n}-titre">« {escape(message.get("text") or "")} »</h3>
<p class="freq">{times}, dans {where}{simulated}</p>
<dl>{details}</dl>
{_form(message, n, intents, csrf)}
</article></li>"""


def _section(section: Section, intents: list[str], csrf: str) -> str:
    notes = []
    if section.without_message:
        notes.append(f"{section.without_message} sans message écrit, avec des boutons seulement")
    if section.done:
        notes.append(f"{section.done} déjà appris ou écartés")
    shown = section.groups[:MAX_GROUPS]
    if len(section.groups) > MAX_GROUPS:
        notes.append(f"{len(section.groups) - MAX_GROUPS} messages moins fréquents non affichés")
    note = f'<p class="intro">Dont {" ; ".join(notes)}.</p>' if notes else ""
    items = "".join(_group(g, f"{section.kind}-{i}", intents, csrf) for i, g in enumerate(shown, 1))
    listing = f'<ol class="groupes">{items}</ol>' if items else '<p class="intro">Rien à relire ici.</p>'
    moments = plural(section.count, "moment", "moments")
    return f"""<section id="{section.kind}" aria-labelledby="{section.kind}-h">
<h2 id="{section.kind}-h">{escape(section.label)} : {moments}</h2>
{note}{listing}
</section>"""


def render_page(
    sections: list[Section],
    *,
    conversations: int,
    kept: str,
    intents: list[str],
    csrf: str,
    learnt: int,
    notice: Optional[str] = None,
    errors: tuple[str, ...] = (),
    unavailable: Optional[str] = None,
) -> str:
    total = sum(s.count for s in sections)
    simulated = sum(g.simulated for s in sections for g in s.groups)
    banner = ""
    if notice in NOTICES:
        banner = f'<p class="avis" role="status">{escape(NOTICES[notice])}</p>'
    if errors:
        items = "".join(f"<li>{escape(e)}</li>" for e in errors)
        banner = f'<div class="erreur" role="alert"><p>Rien n\'a été enregistré :</p><ul>{items}</ul></div>'
    if unavailable:
        banner += f'<p class="erreur" role="alert">{escape(unavailable)}</p>'
    toc = "".join(
        f'<li><a href="#{s.kind}">{escape(s.label)}</a> : {s.count}</li>' for s in sections if s.count
    )
    simulated_note = (
        f'<p class="intro"><span class="simule">simulée</span> {plural(simulated, "message vient", "messages viennent")} de '
        "conversations simulées par « make review-demo ».</p>"
        if simulated
        else ""
    )
    body = "".join(_section(s, intents, csrf) for s in sections)
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Revue des conversations</title>
<style>{CSS}</style>
</head>
<body>
<main>
<h1>Revue des conversations</h1>
<p class="intro">{plural(conversations, "conversation gardée", "conversations gardées")}, effacées {escape(kept)}.
{plural(total, "moment", "moments")} où le bot s'est trompé.</p>
<p class="intro">Les chiffres, les numéros et les adresses électroniques sont masqués.</p>
{simulated_note}{banner}
<p class="intro">{plural(learnt, "exemple appris", "exemples appris")}.
<a href="/revue/correctif">Télécharger le correctif des exemples appris</a>,
à appliquer avec « git apply », puis « make train ».</p>
<nav aria-label="Sortes de moments"><ul>{toc}</ul></nav>
{body}
</main>
</body>
</html>
"""
