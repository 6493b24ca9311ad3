"""What a playbook does for one customer: a staff task, a queued message, a promise opened or kept.

Every action is written in the transaction that fired the playbook; a message is only queued
(the relay applies consent, quiet hours and caps when it sends). ``describe`` says in words
what ``perform`` would do, without doing it: the dry-run's answer (``dry_run_words.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from heedful.core.access import SYSTEM, Role
from heedful.core.customers import Customer
from heedful.core.events import BusinessEvent
from heedful.core.feedback import Invite, invite
from heedful.core.outreach import Message
from heedful.core.playbooks.conditions import MISSING, value_at
from heedful.core.playbooks.model import (
    Action,
    ClosePromise,
    CreateTask,
    DueBy,
    HoldCapacity,
    OpenPromise,
    Playbook,
    SendMessage,
    SendSurvey,
)
from heedful.core.playbooks.texts import PLACEHOLDER, STATE_FIELDS, state_value
from heedful.core.promises import (
    Evidence,
    EvidenceKind,
    MakePromise,
    NewPromise,
    PromiseFilter,
    PromiseState,
    make_promise,
    prepare_promise,
    settle_tasks,
)
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase, word
from heedful.core.tasks import Task
from heedful.core.unit_of_work import UnitOfWork

# How far back the customer's record is read to find who looks after them.
_AUDIT_READ = 50
_OPEN_PROMISES_READ = 500


@dataclass(frozen=True)
class Firing:
    """One playbook, one customer, one event: everything an action needs to know."""

    uow: UnitOfWork
    now: datetime
    playbook: Playbook
    customer: Customer
    event: BusinessEvent
    cause: str  # "source/id" of the event
    location_id: str | None  # the event's location, else where the customer is known
    # A look-ahead's object: the instants its tasks may be due by, and its location's zone.
    due_by: Mapping[DueBy, datetime] = field(default_factory=dict)
    zone: str = "UTC"


def fill(text: str, firing: Firing) -> str:
    """``{{customer.name}}``, ``{{customer.first_name}}``, ``{{data.amount}}`` in a task title.

    Plain substitution, not a template language: a title is one line staff read in a queue.
    """

    def one(found: re.Match[str]) -> str:
        name = found.group(1)
        if name == "customer.name":
            return firing.customer.full_name
        if name == "customer.first_name":
            return firing.customer.full_name.split(" ")[0]
        if name in ("subject", "source", "type") or name.startswith("data."):
            value = value_at(firing.event, name)
            return "" if value is MISSING else str(value)
        if name.startswith("customer.preferences."):
            return ", ".join(_standing(firing, name.rsplit(".", 1)[1]))
        look = firing.playbook.body.look_ahead
        quoted = state_value(name, look.subject if look else None, firing.event.data)
        # Saving refused any other name (texts.check_texts); one stored before that check
        # still fills in as nothing rather than failing the firing.
        return quoted or ""

    return " ".join(PLACEHOLDER.sub(one, text).split())


_POLARITY = {"likes": "like", "dislikes": "dislike", "never": "never"}


def _standing(firing: Firing, which: str) -> list[str]:
    """Her standing preferences of one polarity, newest first: "never: peanuts, sparkling"."""
    polarity = _POLARITY.get(which)
    found = [
        p
        for p in firing.uow.preferences.list_for(firing.customer.id)
        if p.is_standing and p.polarity.value == polarity
    ]
    return [p.subject for p in sorted(found, key=lambda p: p.recorded_at, reverse=True)]


@dataclass(frozen=True)
class Assignee:
    staff_id: str | None
    role: Role | None
    label: str | Phrase  # a staff member's name, or a role's staff in words


_MANAGERS = Assignee(None, Role.MANAGER, Phrase("who.managers"))
_ROLE_WORDS = {Role.MANAGER: Phrase("who.managers"), Role.AGENT: Phrase("who.agents")}


def owner(uow: UnitOfWork, customer: Customer, location_id: str) -> Assignee | None:
    """Her owner at the location (ADR 0040), while that staff member is active."""
    found = uow.owners.get(customer.id, location_id)
    if found is None:
        return None
    member = uow.staff.get(found.staff_id)
    if member is None or not member.active:
        return None
    return Assignee(member.id, None, member.full_name)


def relationship_manager(uow: UnitOfWork, customer: Customer, location_id: str) -> Assignee:
    """Who looks after this customer at this location.

    Her owner at the location when one is set (ADR 0040). Failing that, as before owners
    existed: the active staff member who most recently changed something on the customer's
    record (a preference, a promise, a consent) and works at the location; failing that, the
    location's managers as a role, so that the task never goes to nobody.
    """
    named = owner(uow, customer, location_id)
    if named is not None:
        return named
    for entry in uow.audit.list_for(customer.id, _AUDIT_READ):
        member = uow.staff.get(entry.actor_id)
        if member is None or not member.active or member.role not in (Role.MANAGER, Role.AGENT):
            continue
        if member.location_ids is None or location_id in member.location_ids:
            return Assignee(member.id, None, member.full_name)
    return _MANAGERS


def assignee(action: CreateTask, firing: Firing, location_id: str) -> Assignee:
    if action.assign_to == "owner":
        # "The customer's owner", and where nobody owns her, the location's managers.
        return owner(firing.uow, firing.customer, location_id) or _MANAGERS
    if action.assign_to == "relationship_manager":
        return relationship_manager(firing.uow, firing.customer, location_id)
    if action.assign_to.startswith("role:"):
        role = Role(action.assign_to[5:])
        said = _ROLE_WORDS.get(role, Phrase("who.role", {"role": role.value}))
        return Assignee(None, role, said)
    member = firing.uow.staff.get(action.assign_to[6:])
    if member is None or not member.active:
        raise InvalidInput(f"no active staff member {action.assign_to[6:]}", field="assign_to")
    return Assignee(member.id, None, member.full_name)


def _location(firing: Firing, what: str) -> str:
    if firing.location_id is None:
        raise InvalidInput(f"{what} needs a location and the customer is known nowhere")
    return firing.location_id


def reference_of(firing: Firing, path: str | None) -> str:
    if path is None:
        return ""
    value = value_at(firing.event, path)
    return "" if value is MISSING else str(value).strip()


def task_due(action: CreateTask, firing: Firing) -> datetime | None:
    if action.due_by is not None:
        return firing.due_by.get(action.due_by)
    if action.due_in_minutes:
        return firing.now + timedelta(minutes=action.due_in_minutes)
    return None


def promise_due(action: OpenPromise, firing: Firing) -> datetime | None:
    """A fixed delay, or the end of the day a field names (the carrier's new day)."""
    if action.due_on_from is not None:
        value = value_at(firing.event, action.due_on_from)
        try:
            day = date.fromisoformat(str(value)) if value is not MISSING else None
        except ValueError:
            day = None
        if day is None:
            raise InvalidInput(f"{action.due_on_from} holds no day", field="due_on_from")
        end = datetime.combine(day + timedelta(days=1), time(), ZoneInfo(firing.zone))
        return end.astimezone(firing.now.tzinfo)
    if action.due_in_minutes:
        return firing.now + timedelta(minutes=action.due_in_minutes)
    return None


def _context(firing: Firing) -> dict[str, Any]:
    data = {k: v for k, v in firing.event.data.items() if isinstance(v, str | int | float | bool)}
    context: dict[str, Any] = {"event": {"type": firing.event.type, **data}}
    if isinstance(data.get("product"), str):
        context["item"] = {
            "product": data["product"],
            "variant": str(data.get("variant") or ""),
            "size": str(data.get("size") or ""),
        }
    look = firing.playbook.body.look_ahead
    if look is not None and look.subject in STATE_FIELDS:
        # The record a look-ahead read, by the names its texts quote: {{ order.promised_date }}.
        for name in STATE_FIELDS[look.subject]:
            root, _, attribute = name.partition(".")
            value = state_value(name, look.subject, firing.event.data)
            context.setdefault(root, {})[attribute] = value or ""
    return context


def _new_task(action: CreateTask, firing: Firing) -> tuple[Task, Assignee]:
    location_id = _location(firing, "a task")
    who = assignee(action, firing, location_id)
    task = Task(
        id=new_id("tsk_"),
        kind=action.kind,
        title=fill(action.title, firing),
        location_id=location_id,
        created_at=firing.now,
        created_by_label=f"{SYSTEM.label}: {firing.playbook.name}",
        note=fill(action.note, firing),
        customer_id=firing.customer.id,
        assignee_id=who.staff_id,
        assignee_role=who.role,
        due_at=task_due(action, firing),
        goodwill_amount=action.goodwill_amount,
        goodwill_currency=action.goodwill_currency,
    )
    return task, who


def _new_message(action: SendMessage, firing: Firing) -> Message:
    return Message(
        id=new_id("msg_"),
        customer_id=firing.customer.id,
        template_key=action.template,
        purpose=action.purpose,
        created_at=firing.now,
        ready_at=firing.now,
        location_id=firing.location_id,
        context=_context(firing),
    )


def _message_done(message: Message, action: SendMessage) -> Phrase:
    purpose = word("purpose", action.purpose.value)
    return Phrase(
        "did.message", {"id": message.id, "template": action.template, "purpose": purpose}
    )


def _task_done(task: Task, who: Assignee) -> Phrase:
    return Phrase("did.task", {"id": task.id, "who": who.label})


def kind_word(kind: str) -> str | Phrase:
    return word("promise_kind", kind)


@dataclass(frozen=True)
class Prepared:
    """A task or a message built but not yet written, and what the firing will say it did."""

    row: Task | Message | NewPromise
    done: Phrase


def prepare(action: Action, firing: Firing) -> Prepared | None:
    """The row ``perform`` would write, for a bulk write after the keys are claimed.

    Everything that can refuse (no location, a staff member who left, a promise's day that is
    not a day) refuses here, before anything is written. A promise comes with its timers and
    audit entry, written with the window's others. None for an action that reads and changes
    other rows (a survey, a promise kept): those are performed one firing at a time.
    """
    if isinstance(action, CreateTask):
        task, who = _new_task(action, firing)
        return Prepared(task, _task_done(task, who))
    if isinstance(action, SendMessage):
        message = _new_message(action, firing)
        return Prepared(message, _message_done(message, action))
    if isinstance(action, OpenPromise):
        made = prepare_promise(_promise_command(action, firing), firing.uow, firing.now, SYSTEM)
        return Prepared(
            made,
            Phrase("did.promise", {"id": made.promise.id, "kind": kind_word(action.kind.value)}),
        )
    return None


def _promise_command(action: OpenPromise, firing: Firing) -> MakePromise:
    return MakePromise(
        customer_id=firing.customer.id,
        kind=action.kind,
        location_id=_location(firing, "a promise"),
        text=fill(action.text, firing),
        due_at=promise_due(action, firing),
        reference=reference_of(firing, action.reference_from),
    )


def perform(action: Action, firing: Firing) -> Phrase:
    """Does the action; returns what was done, naming the row it wrote."""
    uow, now = firing.uow, firing.now
    if isinstance(action, CreateTask):
        task, who = _new_task(action, firing)
        uow.tasks.add(task)
        return _task_done(task, who)
    if isinstance(action, SendMessage):
        message = _new_message(action, firing)
        uow.outbox.add(message)
        return _message_done(message, action)
    if isinstance(action, OpenPromise):
        cmd = _promise_command(action, firing)
        promise = make_promise(cmd, uow, FrozenClock(now), SYSTEM)
        return Phrase("did.promise", {"id": promise.id, "kind": kind_word(action.kind.value)})
    if isinstance(action, SendSurvey):
        return _send_survey(action, firing)
    if isinstance(action, HoldCapacity):
        # Read refuses it anywhere but tonight's book, which holds it itself (playbooks/tonight.py).
        raise InvalidInput("only a playbook reading tonight's book holds capacity")
    return _close_promises(action, firing)


def _send_survey(action: SendSurvey, firing: Firing) -> Phrase:
    cmd = Invite(
        survey_id=action.survey_id,
        customer_id=firing.customer.id,
        location_id=firing.location_id,
        staff_id=reference_of(firing, action.staff_from) or None,
        cause=firing.cause,
    )
    done = invite(cmd, firing.uow, FrozenClock(firing.now), SYSTEM)
    if done.invitation is None:
        return Phrase("did.no_survey", {"why": done.why or done.skipped})
    return Phrase("did.survey", {"id": done.invitation.id})


def _close_promises(action: ClosePromise, firing: Firing) -> Phrase:
    reference = reference_of(firing, action.reference_from)
    kept: list[str] = []
    kind = kind_word(action.kind.value)
    if not reference:
        return Phrase("did.no_reference", {"field": action.reference_from or "", "kind": kind})
    where = PromiseFilter(customer_id=firing.customer.id, states=frozenset({PromiseState.OPEN}))
    for candidate in firing.uow.promises.find(where, _OPEN_PROMISES_READ):
        if candidate.kind is not action.kind or candidate.reference != reference:
            continue
        promise = firing.uow.promises.get(candidate.id, for_change=True) or candidate
        promise.note(
            Evidence(firing.now, EvidenceKind.EVENT, firing.event.type, SYSTEM.label, firing.cause)
        )
        promise.keep(firing.now, SYSTEM.label, f"{firing.playbook.name}: {reference}", firing.cause)
        settle_tasks(firing.uow, promise, firing.now)
        firing.uow.promises.update(promise)
        firing.uow.timers.cancel(promise.id)
        kept.append(promise.id)
    if kept:
        return Phrase("did.kept", {"ids": ", ".join(kept)})
    return Phrase("did.nothing_to_keep", {"kind": kind, "reference": reference})
