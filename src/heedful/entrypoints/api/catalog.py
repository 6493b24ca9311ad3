"""/api/v1 items and wishes: the catalog's picker search, an item's stock, linking a wish."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from heedful.core.access import Permission, scope_of
from heedful.core.catalog import CatalogItem, find_item, item_stock, search_items
from heedful.core.promises.wishes import link_wish, unlinked_wishes
from heedful.core.shared.errors import NotFound
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.promise_present import promise_out
from heedful.entrypoints.api.promise_schemas import PromiseOut
from heedful.entrypoints.api.schemas import NO_NUL, In

router = APIRouter()
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
ACode = Annotated[str, Path(min_length=1, max_length=200, pattern=NO_NUL)]


class StockOut(BaseModel):
    location_id: str
    quantity: int
    as_of: str


class ItemOut(BaseModel):
    code: str = Field(description="As compared: case folded, spaces collapsed")
    shown_code: str = Field(description="As the business first wrote it")
    kind: str
    names: dict[str, str]
    parent_code: str
    brand: str
    size: str
    colour: str
    attributes: dict[str, str]
    provisional: bool
    retired: bool
    stock: list[StockOut] = Field(default_factory=list, description="At your locations")


class LinkIn(In):
    code: str = Field(min_length=1, max_length=200, pattern=NO_NUL, description="The item's code")


def _item_out(item: CatalogItem, stock: list[StockOut] | None = None) -> ItemOut:
    return ItemOut(
        code=item.code,
        shown_code=item.shown_code,
        kind=item.kind.value,
        names=item.names,
        parent_code=item.parent_code,
        brand=item.brand,
        size=item.size,
        colour=item.colour,
        attributes=item.attributes,
        provisional=item.provisional,
        retired=item.is_retired,
        stock=stock or [],
    )


@router.get(
    "/items",
    response_model=list[ItemOut],
    tags=["catalog"],
    summary="Search the catalog as you type: code, name in ru/uk/en, brand, size, colour",
)
def search(
    ctx: Ctx,
    q: Annotated[str, Query(max_length=200, pattern=NO_NUL, description="Words to find")] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> list[ItemOut]:
    ctx.actor.require(Permission.VIEW_CUSTOMERS)
    found = search_items(ctx.container.uow(read_only=True), q, limit)
    return [_item_out(item) for item in found]


@router.get(
    "/items/{code}",
    response_model=ItemOut,
    tags=["catalog"],
    summary="One item, with its stock at your locations",
)
def get(ctx: Ctx, code: ACode) -> ItemOut:
    ctx.actor.require(Permission.VIEW_CUSTOMERS)
    uow = ctx.container.uow(read_only=True)
    item = find_item(uow, code)
    if item is None:
        raise NotFound(f"no item {code}")
    visible = scope_of(ctx.actor).location_ids
    levels = [
        StockOut(
            location_id=level.location_id, quantity=level.quantity, as_of=level.as_of.isoformat()
        )
        for level in item_stock(uow, item.code)
        if visible is None or level.location_id in visible
    ]
    return _item_out(item, levels)


@router.get(
    "/wishes/unlinked",
    response_model=list[PromiseOut],
    tags=["catalog"],
    summary="Open wishes for items the catalog does not know yet, at your locations, oldest first",
)
def unlinked(ctx: Ctx, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[PromiseOut]:
    found = unlinked_wishes(ctx.container.uow(read_only=True), ctx.actor, limit)
    now = ctx.container.clock.now()
    return [promise_out(promise, now) for promise in found]


@router.post(
    "/promises/{promise_id}/link",
    response_model=PromiseOut,
    tags=["catalog"],
    summary="Link a wish to a catalog item; she keeps her place in line from when she first asked",
)
def link(request: Request, ctx: Ctx, promise_id: AnId, body: LinkIn) -> Response:
    def action(uow: UnitOfWork) -> PromiseOut:
        clock = ctx.container.clock
        linked = link_wish(promise_id, body.code, uow, clock, ctx.actor)
        return promise_out(linked, clock.now())

    return write(request, ctx, body, 200, action)
