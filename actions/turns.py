"""What the conversation's last turns say: the intent, the question asked again, a slot just set."""

from __future__ import annotations

from rasa_sdk import Tracker

MAX_TRIES = 3  # a question asked this many times in a row is then passed


def intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def attempt(tracker: Tracker, slot: str) -> int:
    """How many times this question will have been asked in a row, this one included."""
    name, _, count = (tracker.get_slot("relance") or "").partition(":")
    return int(count) + 1 if name == slot and count.isdigit() else 1


def set_this_turn(tracker: Tracker, slot: str) -> bool:
    """Whether an action set `slot` since the person's last message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == slot:
            return True
    return False
