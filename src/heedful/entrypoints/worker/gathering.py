"""How long a worker that has caught up waits before its next pass (ADR 85).

A batch costs a fixed part whatever it holds: the claim, the playbooks, the read-ahead's
queries, two savepoints, the marks, the commit (about 20 statements on PostgreSQL). Under a
steady trickle (a stock system POSTing 50 events every 50 ms) a worker that goes again the
moment its pass ends always finds a few events that arrived meanwhile, and handles them as a
batch of their own: measured at 1,000 events a second, passes of 24 events (median), about 38 a
second. The fixed part is then most of the work: on PostgreSQL at the issue's size, 0.64 ms of
the worker's CPU an event in batches of 40 against 0.28 in batches of 200
(docs/benchmarks.md, "The gather").

So a pass that found work but left none behind (no job came back with a full claim) is followed
by the next only once ``gather`` seconds have passed since it began, and the next batch takes
everything that arrived meanwhile, as a producer's linger does. The worker never waits:

- while it has a backlog: a full claim is followed at once by the next, as before;
- after a quiet spell: the first event after a pass that found nothing is handled the moment it
  arrives, so a restock on a calm afternoon is as quick as it ever was.

At worst an event waits ``gather`` more than it would have. A worker stopping stops waiting.
"""

from __future__ import annotations


def gathering_rest(gather: float, began: float, now: float) -> float:
    """Seconds to wait, at ``now``, after a caught-up pass that began at ``began``."""
    return max(0.0, gather - (now - began))
