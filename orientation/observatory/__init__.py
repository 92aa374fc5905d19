"""The needs observatory: anonymous counts of orientations, and the coordinators' report.

The action layer calls two functions, which never raise and never block:

    record_orientation(orientation, professional)   after each computed orientation
    record_unresolved_commune(professional)         when a commune could not be found

Modules: `event` (what an event holds: categories only), `store` (the
counts table), `recorder` (a queue and a writer thread), `tables` (counts,
unmet needs, statistical secrecy), `chart` and `page` (the PNG and the HTML
page), `report` (`make report`), `simulation` (`make report-demo`).
"""

from __future__ import annotations

import logging
from datetime import date

log = logging.getLogger(__name__)


def record_orientation(orientation, professional: bool) -> None:
    """Count one orientation (anonymously) in the background; never raises."""
    try:
        from orientation.observatory.event import event_from_orientation
        from orientation.observatory.recorder import default_recorder

        default_recorder().submit(event_from_orientation(orientation, professional, date.today()))
    except Exception as exc:  # the person's answer matters more than the count
        log.warning("Observatoire : orientation non comptée (%s)", type(exc).__name__)


def record_unresolved_commune(professional: bool) -> None:
    """Count one commune not found (anonymously) in the background; never raises."""
    try:
        from orientation.observatory.event import unresolved_commune_event
        from orientation.observatory.recorder import default_recorder

        default_recorder().submit(unresolved_commune_event(professional, date.today()))
    except Exception as exc:
        log.warning("Observatoire : commune non trouvée non comptée (%s)", type(exc).__name__)
