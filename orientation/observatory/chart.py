"""The report's chart: what people asked for, and what they got — one slide, 16:9.

Horizontal bars, one per need, split by outcome (colours of the Okabe–Ito
palette, readable by colour-blind people). A segment under 5 people is not
drawn (statistical secrecy) and the footnote says so. matplotlib's Agg
backend: no display needed.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from orientation.observatory.event import RESULTATS  # noqa: E402
from orientation.observatory.tables import SECRET_BELOW, is_secret  # noqa: E402

COLOURS = {
    "orientation": "#009E73",  # green: a service answers
    "premier_pas": "#56B4E9",  # sky blue: the platform's entry point instead
    "non_eligible": "#E69F00",  # orange: a platform, but no service for this person
    "aucune_plateforme": "#D55E00",  # vermilion: nobody to turn to here
}
SHORT_LABELS = {
    "orientation": "Service proposé",
    "premier_pas": "Pas de service pour ce besoin : premier pas proposé",
    "non_eligible": "Non éligible aux services du territoire",
    "aucune_plateforme": "Aucune plateforme sur le territoire",
}


def need_outcome_chart(
    data: dict[str, dict[str, int]],
    need_labels: dict[str, str],
    title: str,
    subtitle: str,
    path: Path,
    simulated: bool = False,
) -> Path:
    """Write the PNG; `data` is need → outcome → count (`tables.need_by_outcome`)."""
    needs = sorted(data, key=lambda n: sum(data[n].values()))  # largest at the top
    fig, ax = plt.subplots(figsize=(13.33, 7.5), dpi=120)
    fig.subplots_adjust(left=0.27, right=0.97, top=0.82, bottom=0.2)
    hidden = False
    widest = max((sum(v for v in data[n].values() if not is_secret(v)) for n in needs), default=0)
    for y, need in enumerate(needs):
        left = 0
        for outcome in COLOURS:
            n = data[need].get(outcome, 0)
            if n == 0:
                continue
            if is_secret(n):
                hidden = True
                continue
            ax.barh(y, n, left=left, color=COLOURS[outcome], edgecolor="white", height=0.7)
            if widest and n / widest > 0.045:
                ax.text(
                    left + n / 2,
                    y,
                    str(n),
                    ha="center",
                    va="center",
                    fontsize=12,
                    color="black" if outcome in ("premier_pas", "non_eligible") else "white",
                    fontweight="bold",
                )
            left += n
    ax.set_yticks(range(len(needs)))
    ax.set_yticklabels([need_labels.get(n, n) for n in needs], fontsize=13)
    ax.set_xlabel("Nombre de demandes", fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=11)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    if not needs:
        ax.text(
            0.5,
            0.5,
            "Aucune demande sur la période",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=16,
            color="#555555",
        )
        ax.set_axis_off()
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS.values()]
    fig.legend(
        handles,
        [SHORT_LABELS[k] for k in COLOURS],
        loc="lower center",
        ncol=2,
        frameon=False,
        fontsize=12,
        bbox_to_anchor=(0.5, 0.045),
    )
    fig.suptitle(title, x=0.03, y=0.955, ha="left", fontsize=20, fontweight="bold")
    fig.text(0.03, 0.875, subtitle, ha="left", fontsize=13, color="#333333")
    notes = ["Source : assistant d'orientation vers les aides à la mobilité (événements anonymes)."]
    if hidden:
        notes.append(f"Effectifs inférieurs à {SECRET_BELOW} non représentés (secret statistique).")
    fig.text(0.03, 0.012, " ".join(notes), ha="left", fontsize=10, color="#555555")
    if simulated:
        fig.text(
            0.62,
            0.5,
            "DONNÉES SIMULÉES",
            fontsize=54,
            color="#B00020",
            alpha=0.15,
            ha="center",
            va="center",
            rotation=20,
            fontweight="bold",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


assert set(COLOURS) == set(RESULTATS) - {"commune_inconnue"}  # one colour per outcome a need can have
