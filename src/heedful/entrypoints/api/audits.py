"""/api/v1/audits: questionnaires, programmes, the evaluator panel, assignments, visits, results.

Managers (and admins) set audits up and review visits; an evaluator reads only her own
assignments and writes only her own answers. No answer here names a customer (ADR 0039).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from heedful.adapters.reports.audit_pdf import location_pdf, pdf_headers
from heedful.core import audits
from heedful.core.access import Permission
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.audit_schemas import (
    AssignmentIn,
    AssignmentOut,
    EvaluatorIn,
    EvaluatorOut,
    LinkPromiseIn,
    PanelChangeOut,
    PositionIn,
    PositionOut,
    ProgrammeIn,
    ProgrammeOut,
    ProposalOut,
    QuestionnaireOut,
    ReassignIn,
    ResultsOut,
    ReviewIn,
    VisitDraftIn,
    VisitOut,
)
from heedful.entrypoints.api.audit_shapes import (
    assignment_out,
    evaluator_out,
    programme_out,
    questionnaire_out,
    results_out,
    visit_out,
)
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.schemas import NO_NUL

router = APIRouter(prefix="/audits", tags=["audits"])
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
Source = Annotated[dict[str, Any], Body(description="The questionnaire as JSON (docs/audits.md)")]
CSV = "text/csv"
PDF = "application/pdf"


@router.get("/questionnaires", response_model=list[QuestionnaireOut], summary="Newest versions")
def questionnaires(ctx: Ctx) -> list[QuestionnaireOut]:
    found = audits.list_questionnaires(ctx.container.uow(read_only=True), ctx.actor)
    return [questionnaire_out(q) for q in found]


@router.post(
    "/questionnaires",
    status_code=201,
    response_model=QuestionnaireOut,
    summary="Write a questionnaire: sections, items, weights, knock-outs (version 1)",
)
def create_questionnaire(request: Request, ctx: Ctx, body: Source) -> Response:
    def action(uow: UnitOfWork) -> QuestionnaireOut:
        made = audits.save_questionnaire(uow, ctx.container.clock, ctx.actor, body)
        return questionnaire_out(made)

    return write(request, ctx, body, 201, action)


@router.get(
    "/questionnaires/{questionnaire_id}",
    response_model=QuestionnaireOut,
    summary="A questionnaire: its newest version, or the one asked for",
)
def questionnaire(
    ctx: Ctx,
    questionnaire_id: AnId,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> QuestionnaireOut:
    found = audits.find_questionnaire(
        ctx.container.uow(read_only=True), ctx.actor, questionnaire_id, version
    )
    return questionnaire_out(found)


@router.post(
    "/questionnaires/{questionnaire_id}/versions",
    status_code=201,
    response_model=QuestionnaireOut,
    summary="Change a questionnaire: a new version; visits keep the one they were assigned",
)
def new_version(request: Request, ctx: Ctx, questionnaire_id: AnId, body: Source) -> Response:
    def action(uow: UnitOfWork) -> QuestionnaireOut:
        clock = ctx.container.clock
        made = audits.save_questionnaire(uow, clock, ctx.actor, body, questionnaire_id)
        return questionnaire_out(made)

    return write(request, ctx, body, 201, action)


@router.post(
    "/programmes",
    status_code=201,
    response_model=ProgrammeOut,
    summary="A programme: which evaluators may audit which locations, and the lockout",
)
def create_programme(request: Request, ctx: Ctx, body: ProgrammeIn) -> Response:
    def action(uow: UnitOfWork) -> ProgrammeOut:
        rules = tuple(
            audits.AuditRule(
                location_ids=frozenset(r.location_ids),
                segments=frozenset(s.strip().lower() for s in r.segments),
                languages=frozenset(s.strip().lower() for s in r.languages),
                age_bands=frozenset(r.age_bands),
                genders=frozenset(r.genders),
                same_city=r.same_city,
            )
            for r in body.rules
        )
        new = audits.NewProgramme(
            body.name, body.questionnaire_id, rules, body.lockout_days, body.check_in_radius_m
        )
        return programme_out(audits.create_programme(uow, ctx.container.clock, ctx.actor, new))

    return write(request, ctx, body, 201, action)


@router.get("/programmes/{programme_id}", response_model=ProgrammeOut, summary="One programme")
def programme(ctx: Ctx, programme_id: AnId) -> ProgrammeOut:
    return programme_out(
        audits.find_programme(ctx.container.uow(read_only=True), ctx.actor, programme_id)
    )


@router.get(
    "/programmes/{programme_id}/proposals",
    response_model=list[ProposalOut],
    summary="Evaluators for a location: who fits first, and why the others do not",
)
def proposals(
    ctx: Ctx,
    programme_id: AnId,
    location_id: Annotated[str, Query(min_length=1, max_length=40, pattern=NO_NUL)],
) -> list[ProposalOut]:
    found = audits.propose_evaluators(
        ctx.container.uow(read_only=True), ctx.container.clock, ctx.actor, programme_id, location_id
    )
    return [
        ProposalOut(
            evaluator=evaluator_out(p.profile), fits=p.fits, unfit=[u.value for u in p.unfit]
        )
        for p in found
    ]


@router.get("/evaluators", response_model=list[EvaluatorOut], summary="The evaluator panel")
def evaluators(ctx: Ctx) -> list[EvaluatorOut]:
    return [
        evaluator_out(p)
        for p in audits.list_evaluators(ctx.container.uow(read_only=True), ctx.actor)
    ]


@router.post(
    "/evaluators",
    status_code=201,
    response_model=EvaluatorOut,
    summary="Put an evaluator on the panel: the segments she belongs to, languages, cities",
)
def enrol(request: Request, ctx: Ctx, body: EvaluatorIn) -> Response:
    def action(uow: UnitOfWork) -> EvaluatorOut:
        new = audits.NewEvaluator(
            staff_id=body.staff_id,
            display_name=body.display_name,
            segments=frozenset(body.segments),
            languages=frozenset(body.languages),
            cities=frozenset(body.cities),
            age_band=body.age_band,
            gender=body.gender,
            contacts=frozenset(body.contacts),
            works_at=frozenset(body.works_at),
        )
        return evaluator_out(audits.enrol_evaluator(uow, ctx.container.clock, ctx.actor, new))

    return write(request, ctx, body, 201, action)


def _panel_change(change: audits.PanelChange) -> PanelChangeOut:
    return PanelChangeOut(
        evaluator=evaluator_out(change.profile),
        open_assignments=[assignment_out(a) for a in change.open_assignments],
    )


@router.post(
    "/evaluators/{evaluator_id}/deactivate",
    response_model=PanelChangeOut,
    summary="Take an evaluator off the panel: never proposed; her open assignments to hand on",
)
def deactivate(request: Request, ctx: Ctx, evaluator_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> PanelChangeOut:
        change = audits.set_evaluator_active(uow, ctx.actor, evaluator_id, active=False)
        return _panel_change(change)

    return write(request, ctx, None, 200, action)


@router.post(
    "/evaluators/{evaluator_id}/activate",
    response_model=PanelChangeOut,
    summary="Put a deactivated evaluator back on the panel",
)
def activate(request: Request, ctx: Ctx, evaluator_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> PanelChangeOut:
        change = audits.set_evaluator_active(uow, ctx.actor, evaluator_id, active=True)
        return _panel_change(change)

    return write(request, ctx, None, 200, action)


@router.post(
    "/assignments/{assignment_id}/reassign",
    response_model=AssignmentOut,
    summary="Hand an open assignment to another evaluator who fits; she starts a blank visit",
)
def reassign(request: Request, ctx: Ctx, assignment_id: AnId, body: ReassignIn) -> Response:
    def action(uow: UnitOfWork) -> AssignmentOut:
        clock = ctx.container.clock
        moved = audits.reassign_visit(uow, clock, ctx.actor, assignment_id, body.evaluator_id)
        return assignment_out(moved)

    return write(request, ctx, body, 200, action)


@router.post(
    "/assignments",
    status_code=201,
    response_model=AssignmentOut,
    summary="Assign a visit to an evaluator who fits, with a window and a scenario",
)
def assign(request: Request, ctx: Ctx, body: AssignmentIn) -> Response:
    def action(uow: UnitOfWork) -> AssignmentOut:
        new = audits.NewAssignment(
            programme_id=body.programme_id,
            evaluator_id=body.evaluator_id,
            location_id=body.location_id,
            wave=body.wave,
            window_start=body.window_start,
            window_end=body.window_end,
            scenario=body.scenario,
        )
        return assignment_out(audits.assign_visit(uow, ctx.container.clock, ctx.actor, new))

    return write(request, ctx, body, 201, action)


@router.post(
    "/assignments/{assignment_id}/promise",
    response_model=AssignmentOut,
    summary="Bind the promise the scenario drew (as the ledger keeps it) to the assignment",
)
def bind_promise(request: Request, ctx: Ctx, assignment_id: AnId, body: LinkPromiseIn) -> Response:
    def action(uow: UnitOfWork) -> AssignmentOut:
        linked = audits.link_promise(uow, ctx.actor, assignment_id, body.promise_id)
        return assignment_out(linked)

    return write(request, ctx, body, 200, action)


@router.get(
    "/my-assignments",
    response_model=list[AssignmentOut],
    summary="The evaluator's own assignments, and nothing else",
)
def mine(ctx: Ctx) -> list[AssignmentOut]:
    found = audits.my_assignments(ctx.container.uow(read_only=True), ctx.actor)
    return [assignment_out(a, v) for a, v in found]


@router.get("/visits/{assignment_id}", response_model=VisitOut, summary="A visit and its form")
def visit(ctx: Ctx, assignment_id: AnId) -> VisitOut:
    view = audits.show_visit(ctx.container.uow(read_only=True), ctx.actor, assignment_id)
    return visit_out(view, ctx.actor.may(Permission.MANAGE_AUDITS))


@router.put(
    "/visits/{assignment_id}",
    response_model=VisitOut,
    summary="Save the evaluator's draft: answers, attachments, check-in",
)
def save(request: Request, ctx: Ctx, assignment_id: AnId, body: VisitDraftIn) -> Response:
    def action(uow: UnitOfWork) -> VisitOut:
        clock = ctx.container.clock
        check_in = None
        if body.check_in is not None:
            at = body.check_in.at or clock.now()
            check_in = audits.CheckIn(at, body.check_in.latitude, body.check_in.longitude)
        attachments = [audits.Attachment(a.id, a.sha256, a.kind) for a in body.attachments]
        view = audits.save_draft(
            uow, clock, ctx.actor, assignment_id, body.answers, attachments, check_in
        )
        return visit_out(view, reviewer=False)

    return write(request, ctx, body, 200, action)


@router.post(
    "/visits/{assignment_id}/submit",
    response_model=VisitOut,
    summary="Submit the visit: the ledger is read, the score computed, checks flagged",
)
def submit(request: Request, ctx: Ctx, assignment_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> VisitOut:
        view = audits.submit_visit(uow, ctx.container.clock, ctx.actor, assignment_id)
        return visit_out(view, reviewer=False)

    return write(request, ctx, None, 200, action)


def _review(
    request: Request, ctx: Ctx, assignment_id: str, body: ReviewIn, validated: bool
) -> Response:
    def action(uow: UnitOfWork) -> VisitOut:
        view = audits.review_visit(
            uow,
            ctx.container.clock,
            ctx.actor,
            assignment_id,
            validated=validated,
            comment=body.comment,
        )
        return visit_out(view, reviewer=True)

    return write(request, ctx, body, 200, action)


@router.post(
    "/visits/{assignment_id}/validate",
    response_model=VisitOut,
    summary="Validate a submitted visit (the answers stay the evaluator's)",
)
def validate(request: Request, ctx: Ctx, assignment_id: AnId, body: ReviewIn) -> Response:
    return _review(request, ctx, assignment_id, body, True)


@router.post(
    "/visits/{assignment_id}/return",
    response_model=VisitOut,
    summary="Return a submitted visit to its evaluator with a comment",
)
def send_back(request: Request, ctx: Ctx, assignment_id: AnId, body: ReviewIn) -> Response:
    return _review(request, ctx, assignment_id, body, False)


@router.put(
    "/locations/{location_id}/position",
    response_model=PositionOut,
    summary="Where a location's door is: check-ins farther than the programme allows are flagged",
)
def place(request: Request, ctx: Ctx, location_id: AnId, body: PositionIn) -> Response:
    def action(uow: UnitOfWork) -> PositionOut:
        audits.place_location(uow, ctx.actor, location_id, body.latitude, body.longitude)
        return PositionOut(
            location_id=location_id, latitude=body.latitude, longitude=body.longitude
        )

    return write(request, ctx, body, 200, action)


@router.get(
    "/results",
    response_model=ResultsOut,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
    summary="Validated visits scored: league table, sections, items, trend, advice",
)
def results(
    request: Request,
    ctx: Ctx,
    wave: Annotated[list[str] | None, Query(max_length=24)] = None,
    questionnaire_id: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    language: Literal["ru", "uk", "en"] | None = None,
    format: Annotated[
        Literal["json", "csv"] | None, Query(description="Or send Accept: text/csv")
    ] = None,
) -> Response | ResultsOut:
    uow = ctx.container.uow(read_only=True)
    report = audits.wave_results(
        uow, ctx.actor, waves=wave or [], questionnaire_id=questionnaire_id, language=language
    )
    with uow:
        names = {location.id: location.name for location in uow.locations.list()}
    if format == "csv" or (format is None and CSV in request.headers.get("accept", "")):
        return Response(audits.results_csv(report, names), media_type=f"{CSV}; charset=utf-8")
    return results_out(report, names)


@router.get(
    "/waves/{wave}/report.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}},
    summary="One location's report of a wave as a PDF: score, sections, advice, trend",
)
def report_pdf(
    ctx: Ctx,
    wave: Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)],
    location_id: Annotated[str, Query(min_length=1, max_length=40, pattern=NO_NUL)],
    language: Literal["ru", "uk", "en"] | None = None,
) -> Response:
    uow = ctx.container.uow(read_only=True)
    report = audits.location_results(
        uow, ctx.actor, location_id=location_id, wave=wave, language=language
    )
    with uow:
        location = uow.locations.get(location_id)
    name = location.name if location else location_id
    document = location_pdf(report, name, ctx.container.clock.now())
    return Response(document, media_type=PDF, headers=pdf_headers(wave, location_id))
