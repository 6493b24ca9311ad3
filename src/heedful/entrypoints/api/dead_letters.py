"""/api/v1/dead-letters: what the worker set aside, for admins to retry or discard."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import Field

from heedful.core.dead_letters.handlers import (
    LetterAction,
    discard_dead_letter,
    list_dead_letters,
    retry_dead_letter,
)
from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.schemas import NO_NUL, Out

router = APIRouter(tags=["dead letters"])
Ctx = Annotated[Context, Depends(get_context)]
Ref = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        pattern=NO_NUL,
        description="The record: an event's sequence, a message's or timer's id, a job's name",
    ),
]


class DeadLetterOut(Out):
    kind: LetterKind = Field(description="event, message, timer or job")
    ref: str = Field(description="The record: event sequence, message or timer id, job name")
    what: str = Field(description="The record in a few words: an event's type and source/id")
    state: LetterState = Field(description="retrying, dead (set aside) or discarded")
    error: str = Field(description="The last failure's error class and message, truncated")
    attempts: int = Field(description="Failed tries so far")
    first_failed_at: datetime
    last_failed_at: datetime
    next_try_at: datetime | None = Field(description="When a retrying record is tried again")
    closed_at: datetime | None = Field(description="When it was discarded")
    closed_by: str = Field(description="Who discarded it")


def _out(letter: DeadLetter) -> DeadLetterOut:
    return DeadLetterOut.model_validate(letter)


@router.get(
    "/dead-letters",
    response_model=list[DeadLetterOut],
    summary="Records the worker set aside (or is still retrying), newest failure first; admins",
)
def dead_letters(
    ctx: Ctx,
    kind: Annotated[LetterKind | None, Query(description="Only this kind")] = None,
    state: Annotated[LetterState, Query(description="dead by default")] = LetterState.DEAD,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeadLetterOut]:
    found = list_dead_letters(
        ctx.container.uow(read_only=True), ctx.actor, kind, frozenset({state}), limit
    )
    return [_out(letter) for letter in found]


@router.post(
    "/dead-letters/{kind}/{ref}/retry",
    response_model=DeadLetterOut,
    summary="Put a dead letter back in its queue, due now, its tries counted from zero",
)
def retry(request: Request, ctx: Ctx, kind: LetterKind, ref: Ref) -> Response:
    return _act(request, ctx, retry_dead_letter, kind, ref)


@router.post(
    "/dead-letters/{kind}/{ref}/discard",
    response_model=DeadLetterOut,
    summary="Close a dead letter for good; the record stays set aside and the letter is kept",
)
def discard(request: Request, ctx: Ctx, kind: LetterKind, ref: Ref) -> Response:
    return _act(request, ctx, discard_dead_letter, kind, ref)


def _act(
    request: Request, ctx: Context, use_case: LetterAction, kind: LetterKind, ref: str
) -> Response:
    def action(uow: UnitOfWork) -> DeadLetterOut:
        return _out(use_case(kind, ref, uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, None, 200, action)
