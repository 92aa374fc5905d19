"""Limits per client address: in memory (one web process), or in Redis (shared by the replicas).

Codes have 50 bits; the limit keeps guessing slow even so, and stops a
script from filling the table.

The address is the connection's, unless it comes from a trusted proxy:
behind nginx every connection comes from nginx, so nginx sets `X-Real-IP`
to the address it saw (replacing any the client sent), and the web app
believes that header only from the addresses in `WEB_TRUSTED_PROXIES`
(addresses or networks, comma separated; the loopback when unset). The
header's name is `WEB_CLIENT_ADDRESS_HEADER` (unset: no header is believed).

With several web replicas, a count in each process would let a person make
the limit's number of tries on each replica: `WEB_RATE_LIMIT_REDIS_URL`
keeps the counts in Redis (a sliding window per address, one Lua script:
atomic, on Redis's clock). If Redis does not answer, each process counts on
its own until it does: limited per replica rather than not at all.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import os
import time
import uuid
from collections import deque
from collections.abc import Callable

from aiohttp import web

ADDRESS_HEADER_ENV = "WEB_CLIENT_ADDRESS_HEADER"
TRUSTED_PROXIES_ENV = "WEB_TRUSTED_PROXIES"
REDIS_URL_ENV = "WEB_RATE_LIMIT_REDIS_URL"
LOOPBACK = "127.0.0.1,::1"

log = logging.getLogger(__name__)


def _trusted_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    listed = os.environ.get(TRUSTED_PROXIES_ENV) or LOOPBACK
    return [ipaddress.ip_network(item.strip(), strict=False) for item in listed.split(",") if item.strip()]


def _is_trusted(remote: str | None) -> bool:
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    return any(address in network for network in _trusted_networks())


def client_address(request: web.Request) -> str:
    """The person's address: the trusted proxy's header, else the connection's."""
    header = os.environ.get(ADDRESS_HEADER_ENV)
    value = getattr(request, "headers", {}).get(header) if header else None
    if value and _is_trusted(request.remote):
        # X-Forwarded-For lists what each proxy saw: the last one is the trusted proxy's.
        return value.split(",")[-1].strip()
    return request.remote or "inconnu"


class RateLimiter:
    """`limit` hits per `period` seconds and per key, in this process's memory."""

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

    async def seconds_to_wait(self, key: str) -> int:
        return self.retry_after(key)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.period]:
            del self._hits[key]


# The same window in Redis: the hits of the last `period` in a sorted set, scored by Redis's
# time; a hit is added only when there is room. Returns the milliseconds to wait (0: allowed).
_HIT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local period = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms - period)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + period - now_ms)
end
redis.call('ZADD', KEYS[1], now_ms, ARGV[3])
redis.call('PEXPIRE', KEYS[1], period)
return 0
"""


class RedisRateLimiter:
    """`limit` hits per `period` seconds and per key, counted in Redis for every web replica."""

    def __init__(self, url: str, name: str, limit: int, period: float = 60.0):
        self.url = url
        self.name = name
        self.limit = limit
        self.period = period
        self.fallback = RateLimiter(limit, period)  # while Redis does not answer
        self._script = None
        self._failing = False

    def _hit_script(self):
        if self._script is None:  # created in the app's event loop
            import redis.asyncio

            client = redis.asyncio.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
            self._script = client.register_script(_HIT)
        return self._script

    async def seconds_to_wait(self, key: str) -> int:
        from redis.exceptions import RedisError

        try:
            wait_ms = int(
                await self._hit_script()(
                    keys=[f"web-limit:{self.name}:{key}"],
                    args=[self.limit, int(self.period * 1000), uuid.uuid4().hex],
                )
            )
        except (RedisError, OSError) as error:
            if not self._failing:
                log.warning("Redis ne répond pas (%s) : limites comptées par processus", type(error).__name__)
            self._failing = True
            return self.fallback.retry_after(key)
        if self._failing:
            log.info("Redis répond de nouveau : limites partagées")
            self._failing = False
        return math.ceil(wait_ms / 1000) if wait_ms else 0


def limiter(name: str, limit: int, period: float = 60.0) -> RateLimiter | RedisRateLimiter:
    """In Redis when WEB_RATE_LIMIT_REDIS_URL is set (the production profile), else in memory."""
    url = os.environ.get(REDIS_URL_ENV)
    return RedisRateLimiter(url, name, limit, period) if url else RateLimiter(limit, period)
