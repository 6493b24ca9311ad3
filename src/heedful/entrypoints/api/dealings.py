"""/api/v1 bookings, reservations, orders and accounts: read-only, written by events (ADR 0036).

Their systems write them through ``POST /api/v1/events`` (``heedful.booking.upserted``...) or
``heedful import``; here staff tools and integrators read tomorrow's arrivals, tonight's tables,
the deliveries running late and one customer's own.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import Field

from heedful.core.dealings import (
    Account,
    Booking,
    BookingKind,
    BookingStatus,
    CustomerDealings,
    Order,
    OrderStatus,
    bookings_starting,
    customer_dealings,
    late_orders,
    read_day,
)
from heedful.core.dealings.queries import ON_THE_CARD, orders_on_their_way
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.schemas import NO_NUL, CardOut, Out

router = APIRouter()
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
ALocation = Annotated[
    str | None,
    Query(min_length=1, max_length=40, pattern=NO_NUL, description="One of your locations"),
]
ADay = Annotated[
    str,
    Query(
        min_length=1,
        max_length=10,
        pattern=r"^(today|tomorrow|\d{4}-\d{2}-\d{2})$",
        description="today, tomorrow (each location's own) or YYYY-MM-DD",
    ),
]


class BookingOut(Out):
    id: str
    kind: BookingKind
    location_id: str
    reference: str
    customer_id: str | None
    status: BookingStatus
    starts_at: datetime | None = Field(description="Arrival, or the reservation's time")
    ends_at: datetime | None = Field(description="Departure (stays)")
    nights: int | None
    room_type: str
    room: str
    table: str
    guests: int | None
    as_of: datetime | None = Field(description="The time of the event that last set it")


class OrderLineOut(Out):
    attributes: dict[str, str]
    quantity: int
    amount_minor: int | None


class OrderOut(Out):
    id: str
    location_id: str
    reference: str
    customer_id: str
    status: OrderStatus
    lines: list[OrderLineOut]
    promised_on: date | None
    expected_on: date | None
    carrier: str
    tracking_number: str
    total_minor: int | None
    currency: str | None
    late: bool
    as_of: datetime | None


class AccountOut(Out):
    id: str
    location_id: str
    reference: str
    customer_id: str
    currency: str
    balance_minor: int
    limit_minor: int | None
    next_charge_at: datetime | None
    next_charge_minor: int | None
    charge_uncovered: bool = Field(description="The next charge exceeds balance and limit")
    card_expires_on: date | None
    as_of: datetime | None


class CustomerDealingsOut(Out):
    bookings: list[BookingOut] = Field(
        description=f"Still to come or under way, at most {ON_THE_CARD}"
    )
    orders: list[OrderOut] = Field(description=f"The latest, at most {ON_THE_CARD}")
    accounts: list[AccountOut] = Field(description=f"By reference, at most {ON_THE_CARD}")
    booking_count: int = Field(description="All her bookings still to come or under way")
    order_count: int = Field(description="All her orders")
    account_count: int = Field(description="All her accounts")


def _booking(booking: Booking) -> BookingOut:
    return BookingOut.model_validate(booking)


def _order(order: Order, today: date) -> OrderOut:
    return OrderOut.model_validate(
        {
            **{k: getattr(order, k) for k in OrderOut.model_fields if k not in {"late", "lines"}},
            "lines": [OrderLineOut.model_validate(line) for line in order.lines],
            "late": order.is_late(today),
        }
    )


def _account(account: Account) -> AccountOut:
    return AccountOut.model_validate(account)


@router.get(
    "/bookings",
    response_model=list[BookingOut],
    tags=["bookings"],
    summary="Arrivals (stays) or reservations (tables) on a day, at your locations",
)
def bookings(
    ctx: Ctx,
    arriving: ADay,
    kind: BookingKind = BookingKind.STAY,
    location_id: ALocation = None,
) -> list[BookingOut]:
    found = bookings_starting(
        ctx.container.uow(read_only=True),
        ctx.actor,
        kind,
        read_day(arriving, "arriving"),
        ctx.container.clock.now(),
        location_id,
    )
    return [_booking(booking) for booking in found]


@router.get(
    "/orders",
    response_model=list[OrderOut],
    tags=["bookings"],
    summary="Orders on their way with a promised day; with late=true, the ones running late",
)
def orders(ctx: Ctx, late: bool = False, location_id: ALocation = None) -> list[OrderOut]:
    now = ctx.container.clock.now()
    uow = ctx.container.uow(read_only=True)
    if late:
        found = late_orders(uow, ctx.actor, now, location_id)
    else:
        found = orders_on_their_way(uow, ctx.actor, location_id)
    today = now.date()
    return [_order(order, today) for order in found]


@router.get(
    "/customers/{customer_id}/dealings",
    response_model=CustomerDealingsOut,
    tags=["bookings"],
    summary="Her bookings still to come, her latest orders and her accounts, at your locations,"
    " with how many there are",
)
def her_dealings(ctx: Ctx, customer_id: AnId) -> CustomerDealingsOut:
    now = ctx.container.clock.now()
    return dealings_out(
        customer_dealings(ctx.container.uow(read_only=True), ctx.actor, customer_id, now), now
    )


class CardWithDealingsOut(CardOut):
    dealings: CustomerDealingsOut | None = Field(
        default=None,
        description="With include=dealings: her bookings still to come, latest orders and accounts"
        " at your locations, read in the card's own transaction (as GET .../dealings answers)",
    )


def dealings_out(found: CustomerDealings, now: datetime) -> CustomerDealingsOut:
    return CustomerDealingsOut(
        bookings=[_booking(b) for b in found.bookings],
        orders=[_order(o, now.date()) for o in found.orders],
        accounts=[_account(a) for a in found.accounts],
        booking_count=found.booking_count,
        order_count=found.order_count,
        account_count=found.account_count,
    )
