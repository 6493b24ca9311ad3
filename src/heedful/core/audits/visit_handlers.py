"""Use cases of a visit: the evaluator's draft and submission, the reviewer's verdict, results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from heedful.core.access import Actor, Permission
from heedful.core.audits.answers import Answer, missing_answers, read_answers
from heedful.core.audits.checks import SAME_PATTERN_LOOKBACK, check_visit
from heedful.core.audits.ledger import ledger_answer
from heedful.core.audits.ports import AuditWork
from heedful.core.audits.questionnaire import ItemKind, Questionnaire, QuestionnaireBody
from heedful.core.audits.results import (
    LocationReport,
    WaveReport,
    location_report,
    score_all,
    wave_report,
)
from heedful.core.audits.scoring import score_visit
from heedful.core.audits.visits import Assignment, Attachment, CheckIn, Visit, VisitState
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.core.shared.phrases import Phrase

MAX_REVIEW_COMMENT = 2000


@dataclass(frozen=True)
class VisitView:
    assignment: Assignment
    visit: Visit
    questionnaire: Questionnaire


def _load(
    uow: AuditWork, actor: Actor, assignment_id: str, *, for_change: bool = True
) -> tuple[Assignment, Visit]:
    """The assignment and its visit if this actor may see them: her own, or in a manager's scope.

    ``for_change=False`` for a look only: the visit's row is then not locked, so the page can be
    read in a read-only unit of work (ADR 74).
    """
    if not (actor.may(Permission.MANAGE_AUDITS) or actor.may(Permission.DO_AUDITS)):
        raise Forbidden("visits are for audit managers and their evaluators")
    assignment = uow.audits.assignment(assignment_id)
    visit = uow.audits.visit(assignment_id, for_change=for_change)
    if assignment is None or visit is None:
        raise NotFound(f"no assignment {assignment_id}")
    if actor.may(Permission.MANAGE_AUDITS) and actor.may_act_at(assignment.location_id):
        return assignment, visit
    if actor.may(Permission.DO_AUDITS):
        profile = uow.audits.evaluator_of_staff(actor.id)
        if profile is not None and profile.id == assignment.evaluator_id:
            return assignment, visit
    raise NotFound(f"no assignment {assignment_id}")


def _own(uow: AuditWork, actor: Actor, assignment: Assignment) -> None:
    """Answers are the evaluator's alone: a reviewer validates or returns, never rewrites."""
    profile = uow.audits.evaluator_of_staff(actor.id) if actor.may(Permission.DO_AUDITS) else None
    if profile is None or profile.id != assignment.evaluator_id:
        raise Forbidden("only the evaluator of this visit writes its answers")


def _questionnaire(uow: AuditWork, visit: Visit) -> Questionnaire:
    found = uow.audits.questionnaire(visit.questionnaire_id, visit.questionnaire_version)
    assert found is not None  # versions are never deleted
    return found


def show_visit(uow: AuditWork, actor: Actor, assignment_id: str) -> VisitView:
    with uow:
        assignment, visit = _load(uow, actor, assignment_id, for_change=False)
        return VisitView(assignment, visit, _questionnaire(uow, visit))


def save_draft(
    uow: AuditWork,
    clock: Clock,
    actor: Actor,
    assignment_id: str,
    answers: Mapping[str, Any],
    attachments: Sequence[Attachment] = (),
    check_in: CheckIn | None = None,
) -> VisitView:
    with uow:
        assignment, visit = _load(uow, actor, assignment_id)
        _own(uow, actor, assignment)
        questionnaire = _questionnaire(uow, visit)
        read = read_answers(questionnaire.body, answers)
        known = {a.id for a in attachments}
        for key, answer in read.items():
            item = questionnaire.body.item(key)
            if item is not None and item.kind is ItemKind.PHOTO and answer.value:
                unknown = [ref for ref in answer.value if ref not in known]
                if unknown:
                    raise InvalidInput(
                        "names an attachment the visit does not hold", field=f"answers.{key}.value"
                    )
        visit.save_draft(read, tuple(attachments), check_in, clock.now())
        uow.audits.update_visit(visit)
        uow.commit()
        return VisitView(assignment, visit, questionnaire)


def _read_ledger(
    uow: AuditWork, assignment: Assignment, body: QuestionnaireBody, now: datetime
) -> dict[str, Answer]:
    promise = uow.promises.get(assignment.promise_id) if assignment.promise_id else None
    reading = ledger_answer(promise, now)
    return {item.key: reading for item in body.items() if item.kind is ItemKind.PROMISE_KEPT}


