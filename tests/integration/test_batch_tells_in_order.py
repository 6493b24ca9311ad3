"""A batch of stock reports tells those waiting from lines read ahead (ADR 59), on SQLite and
PostgreSQL: first come first served, each exactly once, as when each report was handled alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from promise_world import BAG, PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import EvidenceKind, Promise, PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock


def _report(world: PromiseWorld, event_id: str, quantity: int) -> BusinessEvent:
    data = {"product": BAG, "variant": "black", "size": "M", "location": world.kyiv.id,
            "quantity": quantity}  # fmt: skip
    return BusinessEvent("urn:lypky:stock", event_id, "heedful.stock.changed", data)


def _store(world: PromiseWorld, events: list[BusinessEvent]) -> None:
    with world.uow as uow:
        uow.events.accept(events, received_at=world.clock.now())
        uow.commit()


@contextmanager
def _held_by_another_worker(database_url: str, promise_id: str) -> Iterator[None]:
    """Another worker is telling her right now: her promise is locked by its transaction."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks between workers are PostgreSQL's; SQLite has one writer")
    other = sa.create_engine(database_url)
    try:
        with other.connect() as conn:
            conn.execute(
                sa.text("SELECT id FROM promises WHERE id = :id FOR UPDATE"), {"id": promise_id}
            )
            yield
            conn.rollback()
    finally:
        other.dispose()


def _messages_per_promise(container: Container) -> list[int]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT promise_id, count(*) AS n FROM messages GROUP BY promise_id")
        ).all()
    return sorted(row.n for row in rows)


def _told_by(promise: Promise) -> str:
    """The stock report whose unit she was told about (the evidence on her promise)."""
    [arrived] = [e for e in promise.evidence if e.kind is EvidenceKind.EVENT]
    return arrived.ref


