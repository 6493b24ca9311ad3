"""/api/v1/customers/{id}/owners: who looks after her at each location (ADR 0040).

A playbook's task "to the customer's owner" goes to this staff member; where nobody owns her, to
the location's managers. One owner per customer and location; a PUT replaces the one before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from heedful.core.staff import Owner, owners_of, remove_owner, set_owner
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.schemas import NO_NUL, Id, In, Out

router = APIRouter(prefix="/customers", tags=["customers"])
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


class OwnerIn(In):
    staff_id: Id


class OwnerOut(Out):
    customer_id: str
    location_id: str
    staff_id: str
    staff_name: str
    set_at: datetime
    set_by_label: str


def _out(owner: Owner) -> OwnerOut:
    return OwnerOut.model_validate(owner)


@router.get(
    "/{customer_id}/owners",
    response_model=list[OwnerOut],
    summary="Who looks after her, at each of your locations",
)
def list_owners(ctx: Ctx, customer_id: AnId) -> list[OwnerOut]:
    return [_out(o) for o in owners_of(customer_id, ctx.container.uow(read_only=True), ctx.actor)]


@router.put(
    "/{customer_id}/owners/{location_id}",
    response_model=OwnerOut,
    summary="Make a manager or agent of the location her owner there",
)
def put_owner(
    request: Request, ctx: Ctx, customer_id: AnId, location_id: AnId, body: OwnerIn
) -> Response:
    def action(uow: UnitOfWork) -> OwnerOut:
        clock = ctx.container.clock
        return _out(set_owner(customer_id, location_id, body.staff_id, uow, clock, ctx.actor))

    return write(request, ctx, body, 200, action)


@router.delete(
    "/{customer_id}/owners/{location_id}",
    status_code=204,
    summary="Nobody owns her there any more: her tasks go to the location's managers",
)
def delete_owner(request: Request, ctx: Ctx, customer_id: AnId, location_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> tuple[int, None]:
        remove_owner(customer_id, location_id, uow, ctx.container.clock, ctx.actor)
        return 204, None

    return write(request, ctx, None, 204, action)
