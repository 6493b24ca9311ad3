"""The failure map's words: where service failed, what kind of failure, and what became of it.

ADR 0050 says what counts as each kind and each outcome, from the records Heedful already keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class FailureKind(StrEnum):
    DECLINE = "decline"  # a scheduled charge above balance plus limit
    STOCK_OUT = "stock_out"  # a customer put in a waiting line for something not in stock
    NO_TABLE = "no_table"  # a table promised to two parties at once
    LATE_DELIVERY = "late_delivery"  # the carrier's day after the day the shop promised
    BROKEN_PROMISE = "broken_promise"  # a promise in the ledger broken or kept late
    SLA_BREACH = "sla_breach"  # a conversation's SLA clock past its due time
    DETRACTOR = "detractor"  # an unhappy survey answer (the closed loop's trigger)


class Touchpoint(StrEnum):
    """Where the customer met the business; the feedback room's touchpoints plus payment."""

    PAYMENT = "payment"
    PURCHASE = "purchase"
    VISIT = "visit"
    STAY = "stay"
    DELIVERY = "delivery"
    CONVERSATION = "conversation"
    OTHER = "other"


class Outcome(StrEnum):
    PRE_EMPTED = "pre_empted"  # acted on before it reached the customer
    RESCUED = "rescued"  # it reached her, and was put right after
    UNHANDLED = "unhandled"  # it reached her, and nothing was done
    OPEN = "open"  # its moment or deadline has not come yet


@dataclass(frozen=True)
class Failure:
    """One failure as storage finds it, before the map decides its outcome."""

    kind: FailureKind
    touchpoint: Touchpoint
    location_id: str
    customer_id: str
    ref: str  # the record behind it: "order:ord_…", "promise:prm_…", "clock:slc_…"
    label: str  # what staff recognise: the order's reference, the promise's text
    at: datetime  # when the customer felt it, or would have
    object_key: str = ""  # the look-ahead object ("order:ord_…"), whose firing pre-empts it
    recovered_at: datetime | None = None  # the record's own repair: kept late, answered late
    averted: bool = False  # the record's own pre-emption: a breach warning answered in time
    open_until: datetime | None = None  # still open: its deadline (None: open with no deadline)
    still_open: bool = False


@dataclass(frozen=True)
class Firing:
    """A look-ahead playbook that acted on an object (playbook_firings)."""

    customer_id: str
    once_key: str
    fired_at: datetime


@dataclass(frozen=True)
class Gesture:
    """Goodwill given to a customer at a location (goodwill_spends, given)."""

    customer_id: str
    location_id: str
    at: datetime


@dataclass(frozen=True)
class Case:
    failure: Failure
    outcome: Outcome
    recovery_minutes: float | None  # rescued only: from the failure to its repair
    next_emotion: float | None  # 0-100: the customer's next survey answer, if any


@dataclass
class Cell:
    touchpoint: Touchpoint
    kind: FailureKind
    count: int = 0
    pre_empted: int = 0
    rescued: int = 0
    unhandled: int = 0
    open: int = 0
    recovery_median_minutes: float | None = None
    with_next_feedback: int = 0
    next_emotion_mean: float | None = None  # 0-100


@dataclass
class FailureMap:
    first_day: date
    last_day: date  # included
    time_zone: str
    since: datetime  # UTC: the first day's midnight in the zone
    until: datetime  # UTC: the midnight after the last day
    cells: list[Cell] = field(default_factory=list)  # every touchpoint x kind, in order
    cases: list[Case] = field(default_factory=list)  # those of the cell asked for, newest first
    truncated: bool = False  # a kind had more failures than one map reads

    def cell(self, touchpoint: Touchpoint, kind: FailureKind) -> Cell:
        return next(c for c in self.cells if c.touchpoint is touchpoint and c.kind is kind)

    def touchpoint_total(self, touchpoint: Touchpoint) -> int:
        return sum(c.count for c in self.cells if c.touchpoint is touchpoint)

    @property
    def largest(self) -> int:
        return max((c.count for c in self.cells), default=0)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells)
