"""SQLite's write lock taken in turn, first come first served, by the threads of one process.

With the embedded default the API and the worker share one process and one SQLite file, and
every transaction takes the write lock up front (``BEGIN IMMEDIATE``, engine.py). SQLite has
no queue for that lock: a writer that finds it taken sleeps in its busy handler (1, 2, 5 ...
then 100 ms at a time) and tries again, while the holder, on commit, is free to take the lock
again at once. A worker going from batch to batch without a pause did just that, and a POST of
events, whose group commit was sleeping, found the lock taken at every try: it waited for as
long as the worker had work, up to the busy timeout (issue 18, ADR 60).

Here each transaction of this process first waits for its turn: the lock is handed, on commit
or rollback, to the thread that has waited longest, so a writer waits for the transactions
ahead of it and no more. A transaction longer than the busy timeout cannot make the others wait
forever: past ``patience`` a thread goes ahead without its turn, to SQLite's busy handler, as
before. Other processes (``heedful ingest``, a second server) still meet only SQLite's lock.
"""

from __future__ import annotations

import threading
from collections import deque


class WriteTurns:
    """A fair lock, handed over in order of arrival, with the holder named by its connection."""

    def __init__(self, patience_s: float) -> None:
        self._patience_s = patience_s
        self._mutex = threading.Condition()
        self._holder: object | None = None
        self._waiting: deque[tuple[threading.Event, object]] = deque()

    def take(self, holder: object) -> bool:
        """Wait for the turn of ``holder`` (a DB-API connection); False: went ahead without it."""
        with self._mutex:
            if self._holder is None:
                self._holder = holder
                return True
            handed = threading.Event()
            self._waiting.append((handed, holder))
            self._mutex.notify_all()
        if handed.wait(self._patience_s):
            return True
        with self._mutex:
            if handed.is_set():  # handed over between the timeout and the mutex
                return True
            self._waiting.remove(next(w for w in self._waiting if w[0] is handed))
        return False

    def give_back(self, holder: object) -> None:
        """After the commit or rollback of ``holder``; nothing when it does not hold the turn."""
        with self._mutex:
            if self._holder is not holder:
                return
            if self._waiting:
                handed, self._holder = self._waiting.popleft()
                handed.set()
            else:
                self._holder = None

    def held_by(self, holder: object) -> bool:
        """Whether ``holder`` holds the turn (a writing transaction of this process)."""
        with self._mutex:
            return self._holder is holder

    @property
    def free(self) -> bool:
        """Nobody holds the turn."""
        with self._mutex:
            return self._holder is None

    def until_waiting(self, count: int, timeout_s: float) -> bool:
        """Until ``count`` transactions wait for their turn (tests order threads by it)."""
        with self._mutex:
            return self._mutex.wait_for(lambda: len(self._waiting) >= count, timeout_s)
