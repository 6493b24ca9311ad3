"""Bookings, reservations, orders and accounts kept from events, on SQLite and PostgreSQL.

Seed 004: the guest who never wants sparkling water arrives tomorrow; the hotel's PMS says so,
changes its mind, cancels, sends again out of order. The stored booking is always the newest the
PMS meant, by the PMS's own clock (ADR 0036).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from dealings_world import Systems
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.customers.merging import merge_customers, undo_merge
from heedful.core.dealings import (
    BookingKind,
    BookingStatus,
    OrderStatus,
    bookings_starting,
    customer_dealings,
    late_orders,
)
from heedful.core.events import OUTSIDE_SCOPE
from heedful.core.events.model import BusinessEvent
from heedful.core.history.model import HistoryKind
from heedful.core.privacy import erase_customer, export_customer
from heedful.core.shared.clock import FrozenClock

KYIV_NOON_TOMORROW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)  # 14:00 in Kyiv


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


@pytest.fixture
def pms(world: PromiseWorld) -> Systems:
    return Systems(world)


def _at(hours: float) -> datetime:
    return datetime(2026, 3, 1, 8, 0, tzinfo=UTC) + timedelta(hours=hours)


def test_a_booking_is_made_changed_and_listed_in_tomorrows_arrivals(
    world: PromiseWorld, pms: Systems
) -> None:
    anna = world.customer("Anna Koval")
    pms.booking(anna.id, "B-1", at=_at(0), arrival=KYIV_NOON_TOMORROW, room="410")
    pms.booking(anna.id, "B-1", at=_at(1), arrival=KYIV_NOON_TOMORROW, room="512")

    arrivals = bookings_starting(
        world.uow, world.admin, BookingKind.STAY, "tomorrow", world.clock.now()
    )
    assert [(b.reference, b.room, b.nights, b.customer_id) for b in arrivals] == [
        ("B-1", "512", 2, anna.id)
    ]
    today = bookings_starting(world.uow, world.admin, BookingKind.STAY, "today", world.clock.now())
    assert today == []
    card = customer_dealings(world.uow, world.assistant, anna.id, world.clock.now())
    assert [b.room for b in card.bookings] == ["512"]


def test_an_older_version_arriving_late_or_again_changes_nothing(
    world: PromiseWorld, pms: Systems
) -> None:
    anna = world.customer("Anna Koval")
    newest = pms.booking(anna.id, "B-1", at=_at(2), arrival=KYIV_NOON_TOMORROW, room="512")
    pms.booking(anna.id, "B-1", at=_at(1), arrival=KYIV_NOON_TOMORROW, room="410")  # late
    pms.replay(newest)  # a retry: the inbox knows it
    pms.replay(newest, as_new=True)  # a re-send under a new id: the same version

    card = customer_dealings(world.uow, world.admin, anna.id, world.clock.now())
    assert [(b.room, b.as_of) for b in card.bookings] == [("512", _at(2))]
    assert all(not report.failed for report in pms.reports)


def test_a_cancellation_stands_against_older_versions_even_when_it_arrives_first(
    world: PromiseWorld, pms: Systems
) -> None:
    anna = world.customer("Anna Koval")
    pms.send("heedful.booking.cancelled", _at(3), location=world.kyiv.id, booking="B-7")
    pms.booking(anna.id, "B-7", at=_at(1), arrival=KYIV_NOON_TOMORROW)

    assert (
        bookings_starting(world.uow, world.admin, BookingKind.STAY, "tomorrow", world.clock.now())
        == []
    )
    # Booked again later: the new booking stands.
    pms.booking(anna.id, "B-7", at=_at(4), arrival=KYIV_NOON_TOMORROW)
    arrivals = bookings_starting(
        world.uow, world.admin, BookingKind.STAY, "tomorrow", world.clock.now()
    )
    assert [(b.reference, b.status) for b in arrivals] == [("B-7", BookingStatus.BOOKED)]


def test_a_completed_stay_joins_her_visits_once(world: PromiseWorld, pms: Systems) -> None:
    anna = world.customer("Anna Koval")
    pms.booking(anna.id, "B-2", at=_at(0), arrival=KYIV_NOON_TOMORROW)
    done = pms.send(
        "heedful.stay.completed",
        _at(80),
        location=world.kyiv.id,
        booking="B-2",
        total=4200,
        currency="uah",
    )
    pms.replay(done, as_new=True)

    with world.uow as uow:
        visits = uow.history.list_for(anna.id, 10)
    assert [(v.kind, v.amount_minor, v.currency, v.items[0].attributes) for v in visits] == [
        (HistoryKind.VISIT, 420000, "UAH", {"room_type": "Deluxe"})
    ]
    assert customer_dealings(world.uow, world.admin, anna.id, world.clock.now()).bookings == []


def test_tonights_reservations_per_location(world: PromiseWorld, pms: Systems) -> None:
    anna, petro = world.customer("Anna Koval"), world.customer("Petro Bondar")
    tonight = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)  # 19:30 in Kyiv
    for who, number, where in ((anna, "R-1", world.kyiv), (petro, "R-2", world.lviv)):
        pms.send(
            "heedful.reservation.upserted",
            _at(0),
            customer={"id": who.id},
            location=where.id,
            reservation=number,
            at=tonight.isoformat(),
            party_size=4,
            table="12",
        )
    pms.send("heedful.reservation.cancelled", _at(1), location=world.lviv.id, reservation="R-2")

    everywhere = bookings_starting(
        world.uow, world.admin, BookingKind.TABLE, "today", world.clock.now()
    )
    assert [(r.reference, r.table, r.guests) for r in everywhere] == [("R-1", "12", 4)]


def test_a_delivery_running_late_is_listed_and_a_delivered_order_is_a_purchase(
    world: PromiseWorld, pms: Systems
) -> None:
    anna = world.customer("Anna Koval")

    def order(status: str, expected: str, at: datetime) -> None:
        pms.send(
            "heedful.order.upserted",
            at,
            customer={"id": anna.id},
            location=world.kyiv.id,
            order="1042",
            status=status,
            promised="2026-03-06",
            expected=expected,
            carrier="Nova Poshta",
            tracking_number="20450000000001",
            lines=[{"item": "Selene bag", "colour": "black", "quantity": 1, "amount": 900}],
            total=900,
            currency="EUR",
        )

    order("shipped", "2026-03-09", _at(1))
    order("processing", "2026-03-06", _at(0))  # older, arrived later: ignored
    late = late_orders(world.uow, world.admin, world.clock.now())
    assert [(o.reference, o.promised_on, o.expected_on) for o in late] == [
        ("1042", date(2026, 3, 6), date(2026, 3, 9))
    ]
    order("delivered", "2026-03-09", _at(100))
    order("completed", "2026-03-09", _at(101))
    assert late_orders(world.uow, world.admin, world.clock.now()) == []
    card = customer_dealings(world.uow, world.admin, anna.id, world.clock.now())
    assert [o.status for o in card.orders] == [OrderStatus.COMPLETED]
    with world.uow as uow:
        purchases = uow.history.list_for(anna.id, 10)
    assert [(p.kind, p.amount_minor, len(p.items)) for p in purchases] == [
        (HistoryKind.PURCHASE, 90000, 1)
    ]


def test_an_account_keeps_its_newest_balance(world: PromiseWorld, pms: Systems) -> None:
    anna = world.customer("Anna Koval")
    for balance, at in ((120.5, _at(2)), (900, _at(1))):
        pms.send(
            "heedful.account.upserted",
            at,
            customer={"id": anna.id},
            location=world.kyiv.id,
            account="UA-0001",
            balance=balance,
            currency="UAH",
            limit=0,
            next_charge_at="2026-03-03T09:00:00+02:00",
            next_charge_amount=499,
            card_expires="2026-03-31",
        )
    [account] = customer_dealings(world.uow, world.admin, anna.id, world.clock.now()).accounts
    assert (account.balance_minor, account.next_charge_minor) == (12050, 49900)
    assert account.charge_uncovered
    assert account.card_expires_on == date(2026, 3, 31)


def test_staff_see_only_the_bookings_of_their_locations(world: PromiseWorld, pms: Systems) -> None:
    anna = world.customer("Anna Koval")
    pms.booking(anna.id, "L-1", at=_at(0), arrival=KYIV_NOON_TOMORROW, location=world.lviv.id)
    assert (
        bookings_starting(
            world.uow, world.assistant, BookingKind.STAY, "tomorrow", world.clock.now()
        )
        == []
    )
    assert customer_dealings(world.uow, world.assistant, anna.id, world.clock.now()).bookings == []
    assert (
        len(
            bookings_starting(
                world.uow, world.admin, BookingKind.STAY, "tomorrow", world.clock.now()
            )
        )
        == 1
    )


def test_her_export_holds_her_bookings_and_erasure_removes_them(
    world: PromiseWorld, pms: Systems
) -> None:
    anna = world.customer("Anna Koval")
    pms.booking(anna.id, "B-9", at=_at(0), arrival=KYIV_NOON_TOMORROW)
    exported = export_customer(anna.id, world.uow, world.clock, world.admin)
    assert [b["reference"] for b in exported["bookings"]] == ["B-9"]

    erase_customer(anna.id, "her request", world.uow, world.clock, world.admin)
    exported = export_customer(anna.id, world.uow, world.clock, world.admin)
    assert exported["bookings"] == []


def test_a_tills_receipt_and_a_visit_feed_her_history_once(
    world: PromiseWorld, pms: Systems
) -> None:
    anna = world.customer("Anna Koval")
    receipt = pms.send(
        "heedful.purchase.made",
        _at(0),
        customer={"id": anna.id},
        location=world.kyiv.id,
        items=[{"drink": "flat white", "size": "M", "quantity": 2, "amount": 95}],
        total=190,
        currency="UAH",
        external_ref="R-555",
    )
    pms.replay(receipt, as_new=True)  # the till sent it twice
    pms.send("heedful.visit.recorded", _at(1), customer={"id": anna.id}, location=world.kyiv.id)

    with world.uow as uow:
        history = uow.history.list_for(anna.id, 10)
    assert [(h.kind, h.amount_minor, [i.quantity for i in h.items]) for h in history] == [
        (HistoryKind.VISIT, None, []),
        (HistoryKind.PURCHASE, 19000, [2]),
    ]
    assert history[1].items[0].attributes == {"drink": "flat white", "size": "M"}


def test_her_bookings_follow_her_into_the_surviving_record_and_back_on_undo(
    world: PromiseWorld, pms: Systems
) -> None:
    anna, twin = world.customer("Anna Koval"), world.customer("Anna K.")
    pms.booking(twin.id, "B-3", at=_at(0), arrival=KYIV_NOON_TOMORROW)
    record = merge_customers(anna.id, twin.id, "same guest", world.uow, world.clock, world.admin)
    now = world.clock.now()
    assert [
        b.reference for b in customer_dealings(world.uow, world.admin, anna.id, now).bookings
    ] == ["B-3"]
    undo_merge(record.id, world.uow, world.clock, world.admin)
    assert customer_dealings(world.uow, world.admin, anna.id, now).bookings == []


def test_a_sender_of_another_location_cannot_book_a_guest_it_does_not_know(
    world: PromiseWorld, pms: Systems
) -> None:
    anna = world.customer("Anna Koval")  # known at Kyiv only
    lviv_pms = BusinessEvent(
        "lviv-pms",
        "b-1",
        "heedful.booking.upserted",
        {
            "customer": {"id": anna.id},
            "location": world.lviv.id,
            "booking": "L-1",
            "arrival": KYIV_NOON_TOMORROW.isoformat(),
            "departure": (KYIV_NOON_TOMORROW + timedelta(days=1)).isoformat(),
        },
        time=_at(0),
        sender_locations=frozenset({world.lviv.id}),
    )
    pms.replay(lviv_pms)

    assert pms.reports[-1].skipped == [f"lviv-pms/b-1: {OUTSIDE_SCOPE}"]
    assert customer_dealings(world.uow, world.admin, anna.id, world.clock.now()).bookings == []
