"""Reading and checking the next batches of a file in a thread while this one is written.

A bulk import alternates between Python (parsing the CSV, checking each row) and the database
(a ``COPY`` or ``executemany`` and a few set-based statements). The database's drivers let go of
the interpreter while they wait, so a reader thread can get the next batch ready meanwhile: on two
cores the import then takes about the longer of the two, not their sum.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

T = TypeVar("T")

_AHEAD = 2  # batches ready and waiting: enough to cover a slow batch, few megabytes each
_POLL_S = 0.2  # how often a reader blocked on a full queue looks whether the writer gave up


class _Done:
    pass


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(batches: Iterator[T]) -> Generator[T, None, None]:
    """``batches`` in order, produced in a thread up to ``_AHEAD`` ahead of the consumer.

    An error in the reader is raised in the consumer at the batch where it happened; a consumer
    that stops early (its own error) stops the reader at its next batch.
    """
    ready: queue.Queue[T | _Done | _Failed] = queue.Queue(maxsize=_AHEAD)
    stopped = threading.Event()

    def hand_over(value: T | _Done | _Failed) -> bool:
        while not stopped.is_set():
            try:
                ready.put(value, timeout=_POLL_S)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not hand_over(batch):
                    return
        except BaseException as error:  # handed to the consumer, raised there
            hand_over(_Failed(error))
            return
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()  # the file is closed now, not when the collector gets to it
        hand_over(_Done())

    reader = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            value = ready.get()
            if isinstance(value, _Done):
                return
            if isinstance(value, _Failed):
                raise value.error
            yield value
    finally:
        stopped.set()
        reader.join()
