"""The bank's story (seed 002): Heedful reads an account's state and says when it is at risk.

A scheduled charge above the balance and the limit will be declined; a card about to expire
will stop the charges after it. When a version of an account that stands (not a stale one)
shows either, the engine stores a ``heedful.account.at_risk`` event, once per charge or per
expiry date, and playbooks act on it: a relationship manager calls before the decline. The
condition is over the account as Heedful keeps it, not over whatever one event carried, so a
late, older version of the account never sets it off (ADR 0036).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from heedful.core.dealings.model import Account

ACCOUNT_AT_RISK = "heedful.account.at_risk"
CHARGE_UNCOVERED, CARD_EXPIRING = "charge_uncovered", "card_expiring"
# A card that expires within this many days is told about now: time to send a new one.
CARD_EXPIRY_NOTICE_DAYS = 30


@dataclass(frozen=True)
class Warning:
    key: str  # the same risk of the same account is told once: the event's id
    data: dict[str, Any]


def _major(amount_minor: int | None) -> float | int | None:
    if amount_minor is None:
        return None
    return amount_minor // 100 if amount_minor % 100 == 0 else amount_minor / 100


def account_warnings(account: Account, today: date) -> list[Warning]:
    """What is at risk on this account now, each with the key that makes it told once."""
    base: dict[str, Any] = {
        "customer": {"id": account.customer_id},
        "location": account.location_id,
        "account": account.reference,
        "currency": account.currency,
        "balance": _major(account.balance_minor),
    }
    found = []
    if account.charge_uncovered and account.next_charge_at is not None:
        found.append(
            Warning(
                f"{account.id}:{CHARGE_UNCOVERED}:{account.next_charge_at.isoformat()}",
                {
                    **base,
                    "reason": CHARGE_UNCOVERED,
                    "amount": _major(account.next_charge_minor),
                    "limit": _major(account.limit_minor or 0),
                    "due_at": account.next_charge_at.isoformat(),
                },
            )
        )
    if account.card_expires_on is not None and account.card_expires_within(
        today, CARD_EXPIRY_NOTICE_DAYS
    ):
        found.append(
            Warning(
                f"{account.id}:{CARD_EXPIRING}:{account.card_expires_on.isoformat()}",
                {
                    **base,
                    "reason": CARD_EXPIRING,
                    "card_expires": account.card_expires_on.isoformat(),
                },
            )
        )
    return found
