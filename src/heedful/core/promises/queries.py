"""What the staff console reads about promises, tasks and dead letters, shaped for its pages.

The card's promises (open by deadline, then closed), the promises board (overdue, then due
soon) and the task and dead-letter lists with the names of the customers they concern. The rules
of who sees what stay in the use cases these call; this module only sorts and names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from heedful.core.access import Actor
from heedful.core.customers import Customer
from heedful.core.outreach import Message, MessageStatus, list_messages
from heedful.core.promises.handlers import MakePromise, _default_text, list_promises
from heedful.core.promises.model import Promise, PromiseState
from heedful.core.shared.clock import Clock
from heedful.core.shared.phrases import Phrase
from heedful.core.tasks import Task, list_open_tasks
from heedful.core.unit_of_work import UnitOfWork

# "Due soon" is two days: a refund due the day after tomorrow still needs someone today.
DUE_SOON = timedelta(hours=48)
CARD_PROMISES = 100
# The board, the task list and the dead letters are work lists, not archives: a page of the
# most urgent is what anyone can act on; the rest come up as these are done.
WORK_LIST = 200


@dataclass(frozen=True)
class CustomerPromises:
    open: list[Promise]  # the soonest deadline first; those without one last
    closed: list[Promise]  # the most recently closed first


@dataclass(frozen=True)
class BoardLine:
    promise: Promise
    customer_name: str


@dataclass(frozen=True)
class PromiseBoard:
    overdue: list[BoardLine]  # the longest overdue first
    due_soon: list[BoardLine]  # the nearest deadline first
    due_soon_until: datetime


@dataclass(frozen=True)
class TaskLine:
    task: Task
    customer_name: str  # "" when the task is about no customer the actor may see


@dataclass(frozen=True)
class DeadLetter:
    message: Message
    customer_name: str


def own_words(promise: Promise) -> str | Phrase:
    """The promise's words unless they only repeat what its kind and item already say.

    The core fills in a default phrase when staff typed nothing; the console shows the kind and
    the item in the reader's language instead, and the words only when they add something: typed
    by someone, or a phrase of the system's own (said in the reader's language, ADR 0047).
    """
    default = _default_text(
        MakePromise(
            customer_id=promise.customer_id,
            kind=promise.kind,
            location_id=promise.location_id,
            item=promise.item,
        )
    )
    if default is not None and (
        promise.text_phrase == default or promise.text == default.english()
    ):
        return ""
    return promise.said


def customer_promises(customer_id: str, uow: UnitOfWork, actor: Actor) -> CustomerPromises:
    promises = list_promises(uow, actor, customer_id=customer_id, limit=CARD_PROMISES)
    still_open = [promise for promise in promises if promise.is_open]
    still_open.sort(key=lambda p: (p.due_at is None, p.due_at or p.made_at, p.sequence))
    closed = [promise for promise in promises if not promise.is_open]
    closed.sort(key=lambda p: (p.closed_at or p.made_at, p.sequence), reverse=True)
    return CustomerPromises(open=still_open, closed=closed)


def _names(uow: UnitOfWork, actor: Actor, customer_ids: set[str]) -> dict[str, str]:
    """Names of the customers this actor may see; a customer outside their scope has none."""
    names: dict[str, str] = {}
    for customer_id in sorted(customer_ids):
        customer: Customer | None = uow.customers.get(customer_id)
        if customer is not None and actor.may_see_customer_at(customer.location_ids):
            names[customer_id] = customer.full_name
    return names


def promise_board(uow: UnitOfWork, clock: Clock, actor: Actor) -> PromiseBoard:
    """Open promises at the actor's locations that are overdue or due within two days."""
    now = clock.now()
    until = now + DUE_SOON
    promises = list_promises(
        uow, actor, states=frozenset({PromiseState.OPEN}), due_before=until, limit=WORK_LIST
    )
    with uow:
        names = _names(uow, actor, {promise.customer_id for promise in promises})
    lines = [BoardLine(p, names.get(p.customer_id, "")) for p in promises]
    return PromiseBoard(
        overdue=[line for line in lines if line.promise.is_overdue(now)],
        due_soon=[line for line in lines if not line.promise.is_overdue(now)],
        due_soon_until=until,
    )


def open_tasks(uow: UnitOfWork, actor: Actor) -> list[TaskLine]:
    """The actor's open tasks (``tasks.handlers.list_open_tasks``) with their customers' names."""
    tasks = list_open_tasks(uow, actor, limit=WORK_LIST)
    with uow:
        names = _names(uow, actor, {t.customer_id for t in tasks if t.customer_id is not None})
    return [TaskLine(task, names.get(task.customer_id or "", "")) for task in tasks]


def dead_letters(uow: UnitOfWork, actor: Actor) -> list[DeadLetter]:
    """Messages that failed for good, newest first, with the names of their customers."""
    dead = list_messages(uow, actor, frozenset({MessageStatus.DEAD}), limit=WORK_LIST)
    with uow:
        names = _names(uow, actor, {message.customer_id for message in dead})
    return [DeadLetter(message, names.get(message.customer_id, "")) for message in dead]
