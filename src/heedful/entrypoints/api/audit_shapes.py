"""Core audit objects shaped into the API's answers."""

from __future__ import annotations

from collections.abc import Mapping

from heedful.core import audits
from heedful.entrypoints.api.audit_schemas import (
    AnswerOut,
    AssignmentOut,
    EvaluatorOut,
    FlagOut,
    LocationResultOut,
    ProgrammeOut,
    QuestionnaireOut,
    RecommendationOut,
    ResultsOut,
    RuleOut,
    VisitOut,
    VisitScoreOut,
)


def questionnaire_out(q: audits.Questionnaire) -> QuestionnaireOut:
    return QuestionnaireOut(
        id=q.id,
        version=q.version,
        titles=dict(q.body.titles),
        questionnaire=dict(q.source),
        created_at=q.created_at,
        created_by=q.created_by,
    )


def programme_out(p: audits.Programme) -> ProgrammeOut:
    return ProgrammeOut(
        id=p.id,
        name=p.name,
        questionnaire_id=p.questionnaire_id,
        rules=[
            RuleOut(
                location_ids=sorted(r.location_ids),
                segments=sorted(r.segments),
                languages=sorted(r.languages),
                age_bands=sorted(r.age_bands),
                genders=sorted(r.genders),
                same_city=r.same_city,
            )
            for r in p.rules
        ],
        lockout_days=p.lockout_days,
        check_in_radius_m=p.check_in_radius_m,
        created_at=p.created_at,
    )


def evaluator_out(p: audits.EvaluatorProfile) -> EvaluatorOut:
    return EvaluatorOut(
        id=p.id,
        staff_id=p.staff_id,
        display_name=p.display_name,
        segments=sorted(p.segments),
        languages=sorted(p.languages),
        cities=sorted(p.cities),
        age_band=p.age_band,
        gender=p.gender,
        reliability=round(p.reliability, 3),
        validated=p.validated,
        returned=p.returned,
        active=p.active,
    )


def assignment_out(a: audits.Assignment, visit: audits.Visit | None = None) -> AssignmentOut:
    return AssignmentOut(
        id=a.id,
        programme_id=a.programme_id,
        evaluator_id=a.evaluator_id,
        location_id=a.location_id,
        questionnaire_id=a.questionnaire_id,
        questionnaire_version=a.questionnaire_version,
        wave=a.wave,
        window_start=a.window_start,
        window_end=a.window_end,
        scenario=a.scenario,
        promise_id=a.promise_id,
        visit_state=visit.state.value if visit else None,
    )


def visit_out(view: audits.VisitView, reviewer: bool) -> VisitOut:
    """The flags are the reviewer's: an evaluator is not told what the machine suspects."""
    v = view.visit
    return VisitOut(
        assignment=assignment_out(view.assignment, v),
        state=v.state.value,
        answers={
            key: AnswerOut(
                value=a.value,
                not_applicable=a.not_applicable,
                comment=a.comment,
                evidence=dict(a.evidence),
            )
            for key, a in v.answers.items()
        },
        attachments=[{"id": a.id, "sha256": a.sha256, "kind": a.kind} for a in v.attachments],
        checked_in_at=v.check_in.at if v.check_in else None,
        check_in_latitude=v.check_in.latitude if v.check_in else None,
        check_in_longitude=v.check_in.longitude if v.check_in else None,
        submitted_at=v.submitted_at,
        reviewed_at=v.reviewed_at,
        reviewed_by=v.reviewed_by,
        review_comment=v.review_comment,
        flags=[FlagOut(code=f.code, detail=dict(f.detail)) for f in v.flags] if reviewer else [],
        score=v.score,
        questionnaire=questionnaire_out(view.questionnaire),
    )


def results_out(report: audits.WaveReport, names: Mapping[str, str]) -> ResultsOut:
    return ResultsOut(
        locations=[
            LocationResultOut(
                location_id=r.location_id,
                location=names.get(r.location_id, r.location_id),
                rank=r.rank,
                visits=r.visits,
                score=r.score,
                sections=dict(r.sections),
                items=dict(r.items),
                recommendations=[
                    RecommendationOut(
                        item_key=x.item_key,
                        title=x.title,
                        score=x.score,
                        guidance=x.guidance,
                        comments=list(x.comments),
                    )
                    for x in r.recommendations
                ],
            )
            for r in report.locations
        ],
        sections=dict(report.sections),
        items=dict(report.items),
        trend={k: dict(v) for k, v in report.trend.items()},
        titles=dict(report.titles),
        visits=[
            VisitScoreOut(
                assignment_id=s.visit.assignment_id,
                location_id=s.visit.location_id,
                wave=s.visit.wave,
                score=s.score.total,
                knocked_out=list(s.score.knocked_out),
            )
            for s in report.visits
        ],
    )
