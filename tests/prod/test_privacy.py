"""Log scrubbing (rasa_server/privacy.py): what a person wrote never reaches a log line."""

from __future__ import annotations

import logging

import pytest

from rasa_server import privacy

MESSAGE = "je suis au RSA à Laval et je veux passer le permis, signé Zébulon"


@pytest.fixture
def records():
    privacy.install()
    caught: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            caught.append(self.format(record))

    logger = logging.getLogger("privacy-test")
    handler = Keep(level=logging.DEBUG)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield logger, caught
    logger.removeHandler(handler)
    privacy._current_texts.set(())


def test_the_current_message_and_its_words_are_masked(records):
    logger, caught = records
    token = privacy.remember(MESSAGE)
    logger.debug(
        "Received user message '%s' with entities %s", MESSAGE, [{"entity": "commune", "value": "Laval"}]
    )
    logger.info("SlotSet(key: commune, value: Laval) for Zébulon")
    privacy._current_texts.reset(token)
    assert caught and all("Laval" not in c and "Zébulon" not in c and "permis" not in c for c in caught)


@pytest.mark.parametrize(
    "line",
    [
        '{"event": "rest.message.received.failure", "text": "je dors dehors à Angers"}',
        'Failed to run custom action: 500, Internal Server Error, body=\'{"tracker": '
        '{"latest_message": {"text": "je dors dehors à Angers"}}}\'',
        "(psycopg2.OperationalError) closed\n[SQL: INSERT INTO events (data) VALUES (%(data)s)]\n"
        "[parameters: {'data': '{\"text\": \"je dors dehors à Angers\"}'}]\n"
        "(Background on this error at: https://sqlalche.me/e/14/e3q8)",
    ],
    ids=["structlog-json", "action-server-body", "sqlalchemy-parameters"],
)
def test_text_outside_the_turn_is_masked_by_shape(records, line):
    logger, caught = records
    logger.error(line)
    assert "dehors" not in caught[-1]


def test_tracebacks_are_scrubbed_too(records):
    logger, caught = records
    token = privacy.remember(MESSAGE)
    try:
        raise ValueError(f"could not parse {MESSAGE!r}")
    except ValueError:
        logger.exception("action failed")
    privacy._current_texts.reset(token)
    assert "action failed" in caught[-1] and "ValueError" in caught[-1]
    assert "Zébulon" not in caught[-1]
