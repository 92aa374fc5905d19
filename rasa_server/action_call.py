"""What a call to the action server costs: the recent events only, over a kept connection.

Under ten conversations at once, a py-spy profile of the Rasa server showed each
turn's two or three action calls (validation, form, answer) costing a sixth of
its CPU, growing with the conversation:
- each call sent the whole tracker, every event since the first message turned
  into a dict and then JSON (20 kB by the fourth message), although the actions
  read back no further than the person's message before last (actions/safety.py:
  the bot's texts of the turn before; actions/turns.py: the slots set this turn;
  rasa-sdk: the slots set since the last other event);
- each call opened a new TCP connection (Rasa makes an aiohttp session per
  request), so both servers paid a connect and an accept each time;
- each body was written by the standard `json` module, about five times slower
  than `ujson` (which Rasa and Sanic already require) on these trackers.

Installed by rasa_server/patches.py (`RemoteAction._action_call_format`,
`EndpointConfig.session`), which checks Rasa's methods first.
"""

from __future__ import annotations

import asyncio
import weakref

import aiohttp
import ujson

# The person's messages an action may look back to: this one and the one before.
RECENT_MESSAGES = 2
# Idle connections are closed before the action server's own keep-alive ends (Sanic: 5 s),
# so that a request never goes out on a connection the server is closing.
KEEPALIVE_SECONDS = 2.0


def recent_events(events) -> list:
    """The events from the person's message before last (all of them in a shorter conversation)."""
    events = list(events)
    seen = 0
    for index in range(len(events) - 1, -1, -1):
        if events[index].type_name == "user":
            seen += 1
            if seen == RECENT_MESSAGES:
                return events[index:]
    return events


def sending_recent_events(rasa_call_format):
    """`RemoteAction._action_call_format`, with only the recent events in the tracker sent."""
    import rasa
    from rasa.shared.core.trackers import EventVerbosity

    def _action_call_format(self, tracker, domain):
        state = tracker.current_state(EventVerbosity.NONE)  # everything but the events
        state["events"] = [event.as_dict() for event in recent_events(tracker.events)]
        call = {
            "next_action": self._name,
            "sender_id": tracker.sender_id,
            "tracker": state,
            "version": rasa.__version__,
        }
        if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
            self.name()
        ):
            call["domain"] = domain.as_dict()
        return call

    return _action_call_format


# One connection pool per event loop (Rasa's server has one; tests may run several).
_connectors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _connector() -> aiohttp.TCPConnector:
    loop = asyncio.get_running_loop()
    connector = _connectors.get(loop)
    if connector is None or connector.closed:
        connector = aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS)
        _connectors[loop] = connector
    return connector


def pooling_connections(rasa_session):
    """`EndpointConfig.session`: Rasa's session, on a connection pool kept for the loop, writing
    its JSON with ujson."""
    from rasa.utils import endpoints

    def session(self):
        auth = None
        if self.basic_auth:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        return aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=endpoints.DEFAULT_REQUEST_TIMEOUT),
            connector=_connector(),
            connector_owner=False,  # closing the session leaves the pool open
            json_serialize=ujson.dumps,
        )

    return session
