"""The kinds of value an event's ``data`` may hold, and the check of one event's data.

Each event type (``types.py``) lists its fields with one of these kinds; ``check_data`` refuses
the first field that is missing or of the wrong kind, naming its path (``data.quantity``), at
every way in. The bounds keep every stored value inside the columns that hold it.
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
