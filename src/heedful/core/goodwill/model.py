"""Goodwill: what staff may give at their own discretion, and every time they gave it.

Seed 002: the business lets its people act for a guest as they would for their own mother (a
dessert on the house, an upgrade, a raised limit) and gives it as a spoken exception. An
allowance says how much a person (or everyone of a role) may give at a location per week or
month, in money or in kind; a spend draws on it with a reason, and above the allowance's
threshold it waits for a manager. A surprise (an unexpected personal gesture) is a spend marked
as such, so that its effect on the next feedback and return visit can be measured the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from heedful.core.access import Role
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.shared.phrases import Phrase

MONEY = "money"
# A gesture that costs nothing (a hand-written card, a song at the table): it needs no allowance,
# but is recorded like any other, so its effect is measured too.
GESTURE = "gesture"
# The kinds every business starts with; an admin or manager adds their own by naming it in an
# allowance ("spa_voucher"), so the list grows with the business without a code change.
BUILT_IN_KINDS = (MONEY, "dessert", "upgrade", "late_checkout", "raised_limit", GESTURE)
_KIND = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_AMOUNT = Decimal(1_000_000)
MAX_REASON = 500


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"


class SpendState(StrEnum):
    GIVEN = "given"
    AWAITING_APPROVAL = "awaiting_approval"
    DECLINED = "declined"

    @property
    def draws(self) -> bool:
        """Whether it counts against the allowance: one waiting for a manager holds its share."""
        return self is not SpendState.DECLINED


def check_kind(kind: str) -> str:
    kind = kind.strip().lower()
    if not _KIND.match(kind):
        raise InvalidInput(
            "a kind is 2-40 lower-case letters, digits or _ (dessert, late_checkout)",
            said=Phrase("refusal.kind_code"),
            field="kind",
        )
    return kind


def check_amount(amount: Decimal, kind: str, currency: str) -> tuple[Decimal, str]:
    """Money has a currency and cents; a kind is counted in whole items, with no currency."""
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput(
            "the amount must be above zero", said=Phrase("refusal.amount_positive"), field="amount"
        )
    if amount > MAX_AMOUNT:
        raise InvalidInput(f"the amount is at most {MAX_AMOUNT}", field="amount")
    if kind == MONEY:
        currency = currency.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise InvalidInput(
                "money needs a three-letter currency (UAH, EUR)",
                said=Phrase("refusal.currency"),
                field="currency",
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise InvalidInput(
                "money has at most two decimals", said=Phrase("refusal.decimals"), field="amount"
            )
        return amount, currency
    if amount != amount.to_integral_value():
        raise InvalidInput(
            "items are counted whole (1 dessert, 2 nights)",
            said=Phrase("refusal.items_whole"),
            field="amount",
        )
    return amount, ""


def period_start(period: Period, now: datetime, time_zone: str) -> datetime:
    """The start of the current week (Monday) or month in the location's own calendar, in UTC."""
    local = now.astimezone(ZoneInfo(time_zone))
    day = local.date()
    if period is Period.WEEK:
        day -= timedelta(days=day.weekday())
    else:
        day = day.replace(day=1)
    start = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(time_zone))
    return start.astimezone(now.tzinfo)


@dataclass
class Allowance:
    """How much one person, or each person of a role, may give at a location per period."""

    id: str
    location_id: str
    kind: str
    amount: Decimal
    currency: str
    period: Period
    set_at: datetime
    set_by_label: str
    staff_id: str | None = None
    role: Role | None = None
    # Spends above this wait for a manager; None: the holder decides alone up to the allowance.
    approval_above: Decimal | None = None
    label: str = ""  # the business's own words for a kind it added ("spa voucher")

    @property
    def holder(self) -> str:
        return f"staff:{self.staff_id}" if self.staff_id else f"role:{self.role}"


@dataclass
class Spend:
    id: str
    customer_id: str
    location_id: str
    kind: str
    amount: Decimal
    currency: str
    reason: str
    staff_id: str
    staff_label: str
    created_at: datetime
    state: SpendState
    allowance_id: str | None = None
    task_id: str | None = None
    surprise: bool = False
    decided_at: datetime | None = None
    decided_by_label: str = ""
    decision_note: str = ""

    def decide(self, approve: bool, at: datetime, by: str, note: str) -> None:
        if self.state is not SpendState.AWAITING_APPROVAL:
            raise Conflict(
                f"this spend is already {self.state.value}",
                said=Phrase("refusal.spend_decided"),
                field="spend_id",
            )
        self.state = SpendState.GIVEN if approve else SpendState.DECLINED
        self.decided_at, self.decided_by_label, self.decision_note = at, by, note