def submit_visit(uow: AuditWork, clock: Clock, actor: Actor, assignment_id: str) -> VisitView:
    """Submit: completeness checked, the ledger read, the score computed, machine checks flagged."""
    now = clock.now()
    with uow:
        assignment, visit = _load(uow, actor, assignment_id)
        _own(uow, actor, assignment)
        if not visit.editable:
            raise Conflict(f"this visit is {visit.state.value}: it was submitted already")
        questionnaire = _questionnaire(uow, visit)
        missing = missing_answers(questionnaire.body, visit.answers)
        if missing:
            raise InvalidInput(
                "answer every item, or mark it not applicable",
                said=Phrase("refusal.answer_every_item"),
                field=f"answers.{missing[0]}",
            )
        visit.answers = {**visit.answers, **_read_ledger(uow, assignment, questionnaire.body, now)}
        programme = uow.audits.programme(assignment.programme_id)
        location = uow.locations.get(assignment.location_id)
        position = None
        if (
            location is not None
            and location.latitude is not None
            and location.longitude is not None
        ):
            position = (location.latitude, location.longitude)
        visit.submitted_at = now  # the checks read it when there was no check-in
        flags = check_visit(
            visit,
            assignment,
            location_position=position,
            radius_m=programme.check_in_radius_m if programme else 300,
            hashes_seen_elsewhere=uow.audits.hashes_seen(
                [a.sha256 for a in visit.attachments], other_than=visit.assignment_id
            ),
            earlier_visits=uow.audits.earlier_visits(
                visit.evaluator_id, now, SAME_PATTERN_LOOKBACK
            ),
        )
        visit.submit(now, flags, score_visit(questionnaire.body, visit.answers).total)
        uow.audits.update_visit(visit)
        uow.commit()
        return VisitView(assignment, visit, questionnaire)


def review_visit(
    uow: AuditWork, clock: Clock, actor: Actor, assignment_id: str, *, validated: bool, comment: str
) -> VisitView:
    """Validate a submitted visit or return it with a comment; her reliability follows."""
    actor.require(Permission.MANAGE_AUDITS)
    if not validated and not comment.strip():
        raise InvalidInput("say what the evaluator should check or add", field="comment")
    if len(comment) > MAX_REVIEW_COMMENT:
        raise InvalidInput(f"is at most {MAX_REVIEW_COMMENT} characters", field="comment")
    now = clock.now()
    with uow:
        assignment, visit = _load(uow, actor, assignment_id)
        questionnaire = _questionnaire(uow, visit)
        if validated:
            # The ledger may have moved since the submission (the call-back came late): the
            # validated score reads it once more.
            visit.answers = {
                **visit.answers,
                **_read_ledger(uow, assignment, questionnaire.body, now),
            }
            visit.score = score_visit(questionnaire.body, visit.answers).total
        visit.review(validated, comment.strip(), actor.label, now)
        uow.audits.update_visit(visit)
        profile = uow.audits.evaluator(assignment.evaluator_id)
        if profile is not None:
            if validated:
                profile.validated += 1
            else:
                profile.returned += 1
            uow.audits.update_evaluator(profile)
        uow.commit()
        return VisitView(assignment, visit, questionnaire)


def wave_results(
    uow: AuditWork,
    actor: Actor,
    *,
    waves: Sequence[str] = (),
    questionnaire_id: str | None = None,
    language: str | None = None,
) -> WaveReport:
    """Validated visits in the actor's locations, scored with the versions they kept.

    Advice is in ``language``, else in the manager's own language.
    """
    actor.require(Permission.MANAGE_AUDITS)
    with uow:
        if language is None:
            member = uow.staff.get(actor.id)
            language = member.language if member else "en"
        visits = uow.audits.visits(
            frozenset({VisitState.VALIDATED}), waves, actor.scope, questionnaire_id
        )
        bodies = _bodies(uow, visits)
    return wave_report(score_all(visits, bodies), bodies, language)


def _bodies(uow: AuditWork, visits: Sequence[Visit]) -> dict[tuple[str, int], QuestionnaireBody]:
    bodies: dict[tuple[str, int], QuestionnaireBody] = {}
    for visit in visits:
        key = (visit.questionnaire_id, visit.questionnaire_version)
        if key not in bodies:
            bodies[key] = _questionnaire(uow, visit).body
    return bodies


def location_results(
    uow: AuditWork, actor: Actor, *, location_id: str, wave: str, language: str | None = None
) -> LocationReport:
    """One location's wave for its report: its score, sections, advice, and its trend.

    Only a manager (or admin) of that location reads it; anyone else learns nothing (404).
    """
    actor.require(Permission.MANAGE_AUDITS)
    if not actor.may_act_at(location_id):
        raise NotFound(f"no location {location_id}", said=Phrase("refusal.no_location"))
    with uow:
        if uow.locations.get(location_id) is None:
            raise NotFound(f"no location {location_id}", said=Phrase("refusal.no_location"))
        if language is None:
            member = uow.staff.get(actor.id)
            language = member.language if member else "en"
        # Every wave of this one location: the trend needs the waves before this one.
        visits = uow.audits.visits(frozenset({VisitState.VALIDATED}), (), frozenset({location_id}))
        bodies = _bodies(uow, visits)
    return location_report(score_all(visits, bodies), bodies, location_id, wave, language)
