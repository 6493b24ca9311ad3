"""Task use cases: the open tasks a staff member should see, and marking one done."""

from __future__ import annotations

from heedful.core.access import Actor, Permission, Role, scope_of
from heedful.core.customers import audit
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Forbidden, NotFound
from heedful.core.tasks.model import Task
from heedful.core.unit_of_work import UnitOfWork

# The repository answers "mine or nobody's in particular" and the role is sorted out here, so a
# manager's few escalations must not drown under the agents' reminders: read a few times more
# rows than asked for. A location with more open role tasks than this is a queue nobody reads.
_READ_AHEAD = 5
_MOST_ROWS = 2500


def is_for(actor: Actor, task: Task) -> bool:
    """Whether the task sits in this actor's queue: theirs, or their role's at their location."""
    if not actor.may_act_at(task.location_id):
        return False
    if actor.role is Role.ADMIN:
        return True  # admins watch every queue, so that nothing is left with nobody
    if task.assignee_id is not None:
        return task.assignee_id == actor.id
    return task.assignee_role in (None, actor.role)


def list_open_tasks(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[Task]:
    """Open tasks for the actor, the earliest deadline first (those without one last)."""
    actor.require(Permission.VIEW_CUSTOMERS)
    everyone = actor.role is Role.ADMIN
    with uow:
        found = uow.tasks.open_for(
            assignee_id=None if everyone else actor.id,
            location_ids=scope_of(actor).location_ids,
            limit=min(limit * _READ_AHEAD, _MOST_ROWS),
        )
    return [task for task in found if is_for(actor, task)][:limit]


def complete_task(task_id: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> Task:
    actor.require(Permission.VIEW_CUSTOMERS)
    now = clock.now()
    with uow:
        task = uow.tasks.get(task_id)
        # Staff of another location learn nothing, not even that the task exists.
        if task is None or not actor.may_act_at(task.location_id):
            raise NotFound(f"no task {task_id}")
        if not is_for(actor, task):
            raise Forbidden("this task is in someone else's queue", field="task_id")
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
            after={"kind": task.kind.value, "title": task.title, "promise_id": task.promise_id},
        )
        uow.commit()
    return task
