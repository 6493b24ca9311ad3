"""Looking after the record itself: merge, undo a merge, export and erase."""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.access.model import Permission
from heedful.core.customers.duplicates import merge_candidates
from heedful.core.customers.merging import merge_customers, undo_merge
from heedful.core.customers.model import Customer
from heedful.core.privacy import erase_customer, export_customer
from heedful.core.shared.errors import Forbidden, HeedfulError
from heedful.entrypoints.console.card_view import card_section, load_card
from heedful.entrypoints.console.context import (
    Console,
    ConsoleRoute,
    FormState,
    Staff,
    blank_form,
)
from heedful.entrypoints.console.forms import Text
from heedful.entrypoints.console.labels import N_

router = APIRouter(
    prefix="/customers/{customer_id}", route_class=ConsoleRoute, include_in_schema=False
)


@router.post("/merge")
def merge(
    console: Staff,
    customer_id: str,
    absorbed_id: Text = "",
    reason: Text = "",
    chosen_id: Text = "",
) -> Response:
    form = blank_form(absorbed_id=absorbed_id, reason=reason)
    typed = chosen_id.strip() or absorbed_id.strip()  # a pick among several wins over the text
    if typed and not typed.startswith("cus_"):
        # A name, phone or e-mail: the one record it finds, or a choice among several.
        found = merge_candidates(customer_id, typed, console.container.uow(), console.actor)
        if len(found) != 1:
            picking = MergePick(values=form.values, errors=form.errors, choices=tuple(found[:10]))
            picking.errors["absorbed_id"] = console.ui.gettext(
                N_("Several customers match: choose one below.")
                if found
                else N_("Nobody found: type a name, phone, e-mail or the record's ID.")
            )
            return card_section(console, customer_id, "merges", status=422, merge=picking)
        typed = found[0].id
    try:
        merge_customers(
            customer_id,
            typed,
            reason,
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        # The other record being out of sight is also a complaint about the id typed.
        failed = console.failed(exc, form, {"survivor_id": "form", "": "absorbed_id"})
        return card_section(console, customer_id, "merges", status=422, merge=failed)
    return _card_again(console, customer_id)


@router.post("/merges/{merge_id}/undo")
def undo(console: Staff, customer_id: str, merge_id: str) -> Response:
    undo_merge(merge_id, console.container.uow(), console.container.clock, console.actor)
    return _card_again(console, customer_id)


@dataclass(frozen=True)
class MergePick(FormState):
    """The merge form when what was typed found several records (or none): pick one."""

    choices: tuple[Customer, ...] = ()


def _card_again(console: Console, customer_id: str) -> Response:
    """The whole card, read again: a merge or its undo changes every section, not one.

    HTMX is told to reload, not to go to the card's URL: the same URL with only a new "#merges"
    would not load anything, and the card would go on saying "never merged".
    """
    if console.is_htmx:
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return console.redirect(f"/customers/{customer_id}#merges")


@router.post("/export")
def export(console: Staff, customer_id: str) -> Response:
    # A POST, not a link: every export is written to the audit log, and a stray prefetch of a
    # GET must not write one.
    document = export_customer(
        customer_id, console.container.uow(), console.container.clock, console.actor
    )
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="customer-{customer_id}.json"'},
    )


@router.get("/erase")
def erase_page(console: Staff, customer_id: str) -> Response:
    if not console.may(Permission.ERASE_CUSTOMER):
        raise Forbidden("only administrators erase customers")
    view = load_card(console, customer_id)
    return console.render(
        "customers/erase.html",
        view=view,
        customer=view.card.customer,
        form=blank_form(reason="", confirm=""),
    )


@router.post("/erase")
def erase(console: Staff, customer_id: str, reason: Text = "", confirm: Text = "") -> Response:
    form = blank_form(reason=reason, confirm=confirm)
    if confirm != "yes":
        form.errors["confirm"] = console.ui.gettext(
            N_("Tick the box to confirm: this cannot be undone.")
        )
    else:
        try:
            erasure = erase_customer(
                customer_id, reason, console.container.uow(), console.container.clock, console.actor
            )
        except HeedfulError as exc:
            form = console.failed(exc, form)
        else:
            return console.render("customers/erased.html", erasure=erasure)
    view = load_card(console, customer_id)
    return console.render(
        "customers/erase.html", status=422, view=view, customer=view.card.customer, form=form
    )
