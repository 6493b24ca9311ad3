"""Task use cases: the open tasks a staff member should see, and marking one done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from heedful.core.access import Actor, Permission, Role, load_customer, scope_of
from heedful.core.customers import audit
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.tasks.model import Task, TaskKind
from heedful.core.unit_of_work import UnitOfWork

# The repository answers "mine or nobody's in particular" and the role is sorted out here, so a
# manager's few escalations must not drown under the agents' reminders: read a few times more
# rows than asked for. A location with more open role tasks than this is a queue nobody reads.
_READ_AHEAD = 5
_MOST_ROWS = 2500


def is_for(actor: Actor, task: Task, teams: frozenset[str] = frozenset()) -> bool:
    """Whether the task sits in this actor's queue: theirs, their team's (``teams``: the ids of
    hers), or their role's at their location."""
    if not actor.may_act_at(task.location_id):
        return False
    if actor.role is Role.ADMIN:
        return True  # admins watch every queue, so that nothing is left with nobody
    if task.assignee_id is not None:
        return task.assignee_id == actor.id
    if task.team_id is not None:
        return task.team_id in teams
    return task.assignee_role in (None, actor.role)


def teams_of(uow: UnitOfWork, actor: Actor) -> frozenset[str]:
    """The teams she is a member of; a few dozen teams at most, read whole."""
    return frozenset(t.id for t in uow.teams.list() if actor.id in t.member_ids)


