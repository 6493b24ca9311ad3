"""What the staff console reads about promises, messages and tasks, and the two small acts it needs.

Read models for the card (a customer's promises and messages), the promises board (overdue, then
due soon), the staff member's open tasks and the dead-letter list. ``complete_task`` and
``send_again`` are the console's only writes here: they belong with the tasks' and the outreach
room's use cases and move there once those rooms have a ``handlers.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from heedful.core.access.model import Actor, Permission, Role
from heedful.core.customers._common import audit, load_customer, scope_of
from heedful.core.customers.model import Customer
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.promises.handlers import MakePromise, _default_text, list_promises
from heedful.core.promises.model import Promise, PromiseState
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, NotFound
from heedful.core.shared.ports import UnitOfWork
from heedful.core.tasks.model import Task

# "Due soon" is two days: a refund due the day after tomorrow still needs someone today.
DUE_SOON = timedelta(hours=48)
CARD_PROMISES = 100
CARD_MESSAGES = 50
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


def own_words(promise: Promise) -> str:
    """The promise's text unless it only repeats what its kind and item already say.

    The core fills in an English sentence when staff typed nothing; the console shows the kind
    and the item in the reader's language instead, and the text only when someone wrote it.
    """
    default = _default_text(
        MakePromise(
            customer_id=promise.customer_id,
            kind=promise.kind,
            location_id=promise.location_id,
            item=promise.item,
        )
    )
    return "" if promise.text == default else promise.text


def customer_promises(customer_id: str, uow: UnitOfWork, actor: Actor) -> CustomerPromises:
    promises = list_promises(uow, actor, customer_id=customer_id, limit=CARD_PROMISES)
    still_open = [promise for promise in promises if promise.is_open]
    still_open.sort(key=lambda p: (p.due_at is None, p.due_at or p.made_at, p.sequence))
    closed = [promise for promise in promises if not promise.is_open]
    closed.sort(key=lambda p: (p.closed_at or p.made_at, p.sequence), reverse=True)
    return CustomerPromises(open=still_open, closed=closed)


def customer_messages(customer_id: str, uow: UnitOfWork, actor: Actor) -> list[Message]:
    """Everything Heedful meant to tell the customer, newest first, with how each one ended."""
    with uow:
        customer = load_customer(uow, actor, customer_id)
        return uow.outbox.list_for_customer(customer.id, CARD_MESSAGES)


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


def _is_for(task: Task, actor: Actor) -> bool:
    """A task is the actor's own, or their role's at one of their locations.

    Admins answer for every role: an escalation nobody at the location picks up is theirs.
    """
    if not actor.may_act_at(task.location_id):
        return False
    if task.assignee_id is not None:
        return task.assignee_id == actor.id
    if task.assignee_role is None:
        return True  # everyone at the location
    return task.assignee_role is actor.role or actor.role is Role.ADMIN


def open_tasks(uow: UnitOfWork, actor: Actor) -> list[TaskLine]:
    """The actor's open tasks, the earliest deadline first."""
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        found = uow.tasks.open_for(
            assignee_id=actor.id, location_ids=scope_of(actor).location_ids, limit=WORK_LIST
        )
        tasks = [task for task in found if _is_for(task, actor)]
        names = _names(uow, actor, {t.customer_id for t in tasks if t.customer_id is not None})
    return [TaskLine(task, names.get(task.customer_id or "", "")) for task in tasks]


def complete_task(task_id: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> Task:
    actor.require(Permission.VIEW_CUSTOMERS)
    now = clock.now()
    with uow:
        task = uow.tasks.get(task_id)
        # Someone else's task is "not found": a list of who must do what is not for everyone.
        if task is None or not _is_for(task, actor):
            raise NotFound(f"no task {task_id}")
        task.complete(now, actor.label)
        uow.tasks.update(task)
        audit(
            uow,
            actor,
            now,
            "task.done",
            customer_id=task.customer_id,
            entity="task",
            entity_id=task.id,
            after={"kind": task.kind.value, "title": task.title},
        )
        uow.commit()
    return task


def _visible_dead(uow: UnitOfWork, actor: Actor, limit: int) -> list[DeadLetter]:
    dead = uow.outbox.list_by_status(frozenset({MessageStatus.DEAD}), limit)
    names = _names(uow, actor, {message.customer_id for message in dead})
    # A manager sees the dead letters of customers known at their locations, no others.
    return [DeadLetter(m, names[m.customer_id]) for m in dead if m.customer_id in names]


def dead_letters(uow: UnitOfWork, actor: Actor) -> list[DeadLetter]:
    """Messages that failed for good, newest first, for a manager or admin to look into."""
    actor.require(Permission.MANAGE_OUTBOX)
    with uow:
        return _visible_dead(uow, actor, WORK_LIST)


def send_again(message_id: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> Message:
    """Put a dead message back in the queue, ready now, its attempts counted from zero.

    The relay checks consent, quiet hours and caps again at send time, so sending again never
    sends what the customer has since refused.
    """
    actor.require(Permission.MANAGE_OUTBOX)
    now = clock.now()
    with uow:
        message = uow.outbox.get(message_id)
        if message is None:
            raise NotFound(f"no message {message_id}")
        load_customer(uow, actor, message.customer_id)  # outside the actor's scope: not found
        if message.status is not MessageStatus.DEAD:
            raise Conflict("only a dead message can be sent again", field="message_id")
        message.requeue(now)
        uow.outbox.update(message)
        audit(
            uow,
            actor,
            now,
            "message.requeued",
            customer_id=message.customer_id,
            entity="message",
            entity_id=message.id,
            after={"status": message.status.value, "template_key": message.template_key},
        )
        uow.commit()
    return message
