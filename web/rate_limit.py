"""A sliding-window limit per client address, in memory (one web process).

Codes have 50 bits; the limit keeps guessing slow even so, and stops a
script from filling the table. Behind a reverse proxy every client has the
proxy's address, so the limit becomes shared (the safe side) unless
`WEB_CLIENT_ADDRESS_HEADER` names the header the proxy sets (X-Real-IP…).
"""

from __future__ import annotations

import math
import os
import time
from collections import deque
from collections.abc import Callable

from aiohttp import web

ADDRESS_HEADER_ENV = "WEB_CLIENT_ADDRESS_HEADER"


def client_address(request: web.Request) -> str:
    header = os.environ.get(ADDRESS_HEADER_ENV)
    if header and request.headers.get(header):
        return request.headers[header].split(",")[0].strip()
    return request.remote or "inconnu"


class RateLimiter:
    def __init__(self, limit: int, period: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.period = period
        self.clock = clock
        self._hits: dict[str, deque] = {}

    def retry_after(self, key: str) -> int:
        """0 if this hit is allowed (and counted), else the seconds to wait."""
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.period:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.period - now))
        hits.append(now)
        if len(self._hits) > 10_000:
            self._forget_idle(now)
        return 0

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.period]:
            del self._hits[key]
