"""SQLite's write-ahead log copied into the database file on a thread of its own (ADR 80).

In WAL mode a commit appends its pages to the log; a checkpoint later copies them into the
database file and waits for the disk twice (the log, then the file). SQLite's own automatic
checkpoint runs inside the commit that takes the log past 1,000 pages, so the committing
writer pays for it: at the issue's size the worker's batch commits spent 0.08 ms an event
waiting there, a quarter of its wall time (issue 18). The write lock is held meanwhile, so a
POST of events waited for it too.

Here each write commit nudges a thread that checkpoints on a connection of its own while the
writer goes on with its next transaction (a passive checkpoint takes no write lock and copies
only what no reader still needs). Durability does not change: every commit still waits for its
log pages to reach the disk (``synchronous=FULL``), and the checkpoint is the same operation, on
another thread. SQLite's automatic checkpoint stays as a backstop, at ``BACKSTOP_PAGES``: the log
is only reset (written again from its start) by a writer that finds it all copied, which a writer
that never pauses rarely does, and a process whose thread cannot keep up (or is gone) still
bounds its log there.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

import structlog

log = structlog.get_logger("heedful.storage")

# 40 MB of 4 KiB pages: a full-size worker writes about 13 KB an event, so the writer's own
# checkpoint comes every 3,000 events or so, and copies only what the thread has not.
BACKSTOP_PAGES = 10_000
# An idle thread ends (and closes its connection); the next commit starts another.
IDLE_S = 5.0
# Between two checkpoints: each wakes the thread and hands Python's GIL back and forth with the
# worker's a few times, and on a busy machine each hand-over cost the worker a wait for the
# thread to be scheduled (checkpointing after every commit, 5 % of its wall time). A commit in
# the pause is copied with those after it; at 4,000 events a second that is ~13 MB of log.
PAUSE_S = 0.25


class Checkpointer:
    """One database file's checkpoints, run by one thread at a time, nudged by commits."""

    def __init__(
        self,
        idle_s: float = IDLE_S,
        pause_s: float = PAUSE_S,
        stopwatch: Callable[[], float] = time.monotonic,
    ) -> None:
        self._idle_s = idle_s
        self._pause_s = pause_s
        self._stopwatch = stopwatch
        self._last: float | None = None  # when the last checkpoint ended
        self._hurry = False  # copy what is due now, without the pause
        self._mutex = threading.Condition()
        self._path: str | None = None  # None: not known yet, or not a file (":memory:")
        self._due = False
        self._busy = False
        self._stopped = False
        self._thread: threading.Thread | None = None

    def knows_file(self, path: str) -> None:
        """The database's file, as a connection names it (``PRAGMA database_list``)."""
        with self._mutex:
            self._path = path or None

    def nudge(self) -> None:
        """After a write commit: its pages are copied soon, elsewhere."""
        with self._mutex:
            if self._path is None:
                return
            was_due, self._due = self._due, True
            self._stopped = False
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, args=(self._path,), name="sqlite-checkpoints", daemon=True
                )
                self._thread.start()
            elif not was_due:  # a nudge in the pause leaves the thread asleep (GIL, above)
                self._mutex.notify_all()

    def until_done(self, timeout_s: float) -> bool:
        """Until every nudge so far has been followed by a whole checkpoint, without the pause
        (tests, shutdown)."""
        with self._mutex:
            self._hurry = True
            self._mutex.notify_all()
            return self._mutex.wait_for(lambda: not self._due and not self._busy, timeout_s)

    def stop(self) -> None:
        """The thread ends after the checkpoint it is running (the engine was disposed)."""
        with self._mutex:
            self._stopped = True
            self._due = False
            self._mutex.notify_all()

    def _run(self, path: str) -> None:
        try:
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            log.warning("sqlite checkpoints: cannot open the database", exc_info=True)
            with self._mutex:
                self._thread, self._due = None, False
                self._mutex.notify_all()
            return
        try:
            # The copy into the file waits for the disk, as the writer's own checkpoint did.
            connection.execute("PRAGMA synchronous=FULL")
            while self._next():
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    # The writer's own checkpoint (the backstop) still bounds the log.
                    log.warning("sqlite checkpoint failed", exc_info=True)
                finally:
                    with self._mutex:
                        self._busy = False
                        self._last = self._stopwatch()
                        self._mutex.notify_all()
        finally:
            connection.close()

    def _next(self) -> bool:
        """Waits for a nudge; False: stopped, or idle too long, and the thread ends (decided
        under the lock, so that a nudge after it starts another thread)."""
        with self._mutex:
            while not self._stopped:
                if not self._due:
                    if not self._mutex.wait(self._idle_s) and not self._due:
                        break  # idle
                    continue
                paused = 0.0
                if self._last is not None and not self._hurry:
                    paused = self._last + self._pause_s - self._stopwatch()
                if paused <= 0:
                    self._due, self._busy, self._hurry = False, True, False
                    return True
                self._mutex.wait(paused)
            self._thread = None
            self._mutex.notify_all()
            return False
