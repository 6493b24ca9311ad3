"""The documented shapes of promises, staff tasks and the outbox's messages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictBool, StrictInt

from heedful.core.access.model import Role
from heedful.core.customers.consent import Purpose
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.promises.model import EvidenceKind, PromiseKind, PromiseState
from heedful.core.tasks.model import TaskKind
from heedful.entrypoints.api.schemas import Id, In, Out


def _storable(value: datetime) -> datetime:
    # 9999-12-31T23:00-05:00 parses but has no UTC instant to store; say so as a 422 here
    # rather than let the database fail on it.
    if value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise ValueError("this time is out of range") from None
    return value


def _with_offset(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("give the time with its UTC offset, e.g. 2026-03-02T18:00:00+02:00")
    return _storable(value)


# Naive deadlines are the core's to refuse (it names `due_at`); the edge only guards the range.
Deadline = Annotated[datetime, AfterValidator(_storable)]
Instant = Annotated[datetime, AfterValidator(_with_offset)]
Note = Annotated[str, Field(max_length=1000)]
ItemPart = Annotated[str, Field(max_length=200)]


class WantedItemIn(In):
    product: ItemPart = Field(description="The product's code or name as the shop knows it")
    variant: ItemPart = Field("", description="Colour or model; blank means any")
    size: ItemPart = Field("", description="Blank means any size")


class PromiseIn(In):
    kind: PromiseKind
    location_id: Id = Field(description="Where the promise was made and will be kept")
    text: Annotated[str, Field(max_length=2000)] = Field(
        "", description="What was promised, in the customer's words; most kinds have a default"
    )
    due_at: Deadline | None = Field(
        None, description="The deadline with its UTC offset, e.g. 2026-03-02T15:00:00+02:00"
    )
    due_in_business_minutes: Annotated[StrictInt, Field(ge=1, le=525_600)] | None = Field(
        None, description="Instead of `due_at`: a span of the location's business time"
    )
    item: WantedItemIn | None = Field(
        None, description="For `tell_when_available`: the item, at the promise's location"
    )
    owner_id: Id | None = Field(
        None, description="The staff member reminded before the deadline; default: whoever made it"
    )
    reference: Annotated[str, Field(max_length=200)] = Field(
        "", description="The order, refund or ticket number an event will name when it is done"
    )


class KeepIn(In):
    note: Note = Field("", description="What was done: called back, refunded, delivered")


class TaskDoneIn(In):
    outcome: Note = Field("", description="What was done: called, refunded, she will come Friday")


class TaskIn(In):
    title: Annotated[str, Field(min_length=1, max_length=1000)]
    location_id: Annotated[str, Field(min_length=1, max_length=40)]
    customer_id: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    note: Note = ""
    assignee_id: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        None, description="One staff member; or leave it out and name a role (agents by default)"
    )
    assignee_role: Role | None = None
    team_id: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        None, description="A team of the location (ADR 0051): each member sees the task"
    )
    due_at: Instant | None = None
    due_in_business_minutes: Annotated[StrictInt, Field(ge=1, le=60 * 24 * 60)] | None = Field(
        None, description="Due after this many minutes of the location's opening hours"
    )


class TaskAssignmentIn(In):
    """Exactly one of: a person, a role, a team, or ``to_owner`` (the customer's owner there)."""

    assignee_id: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    assignee_role: Role | None = None
    team_id: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    to_owner: StrictBool = False


class CancelIn(In):
    reason: Note = Field(description="Why the business calls it off (required)")


class WithdrawIn(In):
    note: Note = Field("", description="What the customer said")


# ---- what the API answers ----


class WantedItemOut(Out):
    product: str
    variant: str
    size: str


class EvidenceOut(Out):
    at: datetime
    kind: EvidenceKind
    note: str
    by: str
    ref: str
    note_phrase: PhraseOut | None = Field(
        default=None, description="When Heedful wrote the note: the same, said in your language"
    )


class PhraseOut(Out):
    """A sentence Heedful wrote, by key (stable across releases) and values, and said in the
    language of the request's Accept-Language (ADR 0047)."""

    key: str = Field(description="Stable key of the sentence, e.g. `task.due_soon`")
    params: dict[str, Any] = Field(
        description="The values that fill it; a value that is itself a sentence is "
        '`{"": key, ...its values}`'
    )
    text: str = Field(description="The sentence in the language of Accept-Language")


class PromiseOut(Out):
    id: str
    customer_id: str
    location_id: str
    kind: PromiseKind
    text: str = Field(description="The promise's words as kept (English when Heedful wrote them)")
    text_phrase: PhraseOut | None = Field(
        default=None, description="When Heedful wrote the words: the same, said in your language"
    )
    state: PromiseState
    made_by_label: str
    made_at: datetime
    due_at: datetime | None
    due_in_business_minutes: int | None
    owner_id: str | None
    item: WantedItemOut | None
    reference: str
    closed_at: datetime | None
    closed_by_label: str
    evidence: list[EvidenceOut] = Field(description="How the promise went, oldest first")
    late: bool = Field(description="Still open after its deadline")


class TaskOut(Out):
    id: str
    kind: TaskKind
    title: str = Field(description="As kept: English when Heedful wrote it, else as typed")
    note: str
    title_phrase: PhraseOut | None = Field(
        default=None, description="When Heedful wrote the title: the same, said in your language"
    )
    note_phrase: PhraseOut | None = None
    location_id: str
    customer_id: str | None
    promise_id: str | None
    assignee_id: str | None
    assignee_role: Role | None
    team_id: str | None
    due_at: datetime | None
    goodwill_amount: str | None = Field(description="A decimal amount, e.g. `150.00`")
    goodwill_currency: str
    created_at: datetime
    created_by_label: str
    done_at: datetime | None
    done_by_label: str
    outcome: str = Field(default="", description="What was done, said when it was closed")


class MessageOut(Out):
    id: str
    customer_id: str
    location_id: str | None
    promise_id: str | None
    template_key: str
    purpose: Purpose
    status: MessageStatus
    reason: str = Field(description="Why it was held, suppressed, capped or failed")
    reason_phrase: PhraseOut | None = Field(
        default=None, description="Heedful's own reason, said in your language (not a channel's)"
    )
    attempts: int
    channel: str
    to: str
    language: str
    subject: str
    created_at: datetime
    ready_at: datetime
    sent_at: datetime | None
