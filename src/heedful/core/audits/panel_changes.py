"""Changes to the panel after enrolment: an evaluator leaves it (or returns), visits change hands.

An evaluator who is deactivated is no longer proposed (``Unfit.INACTIVE``) and cannot be assigned;
her assignments still open (a draft, or a visit returned to her) are listed so the manager can
hand each to someone who fits. What she submitted stays hers: it is reviewed as it stands.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from heedful.core.access import Actor, Permission
from heedful.core.audits.panel import EvaluatorProfile
from heedful.core.audits.panel_handlers import evaluator_fit
from heedful.core.audits.ports import AuditWork
from heedful.core.audits.visits import Assignment, Visit
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound


@dataclass(frozen=True)
class PanelChange:
    profile: EvaluatorProfile
    open_assignments: tuple[Assignment, ...]  # hers, still to be done, at the actor's locations


def _open_assignments(uow: AuditWork, actor: Actor, evaluator_id: str) -> tuple[Assignment, ...]:
    assignments = [
        a for a in uow.audits.assignments_of(evaluator_id) if actor.may_act_at(a.location_id)
    ]
    visits = {v.assignment_id: v for v in uow.audits.visits_of([a.id for a in assignments])}
    return tuple(a for a in assignments if a.id in visits and visits[a.id].editable)


def set_evaluator_active(
    uow: AuditWork, actor: Actor, evaluator_id: str, *, active: bool
) -> PanelChange:
    """Take an evaluator off the panel (or back): never proposed, never assigned while inactive."""
    actor.require(Permission.MANAGE_AUDITS)
    with uow:
        profile = uow.audits.evaluator(evaluator_id)
        if profile is None:
            raise NotFound(f"no evaluator {evaluator_id}")
        if profile.active != active:
            profile.active = active
            uow.audits.update_evaluator(profile)
        still_open = _open_assignments(uow, actor, evaluator_id)
        uow.commit()
    return PanelChange(profile, still_open)


def open_assignments(uow: AuditWork, actor: Actor, evaluator_id: str) -> PanelChange:
    actor.require(Permission.MANAGE_AUDITS)
    with uow:
        profile = uow.audits.evaluator(evaluator_id)
        if profile is None:
            raise NotFound(f"no evaluator {evaluator_id}")
        return PanelChange(profile, _open_assignments(uow, actor, evaluator_id))


def reassign_visit(
    uow: AuditWork, clock: Clock, actor: Actor, assignment_id: str, evaluator_id: str
) -> Assignment:
    """Hand an open assignment to another evaluator who fits; she starts from a blank visit.

    The first evaluator's draft (answers, photos, check-in) was hers and about her visit: none of
    it is passed on. Its photos are then named by no visit, and the photo sweep removes them.
    """
    actor.require(Permission.MANAGE_AUDITS)
    now = clock.now()
    with uow:
        assignment = uow.audits.assignment(assignment_id)
        visit = uow.audits.visit(assignment_id, for_change=True)
        if assignment is None or visit is None or not actor.may_act_at(assignment.location_id):
            raise NotFound(f"no assignment {assignment_id}")
        if not visit.editable:
            raise Conflict(f"this visit is {visit.state.value}: it stays with its evaluator")
        if evaluator_id == assignment.evaluator_id:
            raise InvalidInput("is this assignment's evaluator already", field="evaluator_id")
        programme = uow.audits.programme(assignment.programme_id)
        assert programme is not None  # an assignment names an existing programme
        evaluator_fit(uow, programme, assignment.location_id, evaluator_id, now)
        moved = replace(assignment, evaluator_id=evaluator_id)
        uow.audits.update_assignment(moved)
        uow.audits.update_visit(
            Visit(
                assignment_id=assignment.id,
                evaluator_id=evaluator_id,
                location_id=assignment.location_id,
                wave=assignment.wave,
                questionnaire_id=visit.questionnaire_id,
                questionnaire_version=visit.questionnaire_version,
                updated_at=now,
            )
        )
        uow.commit()
    return moved
