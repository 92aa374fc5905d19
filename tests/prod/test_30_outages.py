"""A service behind the bot goes down: the person is told what to do within 5 s, never a 5xx
nor silence, and the same conversation goes on once the service is back.

Each test stops a real part of the stack (both action servers, PostgreSQL,
Redis, both Rasa replicas) mid-form, then starts it again. Stopped, not
killed: supervisord restarts a killed process at once (test_60_kill.py), an
outage is what it cannot restart (`stop_process` tells it not to).
"""

from __future__ import annotations

import time

import pytest
from chat import assert_laval_rsa_permis, new_sender, orientation, post, questions, text

UNAVAILABLE_WORDS = ("indisponible", "Réessayez")
LATENCIES: dict[str, float] = {}


def _mid_form(site: str, tag: str) -> str:
    sender = new_sender(tag)
    for message in ("je veux passer le permis", "je suis au RSA"):
        status, reply = post(site, sender, message)
        assert status == 200 and reply
    return sender


def _polite_within_5_seconds(site: str, sender: str, name: str) -> None:
    started = time.monotonic()
    status, reply = post(site, sender, "j'habite à Laval", timeout=5)
    LATENCIES[name] = time.monotonic() - started
    print(f"\n{name}: polite answer in {LATENCIES[name]:.2f} s")
    assert status == 200, status
    assert all(word in text(reply) for word in UNAVAILABLE_WORDS), reply
    assert orientation(reply) is None


def _goes_on(site: str, sender: str, timeout: float = 60) -> None:
    """Once the service is back, the same conversation ends with the right orientation."""
    deadline = time.monotonic() + timeout
    while True:
        status, reply = post(site, sender, "j'habite à Laval")
        assert status == 200 and reply
        if "indisponible" not in text(reply) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert_laval_rsa_permis(orientation(reply))
    assert not questions(reply) & {"situations", "besoin"}


def test_one_action_server_down_is_not_noticed(prod_stack):
    site = prod_stack.config.site_url
    sender = _mid_form(site, "one-actions")
    prod_stack.stop_process("actions-1")
    try:
        status, reply = post(site, sender, "j'habite à Laval")
        assert status == 200
        assert_laval_rsa_permis(orientation(reply))
    finally:
        prod_stack.start("actions-1")


@pytest.mark.parametrize("part", ["actions", "postgresql", "redis"])
def test_service_down_gets_a_polite_answer_then_the_conversation_goes_on(prod_stack, part):
    site = prod_stack.config.site_url
    sender = _mid_form(site, f"down-{part}")
    names = ["actions-1", "actions-2"] if part == "actions" else [part]
    for name in names:
        prod_stack.stop_process(name)
    try:
        _polite_within_5_seconds(site, sender, f"{part} down")
    finally:
        for name in names:
            prod_stack.start(name)
    if part == "actions":
        _wait_actions(prod_stack)
    _goes_on(site, sender)


def test_no_rasa_replica_reachable_nginx_answers_politely(prod_stack):
    """nginx's own answer when no replica can be reached (both pointed at closed ports)."""
    site = prod_stack.config.site_url
    sender = _mid_form(site, "down-rasa")
    prod_stack.reload_nginx(rasa_ports=(1, 2))  # nothing listens there
    try:
        _polite_within_5_seconds(site, sender, "no Rasa replica")
    finally:
        prod_stack.reload_nginx()
    _goes_on(site, sender)


def _wait_actions(prod_stack, timeout: float = 90) -> None:
    for name in ("actions-1", "actions-2"):
        prod_stack.wait_process(name, timeout)
