"""A conversation lock shared by the Rasa replicas, on Redis's atomic commands.

Rasa 3.6's `RedisLockStore` reads the whole ticket list, appends a ticket in
Python and writes the list back (GET … SET, rasa#9213): two replicas taking a
ticket for the same conversation at the same moment both get the same number
and handle the two messages at once, and the later write loses the other's
events (tests/prod/test_lock_race.py measures it). Here each step is one Lua
script, which Redis runs atomically:

- take: INCR the conversation's counter and queue the ticket (ZADD), with its
  expiry, in one script: ticket numbers and queue order never disagree;
- turn: drop expired tickets; the lowest ticket in the queue holds the lock;
  its expiry restarts when it gets the lock;
- release: remove the ticket; the last one out deletes the keys.

A take carries a token, so that retrying it after a dropped connection
cannot queue a second ticket nobody will release.

Keys share a `{conversation}` hash tag, so the scripts also run on Redis Cluster.
Waiting is a short poll (20 to 100 ms), not Rasa's 1 s.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Optional

from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

logger = logging.getLogger(__name__)

MAX_WAIT_ENV = "LOCK_MAX_WAIT_SECONDS"

# ARGV[2] is the caller's token: a retried take (the reply lost on a dropped
# connection) returns the same ticket instead of queueing an orphan.
_TAKE = """
local taken = redis.call('HGET', KEYS[4], ARGV[2])
if taken then return tonumber(taken) end
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local ticket = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[4], ARGV[2], ticket)
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('HSET', KEYS[3], ticket, now_ms + tonumber(ARGV[1]))
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, tonumber(ARGV[1]) * 2) end
return ticket
"""

# 1: the lock is ours (expiry restarted); 0: someone before us; -1: our ticket expired.
_TURN = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local expiries = redis.call('HGETALL', KEYS[3])
for i = 1, #expiries, 2 do
  if tonumber(expiries[i + 1]) < now_ms then
    redis.call('ZREM', KEYS[2], expiries[i])
    redis.call('HDEL', KEYS[3], expiries[i])
  end
end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -1 end
local first = redis.call('ZRANGE', KEYS[2], 0, 0)
if first[1] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[3], ARGV[1], now_ms + tonumber(ARGV[2]))
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, tonumber(ARGV[2]) * 2) end
return 1
"""

_RELEASE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[2])
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4]) end
return 1
"""


class AtomicRedisLockStore(LockStore):
    """FIFO ticket lock per conversation; drop-in for `lock_store: type: redis`."""

    def __init__(
        self,
        endpoint_config=None,
        host: str = "localhost",
        port: int = 6379,
        db: int = 1,
        password: Optional[str] = None,
        key_prefix: str = "lock",
        socket_timeout: float = 3,
        max_wait: float | None = None,
        **_ignored,
    ) -> None:
        import redis.asyncio
        from redis.asyncio.retry import Retry
        from redis.backoff import ExponentialBackoff
        from redis.exceptions import ConnectionError, TimeoutError

        if endpoint_config is not None:
            kwargs = endpoint_config.kwargs
            host = endpoint_config.url or host
            port, db = kwargs.get("port", port), kwargs.get("db", db)
            password = kwargs.get("password", password)
            key_prefix = kwargs.get("key_prefix", key_prefix)
            socket_timeout = float(kwargs.get("socket_timeout", socket_timeout))
        # After a Redis restart the pooled connections are dead: checked when
        # idle, and a command that meets one is retried on a new connection.
        self.redis = redis.asyncio.Redis(
            host=host,
            port=int(port),
            db=int(db),
            password=password,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
            health_check_interval=2,
            retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), retries=2),
            retry_on_error=[ConnectionError, TimeoutError],
        )
        self.key_prefix = key_prefix
        self.max_wait = float(max_wait if max_wait is not None else os.environ.get(MAX_WAIT_ENV, "20"))
        self._take = self.redis.register_script(_TAKE)
        self._turn = self.redis.register_script(_TURN)
        self._release = self.redis.register_script(_RELEASE)
        super().__init__()

    def _keys(self, conversation_id: str) -> list[str]:
        base = f"{self.key_prefix}:{{{conversation_id}}}"
        return [f"{base}:next", f"{base}:queue", f"{base}:expires", f"{base}:tokens"]

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[int, None]:
        keys = self._keys(conversation_id)
        lifetime_ms = int(float(lock_lifetime) * 1000)
        token = uuid.uuid4().hex
        ticket = int(await self._take(keys=keys, args=[lifetime_ms, token]))
        try:
            await self._wait_for_turn(keys, ticket, lifetime_ms, conversation_id)
            yield ticket
        finally:
            try:
                await self._release(keys=keys, args=[ticket, token])
            except Exception as error:  # the ticket expires by itself
                logger.warning("Lock release failed (%s); the ticket will expire", type(error).__name__)

    async def _wait_for_turn(self, keys, ticket: int, lifetime_ms: int, conversation_id) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait
        pause = 0.02
        while True:
            turn = int(await self._turn(keys=keys, args=[ticket, lifetime_ms]))
            if turn == 1:
                return
            if turn == -1 or loop.time() > deadline:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            await asyncio.sleep(pause)
            pause = min(pause * 1.5, 0.1)

    # Rasa's `LockStore` API, for callers other than `lock()`.
    def get_lock(self, conversation_id: str):
        return None

    def is_someone_waiting(self, conversation_id: str) -> bool:
        return False
