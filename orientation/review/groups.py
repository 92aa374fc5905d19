"""The moments as the page lists them: by kind, then by message, most frequent first.

The same words written in several conversations are one group ("c quoi le rsa" four
times): the maintainer reads and labels them once. A group's key is the masked text,
normalized (no case, accents nor punctuation), so that a decision on it (labelled,
dismissed) applies to every occurrence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from orientation.language.normalize import normalize
from orientation.review.masking import mask
from orientation.review.moments import KINDS


def text_key(text: str) -> str:
    return normalize(mask(text))


def digest(text: str) -> str:
    """What a decision on a message is stored under: a hash of its key, not its words."""
    return hashlib.sha256(f"revue:{text_key(text)}".encode()).hexdigest()


@dataclass
class Group:
    kind: str
    key: str
    moments: list = field(default_factory=list)  # latest first

    @property
    def count(self) -> int:
        return len(self.moments)

    @property
    def conversations(self) -> int:
        return len({m["conversation"] for m in self.moments})

    @property
    def simulated(self) -> int:
        return sum(1 for m in self.moments if m.get("simulated"))

    @property
    def last(self) -> float:
        return max(m["timestamp"] for m in self.moments)

    @property
    def example(self) -> dict:
        """The latest occurrence: its message, what the bot understood and answered."""
        return self.moments[0]


@dataclass
class Section:
    kind: str
    groups: list = field(default_factory=list)
    without_message: int = 0  # moments with buttons only: nothing to read
    done: int = 0  # moments whose message is already labelled or dismissed

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups) + self.without_message + self.done


def sections(moments: list[dict], done: set[str] = frozenset()) -> list[Section]:
    """Kinds ordered by how many moments they have, groups by occurrences then recency.

    `done`: the digests of the messages already labelled or dismissed: counted, not listed.
    """
    by_kind: dict[str, Section] = {}
    groups: dict[tuple[str, str], Group] = {}
    for moment in sorted(moments, key=lambda m: -m["timestamp"]):
        section = by_kind.setdefault(moment["kind"], Section(moment["kind"]))
        message = moment.get("message")
        if not message or not (message.get("text") or "").strip():
            section.without_message += 1
            continue
        key = text_key(message["text"])
        if digest(message["text"]) in done:
            section.done += 1
            continue
        group = groups.get((moment["kind"], key))
        if group is None:
            group = groups[(moment["kind"], key)] = Group(moment["kind"], key)
            section.groups.append(group)
        group.moments.append(moment)
    for section in by_kind.values():
        section.groups.sort(key=lambda g: (-g.count, -g.conversations, -g.last))
    order = list(KINDS)
    return sorted(by_kind.values(), key=lambda s: (-s.count, order.index(s.kind)))
