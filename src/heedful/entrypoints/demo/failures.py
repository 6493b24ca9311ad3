"""Last week's failures, so the failure map (ADR 0050) has something in every kind it counts.

The demo's past already holds broken promises, SLA breaches and unhappy answers. Here the
business's systems send last week's state the way they would have: a bank charge above balance
and limit that nobody acted on, and one the relationship manager rescued an hour later with a
raised limit; a table at the restaurant given to a second party while the first still held it,
rescued with a dessert on the house; a parcel the look-ahead playbook caught two days before its
promised day (pre-empted: she was told first, with a new date, and the new date was kept). Each
event is handled at the moment it happened, on a clock set there, as the engine would have then.
The allowances the staff give from (desserts at the restaurant, raised limits at the bank) are
set first, so the gestures are ordinary ones, drawn on an allowance.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from heedful.bootstrap import Container
from heedful.core import goodwill
from heedful.core.access.model import Role
from heedful.core.dealings import BookingKind
from heedful.core.engine.reactions import process_events
from heedful.core.events.handlers import accept_events
from heedful.core.shared.clock import FrozenClock

from .anticipation import ANDRIY_PHONE, REGULAR_PHONE, VIKTOR_PHONE, VIKTORIIA_PHONE
from .data import BANK, BOUTIQUE, LOCATION_CODES, LOCATIONS, RESTAURANT

SOLOMIIA_PHONE = "+380 67 215 40 88"  # the restaurant's regular (stories.py)


def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(next(spec.time_zone for spec in LOCATIONS if spec.key == key))


def _local(now: datetime, key: str, days: int, at: time) -> datetime:
    zone = _zone(key)
    return datetime.combine(now.astimezone(zone).date() + timedelta(days=days), at, tzinfo=zone)


def _event(number: int, event_type: str, sent: datetime, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"demo-past-{number}",
        "source": "urn:demo:past",
        "type": event_type,
        "time": sent.isoformat(),
        "data": data,
    }


def _handle_at(container: Container, at: datetime, *events: dict[str, Any]) -> None:
    clock = FrozenClock(at)
    accept_events(container.uow(), clock, list(events))
    process_events(container.uow, clock)


def play_past_failures(container: Container) -> None:
    now = container.clock.now()
    codes = {key: LOCATION_CODES[key] for key in (BANK, BOUTIQUE, RESTAURANT)}
    account = {"currency": "UAH", "balance": 300, "limit": 500, "next_charge_amount": 1200}
    declined = _local(now, BANK, -5, time(7, 0))
    raised = _local(now, BANK, -3, time(7, 0))
    dinner = _local(now, RESTAURANT, -2, time(19, 0))
    promised = now.astimezone(_zone(BOUTIQUE)).date() - timedelta(days=4)

    # The parcel: seen late by the look-ahead pass two days before the promised day, delivered
    # on the carrier's new date, which keeps the promise the playbook made.
    seen = _local(now, BOUTIQUE, -6, time(10, 0))
    _handle_at(
        container,
        seen,
        _event(
            1,
            "heedful.order.upserted",
            seen,
            customer={"phone": VIKTORIIA_PHONE},
            location=codes[BOUTIQUE],
            order="LY-0977",
            status="shipped",
            promised=promised.isoformat(),
            expected=(promised + timedelta(days=2)).isoformat(),
            carrier="Nova Poshta",
            tracking_number="20450120977001",
        ),
    )
    delivered = _local(now, BOUTIQUE, -2, time(11, 0))
    _handle_at(
        container,
        delivered,
        _event(
            2,
            "heedful.order.delivered",
            delivered,
            customer={"phone": VIKTORIIA_PHONE},
            order_ref="LY-0977",
        ),
    )
    # Two charges above balance and limit, sent after they were due: nobody saw them coming.
    _handle_at(
        container,
        now,
        *(
            _event(
                n,
                "heedful.account.upserted",
                now - timedelta(days=1),
                customer={"phone": phone},
                location=codes[BANK],
                account=number,
                next_charge_at=due.isoformat(),
                **account,
            )
            for n, phone, number, due in (
                (3, REGULAR_PHONE, "UA-20051190", declined),
                (4, ANDRIY_PHONE, "UA-20048290", raised),
            )
        ),
        # Table 7 at 19:00: Solomiia booked it first; it was given again to a second party.
        *(
            _event(
                n,
                "heedful.reservation.upserted",
                dinner - timedelta(days=days),
                customer={"phone": phone},
                location=codes[RESTAURANT],
                reservation=reference,
                at=dinner.isoformat(),
                party_size=2,
                table="7",
            )
            for n, phone, reference, days in (
                (5, SOLOMIIA_PHONE, "KV-3307", 6),
                (6, VIKTOR_PHONE, "KV-3312", 3),
            )
        ),
    )
    _gestures(container, raised, dinner)


def _gestures(container: Container, raised: datetime, dinner: datetime) -> None:
    uow = container.uow
    with uow() as reading:
        places = {loc.code: loc for loc in reading.locations.list()}
        bank, restaurant = places[LOCATION_CODES[BANK]], places[LOCATION_CODES[RESTAURANT]]
        people = {
            login: reading.staff.get_by_login(login)
            for login in ("iryna.tkachenko", "taras.hnatyshyn", "yurii.bondar", "sofiia.lysenko")
        }
        raised_account = reading.accounts.get_by_reference(bank.id, "UA-20048290")
        second = reading.bookings.get_by_reference(BookingKind.TABLE, restaurant.id, "KV-3312")
    actors = {login: member.as_actor() for login, member in people.items() if member}
    manager, host_manager = actors["iryna.tkachenko"], actors["taras.hnatyshyn"]
    banker, host = actors["yurii.bondar"], actors["sofiia.lysenko"]
    assert raised_account is not None
    assert second is not None
    assert second.customer_id is not None
    clock = FrozenClock(raised - timedelta(days=1))
    for who, where, kind, amount in (
        (manager, bank, "raised_limit", 3),
        (host_manager, restaurant, "dessert", 10),
    ):
        goodwill.set_allowance(
            goodwill.SetAllowance(
                where.id, kind, Decimal(amount), goodwill.Period.MONTH, role=Role.AGENT
            ),
            uow(),
            clock,
            who,
        )
    for who, customer_id, where, kind, at, reason in (
        (
            banker,
            raised_account.customer_id,
            bank,
            "raised_limit",
            raised + timedelta(hours=1),
            "списання відхилено: підняли ліміт і повторили",
        ),
        (
            host,
            second.customer_id,
            restaurant,
            "dessert",
            dinner + timedelta(minutes=30),
            "стіл 7 був зайнятий: чекали 30 хвилин",
        ),
    ):
        goodwill.give_goodwill(
            goodwill.GiveGoodwill(customer_id, where.id, kind, Decimal(1), reason),
            uow(),
            FrozenClock(at),
            who,
        )
