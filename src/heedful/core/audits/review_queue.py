"""The reviewer's queue: submitted visits in her locations, oldest first, with the machine's flags.

Flags are facts for the reviewer to weigh, never a verdict (ADR 0039); the verdict is
``review_visit``. The queue names the evaluator by her panel name and never a customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from heedful.core.access import Actor, Permission
from heedful.core.audits.ports import AuditWork
from heedful.core.audits.visits import Assignment, Visit, VisitState

QUEUE_LIMIT = 200  # a reviewer works through the oldest; more waits for the next page load


@dataclass(frozen=True)
class ToReview:
    assignment: Assignment
    visit: Visit
    evaluator_name: str


def visits_to_review(uow: AuditWork, actor: Actor) -> list[ToReview]:
    """Submitted visits at the reviewer's locations awaiting a verdict, oldest submitted first."""
    actor.require(Permission.MANAGE_AUDITS)
    with uow:
        waiting = uow.audits.visits(frozenset({VisitState.SUBMITTED}), (), actor.scope)
        waiting.sort(
            key=lambda v: (v.submitted_at or datetime.min.replace(tzinfo=UTC), v.assignment_id)
        )
        names = {p.id: p.display_name for p in uow.audits.evaluators()}
        queue = []
        for visit in waiting[:QUEUE_LIMIT]:
            assignment = uow.audits.assignment(visit.assignment_id)
            if assignment is not None:
                queue.append(ToReview(assignment, visit, names.get(visit.evaluator_id, "")))
    return queue
