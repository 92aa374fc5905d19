"""Rasa 3.6.21's socketio channel, with the two fixes the web page needs.

- `session_persistence`: Rasa calls `sio.enter_room()` without `await`; since
  python-socketio 5.10 it is a coroutine, so the browser never joined its
  session's room and got no reply (RasaHQ/rasa#13027).
- Custom JSON (the orientation payload): Rasa passes the dict to `emit()` as
  keyword arguments, which raises a TypeError (RasaHQ/rasa#3823); it is sent
  as the event's data instead.

And one event: `bot_turn_end` once the bot has said all it has to say to a message
(Rasa sends each of its messages as it comes, and says nothing when the turn is over):
the page marks the conversation busy until then (`aria-busy`), and its tests wait on
that rather than on a silence.

And one setting: SOCKETIO_ALLOWED_ORIGINS (comma separated, set by the
production profile) limits the pages that may open a socket. Rasa creates
its server with `cors_allowed_origins=[]`, which checks no Origin at all.
"""

from __future__ import annotations

import json
import os
import uuid

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import UserMessage

TURN_END = "bot_turn_end"


class SocketIOOutput(rasa_socketio.SocketIOOutput):
    async def send_custom_json(self, recipient_id, json_message, **kwargs) -> None:
        await self._send_message(recipient_id, json_message)


class SocketIOInput(rasa_socketio.SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message):
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        origins = [o.strip() for o in os.environ.get("SOCKETIO_ALLOWED_ORIGINS", "").split(",") if o.strip()]
        if origins:
            sio.eio.cors_allowed_origins = origins

        async def session_request(sid, data):
            data = data or {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"])
            await sio.emit("session_confirm", data["session_id"], room=sid)

        async def handle_message(sid, data):
            if self.session_persistence and not data.get("session_id"):
                return
            sender = data["session_id"] if self.session_persistence else sid
            metadata = data.get(self.metadata_key, {})
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            try:
                await on_new_message(
                    UserMessage(
                        data.get("message", ""),
                        SocketIOOutput(sio, self.bot_message_evt),
                        sender,
                        input_channel=self.name(),
                        metadata=metadata,
                    )
                )
            finally:
                await sio.emit(TURN_END, room=sender)

        # Registering again replaces the handlers Rasa's blueprint set.
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return blueprint
