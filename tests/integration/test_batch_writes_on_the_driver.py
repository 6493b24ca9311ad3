"""On SQLite a batch's claim, its told customers' channels and its bulk writes run on the
driver's cursor, the told promises by their key (ADR 80): SQLAlchemy built each row's parameters
(and each claimed row) anew, a third of those writes' CPU at the issue's size, and each told
promise was first sought in the index of a million ids. What is written is the same: the same
values, through the same type processors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from promise_world import BAG, PromiseWorld, build_world
from sqlalchemy import event

from heedful.bootstrap import Container
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.promises.model import Promise
from heedful.core.shared.clock import FrozenClock


@contextmanager
def _statements(container: Container) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """What SQLite ran (its values written in), what SQLAlchemy ran, and of that what it ran
    as an executemany."""
    ran: list[str] = []
    through: list[str] = []
    many: list[str] = []

    def checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.set_trace_callback(ran.append)

    def before(*args: Any) -> None:
        statement, executemany = args[2], args[5]
        through.append(statement)
        if executemany:
            many.append(statement)

    event.listen(container.engine, "checkout", checkout)
    event.listen(container.engine, "before_cursor_execute", before)
    try:
        yield ran, through, many
    finally:
        event.remove(container.engine, "checkout", checkout)
        event.remove(container.engine, "before_cursor_execute", before)
        container.engine.dispose()  # no connection keeps the trace


def _customers_waiting_for_the_bag(
    container: Container, clock: FrozenClock, names: tuple[str, ...]
) -> tuple[PromiseWorld, list[Promise]]:
    """Each of them waits for the bag, and a stock report of as many bags is accepted."""
    world = build_world(container, clock)
    waits = [world.wait_for(world.customer(n, email=f"{n}@example.com")) for n in names]
    data = {"product": BAG, "variant": "black", "size": "M", "location": world.kyiv.id,
            "quantity": len(names)}  # fmt: skip
    with world.uow as uow:
        report = BusinessEvent("urn:lypky:stock", "s1", "heedful.stock.changed", data)
        uow.events.accept([report], received_at=clock.now())
        uow.commit()
    return world, waits


def test_a_batch_writes_its_told_promises_by_key_and_its_rows_on_the_driver(
    container: Container, clock: FrozenClock
) -> None:
    if container.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps psycopg's pipelined executemany (ADR 77)")
    world, waits = _customers_waiting_for_the_bag(container, clock, ("marta", "lev", "olena"))

    with _statements(container) as (ran, through, many):
        assert process_events(container.uow, clock, batch=10).told == 3

    told = [world.promise(wait.id) for wait in waits]
    assert all(promise.notice_message_id is not None for promise in told)
    updates = [s for s in ran if s.startswith("UPDATE promises SET notice_message_id")]
    assert len(updates) == 3
    # By the row's own key, not down the index of ids first.
    assert all("WHERE promises.sequence = " in s for s in updates), updates
    inserted = [s for s in ran if s.startswith("INSERT INTO messages")]
    assert len(inserted) == 3
    assert many == []  # none of the batch's bulk writes went through SQLAlchemy
    claims = [s for s in ran if s.startswith("SELECT") and "FROM events" in s]
    assert len(claims) == 1  # the batch's claim, on the driver's cursor
    assert not [s for s in through if "FROM events" in s]
    # The channels of those the read-ahead expects to tell: a look-up by key each, on the
    # driver, not a list of keys through SQLAlchemy.
    for table in ("identities", "consents"):
        assert not [s for s in through if f"FROM {table}" in s and " IN (" in s]
        seen = [s for s in ran if s.startswith("SELECT") and f"FROM {table}" in s]
        assert len(seen) > len([s for s in through if f"FROM {table}" in s])


def test_messages_written_in_bulk_read_back_as_written_one_at_a_time(
    container: Container, clock: FrozenClock
) -> None:
    """The driver's path converts each value as SQLAlchemy does (aware datetimes, JSON)."""
    _world, waits = _customers_waiting_for_the_bag(container, clock, ("marta", "lev"))
    assert process_events(container.uow, clock, batch=10).told == 2

    with container.uow() as uow:
        for wait in waits:
            promise = uow.promises.get(wait.id)
            assert promise is not None
            assert promise.notice_message_id is not None
            message = uow.outbox.get(promise.notice_message_id)
            assert message is not None
            assert message.promise_id == promise.id
            assert message.created_at == clock.now()  # an aware UTC datetime, as written
            assert message.created_at.tzinfo is not None
            assert isinstance(message.context, dict)
            assert message.context
            # Her evidence, re-encoded and written back by the batch, names the report.
            assert "urn:lypky:stock/s1" in [e.ref for e in promise.evidence]
