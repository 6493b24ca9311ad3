"""Editing a profile from the card: name, language, time zone, segment, home, birthday."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.customers.commands import UpdateCustomer
from heedful.core.customers.handlers import link_to_location, update_customer
from heedful.core.customers.model import Segment
from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.entrypoints.console.card_view import card_section
from heedful.entrypoints.console.context import ConsoleRoute, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice

router = APIRouter(
    prefix="/customers/{customer_id}", route_class=ConsoleRoute, include_in_schema=False
)


def _birthday(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(
            "give the date as YYYY-MM-DD", said=Phrase("refusal.date"), field="birthday"
        ) from exc


@router.post("/profile")
def edit_profile(
    console: Staff,
    customer_id: str,
    full_name: Text = "",
    language: Text = "",
    time_zone: Text = "",
    segment: Text = "",
    home_location_id: Text = "",
    birthday: Text = "",
) -> Response:
    form = blank_form(
        full_name=full_name,
        language=language,
        time_zone=time_zone,
        segment=segment,
        home_location_id=home_location_id,
        birthday=birthday,
    )
    try:
        born = _birthday(birthday)
        update_customer(
            UpdateCustomer(
                customer_id=customer_id,
                full_name=full_name,
                language=language,
                time_zone=time_zone.strip(),
                segment=choice(Segment, segment, "segment"),
                home_location_id=home_location_id or None,
                birthday=born,
                # An emptied field means "we no longer know": clear it rather than keep it.
                clear=frozenset(
                    name
                    for name, value in (("home_location_id", home_location_id), ("birthday", born))
                    if not value
                ),
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return card_section(
            console, customer_id, "profile", status=422, profile=console.failed(exc, form)
        )
    return card_section(console, customer_id, "profile")


@router.post("/locations")
def link_location(
    console: Staff, customer_id: str, location_id: Text = "", reason: Text = ""
) -> Response:
    """The card's "Link to another location": the API's POST /customers/{id}/locations."""
    form = blank_form(location_id=location_id, reason=reason)
    try:
        link_to_location(
            customer_id,
            location_id.strip(),
            reason,
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return card_section(
            console, customer_id, "locations", status=422, locations=console.failed(exc, form)
        )
    return card_section(console, customer_id, "locations")
