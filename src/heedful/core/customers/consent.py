"""Consent per channel and purpose, kept as a history of decisions, never overwritten.

Later modules ask ``may_contact`` before any message; the card shows the whole history so staff
can answer "when did I agree to that?".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from heedful.core.customers.channels import Channel


class Purpose(StrEnum):
    SERVICE = "service"  # messages the customer asked for: her handbag is back
    MARKETING = "marketing"
    SURVEYS = "surveys"


@dataclass
class ConsentDecision:
    id: str
    customer_id: str
    channel: Channel
    purpose: Purpose
    granted: bool
    decided_at: datetime
    how: str  # "in person at the front desk", "web form", "unsubscribe link", "import"
    recorded_by: str  # actor id
    recorded_by_label: str


def current_consents(
    decisions: Iterable[ConsentDecision],
) -> dict[tuple[Channel, Purpose], ConsentDecision]:
    """The latest decision for each channel and purpose; at the same instant a "no" wins (a
    withdrawal recorded in the same second as the consent a request implied must hold)."""
    latest: dict[tuple[Channel, Purpose], ConsentDecision] = {}
    for decision in sorted(decisions, key=lambda d: (d.decided_at, not d.granted, d.id)):
        latest[(decision.channel, decision.purpose)] = decision
    return latest


def may_contact(decisions: Iterable[ConsentDecision], channel: Channel, purpose: Purpose) -> bool:
    """Only an explicit, still-standing "yes" allows a message; silence is a "no".

    A service message the customer asked for still needs the channel's service consent: the
    seed rule is that a withdrawn consent always wins.
    """
    decision = current_consents(decisions).get((channel, purpose))
    return decision is not None and decision.granted
