"""The relay claims its messages in batches: each still sent once, one bad message set aside alone.

ADR 34: a batch shares the read of the outbox and the flush to disk; each message is still
decided, sent and recorded in its own transaction, so a kill resends at most the one in flight
and a message whose handling raises is set aside without the others.
"""

from __future__ import annotations

import threading
from collections import Counter

from poison_rows import queue_first
from promise_world import build_world
from smtp_mailbox import Mailbox
from sqlalchemy import event

from heedful.adapters.storage.unit_of_work import SqlUnitOfWork
from heedful.bootstrap import Container
from heedful.core.dead_letters.model import LetterKind
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.promises.model import PromiseState
from heedful.core.shared.clock import FrozenClock


def test_one_bad_message_in_a_batch_is_set_aside_and_every_other_is_sent_once(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(shop_container, clock)
    waiting = [world.customer(f"Klientka {n}", email=f"k{n}@example.com") for n in range(12)]
    promises = [world.wait_for(customer) for customer in waiting]
    # Queued by a bug: its threading references are not a list, so composing it raises.
    poison = queue_first(
        world, waiting[0].id, {"reply": {"to": "k0@example.com"}, "threading": {"references": 5}}
    )
    world.restock(12)

    report = shop_container.relay.run(shop_container.uow, clock, batch=5)

    assert (report.sent, report.dead) == (12, 1)
    mails = mailbox.wait_for(12)
    assert sorted(mail["To"] for mail in mails) == sorted(f"k{n}@example.com" for n in range(12))
    assert len({mail["Message-ID"] for mail in mails}) == 12
    assert {world.promise(p.id).state for p in promises} == {PromiseState.KEPT}
    [letter] = report.failed
    assert (letter.kind, letter.ref) == (LetterKind.MESSAGE, poison.id)
    with world.uow as uow:
        stored = uow.outbox.get(poison.id)
        assert stored is not None
        assert stored.status is MessageStatus.DEAD
    assert shop_container.relay.run(shop_container.uow, clock).total == 0


def test_two_relays_reading_the_same_batch_send_each_message_once(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(shop_container, clock)
    waiting = [world.customer(f"Klientka {n}", email=f"k{n}@example.com") for n in range(20)]
    for customer in waiting:
        world.wait_for(customer)
    world.restock(20)
    sent: list[int] = []

    def relay() -> None:
        sent.append(shop_container.relay.run(shop_container.uow, clock, batch=20).sent)

    relays = [threading.Thread(target=relay) for _ in range(2)]
    for thread in relays:
        thread.start()
    for thread in relays:
        thread.join()

    assert sum(sent) == 20
    received = Counter(mail["Message-ID"] for mail in mailbox.wait_for(20))
    assert len(received) == 20
    assert set(received.values()) == {1}


def test_a_commit_that_does_not_wait_for_the_disk_is_kept_and_the_next_one_waits_again(
    container: Container,
) -> None:
    uow = SqlUnitOfWork(container.engine)
    uow.defer_durability()
    with uow:
        assert _waits_for_disk(uow) is False
        uow.connection.exec_driver_sql("CREATE TABLE kept_without_waiting (n INTEGER)")
        uow.connection.exec_driver_sql("INSERT INTO kept_without_waiting VALUES (1)")
        uow.commit()
    for _ in range(3):  # whichever pooled connection comes next
        with SqlUnitOfWork(container.engine) as after:
            assert _waits_for_disk(after) is True
            found = after.connection.exec_driver_sql("SELECT n FROM kept_without_waiting")
            assert found.scalar() == 1
    with SqlUnitOfWork(container.engine) as cleanup:
        cleanup.connection.exec_driver_sql("DROP TABLE kept_without_waiting")
        cleanup.commit()


def _waits_for_disk(uow: SqlUnitOfWork) -> bool:
    conn = uow.connection
    if conn.dialect.name == "sqlite":
        level = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        return level == 2  # FULL
    return conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"


def test_a_batch_of_notices_for_two_sizes_reads_their_stock_once_and_sends_each(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    # Each notice is checked against the stock just before it goes; the batch reads the levels
    # of all its notices in one statement, not one round trip per e-mail (issue 18).
    world = build_world(shop_container, clock)
    waiting = [world.customer(f"Klientka {n}", email=f"k{n}@example.com") for n in range(8)]
    for n, customer in enumerate(waiting):
        world.wait_for(customer, size="M" if n % 2 else "L")
    world.restock(4, size="M")
    world.restock(4, size="L")
    reads: list[str] = []
    sqlite = shop_container.engine.dialect.name == "sqlite"

    def note(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if "stock_levels" in statement:
            reads.append(statement)

    def traced(dbapi_connection, *args) -> None:  # type: ignore[no-untyped-def]
        # SQLite reads levels on the driver's own cursor (ADR 77): what SQLite itself ran.
        dbapi_connection.set_trace_callback(lambda statement: note(None, None, statement))

    def untraced(dbapi_connection, *args) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.set_trace_callback(None)

    if sqlite:
        event.listen(shop_container.engine, "checkout", traced)
        event.listen(shop_container.engine, "checkin", untraced)
    else:
        event.listen(shop_container.engine, "before_cursor_execute", note)
    try:
        report = shop_container.relay.run(shop_container.uow, clock, batch=8)
    finally:
        if sqlite:
            event.remove(shop_container.engine, "checkout", traced)
            event.remove(shop_container.engine, "checkin", untraced)
        else:
            event.remove(shop_container.engine, "before_cursor_execute", note)

    assert report.sent == 8
    assert sorted(mail["To"] for mail in mailbox.wait_for(8)) == sorted(
        f"k{n}@example.com" for n in range(8)
    )
    # PostgreSQL: one statement for the batch; SQLite: one look-up in process per level (two
    # sizes), never one per e-mail.
    assert len(reads) == (2 if sqlite else 1)
