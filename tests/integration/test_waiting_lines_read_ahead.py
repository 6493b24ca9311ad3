"""The first few waiting in each line a batch restocks, read ahead (``waiting_in``), on SQLite
and PostgreSQL: first come first served within each line, each line only as deep as asked, the
told passed by; on SQLite in one look-up per line, rows and all (ADR 77)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from promise_world import build_world

from heedful.adapters.storage.promise_rows import SqlPromises
from heedful.bootstrap import Container
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock

PRODUCTS = ("scarf-silk", "belt-suede", "gloves-kid")


@contextmanager
def _statements_run(conn: sa.Connection) -> Iterator[list[str]]:
    """Every statement the database runs on this connection, the driver's own cursors too."""
    seen: list[str] = []
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        raw.set_trace_callback(seen.append)  # type: ignore[union-attr]
        try:
            yield seen
        finally:
            raw.set_trace_callback(None)  # type: ignore[union-attr]
        return

    def note(*args: object) -> None:
        seen.append(str(args[2]))

    sa.event.listen(conn, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(conn, "before_cursor_execute", note)


def test_each_line_is_read_in_its_order_as_deep_as_asked_in_a_look_up_of_its_own(
    container: Container, clock: FrozenClock, database_url: str
) -> None:
    world = build_world(container, clock)
    people = [world.customer(f"c{n}", email=f"c{n}@example.com") for n in range(4)]
    made: dict[str, list[str]] = {product: [] for product in PRODUCTS}
    for product in PRODUCTS:  # four in each line, asked in turn across the lines
        for person in people:
            item = WantedItem(product=product, location_id=world.kyiv.id)
            wish = MakePromise(person.id, PromiseKind.TELL_WHEN_AVAILABLE, world.kyiv.id,
                               item=item)  # fmt: skip
            made[product].append(make_promise(wish, world.uow, clock, world.assistant).id)
    with container.engine.begin() as conn:  # the scarf's first was told: she is passed by
        conn.execute(
            sa.text("UPDATE promises SET notice_message_id = 'msg_x' WHERE id = :id"),
            {"id": made["scarf-silk"][0]},
        )
    asked = {
        (product, world.kyiv.id): wanted
        for product, wanted in zip(PRODUCTS, (2, 1, 9), strict=True)
    }

    with container.engine.connect() as conn, _statements_run(conn) as statements:
        found = SqlPromises(conn).waiting_in(asked)

    by_line = {product: [p.id for p in found if p.item and p.item.product == product]
               for product in PRODUCTS}  # fmt: skip
    assert by_line == {"scarf-silk": made["scarf-silk"][1:3],
                       "belt-suede": made["belt-suede"][:1],
                       "gloves-kid": made["gloves-kid"]}  # fmt: skip
    assert [p.sequence for p in found] == sorted(p.sequence for p in found)  # first come first
    assert all(p.evidence and p.made_at.tzinfo is not None for p in found)  # whole promises
    reads = [s for s in statements if "FROM promises" in s]
    # SQLite: one look-up per line, rows and all (it was one more for the rows); PostgreSQL:
    # one statement for every line (ADR 71).
    assert len(reads) == (len(PRODUCTS) if database_url.startswith("sqlite") else 1)
