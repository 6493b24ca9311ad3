"""/api/v1/customers: profiles, identities, look-up, search and the card."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from heedful.core.access import load_customer
from heedful.core.card import customer_card
from heedful.core.customers import handlers as customers
from heedful.core.customers.commands import (
    CreateCustomer,
    IdentifyCustomer,
    NewIdentity,
    UpdateCustomer,
)
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.merging import identify_customer
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.dealings import CardWithDealingsOut
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.present import card_out, customer_out
from heedful.entrypoints.api.schemas import (
    NO_NUL,
    CustomerIn,
    CustomerOut,
    CustomerPage,
    CustomerPatch,
    IdentifyIn,
    IdentityIn,
    IdentityOut,
    LocationLinkIn,
)

router = APIRouter(prefix="/customers", tags=["customers"])
Ctx = Annotated[Context, Depends(get_context)]
CustomerId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


def _new_identities(items: list[IdentityIn]) -> tuple[NewIdentity, ...]:
    return tuple(NewIdentity(kind=i.kind, value=i.value, label=i.label) for i in items)


def _with_identities(uow: UnitOfWork, customer_id: str, ctx: Context) -> CustomerOut:
    with uow:
        found = load_customer(uow, ctx.actor, customer_id)
        return customer_out(found, uow.identities.list_for(found.id))


@router.get("", response_model=CustomerPage, summary="List customers, oldest first")
def list_customers(
    ctx: Ctx,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
) -> CustomerPage:
    page = customers.list_customers(ctx.container.uow(read_only=True), ctx.actor, limit, cursor)
    return CustomerPage(items=[customer_out(c) for c in page.items], next_cursor=page.next_cursor)


@router.get(
    "/search", response_model=list[CustomerOut], summary="Find by name, phone, e-mail or card"
)
def search(
    ctx: Ctx, q: Annotated[str, Query(min_length=1, max_length=200, pattern=NO_NUL)]
) -> list[CustomerOut]:
    return [
        customer_out(c)
        for c in customers.search_customers(q, ctx.container.uow(read_only=True), ctx.actor)
    ]


@router.get("/lookup", response_model=CustomerOut, summary="The customer behind one identity")
def look_up(
    ctx: Ctx,
    kind: IdentityKind,
    value: Annotated[str, Query(min_length=1, max_length=254, pattern=NO_NUL)],
) -> Response:
    # One transaction for the look-up and the identities: this is the hottest read integrators make.
    found, identities = customers.look_up_with_identities(
        kind, value, ctx.container.uow(read_only=True), ctx.actor
    )
    out = customer_out(found, identities)
    # Serialised once here; returning the model would have FastAPI validate it a second time.
    return Response(out.model_dump_json(), media_type="application/json")


@router.post("", status_code=201, response_model=CustomerOut, summary="Create a customer")
def create(request: Request, ctx: Ctx, body: CustomerIn) -> Response:
    def action(uow: UnitOfWork) -> CustomerOut:
        created = customers.create_customer(
            CreateCustomer(
                full_name=body.full_name,
                language=body.language,
                time_zone=body.time_zone,
                segment=body.segment,
                home_location_id=body.home_location_id,
                birthday=body.birthday,
                identities=_new_identities(body.identities),
            ),
            uow,
            ctx.container.clock,
            ctx.actor,
        )
        return _with_identities(uow, created.id, ctx)

    return write(request, ctx, body, 201, action)


@router.post(
    "/identify",
    response_model=CustomerOut,
    summary="Find, create or merge the customer behind identities that arrived together",
)
def identify(request: Request, ctx: Ctx, body: IdentifyIn) -> Response:
    def action(uow: UnitOfWork) -> CustomerOut:
        found = identify_customer(
            IdentifyCustomer(
                identities=_new_identities(body.identities),
                full_name=body.full_name,
                language=body.language,
                time_zone=body.time_zone,
                location_id=body.location_id,
            ),
            uow,
            ctx.container.clock,
            ctx.actor,
        )
        return _with_identities(uow, found.id, ctx)

    return write(request, ctx, body, 200, action)


@router.get(
    "/{customer_id}",
    response_model=CustomerOut,
    summary="A customer; a merged record answers with the one it was merged into",
)
def get(ctx: Ctx, customer_id: CustomerId) -> CustomerOut:
    return _with_identities(ctx.container.uow(read_only=True), customer_id, ctx)


@router.patch("/{customer_id}", response_model=CustomerOut, summary="Change profile fields")
def update(request: Request, ctx: Ctx, customer_id: CustomerId, body: CustomerPatch) -> Response:
    given = body.model_dump(exclude_unset=True)
    cleared = frozenset(
        k for k, v in given.items() if v is None and k in ("home_location_id", "birthday")
    )

    def action(uow: UnitOfWork) -> CustomerOut:
        changed = customers.update_customer(
            UpdateCustomer(
                customer_id=customer_id,
                full_name=body.full_name,
                language=body.language,
                time_zone=body.time_zone,
                segment=body.segment,
                home_location_id=body.home_location_id,
                birthday=body.birthday,
                clear=cleared,
            ),
            uow,
            ctx.container.clock,
            ctx.actor,
        )
        return _with_identities(uow, changed.id, ctx)

    return write(request, ctx, body, 200, action)


@router.get(
    "/{customer_id}/card",
    response_model=CardWithDealingsOut,
    summary="Everything staff see: identities, consent, preferences, the usual, history",
)
def card(
    ctx: Ctx,
    customer_id: CustomerId,
    include: Annotated[
        Literal["dealings"] | None,
        Query(description="dealings: the card and her state in one request and one read"),
    ] = None,
) -> CardWithDealingsOut:
    # One request for a till or a front desk that shows the card with today's booking or order:
    # her record is loaded and checked once, the state read in the same transaction (ADR 0063).
    with_state = include == "dealings"
    return card_out(
        customer_card(
            customer_id,
            ctx.container.uow(read_only=True),
            ctx.container.clock,
            ctx.actor,
            with_state=with_state,
        )
    )


@router.post(
    "/{customer_id}/identities",
    status_code=201,
    response_model=IdentityOut,
    summary="Add an e-mail, phone, loyalty card or messenger id",
)
def add_identity(request: Request, ctx: Ctx, customer_id: CustomerId, body: IdentityIn) -> Response:
    def action(uow: UnitOfWork) -> IdentityOut:
        added = customers.add_identity(
            customer_id,
            NewIdentity(body.kind, body.value, body.label),
            uow,
            ctx.container.clock,
            ctx.actor,
        )
        return IdentityOut.model_validate(added)

    return write(request, ctx, body, 201, action)


@router.delete(
    "/{customer_id}/identities/{identity_id}", status_code=204, summary="Remove an identity"
)
def remove_identity(
    request: Request,
    ctx: Ctx,
    customer_id: CustomerId,
    identity_id: Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)],
) -> Response:
    def action(uow: UnitOfWork) -> tuple[int, None]:
        customers.remove_identity(customer_id, identity_id, uow, ctx.container.clock, ctx.actor)
        return 204, None

    return write(request, ctx, None, 204, action)


@router.post(
    "/{customer_id}/locations",
    response_model=CustomerOut,
    summary="Make the customer known at one more location (audited)",
    description=(
        "The one way a customer's record reaches another location's staff: identify and create"
        " never link a customer that the caller cannot already see. The caller must see the"
        " customer and work at the location, so across locations this is an administrator's"
        " step. Linking an already linked location changes nothing."
    ),
)
def link_location(
    request: Request, ctx: Ctx, customer_id: CustomerId, body: LocationLinkIn
) -> Response:
    def action(uow: UnitOfWork) -> CustomerOut:
        linked = customers.link_to_location(
            customer_id, body.location_id, body.reason, uow, ctx.container.clock, ctx.actor
        )
        return _with_identities(uow, linked.id, ctx)

    return write(request, ctx, body, 200, action)
