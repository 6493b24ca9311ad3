"""How to reach a customer, from the card: identities (phone, e-mail, card) and consent."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import add_identity, record_consent, remove_identity
from heedful.core.customers.identities import IdentityKind
from heedful.core.shared.errors import HeedfulError
from heedful.entrypoints.console.card_view import card_section
from heedful.entrypoints.console.context import ConsoleRoute, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice

router = APIRouter(
    prefix="/customers/{customer_id}", route_class=ConsoleRoute, include_in_schema=False
)


@router.post("/identities")
def add(
    console: Staff, customer_id: str, kind: Text = "", value: Text = "", label: Text = ""
) -> Response:
    form = blank_form(kind=kind, value=value, label=label)
    try:
        new = NewIdentity(kind=choice(IdentityKind, kind, "kind"), value=value, label=label)
        add_identity(
            customer_id, new, console.container.uow(), console.container.clock, console.actor
        )
    except HeedfulError as exc:
        return card_section(
            console, customer_id, "identities", status=422, identity=console.failed(exc, form)
        )
    return card_section(console, customer_id, "identities")


@router.post("/identities/{identity_id}/remove")
def remove(console: Staff, customer_id: str, identity_id: str) -> Response:
    remove_identity(
        customer_id, identity_id, console.container.uow(), console.container.clock, console.actor
    )
    return card_section(console, customer_id, "identities")


@router.post("/consent")
def consent(
    console: Staff,
    customer_id: str,
    channel: Text = "",
    purpose: Text = "",
    granted: Text = "",
    how: Text = "",
) -> Response:
    form = blank_form(channel=channel, purpose=purpose, granted=granted, how=how)
    try:
        if granted not in ("yes", "no"):
            choice(Channel, "", "granted")  # the same "choose one" complaint as any select
        record_consent(
            RecordConsent(
                customer_id=customer_id,
                channel=choice(Channel, channel, "channel"),
                purpose=choice(Purpose, purpose, "purpose"),
                granted=granted == "yes",
                how=how,
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return card_section(
            console, customer_id, "consent", status=422, consent=console.failed(exc, form)
        )
    return card_section(console, customer_id, "consent")
