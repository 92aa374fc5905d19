"""Conversations as Rasa stores them (event dicts), written by hand for the review's tests.

Each helper returns the dict of one event, with the fields the review reads,
in the shape `Event.as_dict()` gives (tests/test_review.py turns them back into
Rasa's events for the markers).
"""

from __future__ import annotations

import itertools

_clock = itertools.count(1_800_000_000, 5)


def user(text, intent="inform", confidence=0.9, lecture=None, entities=(), ranking=None, at=None):
    return {
        "event": "user",
        "timestamp": at if at is not None else float(next(_clock)),
        "text": text,
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": [dict(e) for e in entities],
            "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
            "lecture": lecture if lecture is not None else {},
        },
        "input_channel": "rest",
    }


def bot(text, question=None, orientation=False, at=None):
    custom = {}
    if question:
        custom["question"] = question
    if orientation:
        custom["orientation"] = {"version": 2, "statut": "orientation"}
    data = {"custom": custom} if custom else {}
    return {
        "event": "bot",
        "timestamp": at if at is not None else float(next(_clock)),
        "text": text,
        "data": data,
    }


def action(name, at=None):
    return {"event": "action", "timestamp": at if at is not None else float(next(_clock)), "name": name}


def slot(name, value, at=None):
    return {
        "event": "slot",
        "timestamp": at if at is not None else float(next(_clock)),
        "name": name,
        "value": value,
    }


def session(at=None):
    at = at if at is not None else float(next(_clock))
    return [
        action("action_session_start", at),
        {"event": "session_started", "timestamp": at},
        action("action_listen", at),
    ]


def place(text, codes=("53130",), role="domicile", start=0):
    return {
        "text": text,
        "codes": list(codes),
        "role": role,
        "evidence": 1,
        "start": start,
        "end": start + len(text),
    }


def lecture(**facts):
    """A reading dict (`Reading.as_dict()`'s keys the review reads)."""
    base = {
        "situations": [],
        "situations_ended": [],
        "besoin": None,
        "besoin_strength": 0,
        "terms": [],
        "topic": None,
        "age": None,
        "number": None,
        "places": [],
        "professional": False,
        "beneficiary": False,
        "signals": [],
        "spans": [],
    }
    base.update(facts)
    return base


def now_after(events, seconds):
    return max(e["timestamp"] for e in events) + seconds
