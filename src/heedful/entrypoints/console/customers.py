"""/customers: the one search box, the new-customer form, and the customer card."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from heedful.core.access.model import Permission
from heedful.core.customers.commands import CreateCustomer, NewIdentity
from heedful.core.customers.handlers import create_customer, search_customers
from heedful.core.customers.identities import Identity, IdentityKind
from heedful.core.customers.model import LANGUAGES, Customer, Segment
from heedful.core.shared.errors import HeedfulError
from heedful.core.staff.queries import all_locations, locations_of
from heedful.entrypoints.console.card_view import card_context, load_card
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice

router = APIRouter(prefix="/customers", route_class=ConsoleRoute, include_in_schema=False)
QUERY_LIMIT = 200


def _new_customer_form(console: Console) -> FormState:
    mine = locations_of(console.actor, console.container.uow(read_only=True))
    first = mine[0] if mine else None
    return blank_form(
        full_name="",
        phone="",
        email="",
        language=console.ui.language,
        time_zone=first.time_zone if first else "UTC",
        segment=Segment.NEW.value,
        home_location_id=first.id if first else "",
    )


def _how_to_reach(console: Console, results: list[Customer]) -> dict[str, list[Identity]]:
    """Each result's phones and e-mails: what tells two Anna Kovalenkos apart at the desk."""
    if not results:
        return {}
    with console.container.uow(read_only=True) as uow:
        return {
            customer.id: [
                identity
                for identity in uow.identities.list_for(customer.id)
                if identity.kind in (IdentityKind.PHONE, IdentityKind.EMAIL)
            ][:3]
            for customer in results
        }


def _search_page(console: Console, q: str, form: FormState, status: int = 200) -> Response:
    results = search_customers(q, console.container.uow(read_only=True), console.actor) if q else []
    locations = all_locations(console.container.uow(read_only=True))
    context: dict[str, Any] = {
        "q": q,
        "results": results,
        "locations": locations,
        "reach": _how_to_reach(console, results),
    }
    if console.is_htmx and console.request.method == "GET":
        return console.render("customers/_results.html", **context)
    return console.render(
        "customers/search.html",
        status=status,
        form=form,
        languages=LANGUAGES,
        Segment=Segment,
        my_locations=locations_of(console.actor, console.container.uow(read_only=True)),
        **context,
    )


@router.get("")
def search(console: Staff, q: str = "") -> Response:
    if not console.may(Permission.VIEW_CUSTOMERS):
        return console.render("no_access.html", status=403)
    return _search_page(console, q.strip()[:QUERY_LIMIT], _new_customer_form(console))


@router.post("")
def create(
    console: Staff,
    full_name: Text = "",
    phone: Text = "",
    email: Text = "",
    language: Text = "",
    time_zone: Text = "",
    segment: Text = "",
    home_location_id: Text = "",
) -> Response:
    form = blank_form(
        full_name=full_name,
        phone=phone,
        email=email,
        language=language,
        time_zone=time_zone,
        segment=segment,
        home_location_id=home_location_id,
    )
    identities: list[NewIdentity] = []
    rename: dict[str, str] = {}
    for name, kind, value in (
        ("phone", IdentityKind.PHONE, phone),
        ("email", IdentityKind.EMAIL, email),
    ):
        if value.strip():
            rename[f"identities[{len(identities)}].value"] = name
            identities.append(NewIdentity(kind=kind, value=value))
    try:
        created = create_customer(
            CreateCustomer(
                full_name=full_name,
                language=language,
                time_zone=time_zone.strip(),
                segment=choice(Segment, segment, "segment"),
                home_location_id=home_location_id or None,
                identities=tuple(identities),
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        failed = console.failed(exc, form, rename)
        if console.is_htmx:
            return console.render(
                "customers/_new_customer.html",
                status=422,
                form=failed,
                languages=LANGUAGES,
                Segment=Segment,
                my_locations=locations_of(console.actor, console.container.uow()),
            )
        return _search_page(console, "", failed, status=422)
    return console.redirect(f"/customers/{created.id}")


@router.get("/{customer_id}")
def card(console: Staff, customer_id: str) -> Response:
    view = load_card(console, customer_id)
    if view.customer_id != customer_id:
        # A merged record's old link leads to the person's one card.
        return RedirectResponse(f"/customers/{view.customer_id}", status_code=303)
    return console.render("customers/card.html", **card_context(view))
