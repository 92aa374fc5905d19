"""rasa#9213 measured on the real Redis: Rasa 3.6's RedisLockStore against ours.

Two processes (two replicas) lock the same 120 conversations at the same
instants (tests/prod/lock_race.py). Rasa's store takes its ticket with a GET
then a SET: the figures are printed, not asserted, as they vary with the
machine. Ours must never give one conversation two holders, nor leave one stuck.
"""

from __future__ import annotations

from lock_race import race


def test_rasa_redis_lock_store_race_is_measured(prod_stack):
    result = race("rasa", prod_stack.config.redis_port, prod_stack.secrets["REDIS_PASSWORD"])
    print(f"\nRasa RedisLockStore: {result}")
    assert result["completed"] + sum(result["errors"].values()) == 2 * result["trials"]


def test_atomic_lock_store_never_has_two_holders(prod_stack):
    result = race("atomic", prod_stack.config.redis_port, prod_stack.secrets["REDIS_PASSWORD"])
    print(f"\nAtomicRedisLockStore: {result}")
    assert result["overlapping"] == 0
    assert result["errors"] == {}
    assert result["completed"] == 2 * result["trials"]
