"""Two processes (two replicas) lock the same conversations at the same instants.

Each trial is one conversation: both processes wait for the same wall-clock
instant, then take the lock, hold it for `hold` seconds (a turn) and release
it. A lock that works never has two holders of one conversation at once.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time


def make_store(kind: str, port: int, password: str | None):
    if kind == "rasa":
        from rasa.core.lock_store import RedisLockStore

        return RedisLockStore(host="127.0.0.1", port=port, password=password, db=1)
    from rasa_server.lock_store import AtomicRedisLockStore

    return AtomicRedisLockStore(host="127.0.0.1", port=port, password=password, db=1)


async def _worker(kind, port, password, start, trials, spacing, hold, prefix, timeout):
    store = make_store(kind, port, password)
    intervals = []

    async def turn(i):
        async with store.lock(f"{prefix}-{i}", lock_lifetime=3, wait_time_in_seconds=0.02):
            entered = time.time()
            await asyncio.sleep(hold)
            intervals.append((i, entered, time.time()))

    async def trial(i):
        await asyncio.sleep(max(0.0, start + i * spacing - time.time()))
        try:
            await asyncio.wait_for(turn(i), timeout)
        except asyncio.TimeoutError:  # still waiting for a lock nobody holds
            intervals.append((i, None, "stuck"))
        except Exception as error:  # Rasa's LockError when its ticket vanished
            intervals.append((i, None, type(error).__name__))

    await asyncio.gather(*(trial(i) for i in range(trials)))
    return intervals


def _run(queue, *args):
    queue.put(asyncio.run(_worker(*args)))


def race(
    kind: str,
    port: int,
    password: str | None = None,
    trials: int = 120,
    spacing: float = 0.03,
    hold: float = 0.02,
    processes: int = 2,
    timeout: float = 8,
) -> dict:
    """How many of `trials` conversations had two lock holders at once."""
    import rasa.core.lock_store  # noqa: F401  imported before the fork: both start on time

    import rasa_server.lock_store  # noqa: F401

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start = time.time() + 1.0
    prefix = f"race-{kind}-{time.time_ns()}"
    workers = [
        context.Process(
            target=_run, args=(queue, kind, port, password, start, trials, spacing, hold, prefix, timeout)
        )
        for _ in range(processes)
    ]
    for w in workers:
        w.start()
    results = [queue.get(timeout=start - time.time() + trials * spacing + timeout + 30) for _ in workers]
    for w in workers:
        w.join(timeout=10)
    by_trial: dict[int, list] = {}
    errors: dict[str, int] = {}
    for intervals in results:
        for i, entered, left in intervals:
            if entered is None:
                errors[left] = errors.get(left, 0) + 1
            else:
                by_trial.setdefault(i, []).append((entered, left))
    overlapping = 0
    for spans in by_trial.values():
        spans.sort()
        if any(b[0] < a[1] for a, b in zip(spans, spans[1:], strict=False)):
            overlapping += 1
    completed = sum(len(s) for s in by_trial.values())
    return {"trials": trials, "overlapping": overlapping, "completed": completed, "errors": errors}
