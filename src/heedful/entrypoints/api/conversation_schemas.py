"""The documented shapes of conversations, their clocks, SLA policies, teams and the chat."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictInt

from heedful.core.calendar import DateOverride
from heedful.core.conversations.model import (
    Channel,
    Direction,
    Note,
    Priority,
    Team,
    Thread,
    ThreadMessage,
    ThreadStatus,
)
from heedful.core.sla.model import ClockKind, ClockState, SlaClock, SlaPolicy
from heedful.entrypoints.api.schemas import Id, In, Out

Body = Annotated[str, Field(min_length=1, max_length=20_000)]
Minutes = Annotated[StrictInt, Field(ge=1, le=525_600)]


class ReplyIn(In):
    body: Body = Field(description="The reply as the customer will read it")


class NoteIn(In):
    body: Annotated[str, Field(min_length=1, max_length=5000)] = Field(
        description="For staff only; never sent"
    )


class AssignIn(In):
    assignee_id: Id | None = Field(None, description="A staff member, or null for nobody")
    team_id: Id | None = Field(None, description="A team, or null for none")


class StatusIn(In):
    status: ThreadStatus


class PriorityIn(In):
    priority: Priority


class ThreadOut(Out):
    id: str
    customer_id: str
    location_id: str
    channel: Channel
    subject: str
    status: ThreadStatus
    priority: Priority
    language: str
    assignee_id: str | None
    team_id: str | None
    created_at: datetime
    updated_at: datetime
    next_due_at: datetime | None = Field(description="When the next running clock is due")
    next_due_kind: ClockKind | None
    warned: bool = Field(description="A running clock is inside its warning lead")
    breached: bool = Field(description="A clock of this thread breached")
    awaiting_reply_since: datetime | None
    resolved_at: datetime | None
    last_message_preview: str
    sender_verified: bool = Field(
        description="False: the sender only claims to be this customer (a chat, or an e-mail "
        "naming her address without proof); no reply promise counts until staff accept it"
    )
    sender_proof: str = Field(
        description="How the sender was shown: first_contact, reply, dkim, spf or staff; "
        "empty while unverified or for threads from before the check"
    )


class ThreadPageOut(Out):
    items: list[ThreadOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done")


class MessageOut(Out):
    id: str
    direction: Direction
    channel: Channel
    author_label: str
    body: str
    created_at: datetime
    message_id: str
    sequence: int


class NoteOut(Out):
    id: str
    author_label: str
    body: str
    created_at: datetime


class ClockOut(Out):
    id: str
    kind: ClockKind
    state: ClockState
    target_minutes: int
    started_at: datetime
    due_at: datetime | None
    warn_at: datetime | None
    paused_at: datetime | None
    met_at: datetime | None
    breached_at: datetime | None
    spent_minutes: float = Field(description="Business minutes spent, at the time of the answer")


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]
    notes: list[NoteOut]
    clocks: list[ClockOut]
    promise_id: str | None = Field(description="The reply-by promise in the ledger")


class ChatIn(In):
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    language: Annotated[str, Field(max_length=10)] = "en"
    visitor_token: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        None, description="The token this chat was given; omit to start a new chat"
    )
    email: Annotated[str, Field(max_length=254)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    location_id: Id | None = None


class ChatMessageOut(Out):
    id: str
    direction: Direction
    author_label: str
    body: str
    created_at: datetime
    sequence: int


class ChatStartedOut(Out):
    thread_id: str
    visitor_token: str
    message: ChatMessageOut


class ChatMessagesOut(Out):
    items: list[ChatMessageOut]
    cursor: int = Field(description="Pass as `after` next time")


class InboundEmailOut(Out):
    thread_id: str
    message_id: str
    new_thread: bool


class PolicyIn(In):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    channel: Channel | None = None
    priority: Priority | None = None
    segment: Annotated[str, Field(max_length=20)] | None = None
    first_response_minutes: Minutes | None = None
    next_response_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None
    warning_minutes: Annotated[StrictInt, Field(ge=0, le=525_600)] = 30
    active: StrictBool = True


class PolicyOut(Out):
    id: str
    name: str
    channel: Channel | None
    priority: Priority | None
    segment: str | None
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    warning_minutes: int
    active: bool
    created_at: datetime
    updated_at: datetime


class TeamIn(In):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    location_id: Id | None = None
    member_ids: Annotated[list[Id], Field(max_length=500)] = Field(default_factory=list)


class MembersIn(In):
    member_ids: Annotated[list[Id], Field(max_length=500)]


class TeamOut(Out):
    id: str
    name: str
    location_id: str | None
    member_ids: list[str]
    created_at: datetime


def thread_out(thread: Thread) -> ThreadOut:
    return ThreadOut.model_validate(thread)


def message_out(message: ThreadMessage) -> MessageOut:
    return MessageOut.model_validate(message)


def chat_message_out(message: ThreadMessage) -> ChatMessageOut:
    return ChatMessageOut.model_validate(message)


def note_out(note: Note) -> NoteOut:
    return NoteOut.model_validate(note)


def clock_out(clock: SlaClock, spent: timedelta) -> ClockOut:
    data: dict[str, Any] = {
        name: getattr(clock, name)
        for name in ClockOut.model_fields
        if name != "spent_minutes" and hasattr(clock, name)
    }
    return ClockOut(**data, spent_minutes=round(spent.total_seconds() / 60, 2))


def team_out(team: Team) -> TeamOut:
    return TeamOut(
        id=team.id,
        name=team.name,
        location_id=team.location_id,
        member_ids=sorted(team.member_ids),
        created_at=team.created_at,
    )


def policy_out(policy: SlaPolicy) -> PolicyOut:
    return PolicyOut.model_validate(policy)


class CalendarDayIn(In):
    hours: Annotated[list[Annotated[str, Field(max_length=11)]], Field(max_length=6)] = Field(
        description='That day\'s hours, e.g. ["10:00-14:00"]; empty: closed all day'
    )
    reason: Annotated[str, Field(max_length=200)] = ""


class CalendarDayOut(Out):
    day: date
    hours: list[str]
    reason: str


class HolidayOut(Out):
    day: date
    name: str


class CalendarYearOut(Out):
    location_id: str
    year: int
    provisional: bool = Field(
        description="The country's calendar for this year is not published yet: holidays may move"
    )
    holidays: list[HolidayOut]
    days: list[CalendarDayOut] = Field(description="The location's own dates")


def calendar_day_out(override: DateOverride) -> CalendarDayOut:
    return CalendarDayOut(
        day=override.day, hours=[str(i) for i in override.hours], reason=override.reason
    )
