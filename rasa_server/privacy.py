"""Keeps what people write out of every log line, at every level, in the Rasa and action servers.

Rasa logs the person's words in many places: "Received user message '…'"
at DEBUG, the REST channel's "exception while handling user message '…'",
SQLAlchemy errors with their `[parameters: …]` (whole events), the action
server's error response (`body='…'`) with the tracker. Filtering loggers one
by one misses some, so the record factory is replaced instead: every record
of every logger is scrubbed when it is created, before any handler sees it.

Two nets:
- the texts of the message being handled (a context variable set when a
  `UserMessage` is created in the Rasa server, or from the tracker an action
  call carries in the action server) and their words of 4+ letters;
- patterns for the places text travels outside that context: JSON/dict
  `text`/`message`/`value` fields, `body='…'`, `[parameters: …]`.
"""

from __future__ import annotations

import contextvars
import logging
import re
import traceback

MASK = "[masqué]"
MIN_WORD = 4

_current_texts: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("current_texts", default=())

_WORD = re.compile(r"\w{%d,}" % MIN_WORD)
_PATTERNS = [
    # JSON / Python dict fields holding what a person wrote or what was extracted from it.
    (
        re.compile(
            r"""(["'](?:text|message|value|metadata|input_channel_text)["']\s*:\s*)"""
            r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
        ),
        r"\1'" + MASK + "'",
    ),
    # Rasa's ClientResponseError: the action server's whole response.
    (re.compile(r"body=(b?'.*?'|b?\".*?\")(?=\s*$|\s*\n|,|\))", re.S), "body=" + MASK),
    (re.compile(r"body='.*", re.S), "body=" + MASK),
    # SQLAlchemy errors: the statement's bound values (serialized events).
    (re.compile(r"\[parameters: .*?\](?=\s*\n|\s*\(Background|\s*$)", re.S), "[parameters: " + MASK + "]"),
    # Rasa's event reprs: UserUttered(text: …, intent: …), "user message '…'".
    (re.compile(r"(UserUttered\(text: ).*?(, intent:)", re.S), r"\1" + MASK + r"\2"),
    (re.compile(r"(user message ')(.*?)(')", re.S | re.I), r"\1" + MASK + r"\3"),
]


def remember(*texts: str | None) -> contextvars.Token:
    """Mark the texts a person wrote as never to be logged in the current context.

    Replaces (not adds to) what was marked before: a keep-alive connection
    handles many requests in one task, and the set must not grow with them.
    """
    return _current_texts.set(tuple(t for t in texts if isinstance(t, str) and t.strip()))


def scrub(message: str) -> str:
    texts = _current_texts.get()
    if texts:
        for text in sorted(set(texts), key=len, reverse=True):
            message = message.replace(text, MASK)
        words = {w for t in texts for w in _WORD.findall(t)}
        if words:
            pattern = re.compile(
                r"\b(?:%s)\b" % "|".join(map(re.escape, sorted(words, key=len, reverse=True))), re.I
            )
            message = pattern.sub(MASK, message)
    for pattern, replacement in _PATTERNS:
        message = pattern.sub(replacement, message)
    return message


def _scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep only the template
        message = str(record.msg)
    record.msg, record.args = scrub(message), None
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters print exc_text when set: the traceback is formatted and scrubbed once.
        record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)).rstrip())
        record.exc_info = None
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return record


def install() -> None:
    """Scrub every log record of this process (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "scrubs_texts", False):
        return

    def scrubbing_factory(*args, **kwargs):
        return _scrub_record(factory(*args, **kwargs))

    scrubbing_factory.scrubs_texts = True
    logging.setLogRecordFactory(scrubbing_factory)
    # Rasa's `raise_warning` quotes messages too (e.g. an unparsable "/intent{…}"):
    # warnings become log records, and so are scrubbed.
    logging.captureWarnings(True)


def remembering_user_message(rasa_init):
    """`UserMessage.__init__` that marks its text for the current request (rasa_server/patches.py)."""

    def __init__(self, text=None, *args, **kwargs):
        remember(text)
        rasa_init(self, text, *args, **kwargs)

    return __init__


def remembering_action_call(rasa_sdk_run):
    """`ActionExecutor.run` that marks every text of the call's tracker (rasa_server/patches.py)."""

    async def run(self, action_call):
        tracker = (action_call or {}).get("tracker") or {}
        token = remember(
            (tracker.get("latest_message") or {}).get("text"),
            *(e.get("text") for e in tracker.get("events") or () if e.get("event") == "user"),
        )
        try:
            return await rasa_sdk_run(self, action_call)
        finally:
            _current_texts.reset(token)

    return run
