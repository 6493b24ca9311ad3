"""A record that keeps failing is set aside with its error, so that it never holds up the others.

Four kinds of record are worked through by the worker: business events, outbox messages, timers
and scheduled jobs. When one fails, its failure is written down here (how often, the error, when
first and last, when to try again); after ``RetryPolicy.tries`` failures, or at once when the
error is one that trying again cannot cure, it becomes a dead letter that the queues skip until
an operator retries or discards it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class LetterKind(StrEnum):
    EVENT = "event"  # a business event in the inbox; ref is its sequence
    MESSAGE = "message"  # an outbox message; ref is its id
    TIMER = "timer"  # a durable timer; ref is its id
    JOB = "job"  # a scheduled job; ref is its name


class LetterState(StrEnum):
    RETRYING = "retrying"  # failed, tried again at next_try_at
    DEAD = "dead"  # set aside: the queues skip it until an operator acts
    DISCARDED = "discarded"  # an operator closed it; kept for the record


# The error as stored and shown: enough to recognise it, never a whole request body or stack.
MAX_ERROR = 1000
MAX_WHAT = 500


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failing record is tried before it is set aside.

    Five tries over about a quarter of an hour cover a database restart or a lock held too
    long; a fault that lasts longer is for a person to look at, not for the worker to repeat.
    """

    tries: int = 5
    first_backoff: timedelta = timedelta(minutes=1)
    max_backoff: timedelta = timedelta(hours=1)

    def backoff(self, attempts: int) -> timedelta:
        doubled: timedelta = self.first_backoff * (2 ** max(attempts - 1, 0))
        return min(doubled, self.max_backoff)


# Errors that the same input will raise again however often it is tried: a number the database
# cannot hold (sqlite3's OverflowError, PostgreSQL's numeric range error, which SQLAlchemy raises
# as DataError), data of the wrong shape (KeyError, ValueError, TypeError on the event's fields),
# and the core's own refusals (HeedfulError: an unknown location, a rule the input breaks).
# Matched by class name along the error's ancestry so that the core needs no database driver.
PERMANENT_ERRORS = frozenset(
    {
        "HeedfulError",
        "OverflowError",
        "DataError",
        "KeyError",
        "ValueError",
        "TypeError",
        "UnicodeError",
    }
)


def is_permanent(error: BaseException) -> bool:
    names = {cls.__name__ for cls in type(error).__mro__}
    cause = error.__cause__ or error.__context__
    if cause is not None and cause is not error:
        # SQLAlchemy wraps the driver's error (StatementError around OverflowError).
        names |= {cls.__name__ for cls in type(cause).__mro__}
    return bool(names & PERMANENT_ERRORS)


def describe(error: BaseException) -> str:
    """The error's class and first line, truncated: what an operator needs to recognise it."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text[:MAX_ERROR]


@dataclass
class DeadLetter:
    kind: LetterKind
    ref: str
    what: str  # for people: "heedful.stock.changed shop/evt-7", "back_in_stock to cus_..."
    error: str
    attempts: int
    first_failed_at: datetime
    last_failed_at: datetime
    next_try_at: datetime | None
    state: LetterState = LetterState.RETRYING
    # What is needed to put the record back (a timer's kind, subject and due time).
    payload: dict[str, Any] = field(default_factory=dict)
    closed_at: datetime | None = None
    closed_by: str = ""

    @property
    def is_dead(self) -> bool:
        return self.state is LetterState.DEAD

    def waits(self, now: datetime) -> bool:
        """True while the record must not be tried: dead, or still in its backoff."""
        if self.state is LetterState.DEAD:
            return True
        return self.state is LetterState.RETRYING and (
            self.next_try_at is not None and self.next_try_at > now
        )

    def failed_again(
        self, error: BaseException, at: datetime, policy: RetryPolicy, *, permanent: bool
    ) -> None:
        self.attempts += 1
        self.error, self.last_failed_at = describe(error), at
        if permanent or self.attempts >= policy.tries:
            self.state, self.next_try_at = LetterState.DEAD, None
        else:
            self.state, self.next_try_at = LetterState.RETRYING, at + policy.backoff(self.attempts)


def first_failure(
    kind: LetterKind, ref: str, what: str, at: datetime, payload: dict[str, Any] | None = None
) -> DeadLetter:
    return DeadLetter(
        kind=kind,
        ref=ref,
        what=what[:MAX_WHAT],
        error="",
        attempts=0,
        first_failed_at=at,
        last_failed_at=at,
        next_try_at=None,
        payload=dict(payload or {}),
    )
