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
    """An action whose `act` may fail without leaving the person without a reply."""

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker, domain) -> list:
        """What the action does; any exception becomes the polite error message."""

    async def run(self, dispatcher: CollectingDispatcher, tracker, domain) -> list:
        try:
            return await self.act(dispatcher, tracker, domain)
        except Exception as error:  # noqa: BLE001 - the person must get an answer whatever broke
            return report_failure(self.name(), dispatcher, error)
