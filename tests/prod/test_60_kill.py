"""A person mid-conversation does not notice a replica's `kill -9`.

The conversation goes through nginx from one client address (so, while both
replicas are up, to one replica); the replica that served the last turn is
killed with SIGKILL; the next message is answered by the other one, with the
right orientation and no question asked again. Last of the stack tests: the
killed replica is not restarted (a model load takes a minute or more).
"""

from __future__ import annotations

import re
import signal
import time

from chat import assert_laval_rsa_permis, new_sender, orientation, post, questions


def _upstreams(prod_stack, source: str) -> list[str]:
    """The replica that answered each REST turn from `source`, oldest first."""
    lines = (prod_stack.config.logs / "nginx-access.log").read_text().splitlines()
    found = []
    for line in lines:
        match = re.match(
            rf"{re.escape(source)} .*\"POST /webhooks/rest/webhook\" \d+ .*"
            r"upstream=(.*?) upstream_status=",
            line,
        )
        if match:  # "a, b" when nginx moved on to the other replica
            found.append(match.group(1).split(",")[-1].strip())
    return found


def _last_upstream(prod_stack, source: str, turns: int) -> str:
    """The replica of turn number `turns` (nginx logs a turn just after answering it)."""
    deadline = time.monotonic() + 5
    while len(found := _upstreams(prod_stack, source)) < turns:
        assert time.monotonic() < deadline, f"turn {turns} from {source} not in nginx's log"
        time.sleep(0.1)
    return found[turns - 1]


def test_kill_9_of_the_serving_replica_mid_form(prod_stack):
    site, source = prod_stack.config.site_url, "127.0.0.7"
    before = len(_upstreams(prod_stack, source))
    sender = new_sender("kill9")
    for message in ("je veux passer le permis", "je suis au RSA"):
        status, reply = post(site, sender, message, source=source)
        assert status == 200 and reply
    assert "commune" in questions(reply)
    served = _last_upstream(prod_stack, source, before + 2)
    port = int(served.rsplit(":", 1)[1])
    victim = f"rasa-{prod_stack.config.rasa_ports.index(port) + 1}"
    prod_stack.kill(victim, signal.SIGKILL)
    assert prod_stack.pid(victim) is None

    status, reply = post(site, sender, "Laval", source=source)
    assert status == 200, reply
    assert orientation(reply), reply
    assert_laval_rsa_permis(orientation(reply))
    asked = questions(reply)
    assert not asked & {"situations", "besoin", "commune"}, asked
    other = _last_upstream(prod_stack, source, before + 3)
    assert other != served
    print(f"\nkill -9 {victim} ({served}): next turn answered by {other}, orientation right")
