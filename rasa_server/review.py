"""The review page's source, inside the Rasa server: the moments stored conversations went wrong.

A channel (credentials.yml) only for its route: `GET /webhooks/revue/moments`
answers the moments of every conversation the tracker store keeps, masked
(orientation/review/moments.py), with markers.yml evaluated by Rasa's own
marker classes. Here because the conversations are here, whatever keeps them:
in memory under `make run` (the web page cannot read another process's
memory), in PostgreSQL under `make prod`, through the same tracker store API.
So the review sees exactly what retention keeps: a purged or forgotten
conversation is gone from it at once.

Closed unless `OBSERVATOIRE_TOKEN` is set and sent as `Authorization: Bearer`
(compared in constant time); `REVUE_ACTIVE=0` turns it off. nginx and the
Kubernetes Ingress never route it (scripts/topology.py lists Rasa's public
paths: the REST and socket.io channels only): the web page asks for it from
inside (web/revue.py). The trackers are read in a worker thread, off the
event loop that serves people (Rasa's SQL tracker store queries synchronously).
Nothing here logs a message.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response

from orientation.review import TOKEN_ENV, enabled
from orientation.review.moments import ENDED_AFTER, PROBES, find_moments, moments_document

logger = logging.getLogger(__name__)

MARKERS = Path(__file__).resolve().parent.parent / "markers.yml"


def _authorized(header: str, token: str) -> bool:
    scheme, _, value = (header or "").partition(" ")
    presented = value.strip() if scheme.lower() == "bearer" else ""
    return bool(presented) and hmac.compare_digest(presented.encode("utf-8"), token.encode("utf-8"))


def marker_hits(marker, events) -> dict[str, list[int]]:
    """markers.yml's marker name → the indices (in `events`) of the events where it applied."""
    hits: dict[str, list[int]] = {}
    for session in marker.evaluate_events(events):
        for name, metadata in session.items():
            hits.setdefault(name, []).extend(m.idx for m in metadata)
    return hits


@dataclass(frozen=True)
class _Read:
    """A conversation's moments, as long as its fingerprint and whether it is over are the same."""

    fingerprint: tuple
    last: float  # its last event's time
    ended: bool
    moments: list


# The moments of each stored conversation already read, by sender (this process's only): a
# conversation is read again (retrieved, replayed, its markers evaluated) only once it changed.
# A conversation no longer stored (purged, forgotten, expired) leaves it at the next collection.
_read: dict[str, _Read] = {}
READ_AT_ONCE = 500  # conversations read in one query, where the store can
_reading = threading.Lock()


def _ours(tracker_store, method: str):
    """A method of the stores of rasa_server/tracker_store.py, through Rasa's wrappers; or None."""
    while not hasattr(tracker_store, method) and hasattr(tracker_store, "_tracker_store"):
        tracker_store = tracker_store._tracker_store
    return getattr(tracker_store, method, None)


async def _fingerprints(tracker_store) -> dict[str, tuple] | None:
    """What tells each conversation changed, if the store can say it."""
    fingerprints = _ours(tracker_store, "fingerprints")
    return await fingerprints() if fingerprints else None


async def _trackers(tracker_store, senders: list[str]):
    """The full tracker of each of `senders` (None if gone), many at once where the store can."""
    many = _ours(tracker_store, "retrieve_many")
    for start in range(0, len(senders), READ_AT_ONCE):
        chunk = senders[start : start + READ_AT_ONCE]
        found = await many(chunk) if many else {}
        for sender in chunk:
            yield sender, found.get(sender) if many else await tracker_store.retrieve_full_tracker(sender)


async def collect(tracker_store, now: float | None = None) -> dict:
    """The moments of every stored conversation (readiness probes left out)."""
    from rasa.core.evaluation.marker_base import Marker

    now = time.time() if now is None else now
    marker = None  # stateful: one per collection, made when a conversation is read
    moments, conversations = [], 0
    prints = await _fingerprints(tracker_store)
    senders = [s for s in list(await tracker_store.keys()) if not s.startswith(PROBES)]
    for gone in set(_read) - set(senders):
        del _read[gone]
    to_read = []
    for sender_id in senders:
        known, fingerprint = _read.get(sender_id), (prints or {}).get(sender_id)
        if known and fingerprint is not None and known.fingerprint == fingerprint:
            if known.ended == (now - known.last >= ENDED_AFTER):
                conversations += 1
                moments.extend(known.moments)
                continue
        to_read.append(sender_id)
    async for sender_id, tracker in _trackers(tracker_store, to_read):
        if tracker is None:
            continue
        fingerprint = (prints or {}).get(sender_id)
        conversations += 1
        marker = marker or Marker.from_path(MARKERS)
        events = list(tracker.events)
        found = find_moments(sender_id, [e.as_dict() for e in events], marker_hits(marker, events), now)
        moments.extend(found)
        if fingerprint is not None:
            last = events[-1].timestamp if events else 0.0
            _read[sender_id] = _Read(fingerprint, last, now - last >= ENDED_AFTER, found)
    return moments_document(moments, conversations, now)


def _collect_in_thread(tracker_store) -> dict:
    with _reading:  # one collection at a time: the second finds the first's work done
        return asyncio.run(collect(tracker_store))


class ReviewInput(InputChannel):
    """Not a chat channel: the route the review page reads the moments from."""

    @classmethod
    def name(cls) -> str:
        return "revue"

    def blueprint(self, on_new_message) -> Blueprint:
        review = Blueprint("revue_moments", __name__)

        @review.route("/moments", methods=["GET"])
        async def moments(request):
            if not enabled():
                return response.json({"erreur": "revue désactivée (REVUE_ACTIVE=0)"}, status=404)
            token = os.environ.get(TOKEN_ENV)
            if not token:
                return response.json({"erreur": f"revue fermée : {TOKEN_ENV} absent"}, status=403)
            if not _authorized(request.headers.get("Authorization", ""), token):
                return response.json({"erreur": "jeton requis"}, status=401)
            agent = request.app.ctx.agent
            if agent is None or agent.tracker_store is None:
                return response.json({"erreur": "modèle pas encore chargé"}, status=503)
            started = time.monotonic()
            document = await asyncio.to_thread(_collect_in_thread, agent.tracker_store)
            logger.info(
                "Revue : %d moment(s) dans %d conversation(s) en %.2f s",
                len(document["moments"]),
                document["conversations"],
                time.monotonic() - started,
            )
            return response.json(document, headers={"Cache-Control": "no-store"})

        return review
