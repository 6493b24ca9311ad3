"""Bookings, reservations, orders and accounts in the console: on the card, and as lists.

The card's section is loaded after the card, as its conversations are; the lists are what a
front desk reads in the evening (tomorrow's arrivals), a host before service (tonight's tables)
and a web-shop's service desk each morning (deliveries running late). Every day and time is
told in the zone of the location it belongs to (ADR 0036).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.card import arrivals
from heedful.core.dealings import (
    Booking,
    BookingKind,
    Order,
    OrderStatus,
    customer_dealings,
    late_orders,
    read_day,
)
from heedful.core.staff import owners_of
from heedful.core.staff.model import Location
from heedful.core.staff.queries import all_locations
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

ORDER_STATUS = {
    OrderStatus.NEW: N_("New"),
    OrderStatus.PROCESSING: N_("Being prepared"),
    OrderStatus.SHIPPED: N_("Shipped"),
    OrderStatus.AT_PICKUP: N_("Waiting at the pick-up point"),
    OrderStatus.DELIVERED: N_("Delivered"),
    OrderStatus.COMPLETED: N_("Completed"),
    OrderStatus.CANCELLED: N_("Cancelled"),
    OrderStatus.RETURNED: N_("Returned"),
}
SHORT_DAY = "EEE d MMM"  # "Thu 12 Feb", "чт, 12 февр.": a day this week or next, not a record


@dataclass(frozen=True)
class Calendar:
    """Days and times as the reader reads them, each in its location's zone."""

    language: str
    locations: dict[str, Location]
    fallback_zone: str

    def zone(self, location_id: str) -> ZoneInfo:
        location = self.locations.get(location_id)
        return ZoneInfo(location.time_zone if location else self.fallback_zone)

    def place(self, location_id: str) -> str:
        location = self.locations.get(location_id)
        return location.name if location else ""

    def day(self, at: datetime | date | None, location_id: str = "") -> str:
        if at is None:
            return ""
        if isinstance(at, datetime):
            return format_datetime(
                at, SHORT_DAY, tzinfo=self.zone(location_id), locale=self.language
            )
        return format_date(at, SHORT_DAY, locale=self.language)

    def time(self, at: datetime | None, location_id: str) -> str:
        if at is None:
            return ""
        return format_datetime(at, "HH:mm", tzinfo=self.zone(location_id), locale=self.language)


def _calendar(console: Console, zone: str = "UTC") -> Calendar:
    return Calendar(console.ui.language, all_locations(console.container.uow(read_only=True)), zone)


def _staying(booking: Booking, now: datetime) -> bool:
    return booking.starts_at is not None and booking.starts_at <= now


@router.get("/console/customers/{customer_id}/dealings")
def card_section(console: Staff, customer_id: str) -> Response:
    """The card's Bookings and orders section, loaded after the card."""
    now = console.now()
    found = customer_dealings(
        console.container.uow(read_only=True), console.actor, customer_id, now
    )
    # Who looks after her at each of the reader's locations (ADR 0040): her tasks go to them.
    owners = owners_of(customer_id, console.container.uow(read_only=True), console.actor)
    return console.render(
        "customers/_dealings.html",
        dealings=found,
        owners=owners,
        cal=_calendar(console),
        staying=_staying,
        status_label=lambda status: console.ui.gettext(ORDER_STATUS[status]),
        late=lambda order: order.is_late(now.date()),
        BookingKind=BookingKind,
    )


def _names(console: Console, customer_ids: set[str | None]) -> dict[str, str]:
    names: dict[str, str] = {}
    with console.container.uow(read_only=True) as uow:
        for customer_id in sorted(c for c in customer_ids if c):
            customer = uow.customers.get(customer_id)
            if customer is not None:
                names[customer_id] = customer.full_name
    return names


@router.get("/console/bookings")
def lists(console: Staff, day: str = "tomorrow") -> Response:
    """Tomorrow's arrivals, tonight's tables and the deliveries running late, at my locations."""
    now, uow, actor = console.now(), console.container.uow(read_only=True), console.actor
    guests = arrivals(uow, actor, BookingKind.STAY, read_day(day), now)
    tables = arrivals(uow, actor, BookingKind.TABLE, "today", now)
    late: list[Order] = late_orders(uow, actor, now)
    return console.render(
        "bookings/lists.html",
        day=day,
        arrivals=guests,
        tables=tables,
        late=late,
        names=_names(console, {o.customer_id for o in late}),
        cal=_calendar(console),
        status_label=lambda status: console.ui.gettext(ORDER_STATUS[status]),
    )
