"""Promises and their life: open until kept, kept late, broken, cancelled or withdrawn.

A promise is the business's word to one customer ("we will tell you when the black handbag is
back", "we will call you back at 15:00"). The ledger never forgets one: every promise keeps who made
it, where and when, its deadline, what fulfils it, and the evidence of how it ended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from heedful.core.catalog import normalise
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.shared.phrases import Phrase, words


class PromiseKind(StrEnum):
    TELL_WHEN_AVAILABLE = "tell_when_available"
    CALL_BACK = "call_back"
    REPLY_BY = "reply_by"
    REFUND_BY = "refund_by"
    DELIVER_BY = "deliver_by"
    OTHER = "other"
    RECOVER = "recover"  # win back a customer who answered a survey unhappily (feedback loop)


class PromiseState(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    KEPT_LATE = "kept_late"
    BROKEN = "broken"
    CANCELLED = "cancelled"  # the business called it off, with a reason
    WITHDRAWN = "withdrawn"  # the customer no longer wants it

    @property
    def is_final(self) -> bool:
        return self is not PromiseState.OPEN


# A promise to tell the customer about an item is kept by the telling; for the others a deadline
# is the promise itself, so they cannot be made without one.
NEEDS_DEADLINE = frozenset(
    {PromiseKind.CALL_BACK, PromiseKind.REPLY_BY, PromiseKind.REFUND_BY, PromiseKind.DELIVER_BY}
)


class EvidenceKind(StrEnum):
    MADE = "made"
    MESSAGE_QUEUED = "message_queued"
    MESSAGE_SENT = "message_sent"
    MESSAGE_NOT_SENT = "message_not_sent"
    STAFF_ACTION = "staff_action"
    EVENT = "event"
    REMINDER = "reminder"
    DEADLINE_PASSED = "deadline_passed"
    STATE_CHANGED = "state_changed"


@dataclass(frozen=True)
class WantedItem:
    """What fulfils a "tell me when it is available" promise: one variant at one location.

    Blank ``variant`` or ``size`` means any: "tell me when any size of this bag is back".
    Codes are normalised as the catalog does (case, spaces) the moment one is made, so the
    promise for ``LB-205``, ``Black `` matches the stock system's ``lb-205``, ``black``.
    """

    product: str
    location_id: str
    variant: str = ""
    size: str = ""

    def __post_init__(self) -> None:
        # Spelled out, not looped by name: every stock report builds a few of these (issue 18).
        product, variant, size = (
            normalise(self.product),
            normalise(self.variant),
            normalise(self.size),
        )
        object.__setattr__(self, "product", product)
        object.__setattr__(self, "variant", variant)
        object.__setattr__(self, "size", size)
        if not product:
            raise InvalidInput(
                "say which product the customer waits for",
                said=Phrase("refusal.product"),
                field="item.product",
            )
        if max(len(product), len(variant), len(size)) <= 200:
            return
        for name in ("product", "variant", "size"):
            if len(getattr(self, name)) > 200:
                raise InvalidInput(
                    f"{name} is at most 200 characters",
                    said=Phrase("refusal.at_most_200"),
                    field=f"item.{name}",
                )

    def label(self) -> str:
        return " · ".join(part for part in (self.product, self.variant, self.size) if part)


@dataclass(frozen=True)
class Evidence:
    at: datetime
    kind: EvidenceKind
    note: str
    by: str  # the actor's label, or "Heedful" for the engine
    ref: str = ""  # a message id, an event's source/id, a task id
    # The note as a phrase said in the reader's language when the system wrote it (ADR 0047).
    phrase: Phrase | None = None

    @classmethod
    def said(
        cls, at: datetime, kind: EvidenceKind, note: str | Phrase, by: str, ref: str = ""
    ) -> Evidence:
        """Evidence whose note is the system's sentence: kept in English and as a phrase."""
        text, phrase = words(note)
        return cls(at, kind, text, by, ref, phrase)


@dataclass
class Promise:
    id: str
    customer_id: str
    location_id: str
    kind: PromiseKind
    text: str
    made_by: str
    made_by_label: str
    made_at: datetime
    due_at: datetime | None
    state: PromiseState = PromiseState.OPEN
    owner_id: str | None = None  # the staff member reminded before the deadline
    item: WantedItem | None = None
    reference: str = ""  # the order, refund or ticket number an event will name when it is done
    # "2 business hours" is kept as said, so a reader sees the promise in the customer's words.
    due_in_business_minutes: int | None = None
    closed_at: datetime | None = None
    closed_by_label: str = ""
    # The message telling the customer, once the engine has chosen them; cleared when it could
    # not go (the stock went before the send), so the customer keeps their place in the queue.
    notice_message_id: str | None = None
    sequence: int = 0  # arrival order: the waiting list is first come, first served
    evidence: list[Evidence] = field(default_factory=list)
    # The system's own words for it (a default, an automatic promise) as a phrase said in the
    # reader's language (ADR 0047); None when staff wrote ``text`` or the row predates phrases.
    text_phrase: Phrase | None = None

    @property
    def said(self) -> str | Phrase:
        """What the promise says, as a phrase when there is one: for sentences about it."""
        return self.text_phrase or self.text

    def note(self, evidence: Evidence) -> None:
        self.evidence.append(evidence)

    def _close(self, state: PromiseState, at: datetime, by: str, note: str, ref: str) -> None:
        if self.state.is_final:
            raise Conflict(
                f"this promise is already {self.state.value}",
                said=Phrase("refusal.promise_closed"),
                field="state",
            )
        self.state, self.closed_at, self.closed_by_label = state, at, by
        self.note(Evidence(at, EvidenceKind.STATE_CHANGED, note or state.value, by, ref))

    def keep(self, at: datetime, by: str, note: str = "", ref: str = "") -> None:
        """Kept on time, or late when the deadline had passed (a late promise kept still counts).

        A deadline that passed broke the promise; doing it afterwards turns it into "kept late"
        (the customer did get the call), except for a wait already reported to her as over.
        """
        if self.state is PromiseState.BROKEN and self.kind is not PromiseKind.TELL_WHEN_AVAILABLE:
            self.state = PromiseState.OPEN
        late = self.due_at is not None and at > self.due_at
        self._close(PromiseState.KEPT_LATE if late else PromiseState.KEPT, at, by, note, ref)

    def break_(self, at: datetime, by: str, note: str, ref: str = "") -> None:
        self._close(PromiseState.BROKEN, at, by, note, ref)

    def cancel(self, at: datetime, by: str, reason: str) -> None:
        if not reason.strip():
            raise InvalidInput(
                "say why the promise is cancelled",
                said=Phrase("refusal.cancel_reason"),
                field="reason",
            )
        self._close(PromiseState.CANCELLED, at, by, reason, "")

    def withdraw(self, at: datetime, by: str, note: str = "") -> None:
        self._close(PromiseState.WITHDRAWN, at, by, note or "the customer no longer wants it", "")

    @property
    def is_open(self) -> bool:
        return self.state is PromiseState.OPEN

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and self.due_at is not None and now > self.due_at
