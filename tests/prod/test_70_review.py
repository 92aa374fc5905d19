"""The review of real conversations on the production profile, as a coordinator tries it.

Conversations with misunderstandings through nginx (PostgreSQL keeps them); /revue through
nginx, behind the token, lists them in order of frequency with masked text; three labelled
give three valid training examples (written where tests/prod/conftest.py says: never the
repository's data/nlu); `make forget` and `make purge` take them off the page. The Rasa
route the page reads is not public.
"""

from __future__ import annotations

import base64
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from chat import new_sender, post
from retention import age_events, make
from sqlalchemy import create_engine

# Not the browser test's phrases (tests/web/test_revue_page.py runs on this instance first, and labels its own).
GARE = "a coté de la gare, tel •• •• •• •• ••"
SILLE = "sille le guilaume"
MAYENNE = "je suis au rsa à Mayenne, je veux passer le permis B"
PEOPLE = {
    "gare": [
        '/inform{"besoin": "permis"}',
        '/inform{"situation": "rsa"}',
        "a coté de la gare, tel 07 11 22 33 44",
    ],
    "sille-1": ['/inform{"besoin": "vehicule"}', '/inform{"situation": "rsa"}', SILLE, "/deny"],
    "sille-2": ['/inform{"besoin": "permis"}', '/inform{"situation": "jeune"}', SILLE, "/deny"],
    "mayenne": [MAYENNE, '/change_answer{"reponse": "commune"}'],
}


def _request(url, token=None, data=None):
    headers = {"Authorization": "Basic " + base64.b64encode(f"x:{token}".encode()).decode()} if token else {}
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _learnt(page: str) -> int:
    """How many examples the page says were learnt (« 1 exemple appris », « 6 exemples appris »)."""
    found = re.search(r"(\d+) exemples? appris", page)
    return int(found.group(1)) if found else 0


def _titles(page: str) -> list[str]:
    return re.findall(r'<h3 id="[^"]+">« (.*?) »</h3>', page.replace("&#x27;", "'"))


def test_a_coordinator_reviews_labels_and_retention_removes(prod_stack):
    from rasa.shared.nlu.training_data.loading import load_data

    from web.revue import form_token

    site, token = prod_stack.config.site_url, prod_stack.config.env["OBSERVATOIRE_TOKEN"]
    nlu = Path(prod_stack.config.env["REVUE_NLU_FILE"])
    for path in (nlu, Path(prod_stack.config.env["REVUE_LEXIQUE_FILE"])):
        path.unlink(missing_ok=True)
    senders = {name: new_sender(f"revue-{name}") for name in PEOPLE}
    for name, messages in PEOPLE.items():
        for message in messages:
            assert post(site, senders[name], message)[0] == 200

    assert _request(f"{site}/webhooks/revue/moments", token)[0] == 404  # nginx never routes it
    assert _request(f"{site}/revue")[0] == 401
    started = time.monotonic()
    status, page = _request(f"{site}/revue", token)
    print(f"\n/revue through nginx: {time.monotonic() - started:.2f} s")
    assert status == 200
    titles = _titles(page)
    for text in (GARE, SILLE, MAYENNE):
        assert text in titles, text
    # Twice in this run: at least twice (the conversations of earlier runs are kept 30 days).
    times = re.search(r"« " + SILLE + r' »</h3>\s*<p class="freq">(\d+) fois', page)
    assert times and int(times.group(1)) >= 2
    assert "07 11" not in page
    learnt = _learnt(page)  # the browser tests of this run may have labelled some already

    chosen = {
        GARE: {"intention": "inform"},
        SILLE: {"intention": "inform", "commune_mots": SILLE, "commune_role": "domicile"},
        MAYENNE: {"intention": "inform", "besoin": "permis", "besoin_mots": "passer le permis B"},
    }
    for text, fields in chosen.items():
        form = {"jeton": form_token(token), "texte": text, "action": "apprendre", **fields}
        status, answer = _request(f"{site}/revue", token, form)
        assert status == 303, answer[-800:]
    examples = {m.get("text"): m for m in load_data(str(nlu)).training_examples}
    assert set(examples) == set(chosen)
    assert examples[SILLE].get("entities")[0]["role"] == "domicile"
    status, page = _request(f"{site}/revue", token)
    assert not set(chosen) & set(_titles(page)) and _learnt(page) == learnt + 3

    # A message not labelled yet, to see retention take it away.
    again = new_sender("revue-riviere")
    for message in ['/inform{"besoin": "permis"}', '/inform{"situation": "rsa"}', "pres de la riviere"]:
        assert post(site, again, message)[0] == 200
    other = new_sender("revue-bourg")
    for message in ['/inform{"besoin": "permis"}', '/inform{"situation": "rsa"}', "derriere le bourg"]:
        assert post(site, other, message)[0] == 200
    assert {"pres de la riviere", "derriere le bourg"} <= set(_titles(_request(f"{site}/revue", token)[1]))

    make("forget", f"SENDER={again}")
    assert "pres de la riviere" not in _titles(_request(f"{site}/revue", token)[1])
    age_events(create_engine(prod_stack.tracker_url), other, 31)
    make("purge")
    assert "derriere le bourg" not in _titles(_request(f"{site}/revue", token)[1])
    for sender in senders.values():  # the next run starts from none of these
        make("forget", f"SENDER={sender}")
