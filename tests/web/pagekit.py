"""Helpers for the page tests: Debian's chromium, the web app, axe-core, a stand-in bot.

The page tests never download a browser. `WebApp` starts `python -m web.app`;
the stand-in bot (`ScriptedBot`) answers over a routed WebSocket with the real
texts of `actions.messages` and real orientations from the engine, in the
shape Rasa's socketio channel emits them, so that the page's states can be
tested in seconds; tests/web/test_page.py talks to the real bot.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
SMALL_PHONE = {"width": 360, "height": 640}
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is missing (apt-get install -y chromium); "
    "the page tests never download a browser",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebApp:
    def __init__(self, rasa_url: str, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        log_dir = REPO / "build" / "test-logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(log_dir / f"web-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "web.app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--rasa-url",
                rasa_url,
            ],
            cwd=REPO,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "config.json", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.proc.kill()
                    pytest.fail("python -m web.app did not start")
                time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class RunningSite:
    """A site already running (`--base-url`): nothing to start or stop."""

    def __init__(self, url: str):
        self.url = url

    def stop(self) -> None:
        pass


class Watched:
    """A page and what it did that a test may want to refuse."""

    def __init__(self, page):
        self.page = page
        self.dialogs = []
        self.console_errors = []
        self.page_errors = []
        page.on("dialog", self._on_dialog)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)


def run_axe(page, context_selector="body"):
    """Inject the vendored axe-core (through the DevTools protocol, which the
    page's CSP does not govern) and return its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        "async (selector) => (await axe.run(document.querySelector(selector), "
        "{resultTypes: ['violations']})).violations",
        context_selector,
    )


def assert_no_violations(violations, where):
    """axe-core finds nothing, whatever the impact."""
    assert not violations, f"axe ({where}): " + json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]],
            }
            for v in violations
        ],
        indent=1,
        ensure_ascii=False,
    )


# ------------------------------------------------------------ stand-in bot


def rasa_buttons(buttons):
    """Buttons as Rasa's socketio channel sends them (`quick_replies`)."""
    return [{"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons]


def orientation_messages(snapshot, situations, code_insee, besoin, age=None, professional=False):
    """What ActionOrienter sends, as the socketio channel emits it: the text with
    the follow-up buttons, then the payload (rasa_server/socketio.py)."""
    from orientation.engine import Profile, orient
    from orientation.text import messages, wording
    from orientation.text.payload import orientation_payload

    voice = wording.voice_for(professional)
    result = orient(snapshot, Profile.of(situations, besoin, age), snapshot.communes.by_code(code_insee))
    text = wording.chat_message(result, voice)
    payload = orientation_payload(result, snapshot, voice)
    payload["texte"] = text
    return [{"text": text, "quick_replies": rasa_buttons(messages.FOLLOW_UP_BUTTONS)}, payload]


class ScriptedBot:
    """Stands in for Rasa's socket.io endpoint (Engine.IO 4 frames): the greeting,
    the need, the situation and the commune questions, then an orientation."""

    def __init__(self, snapshot, code_insee="53130", age=35, professional=False):
        from orientation.text import messages

        self.messages = messages
        self.snapshot = snapshot
        self.code_insee = code_insee
        self.age = age
        self.professional = professional
        self.received = []
        self.profile = {}

    def question(self, slot, buttons=()):
        from orientation.text import wording

        voice = wording.voice_for(self.professional)
        text = {"text": self.messages.question(slot, voice)}
        if buttons:
            text["quick_replies"] = rasa_buttons(buttons)
        return [text, {"question": slot}]

    def answer(self, message: str) -> list:
        m = self.messages
        if message == "/greet":
            self.profile = {}
            return [
                {"text": m.GREETING, "quick_replies": rasa_buttons(m.BESOIN_BUTTONS)},
                {"question": "besoin"},
            ]
        if message == "/restart":
            self.profile = {}
            return [{"text": m.RESTARTED, "quick_replies": rasa_buttons(m.BESOIN_BUTTONS)}]
        found = re.match(r"/inform(\{.*\})", message)
        if found:
            self.profile.update(json.loads(found.group(1)))
        elif message.startswith("/change_answer"):
            self.profile.pop(json.loads(message[len("/change_answer") :])["reponse"], None)
        elif "permis" in message.lower():
            self.profile.setdefault("besoin", "permis")
        elif message.strip() and "besoin" in self.profile and "situation" in self.profile:
            self.profile["commune"] = self.code_insee  # any typed answer to "quelle commune ?"
        if "besoin" not in self.profile:
            return self.question("besoin", m.BESOIN_BUTTONS)
        if "situation" not in self.profile:
            return self.question("situations", m.SITUATION_BUTTONS)
        if "commune" not in self.profile:
            return self.question("commune")
        return orientation_messages(
            self.snapshot,
            [self.profile["situation"]],
            self.profile["commune"],
            self.profile["besoin"],
            self.age,
            self.professional,
        )

    def route(self, page):
        def handler(ws):
            ws.send(
                '0{"sid":"mock","upgrades":[],"pingInterval":25000,'
                '"pingTimeout":20000,"maxPayload":1000000}'
            )

            def on_message(frame):
                if frame == "40":
                    ws.send('40{"sid":"mock-socket"}')
                elif frame.startswith("42"):
                    event, data = json.loads(frame[2:])
                    if event == "session_request":
                        session = (data or {}).get("session_id") or "mock-session"
                        ws.send("42" + json.dumps(["session_confirm", session]))
                    elif event == "user_uttered":
                        self.received.append(data["message"])
                        for message in self.answer(data["message"]):
                            ws.send("42" + json.dumps(["bot_uttered", message]))

            ws.on_message(on_message)

        page.route_web_socket(re.compile(r"/socket\.io/"), handler)
