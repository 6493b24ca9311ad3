"""Threads, their messages and internal notes, and the teams that answer them.

A thread is one conversation with one customer on one channel, at one location. Its messages run
both ways (the customer's in, the staff's out); notes are for staff only and never leave Heedful.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# ThreadStatus is re-exported: its home is sla/kinds.py, beside the clocks it stops and starts.
from heedful.core.sla import Channel, ClockKind, Priority, ThreadStatus

__all__ = [
    "Channel",
    "Direction",
    "Note",
    "Priority",
    "Team",
    "Thread",
    "ThreadMessage",
    "ThreadStatus",
]

MAX_BODY = 20_000  # a long e-mail with its quoted history; a novel is not a support request
MAX_SUBJECT = 300
PREVIEW_CHARS = 200


class Direction(StrEnum):
    IN = "in"  # from the customer
    OUT = "out"  # from staff


@dataclass
class Thread:
    id: str
    customer_id: str
    location_id: str
    channel: Channel
    subject: str
    status: ThreadStatus
    priority: Priority
    language: str
    created_at: datetime
    updated_at: datetime
    assignee_id: str | None = None
    team_id: str | None = None
    # Copied from the running clocks so the inbox sorts by what breaches first with one index.
    next_due_at: datetime | None = None
    next_due_kind: ClockKind | None = None
    warned: bool = False  # a running clock is inside its warning lead: the console's badge
    breached: bool = False  # a clock breached at some point; stays set, the record is the record
    awaiting_reply_since: datetime | None = None  # the oldest customer message not yet answered
    resolved_at: datetime | None = None
    # The chat page's secret: whoever holds it reads the thread, so staff never see it.
    visitor_token: str | None = None
    last_message_preview: str = ""
    segment: str = ""  # the customer's segment when the thread opened: SLA policies match on it
    # The first reply is a promise in the ledger (REPLY_BY), so it counts in the promise-kept rate.
    reply_promise_id: str | None = None
    # False while the sender only claims to be this customer (senders.py): staff see a badge,
    # and no reply promise counts until the sender is verified or staff accept the thread.
    sender_verified: bool = True
    sender_proof: str = ""  # how it was shown: a SenderProof value, "" for threads from before

    @property
    def is_open(self) -> bool:
        return self.status is not ThreadStatus.RESOLVED


@dataclass
class ThreadMessage:
    id: str
    thread_id: str
    direction: Direction
    channel: Channel
    author_id: str | None  # the staff member for OUT; None for the customer
    author_label: str
    body: str
    created_at: datetime
    message_id: str = ""  # RFC 5322 Message-ID with its angle brackets; "" for chat
    in_reply_to: str = ""
    address: str = ""  # an e-mail from the customer: the address it came from, where replies go
    outbox_message_id: str | None = None  # an e-mail reply: the outbox row that sends it
    sequence: int = 0  # ascending across all messages: the chat page polls after it
    authentication: str = ""  # an e-mail: the receiving server's Authentication-Results, kept


@dataclass
class Note:
    id: str
    thread_id: str
    author_id: str
    author_label: str
    body: str
    created_at: datetime


@dataclass
class Team:
    id: str
    name: str
    created_at: datetime
    location_id: str | None = None
    member_ids: frozenset[str] = frozenset()


def preview(body: str) -> str:
    return " ".join(body.split())[:PREVIEW_CHARS]
