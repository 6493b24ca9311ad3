"""/api/v1/playbooks: write, version, switch on and off, and dry-run the engine's rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.dry_run_report import DryRun
from heedful.core.playbooks.model import Firing, Playbook, PlaybookVersion, Said
from heedful.core.shared.phrases import Phrase, said
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.playbook_schemas import (
    DryRunIn,
    DryRunOut,
    FiringOut,
    PlaybookOut,
    VersionBodyOut,
    VersionOut,
    WouldFireOut,
)
from heedful.entrypoints.api.promise_present import Gettext, phrase_out
from heedful.entrypoints.api.promise_schemas import PhraseOut
from heedful.entrypoints.api.schemas import NO_NUL

router = APIRouter(prefix="/playbooks", tags=["playbooks"])
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
Source = Annotated[dict[str, Any], Body(description="The playbook as JSON (see ADR 0016)")]


def _out(playbook: Playbook, versions: list[PlaybookVersion] | None = None) -> PlaybookOut:
    return PlaybookOut(
        id=playbook.id,
        name=playbook.name,
        event=playbook.event_type,
        enabled=playbook.enabled,
        version=playbook.version,
        playbook=dict(playbook.body.source),
        versions=[VersionOut.model_validate(v) for v in versions or []],
        created_at=playbook.created_at,
        updated_at=playbook.updated_at,
    )


def _lines(lines: Iterable[Said], gettext: Gettext) -> list[PhraseOut | None]:
    return [phrase_out(line, gettext) if isinstance(line, Phrase) else None for line in lines]


def _firing_out(firing: Firing, gettext: Gettext) -> FiringOut:
    return FiringOut(
        id=firing.id,
        version=firing.version,
        customer_id=firing.customer_id,
        event=firing.event_ref,
        event_type=firing.event_type,
        fired_at=firing.fired_at,
        reasons=[said(line) for line in firing.reasons],
        done=[said(line) for line in firing.done],
        reasons_phrases=_lines(firing.reasons, gettext),
        done_phrases=_lines(firing.done, gettext),
    )


def _dry_run_out(report: DryRun, gettext: Gettext) -> DryRunOut:
    fields = asdict(report)
    fields["would_fire"] = [
        WouldFireOut(
            customer_id=hit.customer_id,
            customer_name=hit.customer_name,
            event=hit.event_ref,
            happened_at=hit.happened_at,
            reasons=[said(line) for line in hit.reasons],
            actions=[said(line) for line in hit.actions],
            reasons_phrases=_lines(hit.reasons, gettext),
            actions_phrases=_lines(hit.actions, gettext),
            location_id=hit.location_id,
        )
        for hit in report.would_fire
    ]
    return DryRunOut(**fields)


@router.get("", response_model=list[PlaybookOut], summary="Every playbook, by name")
def list_all(ctx: Ctx) -> list[PlaybookOut]:
    return [_out(p) for p in playbooks.list_playbooks(ctx.container.uow(read_only=True), ctx.actor)]


@router.post(
    "", status_code=201, response_model=PlaybookOut, summary="Write a playbook (it starts off)"
)
def create(request: Request, ctx: Ctx, body: Source) -> Response:
    def action(uow: UnitOfWork) -> PlaybookOut:
        made = playbooks.create_playbook(body, uow, ctx.container.clock, ctx.actor)
        return _out(*playbooks.get_playbook(made.id, uow, ctx.actor))

    return write(request, ctx, body, 201, action)


@router.post(
    "/dry-run", response_model=DryRunOut, summary="What a draft would have done on past events"
)
def dry_run_draft(ctx: Ctx, body: DryRunIn) -> DryRunOut:
    draft = body.playbook if body.playbook is not None else {}
    report = playbooks.dry_run(draft, body.since, body.until, ctx.container.uow(), ctx.actor)
    return _dry_run_out(report, ctx.gettext)


@router.get("/{playbook_id}", response_model=PlaybookOut, summary="The current version and all")
def get(ctx: Ctx, playbook_id: AnId) -> PlaybookOut:
    playbook, versions = playbooks.get_playbook(
        playbook_id, ctx.container.uow(read_only=True), ctx.actor
    )
    return _out(playbook, versions)


@router.put("/{playbook_id}", response_model=PlaybookOut, summary="Change it: a new version")
def change(request: Request, ctx: Ctx, playbook_id: AnId, body: Source) -> Response:
    def action(uow: UnitOfWork) -> PlaybookOut:
        playbooks.update_playbook(playbook_id, body, uow, ctx.container.clock, ctx.actor)
        return _out(*playbooks.get_playbook(playbook_id, uow, ctx.actor))

    return write(request, ctx, body, 200, action)


def _switch(request: Request, ctx: Ctx, playbook_id: str, enabled: bool) -> Response:
    def action(uow: UnitOfWork) -> PlaybookOut:
        clock = ctx.container.clock
        playbooks.set_enabled(playbook_id, enabled, uow, clock, ctx.actor)
        return _out(*playbooks.get_playbook(playbook_id, uow, ctx.actor))

    return write(request, ctx, None, 200, action)


@router.post("/{playbook_id}/enable", response_model=PlaybookOut, summary="Run it on events")
def enable(request: Request, ctx: Ctx, playbook_id: AnId) -> Response:
    return _switch(request, ctx, playbook_id, True)


@router.post("/{playbook_id}/disable", response_model=PlaybookOut, summary="Stop running it")
def disable(request: Request, ctx: Ctx, playbook_id: AnId) -> Response:
    return _switch(request, ctx, playbook_id, False)


@router.get(
    "/{playbook_id}/versions/{number}",
    response_model=VersionBodyOut,
    summary="One version as it was written",
)
def version(
    ctx: Ctx, playbook_id: AnId, number: Annotated[int, Path(ge=1, le=1_000_000)]
) -> VersionBodyOut:
    found = playbooks.get_version(playbook_id, number, ctx.container.uow(read_only=True), ctx.actor)
    return VersionBodyOut(
        playbook_id=found.playbook_id,
        version=found.version,
        created_at=found.created_at,
        created_by_label=found.created_by_label,
        playbook=dict(found.source),
    )


@router.post(
    "/{playbook_id}/dry-run",
    response_model=DryRunOut,
    summary="Who it would have messaged or tasked on past events, and why; writes nothing",
)
def dry_run(ctx: Ctx, playbook_id: AnId, body: DryRunIn) -> DryRunOut:
    report = playbooks.dry_run(playbook_id, body.since, body.until, ctx.container.uow(), ctx.actor)
    return _dry_run_out(report, ctx.gettext)


@router.get(
    "/{playbook_id}/firings", response_model=list[FiringOut], summary="When it acted, newest first"
)
def firings(
    ctx: Ctx, playbook_id: AnId, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[FiringOut]:
    found = playbooks.list_firings(playbook_id, ctx.container.uow(read_only=True), ctx.actor, limit)
    return [_firing_out(f, ctx.gettext) for f in found]
