"""Recording and retracting preferences from the card: one short form, swapped in place."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.preferences.handlers import (
    RecordPreference,
    record_preference,
    retract_preference,
)
from heedful.core.preferences.model import Category, Polarity, Source
from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.entrypoints.console.card_view import card_section
from heedful.entrypoints.console.context import ConsoleRoute, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice

router = APIRouter(
    prefix="/customers/{customer_id}/preferences", route_class=ConsoleRoute, include_in_schema=False
)


@router.post("")
def record(
    console: Staff,
    customer_id: str,
    polarity: Text = "",
    subject: Text = "",
    note: Text = "",
    category: Text = "",
    source: Text = "",
    location_id: Text = "",
    attributes: Text = "",
) -> Response:
    form = blank_form(
        polarity=polarity,
        subject=subject,
        note=note,
        category=category,
        source=source,
        location_id=location_id,
        attributes=attributes,
    )
    try:
        record_preference(
            RecordPreference(
                customer_id=customer_id,
                polarity=choice(Polarity, polarity, "polarity"),
                subject=subject,
                category=choice(Category, category, "category"),
                note=note,
                source=choice(Source, source, "source"),
                location_id=location_id or None,
                attributes=_attributes(attributes),
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return card_section(
            console, customer_id, "preferences", status=422, preference=console.failed(exc, form)
        )
    return card_section(console, customer_id, "preferences")


def _attributes(typed: str) -> dict[str, str]:
    """ "brand=Lypky, size=M" as the attributes it names; the core checks each (ADR 0049)."""
    found: dict[str, str] = {}
    for part in typed.split(","):
        if not part.strip():
            continue
        name, sign, value = part.partition("=")
        if not sign:
            raise InvalidInput(f"write each as name=value: {part.strip()}", field="attributes")
        found[name.strip()] = value.strip()
    return found


@router.post("/{preference_id}/retract")
def retract(console: Staff, customer_id: str, preference_id: str) -> Response:
    retract_preference(
        customer_id, preference_id, console.container.uow(), console.container.clock, console.actor
    )
    return card_section(console, customer_id, "preferences")
