"""What conversations need from storage: threads, messages, notes, teams."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from heedful.core.conversations.model import (
    Channel,
    Note,
    Priority,
    Team,
    Thread,
    ThreadMessage,
    ThreadStatus,
)

OPEN_STATUSES = frozenset({ThreadStatus.OPEN, ThreadStatus.WAITING_ON_CUSTOMER})


@dataclass(frozen=True)
class InboxFilter:
    statuses: frozenset[ThreadStatus] = field(default=OPEN_STATUSES)
    location_id: str | None = None  # narrows the actor's scope, never widens it
    assignee_id: str | None = None
    unassigned: bool = False
    team_id: str | None = None
    channel: Channel | None = None
    priority: Priority | None = None
    customer_id: str | None = None
    # What an agent typed in the inbox's search box: words of the subject or of the customer's
    # name (either alphabet, as the customer search), all of them.
    text: str | None = None


@dataclass(frozen=True)
class ThreadPage:
    items: list[Thread]
    next_cursor: str | None


class ThreadRepository(Protocol):
    def add(self, thread: Thread) -> None: ...
    def get(self, thread_id: str, *, for_change: bool = False) -> Thread | None: ...
    def update(self, thread: Thread) -> None: ...

    def inbox(
        self,
        where: InboxFilter,
        location_ids: frozenset[str] | None,
        limit: int,
        cursor: str | None,
    ) -> ThreadPage:
        """Threads by what breaches first (no running clock last), then oldest first; keyset."""
        ...

    def count(self, where: InboxFilter, location_ids: frozenset[str] | None) -> int:
        """How many threads the filter finds: the number beside each view of the inbox."""
        ...

    def for_customer(self, customer_id: str, limit: int) -> list[Thread]: ...
    def by_visitor_token(self, token: str) -> Thread | None: ...

    def add_message(self, message: ThreadMessage) -> None:
        """Stores the message and gives it its ``sequence``."""
        ...

    def messages(
        self, thread_id: str, *, after: int = 0, limit: int = 500
    ) -> list[ThreadMessage]: ...

    def find_message(self, message_id: str) -> ThreadMessage | None:
        """The message carrying this Message-ID (a mail server may deliver it twice)."""
        ...

    def thread_of_message_ids(self, message_ids: Sequence[str]) -> Thread | None:
        """The thread holding a message with one of these Message-IDs (the latest named wins)."""
        ...

    def sent_messages(self, message_ids: Sequence[str]) -> list[ThreadMessage]:
        """Our own messages (direction out) carrying one of these Message-IDs."""
        ...

    def add_note(self, note: Note) -> None: ...
    def notes(self, thread_id: str) -> list[Note]: ...


class TeamRepository(Protocol):
    def add(self, team: Team) -> None: ...
    def get(self, team_id: str) -> Team | None: ...
    def update(self, team: Team) -> None: ...
    def list(self) -> list[Team]: ...
