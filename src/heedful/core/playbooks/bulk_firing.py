"""Firing a whole window at once: the keys claimed in one statement, the rows written in bulk.

A look-ahead pass fires for thousands of objects in one location's transaction, and an event
a page of its audience at a time. One savepoint
per firing (``firing.fire_one``) made the first pass over a million records cost minutes, most
of it in SQLite releasing savepoints inside a long transaction. Here, for one playbook's window:

1. each firing's tasks and messages are built in memory; an action that refuses (no location,
   an assignee who left) refuses now and is set aside with its reason, before anything is
   written, so it never stops the others and its key stays free for the next pass;
2. the keys of the rest are claimed by one ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` per
   chunk: a key another worker holds is not returned, and its firing writes nothing;
3. the claimed firings' tasks and messages are written by one statement per table.

A promise ("a new date for the late parcel") is built and checked in step 1 with its timers and
audit entry, and written in step 3 with the window's others (``promises.store_promises``). A
firing whose actions read and change other rows (a survey, a promise kept) keeps the savepoint
path, one firing at a time: refusing there undoes only it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from heedful.core.outreach import Message
from heedful.core.playbooks import actions
from heedful.core.playbooks.model import Action, Firing, Said
from heedful.core.promises import NewPromise, store_promises
from heedful.core.shared.errors import HeedfulError
from heedful.core.shared.ids import new_id
from heedful.core.tasks import Task


@dataclass(frozen=True)
class Chosen:
    """One firing to do: its context, actions, once key and reasons; ``label`` names it."""

    context: actions.Firing
    todo: tuple[Action, ...]
    key: str
    reasons: tuple[Said, ...]
    label: str


@dataclass
class BulkOutcome:
    fired: int = 0
    already: int = 0  # the key was taken when claimed (another worker, a change racing)
    set_aside: list[str] = field(default_factory=list)  # "label: why", never fired


def _firing(item: Chosen, done: Sequence[Said]) -> Firing:
    context = item.context
    return Firing(
        id=new_id("fir_"),
        playbook_id=context.playbook.id,
        version=context.playbook.version,
        customer_id=context.customer.id,
        once_key=item.key,
        event_ref=context.cause,
        event_type=context.event.type,
        fired_at=context.now,
        reasons=item.reasons,
        done=tuple(done),
    )


def fire_many(chosen: Sequence[Chosen]) -> BulkOutcome:
    """Fires each chosen firing at most once; call inside the unit of work of the window."""
    outcome = BulkOutcome()
    if not chosen:
        return outcome
    uow = chosen[0].context.uow
    ready: list[tuple[Firing, list[actions.Prepared]]] = []
    one_by_one: list[Chosen] = []
    for item in chosen:
        try:
            prepared = [actions.prepare(action, item.context) for action in item.todo]
        except HeedfulError as refused:
            outcome.set_aside.append(f"{item.label}: {refused}")
            continue
        rows = [p for p in prepared if p is not None]
        if len(rows) < len(prepared):
            one_by_one.append(item)
            continue
        ready.append((_firing(item, [p.done for p in rows]), rows))
    stored = uow.playbooks.claim_many([firing for firing, _ in ready])
    tasks: list[Task] = []
    messages: list[Message] = []
    promises: list[NewPromise] = []
    for firing, rows in ready:
        if firing.id not in stored:
            outcome.already += 1
            continue
        outcome.fired += 1
        for built in rows:
            if isinstance(built.row, Task):
                tasks.append(built.row)
            elif isinstance(built.row, NewPromise):
                promises.append(built.row)
            else:
                messages.append(built.row)
    uow.tasks.add_many(tasks)
    uow.outbox.add_many(messages)
    store_promises(uow, promises)
    for item in one_by_one:
        try:
            if fire_one(item.context, item.todo, item.key, list(item.reasons)):
                outcome.fired += 1
            else:
                outcome.already += 1
        except HeedfulError as refused:
            outcome.set_aside.append(f"{item.label}: {refused}")
    return outcome


def fire_one(
    context: actions.Firing, todo: Iterable[Action], key: str, reasons: list[Said]
) -> bool:
    """Does the actions and stores the firing under its key, or nothing if the key is taken."""
    uow, playbook = context.uow, context.playbook
    with uow:
        done = [actions.perform(action, context) for action in todo]
        firing = Firing(
            id=new_id("fir_"),
            playbook_id=playbook.id,
            version=playbook.version,
            customer_id=context.customer.id,
            once_key=key,
            event_ref=context.cause,
            event_type=context.event.type,
            fired_at=context.now,
            reasons=tuple(reasons),
            done=tuple(done),
        )
        # Actions first, then the key: if the key is taken (by an earlier event, or by another
        # worker this very moment) leaving without commit undoes the actions with it.
        if not uow.playbooks.claim(firing):
            return False
        uow.commit()
    return True
