"""The outbox: every message Heedful means to send, and how each one ended.

A message is written in the same transaction as the decision that calls for it (a promise kept, a
playbook fired), so a decision is never without its message nor a message without its reason. The
relay sends it later, after checking consent, quiet hours and caps at send time. Every message
ends as one of: sent, held until a time (then tried again), suppressed with a reason, capped, or
dead after its retries, and the customer's card shows which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from heedful.core.customers import Purpose
from heedful.core.shared.phrases import Phrase, words


class MessageStatus(StrEnum):
    QUEUED = "queued"  # waiting for the relay
    HELD = "held"  # quiet hours: tried again at ready_at, never dropped
    RETRYING = "retrying"  # the channel failed for now: tried again at ready_at
    SENT = "sent"
    SUPPRESSED = "suppressed"  # not allowed (no consent, no address, the stock went): a reason
    CAPPED = "capped"  # the marketing frequency cap was reached
    DEAD = "dead"  # failed for good, or too many times: in the console's dead-letter list

    @property
    def is_waiting(self) -> bool:
        return self in (MessageStatus.QUEUED, MessageStatus.HELD, MessageStatus.RETRYING)


# The relay gives up after this many failed attempts; the backoff doubles from a minute to a
# few hours, so a channel down for a night still gets its messages in the morning.
MAX_ATTEMPTS = 10
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=4)


def backoff(attempts: int) -> timedelta:
    doubled: timedelta = FIRST_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(doubled, MAX_BACKOFF)


@dataclass
class Message:
    id: str
    customer_id: str
    template_key: str
    purpose: Purpose
    created_at: datetime
    ready_at: datetime
    location_id: str | None = None
    promise_id: str | None = None
    # What the template may use beyond the customer and the location (the item, the offer...).
    context: dict[str, Any] = field(default_factory=dict)
    status: MessageStatus = MessageStatus.QUEUED
    reason: str = ""  # the English, also for rows written before phrases (ADR 0047)
    reason_phrase: Phrase | None = None  # said in the reader's language; None: a channel's words
    attempts: int = 0
    channel: str = ""
    to: str = ""
    language: str = ""
    subject: str = ""
    text: str = ""
    sent_at: datetime | None = None
    provider_ref: str = ""

    def hold_until(self, until: datetime, reason: str | Phrase) -> None:
        self.status, self.ready_at = MessageStatus.HELD, until
        self.reason, self.reason_phrase = words(reason)

    def suppress(self, reason: str | Phrase) -> None:
        self.status = MessageStatus.SUPPRESSED
        self.reason, self.reason_phrase = words(reason)

    def cap(self, reason: str | Phrase) -> None:
        self.status = MessageStatus.CAPPED
        self.reason, self.reason_phrase = words(reason)

    def sent(self, at: datetime, provider_ref: str) -> None:
        self.status, self.sent_at, self.provider_ref, self.reason = (
            MessageStatus.SENT,
            at,
            provider_ref,
            "",
        )
        self.reason_phrase = None

    def failed(self, at: datetime, reason: str, *, temporary: bool) -> None:
        self.attempts += 1
        self.reason, self.reason_phrase = reason, None  # the channel's own words, as it said them
        if temporary and self.attempts < MAX_ATTEMPTS:
            self.status, self.ready_at = MessageStatus.RETRYING, at + backoff(self.attempts)
        else:
            self.status = MessageStatus.DEAD

    @property
    def is_dead(self) -> bool:
        """Set aside after its last try: only a person puts it back (``requeue``)."""
        return self.status is MessageStatus.DEAD

    def requeue(self, at: datetime) -> None:
        """An operator sends a dead message again from the console."""
        self.status, self.ready_at, self.attempts, self.reason = MessageStatus.QUEUED, at, 0, ""
        self.reason_phrase = None
