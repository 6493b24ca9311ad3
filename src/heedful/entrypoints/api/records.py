"""/api/v1/customers/{id}/...: preferences, consent, purchases, visits and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from heedful.core.access import load_customer
from heedful.core.access.model import Permission
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.handlers import record_consent
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind, Item
from heedful.core.preferences.handlers import (
    RecordPreference,
    record_preference,
    retract_preference,
)
from heedful.core.shared.errors import Forbidden
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.schemas import (
    NO_NUL,
    AuditOut,
    ConsentIn,
    ConsentOut,
    HistoryIn,
    HistoryOut,
    PreferenceIn,
    PreferenceOut,
)

router = APIRouter(prefix="/customers/{customer_id}", tags=["customer records"])
Ctx = Annotated[Context, Depends(get_context)]
CustomerId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


@router.get("/preferences", response_model=list[PreferenceOut], summary="Preferences, newest first")
def list_preferences(
    ctx: Ctx, customer_id: CustomerId, include_retracted: bool = False
) -> list[PreferenceOut]:
    with ctx.container.uow(read_only=True) as uow:
        customer = load_customer(uow, ctx.actor, customer_id)
        found = uow.preferences.list_for(customer.id, include_retracted=include_retracted)
    return [PreferenceOut.model_validate(p) for p in found]


@router.post(
    "/preferences", status_code=201, response_model=PreferenceOut, summary="Record a preference"
)
def add_preference(
    request: Request, ctx: Ctx, customer_id: CustomerId, body: PreferenceIn
) -> Response:
    def action(uow: UnitOfWork) -> PreferenceOut:
        recorded = record_preference(
            RecordPreference(
                customer_id=customer_id,
                polarity=body.polarity,
                subject=body.subject,
                category=body.category,
                note=body.note,
                source=body.source,
                confidence=body.confidence,
                location_id=body.location_id,
                attributes=body.attributes,
            ),
            uow,
            ctx.container.clock,
            ctx.actor,
        )
        return PreferenceOut.model_validate(recorded)

    return write(request, ctx, body, 201, action)


@router.delete(
    "/preferences/{preference_id}",
    response_model=PreferenceOut,
    summary="Retract a preference that no longer holds (kept in history)",
)
def retract(
    request: Request,
    ctx: Ctx,
    customer_id: CustomerId,
    preference_id: Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)],
) -> Response:
    def action(uow: UnitOfWork) -> PreferenceOut:
        return PreferenceOut.model_validate(
            retract_preference(customer_id, preference_id, uow, ctx.container.clock, ctx.actor)
        )

    return write(request, ctx, None, 200, action)


@router.get(
    "/consents", response_model=list[ConsentOut], summary="Every consent decision, oldest first"
)
def list_consents(ctx: Ctx, customer_id: CustomerId) -> list[ConsentOut]:
    with ctx.container.uow(read_only=True) as uow:
        customer = load_customer(uow, ctx.actor, customer_id)
        return [ConsentOut.model_validate(c) for c in uow.consents.list_for(customer.id)]


@router.post(
    "/consents",
    status_code=201,
    response_model=ConsentOut,
    summary="Record consent given or withdrawn for a channel and purpose",
)
def add_consent(request: Request, ctx: Ctx, customer_id: CustomerId, body: ConsentIn) -> Response:
    def action(uow: UnitOfWork) -> ConsentOut:
        decision = record_consent(
            RecordConsent(
                customer_id=customer_id,
                channel=body.channel,
                purpose=body.purpose,
                granted=body.granted,
                how=body.how,
            ),
            uow,
            ctx.container.clock,
            ctx.actor,
        )
        return ConsentOut.model_validate(decision)

    return write(request, ctx, body, 201, action)


def _record(
    request: Request, ctx: Context, customer_id: str, body: HistoryIn, kind: HistoryKind
) -> Response:
    def action(uow: UnitOfWork) -> tuple[int, HistoryOut]:
        entry, created = record_history(
            RecordHistory(
                customer_id=customer_id,
                kind=kind,
                occurred_at=body.occurred_at,
                location_id=body.location_id,
                items=tuple(
                    Item(
                        attributes=dict(i.attributes),
                        quantity=i.quantity,
                        amount_minor=i.amount_minor,
                    )
                    for i in body.items
                ),
                amount_minor=body.amount_minor,
                currency=body.currency,
                external_ref=body.external_ref,
                note=body.note,
            ),
            uow,
            ctx.container.clock,
            ctx.actor,
        )
        return (201 if created else 200), HistoryOut.model_validate(entry)

    return write(request, ctx, body, 201, action)


@router.post(
    "/purchases",
    status_code=201,
    response_model=HistoryOut,
    responses={200: {"model": HistoryOut, "description": "Already recorded (same external_ref)"}},
    summary="Record a purchase",
)
def add_purchase(request: Request, ctx: Ctx, customer_id: CustomerId, body: HistoryIn) -> Response:
    return _record(request, ctx, customer_id, body, HistoryKind.PURCHASE)


@router.post(
    "/visits",
    status_code=201,
    response_model=HistoryOut,
    responses={200: {"model": HistoryOut, "description": "Already recorded (same external_ref)"}},
    summary="Record a visit: a stay, a table, a branch visit",
)
def add_visit(request: Request, ctx: Ctx, customer_id: CustomerId, body: HistoryIn) -> Response:
    return _record(request, ctx, customer_id, body, HistoryKind.VISIT)


@router.get(
    "/history", response_model=list[HistoryOut], summary="Purchases and visits, newest first"
)
def list_history(
    ctx: Ctx, customer_id: CustomerId, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[HistoryOut]:
    with ctx.container.uow(read_only=True) as uow:
        customer = load_customer(uow, ctx.actor, customer_id)
        return [HistoryOut.model_validate(h) for h in uow.history.list_for(customer.id, limit)]


@router.get(
    "/audit", response_model=list[AuditOut], summary="Every change to this customer, newest first"
)
def list_audit(
    ctx: Ctx, customer_id: CustomerId, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[AuditOut]:
    if not ctx.actor.may(Permission.VIEW_AUDIT_LOG):
        raise Forbidden("only managers and admins read the audit log")
    with ctx.container.uow(read_only=True) as uow:
        customer = load_customer(uow, ctx.actor, customer_id)
        return [AuditOut.model_validate(a) for a in uow.audit.list_for(customer.id, limit)]
