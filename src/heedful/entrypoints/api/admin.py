"""Merges and their undo, privacy rights, locations, API tokens and "who am I"."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response

from heedful.core.access.model import Permission
from heedful.core.customers.merging import merge_customers, merge_record, undo_merge
from heedful.core.privacy import erase_customer, export_customer
from heedful.core.sla.calendar_days import set_opening_hours
from heedful.core.staff.handlers import (
    NewLocation,
    NewToken,
    create_location,
    create_token,
    revoke_token,
)
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.present import merge_out
from heedful.entrypoints.api.schemas import (
    NO_NUL,
    ErasureIn,
    ErasureOut,
    LocationIn,
    LocationOut,
    MeOut,
    MergeIn,
    MergeOut,
    NewTokenOut,
    OpeningHoursIn,
    TokenIn,
    TokenOut,
)

router = APIRouter()
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


@router.post(
    "/merges",
    status_code=201,
    response_model=MergeOut,
    tags=["merges"],
    summary="Merge two records of one person; recorded field by field",
)
def merge(request: Request, ctx: Ctx, body: MergeIn) -> Response:
    def action(uow: UnitOfWork) -> MergeOut:
        return merge_out(
            merge_customers(
                body.survivor_id, body.absorbed_id, body.reason, uow, ctx.container.clock, ctx.actor
            )
        )

    return write(request, ctx, body, 201, action)


@router.get(
    "/merges/{merge_id}",
    response_model=MergeOut,
    tags=["merges"],
    summary="A merge and its changes",
)
def get_merge(ctx: Ctx, merge_id: AnId) -> MergeOut:
    return merge_out(merge_record(merge_id, ctx.container.uow(read_only=True), ctx.actor))


@router.post(
    "/merges/{merge_id}/undo",
    response_model=MergeOut,
    tags=["merges"],
    summary="Undo a merge: both records back as they were (admins)",
)
def undo(request: Request, ctx: Ctx, merge_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> MergeOut:
        return merge_out(undo_merge(merge_id, uow, ctx.container.clock, ctx.actor))

    return write(request, ctx, None, 200, action)


@router.get(
    "/customers/{customer_id}/export",
    tags=["privacy"],
    response_model=dict[str, Any],
    summary="Everything held on one customer (admins)",
)
def export(ctx: Ctx, customer_id: AnId) -> dict[str, Any]:
    # Writes on purpose: the export is recorded in her audit log (who took her data, when), in
    # the transaction that read it. The one GET that is not read-only (ADR 74).
    return export_customer(customer_id, ctx.container.uow(), ctx.container.clock, ctx.actor)


@router.post(
    "/customers/{customer_id}/erasure",
    response_model=ErasureOut,
    tags=["privacy"],
    summary="Erase a customer's personal data, keeping aggregates (admins)",
)
def erase(request: Request, ctx: Ctx, customer_id: AnId, body: ErasureIn) -> Response:
    def action(uow: UnitOfWork) -> ErasureOut:
        erasure = erase_customer(customer_id, body.reason, uow, ctx.container.clock, ctx.actor)
        return ErasureOut.model_validate(erasure)

    return write(request, ctx, body, 200, action)


@router.get(
    "/locations", response_model=list[LocationOut], tags=["locations"], summary="Every location"
)
def list_locations(ctx: Ctx) -> list[LocationOut]:
    with ctx.container.uow(read_only=True) as uow:
        return [LocationOut.model_validate(loc) for loc in uow.locations.list()]


@router.post(
    "/locations",
    status_code=201,
    response_model=LocationOut,
    tags=["locations"],
    summary="Add a location (admins)",
)
def add_location(request: Request, ctx: Ctx, body: LocationIn) -> Response:
    def action(uow: UnitOfWork) -> LocationOut:
        return LocationOut.model_validate(
            create_location(
                NewLocation(
                    name=body.name,
                    kind=body.kind,
                    city=body.city,
                    country=body.country,
                    time_zone=body.time_zone,
                    code=body.code,
                ),
                uow,
                ctx.container.clock,
                ctx.actor,
            )
        )

    return write(request, ctx, body, 201, action)


@router.put(
    "/locations/{location_id}/hours",
    response_model=LocationOut,
    tags=["locations"],
    summary="Set the opening hours business time is counted in (admins)",
)
def put_opening_hours(
    request: Request, ctx: Ctx, location_id: str, body: OpeningHoursIn
) -> Response:
    def action(uow: UnitOfWork) -> LocationOut:
        return LocationOut.model_validate(
            set_opening_hours(
                location_id,
                body.opening_hours,
                body.subdivision,
                uow,
                ctx.container.clock,
                ctx.actor,
            )
        )

    return write(request, ctx, body, 200, action)


def _token_out(token: Any) -> dict[str, Any]:
    return {
        **TokenOut.model_validate(token).model_dump(),
        "location_ids": sorted(token.location_ids) if token.location_ids is not None else None,
    }


@router.get(
    "/tokens",
    response_model=list[TokenOut],
    tags=["tokens"],
    summary="API tokens with their last use and expiry (admins)",
)
def list_tokens(ctx: Ctx) -> list[dict[str, Any]]:
    ctx.actor.require(Permission.MANAGE_TOKENS)
    with ctx.container.uow(read_only=True) as uow:
        return [_token_out(t) for t in uow.tokens.list()]


@router.post(
    "/tokens",
    status_code=201,
    response_model=NewTokenOut,
    tags=["tokens"],
    summary="Create an API token; its secret is in this answer only (admins)",
    description=(
        "The secret is in this answer and nowhere else: only its SHA-256 is stored. A repeat "
        "with the same Idempotency-Key answers the token again with `secret: null` and the "
        "header `Heedful-Withheld: secret`; a lost secret is replaced by making a new token."
    ),
)
def add_token(request: Request, ctx: Ctx, body: TokenIn) -> Response:
    def action(uow: UnitOfWork) -> dict[str, Any]:
        token, secret = create_token(
            NewToken(
                name=body.name,
                role=body.role,
                location_ids=frozenset(body.location_ids)
                if body.location_ids is not None
                else None,
                expires_at=body.expires_at,
            ),
            uow,
            ctx.container.clock,
            ctx.actor,
        )
        return {**_token_out(token), "secret": secret}

    return write(request, ctx, body, 201, action)


@router.delete(
    "/tokens/{token_id}", response_model=TokenOut, tags=["tokens"], summary="Revoke a token"
)
def revoke(request: Request, ctx: Ctx, token_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> dict[str, Any]:
        return _token_out(revoke_token(token_id, uow, ctx.container.clock, ctx.actor))

    response = write(request, ctx, None, 200, action)
    request.app.state.token_cache.forget(token_id)
    return response


@router.get("/me", response_model=MeOut, tags=["tokens"], summary="Who this token acts as")
def me(ctx: Ctx) -> MeOut:
    ids = ctx.actor.location_ids
    return MeOut(
        id=ctx.actor.id,
        label=ctx.actor.label,
        role=ctx.actor.role,
        location_ids=sorted(ids) if ids is not None else None,
    )
