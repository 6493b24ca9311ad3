"""Heedful's own event types as a reader sees them: what each says, the state it updates, an
example, and its JSON Schema, made from the fields ``types.py`` checks (one source, no drift).

``GET /api/v1/event-types`` and ``docs/events.md`` show these; a test checks every example
against both the field check and the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from heedful.core.events.fields import (
    CUSTOMER_KEYS,
    MAX_AMOUNT,
    MAX_ITEMS,
    MAX_QUANTITY,
    DataField,
    EventType,
    ValueKind,
)
from heedful.core.events.types import EVENT_TYPES

_CUSTOMER = {"email": "anna@example.com"}


@dataclass(frozen=True, slots=True)
class Described:
    description: str
    updates: str | None  # the state an event of this type changes; None: playbooks only
    example: Mapping[str, Any]


DESCRIBED: dict[str, Described] = {
    "heedful.stock.changed": Described(
        "Units of a variant at a location: a count (quantity) or a movement (delta). "
        "A variant coming back in stock tells the customers waiting for it, in order.",
        "stock",
        {"code": "selene-black", "location": "lypky", "quantity": 2},
    ),
    "heedful.item.upserted": Described(
        "An item of the catalog created or changed: a product, variant, room type, room, "
        "menu item or service.",
        "catalog",
        {
            "code": "selene-black",
            "kind": "variant",
            "parent_code": "selene",
            "name_en": "Selene bag, black",
            "brand": "Selene",
            "colour": "black",
        },
    ),
    "heedful.item.retired": Described(
        "An item no longer sold; it stays for the wishes and history that name it.",
        "catalog",
        {"code": "selene-black"},
    ),
    "heedful.price.changed": Described(
        "A product's price, for playbooks that tell customers of a price drop.",
        None,
        {"product": "selene", "variant": "black", "price": 420.0, "currency": "EUR"},
    ),
    "heedful.purchase.made": Described(
        "A customer bought something (a POS receipt); written to her history once per receipt.",
        "history",
        {
            "customer": _CUSTOMER,
            "location": "lypky",
            "items": [{"code": "selene-black", "quantity": 1, "price": 420.0}],
            "total": 420.0,
            "currency": "EUR",
            "external_ref": "receipt-000123",
        },
    ),
    "heedful.visit.recorded": Described(
        "A customer came by without buying, or used a service; written to her history.",
        "history",
        {"customer": _CUSTOMER, "location": "lypky", "external_ref": "visit-2026-03-02-17"},
    ),
    "heedful.charge.scheduled": Described(
        "A card charge due soon, with the balance that should cover it (playbooks compare them).",
        None,
        {
            "customer": {"loyalty_card": "CARD-0042"},
            "account": "acc-7781",
            "amount": 129.0,
            "balance": 40.0,
            "currency": "UAH",
            "due_at": "2026-03-05T09:00:00+02:00",
        },
    ),
    "heedful.offer.published": Described(
        "An offer at a location, for playbooks that tell the customers it suits.",
        None,
        {
            "location": "lypky",
            "title": "Spring linen, 20% off",
            "valid_until": "2026-03-31T21:00:00+03:00",
        },
    ),
    "heedful.order.delivered": Described(
        "An order reached the customer: keeps the delivery promises that name it.",
        "promises",
        {"customer": _CUSTOMER, "order_ref": "1042"},
    ),
    "heedful.refund.issued": Described(
        "A refund went out: keeps the refund promises that name the order.",
        "promises",
        {"customer": _CUSTOMER, "order_ref": "1042"},
    ),
    "heedful.refund.requested": Described(
        "A customer asked for a refund: a refund promise due in minutes (within_minutes, 15 by "
        "default) and a task to refund her now; heedful.refund.issued keeps it.",
        "promises",
        {
            "customer": _CUSTOMER,
            "location": "lypky",
            "order_ref": "1042",
            "amount": 1200,
            "currency": "UAH",
            "within_minutes": 15,
        },
    ),
    "heedful.owner.assigned": Described(
        "The business's system names who looks after a customer at a location (her "
        "relationship manager, stylist or account manager), by staff id or login.",
        None,
        {"customer": _CUSTOMER, "location": "bank-kyiv", "staff": "yuriy.bondar"},
    ),
    "heedful.conversation.resolved": Described(
        "Heedful's own: staff resolved a conversation (the engine offers its survey).",
        None,
        {"customer": {"id": "cus_01"}, "location": "lypky", "thread_id": "thr_01"},
    ),
    "heedful.booking.upserted": Described(
        "A hotel booking created or changed, sent whole; the event's time decides which "
        "version stands.",
        "bookings",
        {
            "customer": _CUSTOMER,
            "location": "hotel-kyiv",
            "booking": "BK-5521",
            "arrival": "2026-02-12T14:00:00+02:00",
            "departure": "2026-02-14T12:00:00+02:00",
            "room_type": "deluxe",
            "room": "512",
            "guests": 2,
        },
    ),
    "heedful.booking.cancelled": Described(
        "A booking cancelled; one that arrives before its booking is kept as cancelled.",
        "bookings",
        {"location": "hotel-kyiv", "booking": "BK-5521"},
    ),
    "heedful.stay.completed": Described(
        "The guest checked out: the booking is done and the stay joins her visits.",
        "bookings",
        {"location": "hotel-kyiv", "booking": "BK-5521", "total": 380.0, "currency": "EUR"},
    ),
    "heedful.reservation.upserted": Described(
        "A restaurant table booked or changed, sent whole.",
        "reservations",
        {
            "customer": {"phone": "+380501234567"},
            "location": "bistro-podil",
            "reservation": "R-881",
            "at": "2026-03-02T19:30:00+02:00",
            "party_size": 4,
            "table": "12",
        },
    ),
    "heedful.reservation.cancelled": Described(
        "A table reservation cancelled.",
        "reservations",
        {"location": "bistro-podil", "reservation": "R-881"},
    ),
    "heedful.order.upserted": Described(
        "A web shop order created or changed, sent whole: status, promised and expected day, "
        "carrier; waiting at a pick-up point (at_pickup), the day it is sent back "
        "(pickup_until). Delivered or completed, it joins her history.",
        "orders",
        {
            "customer": _CUSTOMER,
            "location": "web-shop",
            "order": "1042",
            "status": "shipped",
            "lines": [{"code": "selene-black", "quantity": 1}],
            "promised": "2026-03-06",
            "expected": "2026-03-09",
            "carrier": "Nova Poshta",
            "tracking_number": "20450000123456",
        },
    ),
    "heedful.account.at_risk": Described(
        "Heedful's own: an account it keeps will not cover the next charge, or its card expires.",
        None,
        {
            "customer": {"id": "cus_01"},
            "location": "bank-kyiv",
            "account": "acc-7781",
            "reason": "charge_uncovered",
            "currency": "UAH",
            "balance": 40.0,
            "amount": 129.0,
        },
    ),
    "heedful.account.upserted": Described(
        "A bank account's balance, limit, next charge and card expiry, sent whole.",
        "accounts",
        {
            "customer": {"loyalty_card": "CARD-0042"},
            "location": "bank-kyiv",
            "account": "acc-7781",
            "balance": 40.0,
            "currency": "UAH",
            "limit": 0,
            "next_charge_at": "2026-03-05T09:00:00+02:00",
            "next_charge_amount": 129.0,
            "card_expires": "2026-04-30",
        },
    ),
}


def _kind_schema(field: DataField) -> dict[str, Any]:
    kind = field.kind
    if kind is ValueKind.TEXT:
        text: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": field.max_length}
        if field.choices:
            text["enum"] = list(field.choices)
        return text
    if kind is ValueKind.NUMBER:
        return {"type": "number", "minimum": -MAX_AMOUNT, "maximum": MAX_AMOUNT}
    if kind is ValueKind.QUANTITY:
        return {"type": "integer", "minimum": 0, "maximum": MAX_QUANTITY}
    if kind is ValueKind.CHANGE:
        return {"type": "integer", "minimum": -MAX_QUANTITY, "maximum": MAX_QUANTITY}
    if kind is ValueKind.TIMESTAMP:
        return {"type": "string", "format": "date-time"}
    if kind is ValueKind.DATE:
        return {"type": "string", "format": "date"}
    if kind is ValueKind.ITEMS:
        return {"type": "array", "maxItems": MAX_ITEMS, "items": {"type": "object"}}
    if kind is ValueKind.OBJECT:
        return {"type": "object", "additionalProperties": {"type": ["string", "number"]}}
    # ValueKind.CUSTOMER: named by any one of its keys.
    return {
        "type": "object",
        "properties": {key: {"type": "string", "minLength": 1} for key in CUSTOMER_KEYS},
        "anyOf": [{"required": [key]} for key in CUSTOMER_KEYS],
    }


def json_schema(event_type: EventType) -> dict[str, Any]:
    """The JSON Schema of a built-in type's ``data``; fields it does not list are allowed."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": event_type.name,
        "type": "object",
        "properties": {field.name: _kind_schema(field) for field in event_type.fields},
        "required": [field.name for field in event_type.fields if field.required],
    }
    if event_type.one_of:
        schema["allOf"] = [
            {"oneOf": [{"required": [name]} for name in group]} for group in event_type.one_of
        ]
    return schema


def described(name: str) -> Described:
    return DESCRIBED.get(name, Described("", None, {}))


# Heedful's own types whose state a business's type may update (``acts_as``).
STATE_TYPES = tuple(sorted(name for name, d in DESCRIBED.items() if d.updates is not None))


def built_in_names() -> list[str]:
    return sorted(EVENT_TYPES)
