"""The card with her bookings, orders and accounts on it, on SQLite and PostgreSQL (issue 12).

A web shop's regular has hundreds of orders: the card shows the latest few and says how many
there are, never all of them, and reads them with her record loaded once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.card import customer_card
from heedful.core.dealings import (
    Account,
    Booking,
    BookingKind,
    BookingStatus,
    Order,
    OrderLine,
    OrderStatus,
    customer_dealings,
)
from heedful.core.dealings.queries import ON_THE_CARD
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


def _order(customer_id: str, location_id: str, number: int, at: datetime) -> Order:
    return Order(
        id=new_id("ord_"),
        location_id=location_id,
        reference=f"{location_id[-4:]}-{number:04d}",
        customer_id=customer_id,
        status=OrderStatus.COMPLETED,
        lines=[OrderLine({"item": "Selene bag", "colour": "black"}, 1, 90000)],
        total_minor=90000,
        currency="UAH",
        as_of=at,
        created_at=at,
        updated_at=at,
    )


def _stay(customer_id: str, location_id: str, reference: str, **fields: Any) -> Booking:
    at: datetime = fields.pop("as_of")
    return Booking(
        id=new_id("bkg_"),
        kind=BookingKind.STAY,
        location_id=location_id,
        reference=reference,
        customer_id=customer_id,
        as_of=at,
        created_at=at,
        updated_at=at,
        **fields,
    )


@contextmanager
def _statements(container: Container) -> Iterator[list[str]]:
    seen: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    sa.event.listen(container.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        sa.event.remove(container.engine, "before_cursor_execute", keep)


def _reading(statements: list[str], table: str) -> int:
    return sum(bool(re.search(rf"\bFROM {table}\b", s)) for s in statements)


def test_a_customer_with_500_orders_sees_the_latest_ten_and_how_many_there_are(
    world: PromiseWorld, container: Container
) -> None:
    anna = world.customer("Anna Koval")
    now = world.clock.now()
    with world.uow as uow:
        for number in range(500):
            uow.orders.add(_order(anna.id, world.kyiv.id, number, now - timedelta(hours=number)))
        for number in range(3):  # older, at a shop the Kyiv assistant does not work at
            uow.orders.add(_order(anna.id, world.lviv.id, number, now - timedelta(days=30)))
        uow.commit()

    with _statements(container) as seen:
        card = customer_card(anna.id, world.uow, world.clock, world.admin, with_state=True)
    assert card.state is not None
    assert [o.reference for o in card.state.orders] == [
        f"{world.kyiv.id[-4:]}-{n:04d}" for n in range(ON_THE_CARD)
    ]
    assert card.state.order_count == 503
    assert (card.state.bookings, card.state.booking_count) == ([], 0)
    assert [o.lines[0].amount_minor for o in card.state.orders[:1]] == [90000]
    # Her record once, her dealings in one statement, whatever their number.
    assert _reading(seen, "customers") == 1
    assert _reading(seen, "orders") == _reading(seen, "bookings") == 1

    theirs = customer_dealings(world.uow, world.assistant, anna.id, now)
    assert len(theirs.orders) == ON_THE_CARD
    assert theirs.order_count == 500
    assert {o.location_id for o in theirs.orders} == {world.kyiv.id}


def test_the_card_lists_the_stays_still_to_come_soonest_first_and_counts_them(
    world: PromiseWorld,
) -> None:
    anna = world.customer("Anna Koval")
    now = world.clock.now()
    kyiv = world.kyiv.id
    with world.uow as uow:
        for day in range(14, 0, -1):
            uow.bookings.add(
                _stay(
                    anna.id,
                    kyiv,
                    f"B-{day:02d}",
                    status=BookingStatus.BOOKED,
                    starts_at=now + timedelta(days=day),
                    ends_at=now + timedelta(days=day + 2),
                    as_of=now,
                )
            )
        gone = {"starts_at": now - timedelta(days=9), "ends_at": now - timedelta(days=7)}
        uow.bookings.add(
            _stay(anna.id, kyiv, "OLD", status=BookingStatus.BOOKED, **gone, as_of=now)
        )
        ahead = {"starts_at": now + timedelta(hours=1), "ends_at": now + timedelta(days=1)}
        uow.bookings.add(
            _stay(anna.id, kyiv, "CANCELLED", status=BookingStatus.CANCELLED, **ahead, as_of=now)
        )
        staying = {"starts_at": now - timedelta(days=2), "ends_at": now + timedelta(hours=3)}
        uow.bookings.add(
            _stay(anna.id, kyiv, "NOW", status=BookingStatus.BOOKED, **staying, as_of=now)
        )
        uow.accounts.add(
            Account(
                new_id("acc_"),
                kyiv,
                "UA-0002",
                anna.id,
                "UAH",
                100,
                as_of=now,
                created_at=now,
                updated_at=now,
            )
        )
        uow.commit()

    state = customer_dealings(world.uow, world.admin, anna.id, now)
    assert [b.reference for b in state.bookings] == ["NOW"] + [
        f"B-{day:02d}" for day in range(1, ON_THE_CARD)
    ]
    assert state.booking_count == 15
    assert ([a.reference for a in state.accounts], state.account_count) == (["UA-0002"], 1)
