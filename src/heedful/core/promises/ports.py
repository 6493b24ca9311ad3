"""What the promise ledger, the tasks, the timers and the outbox need from storage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from heedful.core.outreach import Message, MessageStatus
from heedful.core.promises.model import Promise, PromiseKind, PromiseState, WantedItem
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.tasks import Task


@dataclass(frozen=True)
class PromiseFilter:
    customer_id: str | None = None
    location_ids: frozenset[str] | None = None  # None: every location
    states: frozenset[PromiseState] | None = None
    due_before: datetime | None = None
    item_products: frozenset[str] | None = None  # waits for these products (normalised codes)
    kinds: frozenset[PromiseKind] | None = None


class Outcome(StrEnum):
    """How a promise stands in the report: its state, with open ones split at the deadline."""

    KEPT = "kept"
    KEPT_LATE = "kept_late"
    BROKEN = "broken"
    OVERDUE = "overdue"  # still open past its deadline: broken so far
    WAITING = "waiting"  # open and not yet due, or with no deadline
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class OutcomeCount:
    kind: str
    location_id: str
    made_by: str
    made_by_label: str
    outcome: Outcome
    week: int
    count: int


@dataclass(frozen=True)
class KeepTime:
    """One promise kept (on time or late): how long it took from the word to the deed."""

    kind: str
    location_id: str
    made_by: str
    seconds: float


class PromiseRepository(Protocol):
    def add(self, promise: Promise) -> None:
        """Stores the promise and gives it its place in line (``promise.sequence``)."""
        ...

    def add_many(self, added: Sequence[Promise]) -> None:
        """Stores them in one statement, each given its place in line (``sequence``)."""

    def get(self, promise_id: str, *, for_change: bool = False) -> Promise | None: ...
    def get_many(self, promise_ids: Sequence[str], *, for_change: bool = False) -> list[Promise]:
        """Those of ``promise_ids`` that exist, in id order (locked in that order)."""
        ...

    def update(self, promise: Promise) -> None: ...
    def update_many(self, updated: Sequence[Promise]) -> None: ...

    def update_notices(self, told: Sequence[Promise]) -> None:
        """Writes what telling changes of each (its notice message and its evidence), in one
        statement for the lot; the rest of each promise is as it was read."""
        ...

    def update_evidence_and_state(self, updated: Sequence[Promise]) -> None:
        """Writes what sending a message about each changes (its evidence, its state and who
        closed it when), in one statement for the lot; the rest of each is as it was read."""
        ...

    def find(self, where: PromiseFilter, limit: int) -> list[Promise]: ...

    def waiting_in(self, lines: Mapping[tuple[str, str], int]) -> list[Promise]:
        """The first ``lines[line]`` still waiting in each (product, location id) line, first
        come first; not locked (a batch's read-ahead: ``claim_waiting`` locks).

        Those already told (waiting for their message to go) are not in line.
        """
        ...

    def claim_waiting(self, promise_ids: Sequence[str]) -> set[str]:
        """Of these, the ids still waiting to be told, locked for this transaction; one another
        worker holds is skipped, never waited for (PostgreSQL). SQLite has one writer at a
        time, so every id read in this transaction is still this transaction's.
        """
        ...

    def waiting_for(self, item: WantedItem, limit: int) -> list[Promise]:
        """Open "tell me when available" promises this item fulfils, first come first served.

        A promise for any size matches every size; those already told (waiting for their
        message to go) are not in line. Locks the rows on PostgreSQL so two workers never tell
        the same customer twice.
        """
        ...

    def keep_times(
        self,
        since: datetime,
        until: datetime,
        location_ids: frozenset[str] | None,
        limit: int,
    ) -> list[KeepTime]:
        """Promises made in [since, until) and kept (on time or late), with the time it took."""
        ...

    def count_outcomes(
        self,
        week_starts: Sequence[datetime],
        until: datetime,
        now: datetime,
        location_ids: frozenset[str] | None,
    ) -> list[OutcomeCount]:
        """Promises made from ``week_starts[0]`` until ``until``, counted for the report.

        Counted by kind, location, maker, outcome and week: the index of the last week start at
        or before the promise was made. An open promise is OVERDUE once ``now`` is past its
        deadline, WAITING before it (or when it has none).
        """
        ...


class TimerRepository(Protocol):
    def set(self, timer: Timer) -> None: ...
    def set_many(self, timers: Sequence[Timer]) -> None: ...
    def due(self, now: datetime, limit: int) -> list[Timer]:
        """The timers due by ``now``, earliest first, locked for this worker."""
        ...

    def remove(self, timer_id: str) -> None: ...
    def cancel(self, subject_id: str, kinds: Sequence[TimerKind] = ()) -> int: ...
    def cancel_many(self, subject_ids: Sequence[str]) -> int: ...
    def postpone(self, timer_id: str, due_at: datetime) -> None:
        """A timer whose firing failed is due again at ``due_at``."""
        ...


class TaskRepository(Protocol):
    def add(self, task: Task) -> None: ...
    def add_many(self, added: Sequence[Task]) -> None: ...
    def get(self, task_id: str) -> Task | None: ...
    def update(self, task: Task) -> None: ...
    def open_for(
        self, *, assignee_id: str | None, location_ids: frozenset[str] | None, limit: int
    ) -> list[Task]: ...
    def list_for_customer(self, customer_id: str, limit: int) -> list[Task]: ...
    def open_for_promise(self, promise_id: str) -> list[Task]: ...
    def done_since(
        self, *, since: datetime, location_ids: frozenset[str] | None, limit: int
    ) -> list[Task]:
        """Tasks done at ``since`` or later, the latest first."""
        ...

    def open_for_promises(self, promise_ids: Sequence[str]) -> list[Task]: ...
    def ended_promises_with_open_tasks(self, limit: int) -> list[str]:
        """Ids of at most ``limit`` promises no longer open that still have an open task."""
        ...


class StockLevels(Protocol):
    def get(self, item: WantedItem) -> int | None:
        """Units on hand of exactly this variant and size at the location (None: never heard)."""
        ...

    def set(self, item: WantedItem, quantity: int, at: datetime) -> int | None:
        """Records the units on hand; returns what they were before (None: never heard)."""
        ...

    def lock(self, items: Sequence[WantedItem]) -> None:
        """Locks these levels, in one stable order, for the rest of the transaction (as
        ``StockRepository.lock``): a batch takes all its locks before its first write."""
        ...

    def get_many(self, items: Sequence[WantedItem]) -> dict[WantedItem, int]:
        """The units on hand of each of these that was ever heard of, in one read."""
        ...

    def put_many(self, levels: Sequence[tuple[WantedItem, int, datetime]], *, new: bool) -> None:
        """Records these levels in one statement: ``new``, levels never heard of (inserted);
        else levels that exist (updated)."""
        ...


class Outbox(Protocol):
    def add(self, message: Message) -> None: ...
    def add_many(self, added: Sequence[Message]) -> None: ...
    def get(self, message_id: str) -> Message | None: ...
    def update(self, message: Message) -> None: ...
    def update_many(self, updated: Sequence[Message]) -> None: ...
    def ready(self, now: datetime, limit: int) -> list[Message]:
        """Waiting messages whose time has come, oldest first, locked for this relay."""
        ...

    def claim(self, message_id: str, now: datetime) -> Message | None:
        """The message, locked for this relay, if it still waits and its time has come.

        None when another relay holds it (it is skipped, not waited for) or has ended it.
        """
        ...

    def list_for_customer(self, customer_id: str, limit: int) -> list[Message]: ...
    def list_by_status(self, statuses: frozenset[MessageStatus], limit: int) -> list[Message]: ...
    def sent_count(self, customer_id: str, purpose: str, since: datetime) -> int: ...