def list_open_tasks(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[Task]:
    """Open tasks for the actor, the earliest deadline first (those without one last)."""
    actor.require(Permission.VIEW_CUSTOMERS)
    everyone = actor.role is Role.ADMIN
    with uow:
        teams = teams_of(uow, actor)
        found = uow.tasks.open_for(
            assignee_id=None if everyone else actor.id,
            location_ids=scope_of(actor).location_ids,
            limit=min(limit * _READ_AHEAD, _MOST_ROWS),
        )
    return [task for task in found if is_for(actor, task, teams)][:limit]


def list_done_tasks(uow: UnitOfWork, actor: Actor, since: datetime, limit: int = 50) -> list[Task]:
    """Tasks of the actor's queue done since then, the latest first: what the desk got done."""
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        found = uow.tasks.done_since(
            since=since,
            location_ids=scope_of(actor).location_ids,
            limit=min(limit * _READ_AHEAD, _MOST_ROWS),
        )
    return [task for task in found if is_for(actor, task)][:limit]


def complete_task(
    task_id: str, uow: UnitOfWork, clock: Clock, actor: Actor, outcome: str = ""
) -> Task:
    """Done, with what was done in a line ("called, she will come on Friday"), if said."""
    actor.require(Permission.VIEW_CUSTOMERS)
    outcome = " ".join(outcome.split())
    if len(outcome) > MAX_TEXT:
        raise InvalidInput(f"an outcome is at most {MAX_TEXT} characters", field="outcome")
    now = clock.now()
    with uow:
        task = uow.tasks.get(task_id)
        # Staff of another location learn nothing, not even that the task exists.
        if task is None or not actor.may_act_at(task.location_id):
            raise NotFound(f"no task {task_id}")
        if not is_for(actor, task, teams_of(uow, actor)):
            raise Forbidden(
                "this task is in someone else's queue",
                said=Phrase("refusal.task_elsewhere"),
                field="task_id",
            )
        task.complete(now, actor.label, outcome)
        uow.tasks.update(task)
        audit(
            uow,
            actor,
            now,
            "task.done",
            customer_id=task.customer_id,
            entity="task",
            entity_id=task.id,
            after={
                "kind": task.kind.value,
                "title": task.title,
                "promise_id": task.promise_id,
                "outcome": outcome,
            },
        )
        uow.commit()
    return task


MAX_TEXT = 1000


class BusinessHours(Protocol):
    """The location's business calendar (``calendar.LocationBusinessHours``), given by the caller:
    the tasks room does not know the calendar room."""

    def add(self, location_id: str, start: datetime, duration: timedelta) -> datetime: ...


@dataclass(frozen=True)
class NewTask:
    title: str
    location_id: str
    customer_id: str | None = None
    note: str = ""
    # One person, or everyone of a role at the location; neither: the agents there.
    assignee_id: str | None = None
    assignee_role: Role | None = None
    team_id: str | None = None  # or a team of the location's (ADR 0051)
    due_at: datetime | None = None
    due_in_business_minutes: int | None = None


def _due(cmd: NewTask, now: datetime, hours: BusinessHours | None) -> datetime | None:
    if cmd.due_at is not None and cmd.due_in_business_minutes is not None:
        raise InvalidInput("give a deadline or a business-time span, not both", field="due_at")
    if cmd.due_in_business_minutes is not None:
        if cmd.due_in_business_minutes <= 0 or hours is None:
            raise InvalidInput("a span must be positive", field="due_in_business_minutes")
        try:
            span = timedelta(minutes=cmd.due_in_business_minutes)
            return hours.add(cmd.location_id, now, span)
        except InvalidInput as unusable:
            raise InvalidInput(
                str(unusable), field="due_in_business_minutes", said=unusable.said
            ) from None
    if cmd.due_at is not None:
        if cmd.due_at.tzinfo is None:
            raise InvalidInput("a deadline needs its time zone or offset", field="due_at")
        return cmd.due_at.astimezone(UTC)
    return None


def _check_assignee(uow: UnitOfWork, location_id: str, staff_id: str | None) -> None:
    if staff_id is None:
        return
    member = uow.staff.get(staff_id)
    works_there = member is not None and (
        member.location_ids is None or location_id in member.location_ids
    )
    if member is None or not member.active or not works_there:
        raise InvalidInput("nobody by that id works at that location", field="assignee_id")


def create_task(
    cmd: NewTask, uow: UnitOfWork, clock: Clock, actor: Actor, hours: BusinessHours | None = None
) -> Task:
    """A task made by hand: for a person or a role at the location, due in business time or at
    a set time, about a customer or not."""
    actor.require(Permission.EDIT_CUSTOMERS)
    title = " ".join(cmd.title.split())
    if not title:
        raise InvalidInput("say what is to be done", field="title")
    if len(title) > MAX_TEXT or len(cmd.note) > MAX_TEXT:
        raise InvalidInput(f"at most {MAX_TEXT} characters", field="title")
    named = [cmd.assignee_id, cmd.assignee_role, cmd.team_id]
    if sum(x is not None for x in named) > 1:
        raise InvalidInput("a person, a team or a role, only one", field="assignee_id")
    now = clock.now()
    with uow:
        if uow.locations.get(cmd.location_id) is None:
            raise InvalidInput(
                f"no location {cmd.location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        if not actor.may_act_at(cmd.location_id):
            raise Forbidden(
                "you do not work at that location",
                said=Phrase("refusal.not_your_location"),
                field="location_id",
            )
        customer_id = None
        if cmd.customer_id is not None:
            customer_id = load_customer(uow, actor, cmd.customer_id).id
        _check_assignee(uow, cmd.location_id, cmd.assignee_id)
        _check_team(uow, cmd.location_id, cmd.team_id)
        nobody_named = cmd.assignee_id is None and cmd.team_id is None
        task = Task(
            id=new_id("tsk_"),
            kind=TaskKind.BY_HAND,
            title=title,
            location_id=cmd.location_id,
            created_at=now,
            created_by_label=actor.label,
            note=cmd.note.strip(),
            customer_id=customer_id,
            assignee_id=cmd.assignee_id,
            assignee_role=(cmd.assignee_role or Role.AGENT) if nobody_named else None,
            team_id=cmd.team_id,
            due_at=_due(cmd, now, hours),
        )
        uow.tasks.add(task)
        audit(
            uow,
            actor,
            now,
            "task.created",
            customer_id=customer_id,
            entity="task",
            entity_id=task.id,
            after={"title": title, "assignee_id": task.assignee_id, "due_at": str(task.due_at)},
        )
        uow.commit()
    return task


def _check_team(uow: UnitOfWork, location_id: str, team_id: str | None) -> None:
    if team_id is None:
        return
    team = uow.teams.get(team_id)
    if team is None or team.location_id not in (None, location_id):
        raise InvalidInput("no team by that id works at that location", field="team_id")


def _owner_of(uow: UnitOfWork, task: Task) -> str:
    """The customer's owner at the task's location (ADR 0040), while she is active."""
    found = uow.owners.get(task.customer_id, task.location_id) if task.customer_id else None
    member = uow.staff.get(found.staff_id) if found else None
    if member is None or not member.active:
        raise InvalidInput("the customer has no owner at this location", field="assignee_id")
    return member.id


def reassign_task(
    task_id: str,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    assignee_id: str | None = None,
    assignee_role: Role | None = None,
    team_id: str | None = None,
    to_owner: bool = False,
) -> Task:
    """Hand the task to a person, a team, the customer's owner, or everyone of a role."""
    actor.require(Permission.VIEW_CUSTOMERS)
    named = [assignee_id is not None, assignee_role is not None, team_id is not None, to_owner]
    if sum(named) != 1:
        raise InvalidInput(
            "give it to one person, team, role or the customer's owner", field="assignee_id"
        )
    now = clock.now()
    with uow:
        task = uow.tasks.get(task_id)
        if task is None or not actor.may_act_at(task.location_id):
            raise NotFound(f"no task {task_id}")
        if not task.is_open:
            raise Conflict(
                "this task is already done", said=Phrase("refusal.task_done"), field="task_id"
            )
        # Managers hand out any task at their locations; others only what is in their queue.
        mine = is_for(actor, task, teams_of(uow, actor))
        if actor.role not in (Role.ADMIN, Role.MANAGER) and not mine:
            raise Forbidden(
                "this task is in someone else's queue",
                said=Phrase("refusal.task_elsewhere"),
                field="task_id",
            )
        if to_owner:
            assignee_id = _owner_of(uow, task)
        _check_assignee(uow, task.location_id, assignee_id)
        _check_team(uow, task.location_id, team_id)
        before = {
            "assignee_id": task.assignee_id,
            "assignee_role": str(task.assignee_role),
            "team_id": task.team_id,
        }
        task.assignee_id, task.assignee_role = assignee_id, assignee_role
        task.team_id = team_id
        uow.tasks.update(task)
        audit(
            uow,
            actor,
            now,
            "task.reassigned",
            customer_id=task.customer_id,
            entity="task",
            entity_id=task.id,
            before=before,
            after={
                "assignee_id": assignee_id,
                "assignee_role": str(assignee_role),
                "team_id": team_id,
            },
        )
        uow.commit()
    return task
