"""The page's own duties: privacy notice, accessibility statement, legal notice.

Each page is a fragment of web/pages/ inside web/pages/layout.html. The
operator's details (publisher, contact, host…) come from
web/mentions-legales.yml, or from MENTIONS_<FIELD> environment variables,
which win; an empty field shows that it is still to be filled in.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from string import Template

import yaml
from aiohttp import web

PAGES_DIR = Path(__file__).parent / "pages"
OPERATOR_FILE = Path(__file__).parent / "mentions-legales.yml"
FILE_ENV = "MENTIONS_LEGALES_FILE"
FIELDS = (
    "editeur",
    "adresse",
    "contact",
    "directeur_publication",
    "hebergeur",
    "hebergeur_adresse",
    "code_source",
)
TO_FILL = '<em class="to-fill">À compléter par l’exploitant du service.</em>'

PAGES = {
    "/confidentialite": ("confidentialite.html", "Vos données"),
    "/accessibilite": ("accessibilite.html", "Accessibilité"),
    "/mentions-legales": ("mentions-legales.html", "Mentions légales"),
}


def operator_fields(path: Path | None = None) -> dict[str, str]:
    path = Path(path or os.environ.get(FILE_ENV) or OPERATOR_FILE)
    values = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}
    out = {}
    for field in FIELDS:
        value = os.environ.get(f"MENTIONS_{field.upper()}") or values.get(field) or ""
        out[field] = str(value).strip()
    return out


def _shown(value: str) -> str:
    return html.escape(value) if value else TO_FILL


def conversation_kept() -> str:
    """How long the bot keeps a conversation, as this deployment does it.

    `make run` keeps it in memory for an hour; the production profile keeps the
    trackers in PostgreSQL and deletes them after RETENTION_DAYS (rasa_server/retention.py).
    """
    if os.environ.get("TRACKER_DATABASE_URL"):
        days = os.environ.get("RETENTION_DAYS") or "30"
        return f"au bout de {days} jours"
    return "une heure après votre dernier message"


# Who reads messages, and why: said only where the review of conversations runs (web/revue.py).
REVIEW_NOTICE = """
    <h2 id="relecture">Qui relit les messages mal compris</h2>
    <p>Parfois, l’assistant comprend mal un message.</p>
    <p>L’équipe qui fait vivre l’assistant relit alors ce message, pour l’améliorer.</p>
    <ul>
      <li>Seules les personnes qui ont le mot de passe de l’équipe peuvent le lire.</li>
      <li>Elles ne voient ni les chiffres des numéros, ni les adresses électroniques.</li>
      <li>Elles ne savent pas qui a écrit le message.</li>
      <li>Elles relisent seulement les conversations encore gardées.</li>
      <li>Le message disparaît de la relecture quand la conversation est effacée.</li>
      <li>Une phrase mal comprise peut devenir un exemple pour entraîner l’assistant.</li>
      <li>Cet exemple garde seulement la phrase, chiffres cachés.</li>
    </ul>
    <p>Cette relecture sert à améliorer le service pour tous&nbsp;: c’est notre intérêt légitime.</p>
"""


def review_notice() -> str:
    from orientation.review import enabled

    return REVIEW_NOTICE if enabled() else ""


def render(fragment: str, title: str, fields: dict[str, str]) -> str:
    shown = {k: _shown(v) for k, v in fields.items()}
    shown["conservation"] = html.escape(conversation_kept())
    shown["relecture"] = review_notice()
    content = Template((PAGES_DIR / fragment).read_text(encoding="utf-8")).substitute(shown)
    return Template((PAGES_DIR / "layout.html").read_text(encoding="utf-8")).substitute(
        title=html.escape(title), content=content
    )


def setup(app: web.Application, operator_file: Path | None = None) -> None:
    """Rendered once: the fields are read when the app starts."""
    fields = operator_fields(operator_file)
    rendered = {path: render(fragment, title, fields) for path, (fragment, title) in PAGES.items()}

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=rendered[request.path], content_type="text/html", charset="utf-8")

    for path in PAGES:
        app.router.add_get(path, page)
