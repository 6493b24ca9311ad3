"""Seed 004 in the console: the guest who never wants sparkling water arrives tomorrow.

The hotel's PMS sends her booking; the card says when she arrives, in which room and for how
many nights, in the reader's language and the hotel's own time zone, and the front desk's list
of tomorrow's arrivals names her. The web shop's late delivery is on the card and in its list.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.model import Customer
from heedful.core.dealings import Order, OrderStatus
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Polarity
from heedful.core.shared.ids import new_id
from heedful.core.staff import set_owner
from heedful.core.staff.model import Location


def _send(world: World, *events: tuple[str, dict[str, Any]]) -> None:
    stored = [
        BusinessEvent("urn:hotel:pms", f"e-{n}", event_type, data)
        for n, (event_type, data) in enumerate(events)
    ]
    with world.container.uow() as uow:
        uow.events.accept(stored, received_at=world.container.clock.now())
        uow.commit()
    process_events(world.container.uow, world.container.clock)


def _her_booking_and_order(world: World) -> tuple[Location, Customer]:
    hotel = world.location("Metropol", time_zone="Europe/Moscow")
    guest = world.customer("Anna Koval", at=hotel)
    who = {"id": guest.id}
    _send(
        world,
        (
            "heedful.booking.upserted",
            {
                "customer": who,
                "location": hotel.id,
                "booking": "B-512",
                "arrival": "2026-03-03T14:00:00+03:00",
                "departure": "2026-03-05T12:00:00+03:00",
                "room": "512",
                "room_type": "Deluxe",
                "guests": 2,
            },
        ),
        (
            "heedful.order.upserted",
            {
                "customer": who,
                "location": hotel.id,
                "order": "1042",
                "status": "shipped",
                "promised": "2026-03-06",
                "expected": "2026-03-09",
                "carrier": "DHL",
            },
        ),
    )
    return hotel, guest


@pytest.mark.parametrize(
    ("language", "booking", "order", "owner"),
    [
        (
            "en",
            "Arrives Tue 3 Mar, room 512, 2 nights",
            "Order 1042: promised Fri 6 Mar",
            "Looked after at Metropol by Olga Desk",
        ),
        (
            "ru",
            "Заезд вт 3 мар., номер 512, 2 ночи",
            "Заказ 1042: обещан пт 6 мар.",
            "Ответственный в Metropol: Olga Desk",
        ),
        (
            "uk",
            "Заїзд вт 3 бер., номер 512, 2 ночі",
            "Замовлення 1042: обіцяно пт 6 бер.",
            "Відповідальний у Metropol: Olga Desk",
        ),
    ],
)
def test_the_card_says_when_she_arrives_and_when_her_order_comes(
    world: World,
    console_client: TestClient,
    language: str,
    booking: str,
    order: str,
    owner: str,
) -> None:
    hotel, guest = _her_booking_and_order(world)
    desk = world.staff("desk", "Olga Desk", Role.AGENT, language=language, at=[hotel])
    clock = world.container.clock
    set_owner(guest.id, hotel.id, desk.id, world.container.uow(), clock, SYSTEM)
    log_in(console_client, "desk")

    card = console_client.get(f"/customers/{guest.id}")
    assert f'hx-get="/console/customers/{guest.id}/dealings"' in card.text
    section = " ".join(console_client.get(f"/console/customers/{guest.id}/dealings").text.split())
    assert booking in section
    assert order in section
    assert owner in section


def test_tomorrows_arrivals_and_the_late_deliveries_name_her_only_to_her_hotels_staff(
    world: World, console_client: TestClient
) -> None:
    hotel, guest = _her_booking_and_order(world)
    record_preference(
        RecordPreference(guest.id, Polarity.NEVER, "sparkling water in the minibar"),
        world.container.uow(),
        world.container.clock,
        SYSTEM,
    )
    elsewhere = world.location("Astoria", city="Saint Petersburg")
    world.staff("desk", "Olga Desk", Role.AGENT, language="ru", at=[hotel])
    world.staff("other", "Ivan Other", Role.AGENT, at=[elsewhere])

    log_in(console_client, "desk")
    page = console_client.get("/console/bookings").text
    assert "Заезды завтра" in page
    assert "Доставки с опозданием" in page
    assert page.count("Anna Koval") == 2  # arriving tomorrow, and her order running late
    assert 'data-reference="B-512"' in page
    assert 'data-reference="1042"' in page
    # Seed 004: housekeeping reads her "never" before she arrives.
    assert "sparkling water in the minibar" in page

    log_in(console_client, "other")
    assert "Anna Koval" not in console_client.get("/console/bookings").text
    assert console_client.get(f"/console/customers/{guest.id}/dealings").status_code == 404


@pytest.mark.parametrize(
    ("language", "orders", "said"),
    [
        ("en", 12, "The latest 10 of 13 orders"),
        ("ru", 11, "Последние 10 из 12 заказов"),
        ("uk", 20, "Останні 10 з 21 замовлення"),
    ],
)
def test_a_regular_with_many_orders_sees_the_latest_and_how_many_there_are(
    world: World, console_client: TestClient, language: str, orders: int, said: str
) -> None:
    hotel, guest = _her_booking_and_order(world)  # her first order, 1042
    world.staff("desk", "Olga Desk", Role.AGENT, language=language, at=[hotel])
    now = world.container.clock.now()
    with world.container.uow() as uow:
        for number in range(orders):
            at = now - timedelta(days=number + 1)
            uow.orders.add(
                Order(
                    new_id("ord_"),
                    hotel.id,
                    f"W-{number}",
                    guest.id,
                    OrderStatus.COMPLETED,
                    as_of=at,
                    created_at=at,
                    updated_at=at,
                )
            )
        uow.commit()
    log_in(console_client, "desk")

    section = " ".join(console_client.get(f"/console/customers/{guest.id}/dealings").text.split())
    assert said in section
    assert section.count('class="dealing order"') == 10