def test_three_waiting_for_one_bag_are_told_in_the_order_they_asked_and_once_each(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    people = [world.customer(n, email=f"{n}@example.com") for n in ("marta", "lev", "olena")]
    waits = [world.wait_for(person) for person in people]
    # One batch: a unit, a count repeated (nobody), two more units, and one more report after.
    _store(world, [_report(world, "s1", 1), _report(world, "s2", 1), _report(world, "s3", 3),
                   _report(world, "s4", 4)])  # fmt: skip

    report = process_events(container.uow, clock, batch=10)

    assert report.events == 4
    assert report.told == 3  # the fourth unit finds nobody left in line
    told = [world.promise(wait.id) for wait in waits]
    assert all(promise.notice_message_id is not None for promise in told)
    assert _messages_per_promise(container) == [1, 1, 1]  # exactly once each
    # First come first served: the first unit (s1) was hers who asked first, the next two (s3)
    # the others'; the repeated count (s2) and the unit nobody was left for (s4) told no one.
    assert [_told_by(promise) for promise in told] == [
        "urn:lypky:stock/s1",
        "urn:lypky:stock/s3",
        "urn:lypky:stock/s3",
    ]
    assert process_events(container.uow, clock, batch=10).events == 0


def test_a_delivery_of_more_units_than_the_batch_read_ahead_tells_the_first_in_line(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    people = [world.customer(f"c{i}", email=f"c{i}@example.com") for i in range(6)]
    waits = [world.wait_for(person) for person in people]
    # One report naming the line: the batch reads two of its six; four units arrive.
    _store(world, [_report(world, "s1", 4)])

    assert process_events(container.uow, clock, batch=10).told == 4

    told = [world.promise(wait.id).notice_message_id is not None for wait in waits]
    assert told == [True, True, True, True, False, False]


def test_a_customer_another_worker_holds_is_skipped_and_the_next_in_line_told(
    container: Container, clock: FrozenClock, database_url: str
) -> None:
    world = build_world(container, clock)
    marta, lev = (world.customer(n, email=f"{n}@example.com") for n in ("marta", "lev"))
    first, second = world.wait_for(marta), world.wait_for(lev)
    _store(world, [_report(world, "s1", 1)])
    with _held_by_another_worker(database_url, first.id):  # another worker is telling Marta
        assert process_events(container.uow, clock, batch=10).told == 1

    assert world.promise(first.id).notice_message_id is None  # hers is the other worker's
    assert world.promise(second.id).notice_message_id is not None


def test_each_line_of_a_batch_tells_its_own_first_and_passes_over_one_nobody_can_reach(
    container: Container, clock: FrozenClock
) -> None:
    # The batch reads each line as deep as its own reports need (ADR 65): the bag's line is
    # named twice, the scarf's once; the scarf's first has no channel and becomes a call.
    world = build_world(container, clock)
    marta, lev, olena = (world.customer(n, email=f"{n}@e.com") for n in ("marta", "lev", "olena"))
    nobody, ivan = world.customer("nobody"), world.customer("ivan", email="ivan@example.com")
    bag_waits = [world.wait_for(person) for person in (marta, lev, olena)]
    scarf = WantedItem(product="scarf-silk", location_id=world.kyiv.id)
    wishes = [
        MakePromise(person.id, PromiseKind.TELL_WHEN_AVAILABLE, world.kyiv.id, item=scarf)
        for person in (nobody, ivan)
    ]
    scarf_waits = [make_promise(w, world.uow, clock, world.assistant) for w in wishes]
    scarf_data = {"product": "scarf-silk", "location": world.kyiv.id, "quantity": 1}
    scarf_report = BusinessEvent("urn:lypky:stock", "t1", "heedful.stock.changed", scarf_data)
    _store(world, [_report(world, "s1", 1), scarf_report, _report(world, "s2", 2)])

    report = process_events(container.uow, clock, batch=10)

    assert report.told == 3
    bag = [world.promise(wait.id) for wait in bag_waits]
    assert [_told_by(p) for p in bag[:2]] == ["urn:lypky:stock/s1", "urn:lypky:stock/s2"]
    assert bag[2].notice_message_id is None  # third in line: two units, two told
    passed_over, told = (world.promise(wait.id) for wait in scarf_waits)
    assert passed_over.kind is PromiseKind.CALL_BACK  # a call for staff instead
    assert passed_over.notice_message_id is None
    assert _told_by(told) == "urn:lypky:stock/t1"
    # Telling wrote her notice and evidence; the rest of her promise is as she made it.
    made = scarf_waits[1]
    assert (told.text, told.made_at, told.item) == (made.text, made.made_at, made.item)


def _claims_counted(container: Container) -> list[str]:
    """The claims of promises by id (``claim_waiting``) the engine runs, as they run."""
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *rest: object) -> None:
        if " ".join(statement.split()).startswith("SELECT promises.id FROM promises WHERE"):
            seen.append(statement)

    sa.event.listen(container.engine, "before_cursor_execute", note)
    return seen


def test_a_batch_claims_everyone_it_tells_in_one_statement(
    container: Container, clock: FrozenClock, database_url: str
) -> None:
    # Three lines, one waiting in each, and a unit for each: three waking reports in a batch.
    world = build_world(container, clock)
    people = [world.customer(n, email=f"{n}@example.com") for n in ("marta", "lev", "olena")]
    products = ["scarf-silk", "belt-suede", "gloves-kid"]
    wishes = [
        MakePromise(person.id, PromiseKind.TELL_WHEN_AVAILABLE, world.kyiv.id,
                    item=WantedItem(product=product, location_id=world.kyiv.id))
        for person, product in zip(people, products, strict=True)
    ]  # fmt: skip
    waits = [make_promise(wish, world.uow, clock, world.assistant) for wish in wishes]
    _store(world, [
        BusinessEvent("urn:lypky:stock", f"s{n}", "heedful.stock.changed",
                      {"product": product, "location": world.kyiv.id, "quantity": 1})
        for n, product in enumerate(products, start=1)
    ])  # fmt: skip
    claims = _claims_counted(container)

    assert process_events(container.uow, clock, batch=10).told == 3

    told = [_told_by(world.promise(wait.id)) for wait in waits]
    assert told == ["urn:lypky:stock/s1", "urn:lypky:stock/s2", "urn:lypky:stock/s3"]
    # One claim for the batch on PostgreSQL (it was one per waking report); SQLite needs none.
    assert len(claims) == (1 if database_url.startswith("postgresql") else 0)


def test_a_batch_whose_claim_finds_one_held_by_another_worker_tells_the_next_in_line(
    container: Container, clock: FrozenClock, database_url: str
) -> None:
    world = build_world(container, clock)
    people = [
        world.customer(n, email=f"{n}@example.com") for n in ("marta", "lev", "olena", "ivan")
    ]
    marta, lev, olena, ivan = (world.wait_for(person) for person in people)
    _store(world, [_report(world, f"s{n}", n) for n in (1, 2, 3)])
    # Another worker is telling Lev, second in line: the batch's one claim comes back short,
    # and its reports are handled again one by one, each skipping whom the other holds.
    with _held_by_another_worker(database_url, lev.id):
        assert process_events(container.uow, clock, batch=10).told == 3

    assert world.promise(lev.id).notice_message_id is None  # his is the other worker's
    told = [_told_by(world.promise(wait.id)) for wait in (marta, olena, ivan)]
    assert told == ["urn:lypky:stock/s1", "urn:lypky:stock/s2", "urn:lypky:stock/s3"]
    assert _messages_per_promise(container) == [1, 1, 1]  # exactly once each
