"""`make review-demo`: invented people talk to the real bot, and the review page lists what went wrong.

The people of orientation/review/simulation.py are played through the REST
channel as `simulation-<n>-<random>`: the review page (/revue) marks their
conversations as simulated. They are real conversations of the running bot,
kept and forgotten as any other (an hour in memory under `make run`).

- A bot answers at RASA_URL (default http://127.0.0.1:5005, `make run`): the
  people talk to it; its page must have been started with OBSERVATOIRE_TOKEN.
- Otherwise `make run`'s servers are started here (RASA_PORT, ACTIONS_PORT,
  WEB_PORT as for `make run`), with OBSERVATOIRE_TOKEN (generated when it is
  not set, and printed), and kept until Ctrl+C.

Prints the moments found, by kind, as the review page counts them.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import sys
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from topology import READINESS_MESSAGE, send  # noqa: E402

from orientation.review.moments import KINDS  # noqa: E402
from orientation.review.simulation import PEOPLE  # noqa: E402


def answers(rasa_url: str) -> bool:
    try:
        return bool(send(rasa_url, f"readiness-{uuid.uuid4().hex}", READINESS_MESSAGE, 10))
    except OSError:
        return False


def play(rasa_url: str) -> int:
    for number, messages in enumerate(PEOPLE, 1):
        sender = f"simulation-{number:03d}-{uuid.uuid4().hex[:8]}"
        for message in messages:
            send(rasa_url, sender, message)
    return len(PEOPLE)


def moments(rasa_url: str, token: str) -> dict | None:
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/revue/moments", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())
    except OSError:
        return None


def report(rasa_url: str, web_url: str, token: str | None) -> None:
    document = moments(rasa_url, token) if token else None
    if document is None:
        print("Moments non lus : le serveur Rasa n'a pas le même OBSERVATOIRE_TOKEN que cette commande.")
    else:
        simulated = [m for m in document["moments"] if m.get("simulated")]
        counts = Counter(m["kind"] for m in simulated)
        print(f"Moments trouvés dans les conversations simulées : {len(simulated)}")
        for kind, label in KINDS.items():
            print(f"  {label} : {counts.get(kind, 0)}")
        print(
            "  (une conversation laissée en plan compte « sans orientation » après 10 minutes sans message)"
        )
    print(f"\n  Page de revue : {web_url}/revue  (jeton : {token or 'OBSERVATOIRE_TOKEN de la page'})")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    rasa_url = os.environ.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/")
    web_url = os.environ.get("WEB_URL", "http://127.0.0.1:8080").rstrip("/")
    token = os.environ.get("OBSERVATOIRE_TOKEN")
    if answers(rasa_url):
        print(f"{play(rasa_url)} conversations simulées jouées avec le bot de {rasa_url}.")
        report(rasa_url, web_url, token)
        return 0
    from stack import Stack

    token = token or secrets.token_urlsafe(12)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the servers too
    stack = Stack(
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        actions_port=int(os.environ.get("ACTIONS_PORT", "5055")),
        web_port=int(os.environ.get("WEB_PORT", "8080")),
        env={"OBSERVATOIRE_TOKEN": token},
    )
    print("Aucun bot ne répond : démarrage des serveurs de « make run »…", flush=True)
    try:
        stack.start(timeout=float(os.environ.get("BOT_START_TIMEOUT", "240")))
        print(f"{play(stack.rasa_url)} conversations simulées jouées.")
        report(stack.rasa_url, stack.web_url, token)
        print("  Ctrl+C pour arrêter.", flush=True)
        while all(p.poll() is None for _, p, _ in stack.processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
