"""No silence, ever: an action that fails still answers, politely, with a way forward.

The traceback goes to the action server's log without the person's words
(RGPD); the person gets `messages.ERROR` and a "Recommencer" button.
"""

from __future__ import annotations

import logging
import traceback
from abc import ABC, abstractmethod

from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

from orientation.text import messages

log = logging.getLogger(__name__)


def report_failure(action_name: str, dispatcher: CollectingDispatcher, error: BaseException) -> list:
    # The frames say where it broke; the exception's own message may quote the person.
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error(
        "Action %s failed (%s); the person got the error message.\n%s",
        action_name,
        type(error).__name__,
        frames,
    )
    dispatcher.messages.clear()  # no half answer before the apology
    dispatcher.utter_message(text=messages.ERROR, buttons=[messages.RESTART_BUTTON])
    return []


class SafeAction(Action, ABC):
    """An action whose `act` may fail without leaving the person without a reply, and that
    never sends the same reply twice in a row."""

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker, domain) -> list:
        """What the action does; any exception becomes the polite error message."""

    async def run(self, dispatcher: CollectingDispatcher, tracker, domain) -> list:
        try:
            events = await self.act(dispatcher, tracker, domain)
        except Exception as error:  # noqa: BLE001 - the person must get an answer whatever broke
            return report_failure(self.name(), dispatcher, error)
        not_twice(dispatcher, tracker)
        return events


def bot_texts(tracker, turn: int) -> list[str]:
    """The bot's texts in a turn: 0 this one (since the person's last message), 1 the one before."""
    texts, users = [], 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > turn + 1:
                break
        elif event.get("event") == "bot" and users == turn:
            texts.append(event.get("text") or "")
    return texts[::-1]


def not_twice(dispatcher: CollectingDispatcher, tracker) -> None:
    """The same reply as the previous turn is a loop: say so, and how to get out of it."""
    said = bot_texts(tracker, 0) + [m.get("text") or "" for m in dispatcher.messages]
    before = bot_texts(tracker, 1)
    if not dispatcher.messages or not said or said != before:
        return
    last = dispatcher.messages[-1]
    buttons = list(last.get("buttons") or [])
    if tracker.get_slot("requested_slot") and messages.SKIP_BUTTON not in buttons:
        buttons.append(messages.SKIP_BUTTON)
    last.update(text=messages.STUCK.format(prescriber=messages.SOCIAL_SERVICE), buttons=buttons)
