"""The business event types Heedful understands, and the shape of each one's ``data``.

A small declarative registry: each type lists its fields, which are required, and what kind of
value each holds. The engine adds types with ``register``; nothing else needs to change. Fields a
type does not list are kept as sent (business systems send more than we read, and a stock system's
upgrade must not start bouncing events).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

CUSTOMER_KEYS = ("id", "phone", "email", "loyalty_card")

# The ranges of what the engine stores from an event, checked where events enter (the API, the
# lean path, the stream and the CLI all parse here), so that no stored event can later fail for
# a number or a text the database cannot hold. See docs/decisions/0022-dead-letters.md.
MAX_QUANTITY = 1_000_000_000  # units on hand: the stock level is a 32-bit column
MAX_AMOUNT = 1_000_000_000_000  # a price, total, amount or balance, either sign
MAX_TEXT = 200  # product, variant, size, location, references: their columns are 200 wide
MAX_LONG_TEXT = 1000  # an offer's title
MAX_ITEMS = 1000  # lines of one purchase or visit


class ValueKind(StrEnum):
    TEXT = "text"  # a non-empty string
    NUMBER = "number"  # a JSON number (never a numeric string: "12,50" means different things)
    QUANTITY = "quantity"  # a non-negative integer
    TIMESTAMP = "timestamp"  # RFC 3339 with an offset
    CUSTOMER = "customer"  # an object naming the customer by id, phone, e-mail or loyalty card
    ITEMS = "items"  # a list of objects (what was bought, ordered, used)
    DATE = "date"  # a calendar day, YYYY-MM-DD (a promised delivery day, a card's expiry)
    CHANGE = "change"  # a whole number of units either way (a stock movement: -1, +3)
    OBJECT = "object"  # an object of names and text values (an item's attributes)


@dataclass(frozen=True)
class DataField:
    name: str
    kind: ValueKind
    required: bool = True
    max_length: int = MAX_TEXT  # for text: longer is refused
    choices: tuple[str, ...] = ()  # for text: when given, the only values accepted


def optional(name: str, kind: ValueKind) -> DataField:
    return DataField(name, kind, required=False)


@dataclass(frozen=True)
class EventType:
    """One kind of business event: its name and the fields its ``data`` object carries.

    ``matching`` names the data fields the engine compares with standing interests (a waiting
    customer's product, size and location); they are documentation for playbook authors here.
    """

    name: str
    fields: tuple[DataField, ...]
    matching: tuple[str, ...] = ()
    # Groups of fields of which exactly one must be given ("quantity" or "delta").
    one_of: tuple[tuple[str, ...], ...] = ()


class DataProblem(Exception):
    """A data field that breaks its type's shape; ``field`` is a path such as ``data.quantity``."""

    def __init__(self, reason: str, field: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def parse_timestamp(value: object) -> datetime | None:
    """An RFC 3339 timestamp as an aware datetime; None when it is not one.

    RFC 3339 always carries an offset: a time without one means a different instant in every
    zone, so it is refused rather than guessed.
    """
    if not isinstance(value, str) or len(value) < 20 or value[10] not in "Tt ":
        return None
    try:
        parsed = datetime.fromisoformat(value.upper() if value[-1] == "z" else value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _text(value: object, max_length: int = MAX_TEXT) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must be a non-empty string"
    if len(value) > max_length:
        return f"must be at most {max_length} characters"
    return None


def _number(value: object) -> str | None:
    # bool is an int in Python but true is not a price.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be a JSON number"
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    if not -MAX_AMOUNT <= value <= MAX_AMOUNT:
        return f"must be between -{MAX_AMOUNT:,} and {MAX_AMOUNT:,}"
    return None


def _quantity(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be a whole number of units"
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return "must be a whole number of units"  # 3.0 is what some JSON writers make of 3
    if value < 0:
        return "must not be negative"
    if value > MAX_QUANTITY:
        return f"must be at most {MAX_QUANTITY:,}"
    return None


def _change(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be a whole number of units"
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return "must be a whole number of units"
    if abs(value) > MAX_QUANTITY:
        return f"must be at most {MAX_QUANTITY:,} either way"
    return None


def _object(value: object) -> str | None:
    if not isinstance(value, Mapping):
        return "must be an object of names and values"
    for key, item in value.items():
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            return f"{key} must be text or a number"
        if len(str(key)) > MAX_TEXT or len(str(item)) > MAX_TEXT:
            return f"{str(key)[:40]} is longer than {MAX_TEXT} characters"
    return None


def _timestamp(value: object) -> str | None:
    if parse_timestamp(value) is None:
        return "must be an RFC 3339 timestamp with an offset, e.g. 2026-03-02T09:00:00+02:00"
    return None


def _customer(value: object) -> str | None:
    if not isinstance(value, Mapping):
        return "must be an object naming the customer by id, phone, email or loyalty_card"
    named = [key for key in CUSTOMER_KEYS if key in value]
    if not named:
        return "must name the customer by id, phone, email or loyalty_card"
    for key in named:
        reason = _text(value[key])
        if reason is not None:
            return f"{key} {reason}"
    return None


def _items(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        return "must be a list of objects"
    if len(value) > MAX_ITEMS:
        return f"must list at most {MAX_ITEMS} items"
    return None


def _date(value: object) -> str | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return None
    return "must be a day written YYYY-MM-DD, e.g. 2026-02-12"


_CHECKS: dict[ValueKind, Callable[[object], str | None]] = {
    ValueKind.TEXT: _text,
    ValueKind.NUMBER: _number,
    ValueKind.QUANTITY: _quantity,
    ValueKind.TIMESTAMP: _timestamp,
    ValueKind.CUSTOMER: _customer,
    ValueKind.ITEMS: _items,
    ValueKind.DATE: _date,
    ValueKind.CHANGE: _change,
    ValueKind.OBJECT: _object,
}


def _path(field: DataField, value: object, reason: str) -> str:
    # A customer's bad key is named in full (data.customer.email), so a client knows which one.
    if field.kind is ValueKind.CUSTOMER and isinstance(value, Mapping):
        key = reason.split(" ", 1)[0]
        if key in CUSTOMER_KEYS:
            return f"data.{field.name}.{key}"
    return f"data.{field.name}"


def check_data(event_type: EventType, data: Mapping[str, Any]) -> None:
    """Raise ``DataProblem`` for the first field that is missing or of the wrong kind."""
    for field in event_type.fields:
        value = data.get(field.name)
        if value is None:
            if field.required:
                raise DataProblem(f"{field.name} is required", f"data.{field.name}")
            continue
        if field.kind is ValueKind.TEXT:
            reason = _text(value, field.max_length)
            if reason is None and field.choices and value not in field.choices:
                reason = f"must be one of {', '.join(field.choices)}"
        else:
            reason = _CHECKS[field.kind](value)
        if reason is not None:
            raise DataProblem(f"{field.name} {reason}", _path(field, value, reason))
    for group in event_type.one_of:
        given = [name for name in group if data.get(name) is not None]
        if len(given) != 1:
            names = " or ".join(group)
            where = f"data.{given[-1] if given else group[0]}"
            raise DataProblem(f"give exactly one of {names}", where)


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
ORDER_STATUSES = ("new", "processing", "shipped", "delivered", "completed", "cancelled", "returned")

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
