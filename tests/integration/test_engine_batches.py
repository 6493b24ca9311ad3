"""A batch of 500 events with one that fails: that one is set aside, the 499 are done once.

The batch is first handled whole (ADR 57); the failing event undoes that attempt and the batch
is handled again one event per savepoint, so nothing of the first attempt is kept twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from bench.worker_data import LOCATION, SOURCE, Feed, Shape, load
from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.dead_letters.model import LetterKind, LetterState
from heedful.core.engine.reactions import process_events
from heedful.core.events.handlers import accept_events
from heedful.core.events.model import BusinessEvent
from heedful.core.shared.clock import FrozenClock

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SHAPE = Shape(promises=1000, variants=250, preferences=100, customers=50, brands=5)


def test_one_failing_event_in_a_batch_of_500_is_set_aside_and_the_other_499_are_done_once(
    database_url: str,
) -> None:
    load(database_url, SHAPE, seed=5, now=NOW)
    container = build(Settings(database_url=database_url, log_format="console"),
                      clock=FrozenClock(NOW))  # fmt: skip
    events = Feed(SHAPE, seed=5, now=NOW).events("half", 499)
    accept_events(container.uow(), container.clock, events[:250])
    # An older Heedful stored any quantity: 10**20 units overflow the stock level's column.
    poison = BusinessEvent(SOURCE, "evt-poison", "heedful.stock.changed",
                           {"product": "wt-0000001", "variant": "black", "size": "S",
                            "location": LOCATION, "quantity": 10**20})  # fmt: skip
    with container.uow() as uow:
        uow.events.accept([poison], received_at=NOW)
        uow.commit()
    accept_events(container.uow(), container.clock, events[250:])

    report = process_events(container.uow, container.clock, batch=500)

    assert report.events == 500
    [letter] = report.failed
    assert "evt-poison" in letter.what
    assert letter.state is LetterState.DEAD
    waking = sum(1 for e in events if e["data"]["product"].startswith("wt-0"))
    assert report.told == waking == 250
    with container.engine.connect() as conn:
        told = conn.execute(
            sa.text("SELECT count(*) FROM promises WHERE notice_message_id IS NOT NULL")
        ).scalar_one()
        messages = conn.execute(
            sa.text("SELECT count(*), count(DISTINCT promise_id) FROM messages")
        ).one()
        marked = conn.execute(
            sa.text("SELECT count(*) FROM events WHERE processed_at IS NOT NULL")
        ).scalar_one()
    assert told == 250
    assert tuple(messages) == (250, 250)
    assert marked == 499
    with container.uow() as uow:
        [dead] = uow.dead_letters.list(LetterKind.EVENT, frozenset(LetterState), 10)
        assert uow.events.unprocessed(10, now=NOW) == []
    assert dead.attempts == 1
    assert process_events(container.uow, container.clock, batch=500).events == 0
    container.engine.dispose()
