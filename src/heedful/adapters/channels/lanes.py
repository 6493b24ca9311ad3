"""A batch of messages sent over a few connections at once, each lane in a thread of its own.

Sending is waiting: for the SMTP server's four replies, for the gateway's answer. A socket that
waits releases the interpreter, so a handful of threads, each sending its share of the batch in
order over its own connection, hide most of that wait (ADR 52). The threads live as long as the
sender; ``go_on`` is asked before each message, and one not tried is reported as None.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from heedful.core.outreach.envelope import Envelope, SendFailed, Sent


class Lanes:
    def __init__(self, count: int, name: str) -> None:
        self.count = max(1, count)
        self._name = name
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def send(
        self,
        send: Callable[[Envelope], str],
        envelopes: Sequence[Envelope],
        go_on: Callable[[], bool],
    ) -> list[Sent]:
        """Each envelope's reference, refusal, or None when ``go_on`` said stop before it."""
        results: list[Sent] = [None] * len(envelopes)
        lanes = min(self.count, len(envelopes))

        def lane(first: int) -> None:
            for position in range(first, len(envelopes), lanes):
                if not go_on():
                    return
                try:
                    results[position] = send(envelopes[position])
                except SendFailed as refused:
                    results[position] = refused

        if lanes <= 1:
            lane(0)
            return results
        pool = self._threads()
        for finished in [pool.submit(lane, first) for first in range(lanes)]:
            finished.result()
        return results

    def _threads(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.count, thread_name_prefix=self._name)
            return self._pool

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
