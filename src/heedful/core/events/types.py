"""The business event types Heedful understands, and the shape of each one's ``data``.

A small declarative registry: each type lists its fields, which are required, and what kind of
value each holds. The engine adds types with ``register``; nothing else needs to change. Fields a
type does not list are kept as sent (business systems send more than we read, and a stock system's
upgrade must not start bouncing events).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from heedful.core.events.fields import (
    MAX_LONG_TEXT,
    DataField,
    DataProblem,
    EventType,
    ValueKind,
    check_data,
    optional,
)


def data_problem(type_name: str, data: Mapping[str, Any]) -> DataProblem | None:
    """What is wrong with ``data`` for a known type, ignoring ``customer`` and ``location``.

    For callers that build an event's data themselves (an import) and name who and where by id.
    """
    event_type = EVENT_TYPES[type_name]
    shape = EventType(
        event_type.name,
        tuple(f for f in event_type.fields if f.name not in ("customer", "location")),
    )
    try:
        check_data(shape, data)
    except DataProblem as problem:
        return problem
    return None


TEXT, NUMBER, QUANTITY = ValueKind.TEXT, ValueKind.NUMBER, ValueKind.QUANTITY
TIMESTAMP, CUSTOMER, ITEMS = ValueKind.TIMESTAMP, ValueKind.CUSTOMER, ValueKind.ITEMS
DATE = ValueKind.DATE
# The common states of an order, as web shops and their carriers name them (ADR 0036).
ORDER_STATUSES = (
    "new",
    "processing",
    "shipped",
    "at_pickup",
    "delivered",
    "completed",
    "cancelled",
    "returned",
)

CONVERSATION_RESOLVED = "heedful.conversation.resolved"
CHANGE, OBJECT = ValueKind.CHANGE, ValueKind.OBJECT

_BUILT_IN = (
    EventType(
        "heedful.stock.changed",
        (
            # The catalog's variant code (``selene-black``); or, for systems without one, the
            # product with its variant and size as free text.
            optional("code", TEXT),
            optional("product", TEXT),
            optional("variant", TEXT),
            optional("size", TEXT),
            DataField("location", TEXT),  # a location id or the business's own code for it
            optional("quantity", QUANTITY),  # units on hand after the change, not the change
            optional("delta", CHANGE),  # or the change itself (+3 delivered, -1 sold)
            optional("price", NUMBER),
            optional("currency", TEXT),
        ),
        matching=("code", "product", "variant", "size", "location", "quantity", "price"),
        one_of=(("code", "product"), ("quantity", "delta")),
    ),
    EventType(
        # An item of the catalog created or changed; the event's time orders the changes.
        "heedful.item.upserted",
        (
            DataField("code", TEXT),
            optional("kind", TEXT),  # product (default), variant, room_type, room, menu_item...
            optional("parent_code", TEXT),  # a variant's product, a room's room type
            optional("name_ru", TEXT),
            optional("name_uk", TEXT),
            optional("name_en", TEXT),
            optional("brand", TEXT),
            optional("size", TEXT),
            optional("colour", TEXT),
            optional("attributes", OBJECT),
        ),
        matching=("code", "kind", "parent_code", "brand", "size", "colour"),
    ),
    EventType("heedful.item.retired", (DataField("code", TEXT),), matching=("code",)),
    EventType(
        "heedful.price.changed",
        (
            DataField("product", TEXT),
            optional("variant", TEXT),
            optional("location", TEXT),
            DataField("price", NUMBER),
            DataField("currency", TEXT),
        ),
        matching=("product", "variant", "location", "price"),
    ),
    EventType(
        "heedful.purchase.made",
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            DataField("items", ITEMS),
            optional("total", NUMBER),
            optional("currency", TEXT),
            optional("external_ref", TEXT),
        ),
        matching=("customer", "location"),
    ),
    EventType(
        "heedful.visit.recorded",
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            optional("items", ITEMS),
            optional("external_ref", TEXT),
        ),
        matching=("customer", "location"),
    ),
    EventType(
        # A bank's card charge due soon: the engine warns when the balance will not cover it.
        "heedful.charge.scheduled",
        (
            DataField("customer", CUSTOMER),
            DataField("account", TEXT),
            DataField("amount", NUMBER),
            DataField("balance", NUMBER),
            DataField("currency", TEXT),
            DataField("due_at", TIMESTAMP),
        ),
        matching=("customer", "account"),
    ),
    EventType(
        "heedful.offer.published",
        (
            DataField("location", TEXT),
            DataField("title", TEXT, max_length=MAX_LONG_TEXT),
            optional("price", NUMBER),
            optional("currency", TEXT),
            optional("valid_until", TIMESTAMP),
        ),
        matching=("location", "price"),
    ),
    EventType(
        "heedful.order.delivered",
        (DataField("customer", CUSTOMER), DataField("order_ref", TEXT)),
        matching=("customer", "order_ref"),
    ),
    EventType(
        # A refund asked for: a promise due within minutes (ADR 0041); refund.issued keeps it.
        "heedful.refund.requested",
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            DataField("order_ref", TEXT),
            optional("within_minutes", NUMBER),
            optional("amount", NUMBER),
            optional("currency", TEXT),
            optional("reason", TEXT),
        ),
        matching=("customer", "location", "order_ref", "amount"),
    ),
    EventType(
        "heedful.refund.issued",
        (DataField("customer", CUSTOMER), DataField("order_ref", TEXT)),
        matching=("customer", "order_ref"),
    ),
    EventType(
        # Heedful's own: staff resolved a conversation (the engine offers its survey).
        CONVERSATION_RESOLVED,
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            DataField("thread_id", TEXT),
            optional("staff_id", TEXT),
        ),
        matching=("customer", "location"),
    ),
    EventType(
        # A business system (the bank's CRM) says who looks after her at a location (ADR 0040):
        # the staff member by Heedful id or login.
        "heedful.owner.assigned",
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            DataField("staff", TEXT),
        ),
        matching=("customer", "location"),
    ),
    # Bookings, reservations, orders and accounts: state kept per customer and location, each
    # event carrying it whole; the event's own time decides which version stands (ADR 0036).
    EventType(
        "heedful.booking.upserted",
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            DataField("booking", TEXT),  # the hotel's own booking number
            DataField("arrival", TIMESTAMP),
            DataField("departure", TIMESTAMP),
            optional("room_type", TEXT),
            optional("room", TEXT),
            optional("guests", QUANTITY),
        ),
        matching=("customer", "location", "room_type"),
    ),
    EventType(
        "heedful.booking.cancelled",
        (DataField("location", TEXT), DataField("booking", TEXT), optional("customer", CUSTOMER)),
        matching=("customer", "location"),
    ),
    EventType(
        # The guest checked out: the booking is done and the stay joins her visits.
        "heedful.stay.completed",
        (
            DataField("location", TEXT),
            DataField("booking", TEXT),
            optional("customer", CUSTOMER),
            optional("items", ITEMS),
            optional("total", NUMBER),
            optional("currency", TEXT),
        ),
        matching=("customer", "location"),
    ),
    EventType(
        "heedful.reservation.upserted",
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            DataField("reservation", TEXT),
            DataField("at", TIMESTAMP),
            DataField("party_size", QUANTITY),
            optional("table", TEXT),
        ),
        matching=("customer", "location"),
    ),
    EventType(
        "heedful.reservation.cancelled",
        (
            DataField("location", TEXT),
            DataField("reservation", TEXT),
            optional("customer", CUSTOMER),
        ),
        matching=("customer", "location"),
    ),
    EventType(
        "heedful.order.upserted",
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            DataField("order", TEXT),
            DataField("status", TEXT, choices=ORDER_STATUSES),
            optional("lines", ITEMS),
            optional("promised", DATE),
            optional("expected", DATE),
            # Waiting at a pick-up point: the day it is sent back (ADR 0051).
            optional("pickup_until", DATE),
            optional("carrier", TEXT),
            optional("tracking_number", TEXT),
            optional("total", NUMBER),
            optional("currency", TEXT),
        ),
        matching=("customer", "location", "status"),
    ),
    EventType(
        # Told by Heedful itself when an account it keeps is at risk (core/dealings/warnings.py).
        "heedful.account.at_risk",
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            DataField("account", TEXT),
            DataField("reason", TEXT, choices=("charge_uncovered", "card_expiring")),
            DataField("currency", TEXT),
            optional("balance", NUMBER),
            optional("amount", NUMBER),
            optional("limit", NUMBER),
            optional("due_at", TIMESTAMP),
            optional("card_expires", DATE),
        ),
        matching=("customer", "account", "reason"),
    ),
    EventType(
        "heedful.account.upserted",
        (
            DataField("customer", CUSTOMER),
            DataField("location", TEXT),
            DataField("account", TEXT),
            DataField("balance", NUMBER),
            DataField("currency", TEXT),
            optional("limit", NUMBER),
            optional("next_charge_at", TIMESTAMP),
            optional("next_charge_amount", NUMBER),
            optional("card_expires", DATE),
        ),
        matching=("customer", "account"),
    ),
)

EVENT_TYPES: dict[str, EventType] = {event_type.name: event_type for event_type in _BUILT_IN}


def register(event_type: EventType) -> None:
    """Teach Heedful a new event type; registering a name twice is a mistake, not an update."""
    if event_type.name in EVENT_TYPES:
        raise ValueError(f"the event type {event_type.name} is registered already")
    EVENT_TYPES[event_type.name] = event_type


def known_type(name: str) -> EventType | None:
    return EVENT_TYPES.get(name)
