"""Real conversations through the REST channel, and what the review finds in them (the real servers).

The Rasa server keeps them in memory, as under `make run`; its review route
(rasa_server/review.py) finds the moments with markers.yml and
orientation/review/moments.py. The conversations are driven by buttons where
the words do not matter, and by words whose reading is settled (a commune that
does not exist, a spelling the bot asks to confirm, a whole profile in one message).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.request
import uuid

import pytest

from stack import send

REVIEW_TOKEN = os.environ.get("BOT_REVIEW_TOKEN", "jeton-des-tests")  # tests/conftest.py gives it to Rasa

PEOPLE = {
    "commune passée": [
        '/inform{"besoin": "permis"}',
        '/inform{"situation": "rsa"}',
        "vers chez ma tante, mon tel 06 12 34 56 78",
        "/skip_question",
    ],
    "commune refusée": ['/inform{"besoin": "vehicule"}', '/inform{"situation": "rsa"}', "mamer", "/deny"],
    "commune changée": [
        "je suis au rsa à Laval, je veux passer le permis de conduire",
        '/change_answer{"reponse": "commune"}',
    ],
}
EXPECTED = {
    "commune passée": {
        ("question_reposee", "code", "vers chez ma tante, mon tel •• •• •• •• ••"),
        ("question_passee", "marqueur", "vers chez ma tante, mon tel •• •• •• •• ••"),
    },
    "commune refusée": {("confirmation_refusee", "marqueur", "mamer")},
    "commune changée": {
        ("correction", "marqueur", "je suis au rsa à Laval, je veux passer le permis de conduire")
    },
}


def moments(rasa_url: str, token: str | None = REVIEW_TOKEN) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(f"{rasa_url}/webhooks/revue/moments", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def play(rasa_url: str) -> dict[str, str]:
    """Each person's conversation id: the hash the review names it by."""
    ids = {}
    for name, messages in PEOPLE.items():
        sender = f"revue-e2e-{uuid.uuid4().hex[:10]}"
        for message in messages:
            send(rasa_url, sender, message)
        ids[name] = hashlib.sha256(sender.encode()).hexdigest()[:12]
    return ids


@pytest.fixture(scope="module")
def played(bot_servers):
    ids = play(bot_servers.rasa_url)
    started = time.monotonic()
    status, document = moments(bot_servers.rasa_url)
    print(f"\nrevue : {len(document.get('moments', []))} moments lus en {time.monotonic() - started:.2f} s")
    assert status == 200
    return ids, document


def test_the_review_finds_what_went_wrong_in_real_conversations_masked(played):
    ids, document = played
    for name, conversation in ids.items():
        found = {
            (m["kind"], m["found_by"], (m["message"] or {}).get("text"))
            for m in document["moments"]
            if m["conversation"] == conversation
        }
        assert found == EXPECTED[name], name
    assert "06 12" not in json.dumps(document)


def test_the_review_route_needs_the_token(bot_servers):
    assert moments(bot_servers.rasa_url, token=None)[0] == 401
    assert moments(bot_servers.rasa_url, token="mauvais")[0] == 401
