"""A customer told about her bag has her promise rewritten where it lies (ADR 84).

The worker writes a told promise's notice and evidence, no indexed column. On PostgreSQL the
row can then stay on its page and the table's six indexes are left alone, but only if the page
has room; rows written in order filled their pages, so every notice moved its row and wrote an
entry in every index (half of that update's time at a million promises, issue 18).
"""

from __future__ import annotations

import pytest
from promise_world import BAG, build_world

from heedful.bootstrap import Container
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.shared.clock import FrozenClock


def _page_of(container: Container, promise_id: str) -> int:
    with container.engine.connect() as conn:
        ctid = conn.exec_driver_sql(
            "SELECT ctid::text FROM promises WHERE id = %(id)s", {"id": promise_id}
        ).scalar_one()
    return int(ctid.strip("()").split(",")[0])


def test_the_first_customer_told_keeps_her_promise_on_its_full_page(
    container: Container, clock: FrozenClock
) -> None:
    if container.engine.dialect.name != "postgresql":
        pytest.skip("SQLite rewrites a row in its b-tree; it has no fill factor")
    world = build_world(container, clock)
    # Enough waits to fill the first page and start a second: the first page is as full as
    # the table lets it be.
    waits = [
        world.wait_for(world.customer(f"Klientka {n}", email=f"k{n}@example.com"))
        for n in range(60)
    ]
    first = waits[0]
    page = _page_of(container, first.id)
    assert _page_of(container, waits[-1].id) > page

    with world.uow as uow:
        data = {"product": BAG, "variant": "black", "size": "M", "location": world.kyiv.id,
                "quantity": 1}  # fmt: skip
        report = BusinessEvent("urn:lypky:stock", "s1", "heedful.stock.changed", data)
        uow.events.accept([report], received_at=clock.now())
        uow.commit()
    assert process_events(container.uow, clock, batch=10).told == 1

    told = world.promise(first.id)
    assert told.notice_message_id is not None
    assert "urn:lypky:stock/s1" in [e.ref for e in told.evidence]
    assert _page_of(container, first.id) == page
