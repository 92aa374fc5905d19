"""A person talking to the production profile, and the stable facts of the bot's answers.

Asserts only what the rewrite of the wording on main keeps: the orientation
payload (`custom.orientation`) and which question is asked (`custom.question`
when the bot sends it, else keywords of the question).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

QUESTION_KEYWORDS = {
    "situations": ("situation",),  # the names of `custom.question`
    "commune": ("commune",),
    "besoin": ("besoin",),
    "age": ("âge",),
}

LAVAL_PERMIS = ["je veux passer le permis", "je suis au RSA", "Laval"]


def post(
    url: str, sender: str, message: str, timeout: float = 30, source: str | None = None
) -> tuple[int, list[dict]]:
    """One REST turn; returns (HTTP status, messages). `source` binds the client address."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    opener = urllib.request.build_opener(_SourceHandler(source)) if source else None
    try:
        with (opener.open if opener else urllib.request.urlopen)(request, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"[]")
    except urllib.error.HTTPError as error:
        data = error.read()
        try:
            return error.code, json.loads(data)
        except ValueError:
            return error.code, []


class _SourceHandler(urllib.request.HTTPHandler):
    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def http_open(self, req):
        import http.client

        source = self.source

        class Connection(http.client.HTTPConnection):
            def __init__(self, *args, **kwargs):
                kwargs["source_address"] = (source, 0)
                super().__init__(*args, **kwargs)

        return self.do_open(Connection, req)


def orientation(reply: list[dict]) -> dict | None:
    return next(
        (
            m["custom"]["orientation"]
            for m in reply
            if isinstance(m.get("custom"), dict) and "orientation" in m["custom"]
        ),
        None,
    )


def questions(reply: list[dict]) -> set[str]:
    """The profile questions a reply asks: `custom.question` when the bot sends it, else the
    keywords of short messages with a question mark (an orientation's long text names the
    situation and the need without asking for them)."""
    customs = [m["custom"] for m in reply if isinstance(m.get("custom"), dict)]
    if any("question" in c for c in customs):
        return {c["question"] for c in customs if c.get("question")}
    asked = set()
    for m in reply:
        said = (m.get("text") or "").lower()
        if "?" in said and len(said) < 200:
            asked |= {slot for slot, words in QUESTION_KEYWORDS.items() if any(w in said for w in words)}
    return asked


def text(reply: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in reply)


def assert_laval_rsa_permis(o: dict | None) -> None:
    assert o is not None, "no orientation"
    assert o["commune"]["code_insee"] == "53130"
    assert "mayenne--auto-ecole-sociale" in {s["id"] for s in o["services"]}
    assert "mayenne" in {s["plateforme"]["id"] for s in o["services"]}
    assert o["prescripteur"]["id"] == "referent-rsa"


def new_sender(tag: str) -> str:
    return f"prod-{tag}-{uuid.uuid4().hex[:12]}"


def timed_post(*args, **kwargs) -> tuple[float, int, list[dict]]:
    started = time.monotonic()
    status, reply = post(*args, **kwargs)
    return time.monotonic() - started, status, reply


def until_answering(site: str, timeout: float = 60) -> float:
    """Seconds until a new conversation gets a normal answer again after an outage.

    For a few seconds after the processes are back, nginx still counts the action
    servers as failed (`fail_timeout`) and Rasa says the service is unavailable:
    a test that follows an outage starts once the stack answers, not after a sleep.
    """
    started = time.monotonic()
    while True:
        status, reply = post(site, new_sender("back"), "je veux passer le permis")
        if status == 200 and reply and "indisponible" not in text(reply):
            return time.monotonic() - started
        assert time.monotonic() - started < timeout, f"no normal answer {timeout} s after the outage"
        time.sleep(0.5)
