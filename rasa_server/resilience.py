"""No silence: when a service behind the Rasa server fails, the person is told what to do.

Rasa 3.6 answers nothing in three cases this patch turns into a polite
message with a next step, the turn being abandoned (the conversation is left
as it was before the message, so the same conversation goes on once the
service is back):
- the action server is down or fails: `MessageProcessor._run_action` logs
  the exception and predicts on, silently (and `action_extract_slots`
  swallows it too);
- the tracker store fails: `FailSafeTrackerStore` falls back to an empty
  in-memory tracker, so the bot would start the conversation over and keep
  its answers in one replica's memory;
- the lock store (Redis) fails: the REST channel logs the person's text and
  returns an empty list.

The five replacements below are registered, and checked against Rasa's
source before they are installed, in rasa_server/patches.py.
"""

from __future__ import annotations

import contextvars
import logging
import os

from rasa.core.actions import action as rasa_action

from rasa_server.messages import SERVICE_UNAVAILABLE

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_ENV = "ACTION_TIMEOUT_SECONDS"


class ServiceUnavailable(Exception):
    """A service the turn needs failed; the turn is abandoned."""

    def __init__(self, service: str, cause: BaseException | None = None):
        self.service = service
        self.cause = type(cause).__name__ if cause else None
        super().__init__(f"{service} unavailable" + (f" ({self.cause})" if cause else ""))


# Set by a failing remote action; read once Rasa has swallowed the exception.
_failed_action: contextvars.ContextVar[ServiceUnavailable | None] = contextvars.ContextVar(
    "failed_action", default=None
)


def _raise_if_an_action_failed() -> None:
    failure = _failed_action.get()
    if failure is not None:
        _failed_action.set(None)
        raise failure


# The replacements, each built from Rasa's method by rasa_server/patches.py, which checks it first.


def remembering_failed_action(rasa_run):
    """`RemoteAction.run`: a failure is remembered for the turn (Rasa swallows it further up)."""
    timeout = os.environ.get(ACTION_TIMEOUT_ENV)
    if timeout:  # Rasa waits 300 s for an action by default; RemoteAction.run reads this constant
        rasa_action.DEFAULT_REQUEST_TIMEOUT = float(timeout)

    async def remote_run(self, *args, **kwargs):
        try:
            return await rasa_run(self, *args, **kwargs)
        except rasa_action.ActionExecutionRejection:
            raise  # a form's normal "not this slot" answer
        except Exception as error:
            _failed_action.set(ServiceUnavailable(f"action server ({self.name()})", error))
            raise

    return remote_run


def raising_run_action(rasa_run_action):
    """`MessageProcessor._run_action`: an action that failed abandons the turn."""

    async def _run_action(self, *args, **kwargs):
        result = await rasa_run_action(self, *args, **kwargs)
        _raise_if_an_action_failed()
        return result

    return _run_action


def raising_extract_slots(rasa_extract_slots):
    """`MessageProcessor.run_action_extract_slots`: the same, for `action_extract_slots`."""

    async def run_action_extract_slots(self, *args, **kwargs):
        result = await rasa_extract_slots(self, *args, **kwargs)
        _raise_if_an_action_failed()
        return result

    return run_action_extract_slots


def raising_fail_safe_store(rasa_init):
    """`FailSafeTrackerStore.__init__`: raise instead of falling back to an empty in-memory tracker."""

    def fail_safe_store_init(self, tracker_store, on_tracker_store_error=None, fallback_tracker_store=None):
        rasa_init(
            self, tracker_store, on_tracker_store_error or _tracker_store_failed, fallback_tracker_store
        )

    return fail_safe_store_init


def answering_handle_message(rasa_handle_message):
    """`Agent.handle_message`: every failure gets an answer, never silence."""

    async def agent_handle_message(self, message):
        _failed_action.set(None)
        try:
            return await rasa_handle_message(self, message)
        except Exception as error:
            # A remote action's timeout escapes `action_extract_slots` unconverted.
            failure = error if isinstance(error, ServiceUnavailable) else _failed_action.get()
            logger.error(
                "Turn abandoned: %s. The person was asked to try again.",
                failure or f"{type(error).__name__} (lock store or server)",
            )
            try:
                await message.output_channel.send_text_message(message.sender_id, SERVICE_UNAVAILABLE)
            except Exception as send_error:
                logger.error("Could not send the unavailability message: %s", type(send_error).__name__)
            return None

    return agent_handle_message


def _tracker_store_failed(error: Exception) -> None:
    raise ServiceUnavailable("tracker store", error) from error
