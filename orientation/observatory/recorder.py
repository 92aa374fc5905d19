"""Recording events without slowing a conversation down, and without ever failing it.

The action server answers everyone on one event loop (rasa#8436): a database
write there would make every conversation wait. `Recorder.submit` only puts
the event in a bounded queue; one daemon thread writes the queue to the
database in small batches. A full queue or a database down drops events with
a warning in the log: the observatory may miss a count, a person never misses
an answer.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time
from collections.abc import Callable

from orientation.observatory import store
from orientation.observatory.event import Event

log = logging.getLogger(__name__)

QUEUE_SIZE = 10_000
BATCH_SIZE = 500
WARN_EVERY_S = 60.0  # at most one warning a minute when the database is down


class Recorder:
    def __init__(self, url: str | Callable[[], str] | None = None, queue_size: int = QUEUE_SIZE):
        self._url = url
        self._queue: queue.Queue[Event] = queue.Queue(maxsize=queue_size)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._engine = None
        self._warned_at = float("-inf")
        self.dropped = 0

    @property
    def url(self) -> str:
        return store.events_url(self._url() if callable(self._url) else self._url)

    def submit(self, event: Event) -> None:
        """Queue one event (microseconds, never blocks, never raises on a full queue)."""
        self._ensure_thread()
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self.dropped += 1
            self._warn("file d'attente pleine, événement abandonné")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event is written (or dropped); False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="observatoire", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < BATCH_SIZE:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(batch)
            except Exception as exc:  # the database is down, full, locked…: count lost, answer kept
                self.dropped += len(batch)
                self._engine = None  # reconnect next time
                first_line = str(exc).splitlines()[0][:200] if str(exc) else ""
                self._warn(
                    f"{len(batch)} événement(s) non enregistré(s) ({type(exc).__name__}: {first_line})"
                )
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _write(self, batch: list[Event]) -> None:
        if self._engine is None:
            self._engine = store.connect(self.url)
        store.add_events(self._engine, batch)

    def _warn(self, what: str) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("Observatoire : %s", what)


_default: Recorder | None = None
_default_lock = threading.Lock()


def default_recorder() -> Recorder:
    """The process's recorder, writing where `store.events_url()` says (read when first used)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Recorder()
            atexit.register(_default.flush, 2.0)
        return _default
