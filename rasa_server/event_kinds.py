"""Event kinds found by a table, not by walking every subclass of `Event` for each event.

Rasa 3.6 turns each event's dict back into an event (every event of the tracker, at each
turn, and each event the action server returns) by `Event.resolve_by_type`, which lists
all subclasses of `Event` recursively and compares their names: 4.5 % of the Rasa
server's CPU in a py-spy profile of `make benchmark` (2026-12-07). The table is made
once, at the first event read; a name not in it (a kind defined later) still goes
through Rasa's own walk.

Installed by rasa_server/patches.py (`Event.resolve_by_type`).
"""

from __future__ import annotations

from collections.abc import Callable


def resolve_by_type(original: Callable) -> Callable:
    kinds: dict = {}

    def resolve(type_name, default=None):
        if not kinds:
            import rasa.shared.utils.common
            from rasa.shared.core.events import Event

            for kind in rasa.shared.utils.common.all_subclasses(Event):
                kinds.setdefault(kind.type_name, kind)  # the first of a name, as Rasa's walk
        kind = kinds.get(type_name)
        return kind if kind is not None else original(type_name, default)

    return resolve
