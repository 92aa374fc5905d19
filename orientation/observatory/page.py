"""The report as one self-contained HTML page: the chart embedded, no script, no other file.

A coordinator can mail it, open it offline or print it. Every text from the
knowledge base is escaped. The only inline code is `CSS`, which the web app
allows by its hash (`CSP`), so the page needs no 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from html import escape

from orientation.observatory.event import BESOIN_LABELS, COMMUNE_INCONNUE
from orientation.observatory.tables import SECRET_BELOW, is_secret, published
from orientation.text.payload import MONTHS


def french_date(d: date) -> str:
    """ "1er octobre 2026", "11 décembre 2017"."""
    return f"{'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]} {d.year}"


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b;
       max-width: 62rem; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 2px solid #e5e5e5; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
.periode { color: #444; margin-top: 0; }
.simule { background: #fde8ea; border-left: 6px solid #b00020; padding: .7rem 1rem; font-weight: 600; }
.chiffres { display: flex; flex-wrap: wrap; gap: .8rem; padding: 0; list-style: none; }
.chiffres li { border: 1px solid #ddd; border-radius: .4rem; padding: .5rem .8rem; min-width: 10rem; }
.chiffres strong { display: block; font-size: 1.5rem; }
figure { margin: 1rem 0; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e5e5e5; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
.intro, .note { color: #444; margin: .2rem 0 .5rem; }
.note { font-size: .9rem; }
footer { margin-top: 2.5rem; font-size: .9rem; color: #444; }
@media print { body { max-width: none; } h2 { break-after: avoid; } table { break-inside: avoid; } }
"""

CSP = "; ".join(
    [
        "default-src 'none'",
        "img-src data:",
        "style-src 'sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode() + "'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


FIGURE_LABELS = {
    "orientation": "ont reçu un service pour leur besoin",
    "premier_pas": "sans service pour leur besoin : premier pas proposé",
    "non_eligible": "non éligibles aux services de leur territoire",
    "aucune_plateforme": "sans plateforme sur leur territoire",
}


def _share(n: int, total: int) -> str:
    if total == 0 or is_secret(n) or is_secret(total):
        return ""
    return f" ({round(100 * n / total)} %)"


def _figures(report) -> str:
    t = report.totals
    oriented = t.total - t.by_outcome[COMMUNE_INCONNUE]
    items = [(published(t.total), "demandes reçues par l'assistant")]
    for code, label in FIGURE_LABELS.items():
        items.append((published(t.by_outcome[code]) + _share(t.by_outcome[code], oriented), label))
    items.append((published(t.by_outcome[COMMUNE_INCONNUE]), "communes non trouvées"))
    items.append(
        (
            published(t.professionnels) + _share(t.professionnels, t.total),
            "demandes faites par un professionnel",
        )
    )
    return (
        '<ul class="chiffres">'
        + "".join(f"<li><strong>{escape(value)}</strong>{escape(label)}</li>" for value, label in items)
        + "</ul>"
    )


NUMERIC_COLUMNS = ("Demandes", "Proposé à", "Services")


def _table(table, level: int = 3) -> str:
    out = [f"<h{level}>{escape(table.title)}</h{level}>", f'<p class="intro">{escape(table.intro)}</p>']
    if not table.rows:
        out.append(f"<p>{escape(table.empty)}</p>")
        return "\n".join(out)
    numeric = {i for i, c in enumerate(table.columns) if c in NUMERIC_COLUMNS}
    cls = [' class="n"' if i in numeric else "" for i in range(len(table.columns))]
    head = "".join(f'<th scope="col"{cls[i]}>{escape(c)}</th>' for i, c in enumerate(table.columns))
    body = "".join(
        "<tr>" + "".join(f"<td{cls[i]}>{escape(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    if table.left_out:
        out.append(f'<p class="note">… et {table.left_out} autre(s) ligne(s) dans le fichier CSV.</p>')
    return "\n".join(out)


def _alt_text(report) -> str:
    data = report.chart
    if not data:
        return "Graphique : aucune demande sur la période."
    parts = []
    for need in sorted(data, key=lambda n: -sum(data[n].values())):
        total = sum(data[need].values())
        parts.append(f"{BESOIN_LABELS.get(need, need)} : {published(total)}")
    return "Graphique en barres des demandes par besoin et par réponse. " + " ; ".join(parts) + "."


def render_page(report, png: bytes) -> str:
    image = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    simulated = (
        '<p class="simule">Données simulées pour la démonstration (make report-demo) : '
        "elles ne décrivent aucune personne réelle.</p>"
        if report.totals.simulated
        else ""
    )
    scope = (
        ""
        if not report.departement
        else " Les communes non trouvées n'ont pas de département : elles ne sont pas comptées ici."
    )
    unmet = "\n".join(_table(t) for t in report.unmet)
    built = (
        f" Base de connaissances construite le {french_date(date.fromisoformat(report.built_at[:10]))}."
        if report.built_at
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Observatoire des besoins de mobilité — {escape(report.territory)}, {escape(report.period)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Observatoire des besoins de mobilité</h1>
<p class="periode">{escape(report.territory[0].upper() + report.territory[1:])}, {escape(report.period)}.</p>
{simulated}
</header>
<main>
<h2>L'essentiel</h2>
{_figures(report)}
<figure>
<img src="{image}" alt="{escape(_alt_text(report))}">
<figcaption class="note">Image à reprendre telle quelle dans une présentation
(fichier observatoire.png, à côté de cette page).</figcaption>
</figure>
<h2>Besoins non couverts</h2>
{unmet}
<h2>Fraîcheur des informations</h2>
{_table(report.freshness)}
</main>
<footer>
<h2>Comment lire ces chiffres</h2>
<p>Chaque demande est une orientation donnée par l'assistant (une personne qui demande pour deux
besoins compte deux fois). Les effectifs de 1 à {SECRET_BELOW - 1} sont remplacés par « &lt; {SECRET_BELOW} »
et ne sont pas dessinés (secret statistique) : sur un petit territoire, si peu de personnes pourraient
être reconnues.{scope}</p>
<p>Rien de ce que les personnes ont écrit n'est gardé : seulement le jour, le besoin, une situation,
une tranche d'âge (moins de 26 ans, 26 ans et plus), le département et l'intercommunalité, les
plateformes et services proposés, et si un professionnel parlait pour la personne. Aucun
identifiant ne relie deux demandes.</p>
<p>Détail complet : comptes.csv, besoins-non-couverts.csv et fraicheur.csv, à côté de cette page.{built}</p>
</footer>
</body>
</html>
"""
