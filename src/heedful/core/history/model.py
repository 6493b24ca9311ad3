"""Purchases and visits: what a customer did, the raw material of "the usual"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class HistoryKind(StrEnum):
    PURCHASE = "purchase"
    VISIT = "visit"  # a stay, a table, a branch visit


# Attributes "the usual" looks at. Items carry free attributes; these are the ones a habit forms on.
HABIT_ATTRIBUTES = ("item", "size", "brand", "drink", "dish", "room_type", "table", "colour")
# What an erased customer's items keep: the marks the figures count (a star rating, a return).
# Every other attribute is free text a till or a receptionist typed ("cake for Anna's birthday").
KEPT_ON_ERASURE = frozenset({"rating", "returned"})


@dataclass(frozen=True)
class Item:
    attributes: dict[str, str]
    quantity: int = 1
    amount_minor: int | None = None  # in the entry's currency, minor units (kopecks)


@dataclass
class HistoryEntry:
    id: str
    customer_id: str
    kind: HistoryKind
    occurred_at: datetime
    recorded_at: datetime
    location_id: str | None = None
    items: list[Item] = field(default_factory=list)
    amount_minor: int | None = None
    currency: str | None = None
    external_ref: str | None = None  # the till receipt, the booking number
    note: str = ""
