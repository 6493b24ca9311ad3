"""A batch of back-in-stock notices reads and writes in sets: its statements do not grow with it.

Issue 18: at 100,000 customers the relay was most of the worker's time beside a busy inbox.
Each read of a batch (customers, identities, consents, preferences, promises, tasks, timers) is
one statement whatever the batch's count; on PostgreSQL it is also one text whatever the count
(``= ANY(array)``, not an IN list whose text changes with its length), so the server plans it
once per connection and runs it prepared (ADR 76).
"""

from __future__ import annotations

import re
from collections import Counter

from promise_world import build_world
from smtp_mailbox import Mailbox
from sqlalchemy import event

from heedful.bootstrap import Container
from heedful.core.promises.model import PromiseState
from heedful.core.shared.clock import FrozenClock


def _relayed(container: Container, clock: FrozenClock, size: int) -> tuple[int, list[str]]:
    """(sent, the statements of one batch of ``size``, SQLite's IN lists folded to one)."""
    ran: list[str] = []

    def note(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        shape = re.sub(r"sa_savepoint_\d+", "sa_savepoint", statement)
        ran.append(re.sub(r"\?(?:, \?)+", "?…", shape))

    event.listen(container.engine, "before_cursor_execute", note)
    try:
        report = container.relay.run(container.uow, clock, limit=size, batch=size)
    finally:
        event.remove(container.engine, "before_cursor_execute", note)
    return report.sent, ran


def test_a_batch_of_notices_runs_the_same_statements_whatever_its_size(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(shop_container, clock)
    waiting = [world.customer(f"Klientka {n}", email=f"k{n}@example.com") for n in range(12)]
    promises = [world.wait_for(customer) for customer in waiting]
    world.restock(12)

    small_sent, small = _relayed(shop_container, clock, 3)
    large_sent, large = _relayed(shop_container, clock, 9)

    assert (small_sent, large_sent) == (3, 9)
    assert large == small
    # Each read probes its key's index: SQLite cannot from "id IN (…) = 1".
    assert not [statement for statement in large if ") = 1" in statement]
    # Of her preferences a template says only the subjects (ADR 79): the rest of each row, its
    # attributes' JSON and timestamps, was most of what the batch's reads cost the relay.
    assert not [statement for statement in large if "preferences.attributes" in statement]
    # Telling her keeps her promise: the batch writes its state, closing and evidence, not all
    # 22 columns it read (SQLite rewrites the index entries of every column an UPDATE sets).
    (kept,) = [statement for statement in large if statement.startswith("UPDATE promises")]
    assert "made_at" not in kept
    assert "closed_at" in kept
    received = Counter(mail["Message-ID"] for mail in mailbox.wait_for(12))
    assert len(received) == 12
    assert set(received.values()) == {1}
    assert {world.promise(p.id).state for p in promises} == {PromiseState.KEPT}
