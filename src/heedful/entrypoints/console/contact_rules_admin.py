"""Quiet hours and caps: the business's per purpose (/admin/contact-rules, admins) and a
customer's own quiet hours and channel order (/customers/{id}/reach), which win over the
business's. The rules are the core's (core/outreach/contact_settings.py, ADR 0043)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from heedful.core.access import load_customer
from heedful.core.access.model import Permission
from heedful.core.customers import SENT_TO, Channel, Purpose
from heedful.core.outreach.contact_settings import (
    PurposeRules,
    customer_rules,
    list_business_rules,
    parse_time,
    set_business_rules,
    set_customer_rules,
)
from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
PAGE = "/admin/contact-rules"


def _rules_page(console: Console, failed: FormState | None = None, status: int = 200) -> Response:
    rules = list_business_rules(console.container.uow(read_only=True), console.actor)
    forms = {
        purpose: blank_form(
            purpose=purpose.value,
            quiet_from=f"{r.quiet_from:%H:%M}",
            quiet_until=f"{r.quiet_until:%H:%M}",
            cap="" if r.cap is None else str(r.cap),
            cap_window_days=str(r.cap_window_days),
        )
        for purpose, r in rules.items()
    }
    if failed is not None:
        forms[Purpose(failed.values["purpose"])] = failed
    return console.render("admin/contact_rules.html", status=status, forms=forms)


@router.get(PAGE)
def contact_rules(console: Staff) -> Response:
    return _rules_page(console)


def _number(text: str, field: str) -> int | None:
    if not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput(
            "give a whole number", said=Phrase("refusal.give_whole_number"), field=field
        ) from None


@router.post(PAGE)
def save_rules(
    console: Staff,
    purpose: Text = "",
    quiet_from: Text = "",
    quiet_until: Text = "",
    cap: Text = "",
    cap_window_days: Text = "7",
) -> Response:
    form = blank_form(
        purpose=purpose,
        quiet_from=quiet_from,
        quiet_until=quiet_until,
        cap=cap,
        cap_window_days=cap_window_days,
    )
    try:
        rules = PurposeRules(
            purpose=choice(Purpose, purpose, "purpose"),
            quiet_from=parse_time(quiet_from, "quiet_from"),
            quiet_until=parse_time(quiet_until, "quiet_until"),
            cap=_number(cap, "cap"),
            cap_window_days=_number(cap_window_days, "cap_window_days") or 7,
        )
        set_business_rules(rules, console.container.uow(), console.container.clock, console.actor)
    except HeedfulError as exc:
        if purpose not in {p.value for p in Purpose}:
            raise
        return _rules_page(console, console.failed(exc, form), status=422)
    return console.redirect(PAGE)


def _reach_page(
    console: Console, customer_id: str, form: FormState | None = None, status: int = 200
) -> Response:
    console.actor.require(Permission.VIEW_CUSTOMERS)
    with console.container.uow(read_only=True) as uow:
        customer = load_customer(uow, console.actor, customer_id)
    own = customer_rules(customer.id, console.container.uow(read_only=True))
    if form is None:
        order = [c.value for c in own.channels] if own else []
        form = blank_form(
            quiet_from=f"{own.quiet_from:%H:%M}" if own and own.quiet_from else "",
            quiet_until=f"{own.quiet_until:%H:%M}" if own and own.quiet_until else "",
            **{f"channel_{n}": (order[n] if n < len(order) else "") for n in range(len(SENT_TO))},
        )
    return console.render(
        "customers/reach.html",
        status=status,
        customer=customer,
        form=form,
        channels=list(SENT_TO),
        positions=range(len(SENT_TO)),
    )


@router.get("/customers/{customer_id}/reach")
def reach(console: Staff, customer_id: str) -> Response:
    return _reach_page(console, customer_id)


@router.post("/customers/{customer_id}/reach")
def save_reach(
    console: Staff,
    customer_id: str,
    quiet_from: Text = "",
    quiet_until: Text = "",
    channel: Annotated[list[str] | None, Form()] = None,
) -> Response:
    order = [c for c in channel or [] if c]
    typed = list(channel or [])
    values = {f"channel_{n}": (typed[n] if n < len(typed) else "") for n in range(len(SENT_TO))}
    form = blank_form(quiet_from=quiet_from, quiet_until=quiet_until, **values)
    try:
        set_customer_rules(
            customer_id,
            parse_time(quiet_from, "quiet_from") if quiet_from.strip() else None,
            parse_time(quiet_until, "quiet_until") if quiet_until.strip() else None,
            [choice(Channel, c, f"channels[{n}]") for n, c in enumerate(order)],
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        failed = console.failed(exc, form, rename={"channels[0]": "channel_0"})
        return _reach_page(console, customer_id, failed, status=422)
    return console.redirect(f"/customers/{customer_id}")
