"""The embedded default stays open for events while its worker works through a backlog (ADR 60).

On SQLite the API and the worker thread of ``heedful serve`` share one write lock. A POST of
events made while the worker is in the middle of a long backlog is stored, and answered 202,
while the worker still has backlog left: the worker commits once its write budget is spent and
the waiting POST has the next turn at the lock. Threads are ordered by events, not sleeps: the
worker's stopwatch (a fake: each event costs 40 ms of a 100 ms budget) holds the worker, mid
batch and holding the lock, until the POST is waiting for its turn.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from promise_world import build_world

from heedful.adapters.storage.engine import write_turns
from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.engine.reactions import process_events
from heedful.core.engine.write_budget import WriteBudget
from heedful.core.events.handlers import accept_events
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.handlers import NewToken, create_token
from heedful.entrypoints.web import create_app

BACKLOG = 30
POSTED = 100
WAIT_S = 60.0  # only a bound on a broken run: the test never waits this long when it passes


def _count(count: int, location: str, prefix: str, source: str) -> list[dict[str, Any]]:
    return [
        {
            "specversion": "1.0",
            "id": f"{prefix}-{n}",
            "source": source,
            "type": "heedful.stock.changed",
            "time": "2026-03-02T09:15:00+02:00",
            "data": {
                "product": f"{prefix}-{n}",
                "variant": "black",
                "size": "M",
                "location": location,
                "quantity": 2,
            },
        }
        for n in range(count)
    ]


class HeldStopwatch:
    """Each reading is 40 ms on; the sixth (after the first event of the second batch, with the
    write lock held) lets the test know, then waits until someone waits for the lock."""

    def __init__(self, container: Container) -> None:
        self.turns = write_turns(container.engine)
        self.readings = 0
        self.mid_backlog = threading.Event()
        self.someone_waited = False

    def __call__(self) -> float:
        self.readings += 1
        if self.readings == 6 and self.turns is not None:
            self.mid_backlog.set()
            self.someone_waited = self.turns.until_waiting(1, WAIT_S)
        return self.readings * 0.04


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_events_posted_while_the_worker_is_mid_backlog_are_stored_before_it_is_done(
    container: Container, clock: FrozenClock, database_url: str
) -> None:
    world = build_world(container, clock)
    _, secret = create_token(
        NewToken("till", Role.MANAGER, frozenset({world.kyiv.id})), container.uow(), clock, SYSTEM
    )
    report = accept_events(container.uow(), clock, _count(BACKLOG, world.kyiv.id, "old", "stock"))
    assert report.accepted == BACKLOG
    client = TestClient(create_app(container))
    inbox = sqlite3.connect(  # a reader: it never waits for the write lock
        database_url.removeprefix("sqlite:///"), check_same_thread=False
    )

    def posted_stored() -> int:
        row = inbox.execute("SELECT count(*) FROM events WHERE source = 'till'").fetchone()
        return int(row[0])

    stopwatch = HeldStopwatch(container)
    budget = WriteBudget(seconds=0.1, stopwatch=stopwatch)
    batches: list[tuple[int, int]] = []  # events handled, the POST's events stored by then

    def work() -> None:
        while (done := process_events(container.uow, clock, budget=budget)).events:
            batches.append((done.events, posted_stored()))

    worker = threading.Thread(target=work, name="heedful-worker")
    worker.start()
    assert stopwatch.mid_backlog.wait(WAIT_S)

    answer = client.post(
        "/api/v1/events",
        content=json.dumps(_count(POSTED, world.kyiv.id, "new", "till")),
        headers={"Authorization": f"Bearer {secret}",
                 "Content-Type": "application/cloudevents-batch+json"},
    )  # fmt: skip
    worker.join(WAIT_S)
    inbox_rows = posted_stored()
    inbox.close()

    assert answer.status_code == 202, answer.text
    assert answer.json()["accepted"] == POSTED
    assert stopwatch.someone_waited  # the POST did wait for the lock the worker held
    assert not worker.is_alive()
    # When the POST's events were first seen stored, the worker had not finished the backlog.
    handled_by_then = 0
    for handled, stored in batches:
        handled_by_then += handled
        if stored == POSTED:
            break
    assert handled_by_then < BACKLOG
    assert all(size <= 3 for size, _ in batches)  # every batch kept within its budget
    assert sum(size for size, _ in batches) == BACKLOG + POSTED  # and then the POST's too
    assert inbox_rows == POSTED
