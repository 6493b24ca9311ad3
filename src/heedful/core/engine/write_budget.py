"""How long one batch of events may keep the store's write lock (ADR 60).

On the embedded default (SQLite, ``heedful serve``) a batch's transaction holds the one write
lock of the database from its claim to its commit, and a POST of events waits behind it. A batch
of 200 events that wake someone took about 0.25 s on an idle machine, one whose events reach a
preference playbook several seconds. So a batch is cut by time as well as by count: after each
event the engine reads the stopwatch and, once the budget is spent, marks and commits what it has
done; the events it claimed and did not reach stay in the inbox, first in line for the next
batch. At least one event is handled per batch, so the engine always moves.

The stopwatch is given, as the clock is: the worker gives ``time.monotonic``, a test a fake it
moves by hand. A budget with no stopwatch never runs out (the count alone bounds the batch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_WRITE_BUDGET_S = 0.1
CLAIM_MOST = 200  # events claimed by a batch when the budget lets it reach them all
CLAIM_LEAST = 16


@dataclass(frozen=True, slots=True)
class WriteBudget:
    seconds: float = DEFAULT_WRITE_BUDGET_S
    stopwatch: Callable[[], float] | None = None  # seconds, only ever going forward

    def start(self) -> Callable[[], bool]:
        """From now: a test that says whether the budget is spent."""
        stopwatch = self.stopwatch
        if stopwatch is None:
            return lambda: False
        started = stopwatch()
        return lambda: stopwatch() - started >= self.seconds


UNLIMITED = WriteBudget()


def next_claim(reached: int, claimed: int, most: int = CLAIM_MOST) -> int:
    """How many events the next batch claims: twice what the last one reached, within bounds.

    The claim and the batch's read-ahead are done for every event claimed, inside the budget;
    a batch the budget cuts at 10 events spent them on 190 it never reached. Twice the reach
    grows back to ``CLAIM_MOST`` in a few batches when events get cheaper; an empty inbox
    changes nothing. ``most`` is the operator's cap (``HEEDFUL_WORKER_EVENT_BATCH``).
    """
    if reached <= 0:
        return claimed
    return max(min(CLAIM_LEAST, most), min(most, 2 * reached))
