"""Goodwill at the console: the card's section and its form, a task's form, approvals, setup.

A spend takes a few seconds on a phone: the kinds offered are the staff member's own allowances
at that location, each with what is left this week or month, plus a free gesture; the reason is
one line. Above the allowance's threshold the card shows the spend as waiting, and the managers'
approvals page lists it until one of them says yes or no (ADR 0041).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core import goodwill
from heedful.core.access.model import Permission, Role
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.core.shared.phrases import Phrase
from heedful.core.staff.queries import all_locations, locations_of
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

KIND = {
    goodwill.MONEY: N_("Money"),
    "dessert": N_("A dessert on the house"),
    "upgrade": N_("An upgrade"),
    "late_checkout": N_("A late check-out"),
    "raised_limit": N_("A raised limit"),
    goodwill.GESTURE: N_("A personal gesture (free)"),
}
STATE = {
    goodwill.SpendState.GIVEN: N_("Given"),
    goodwill.SpendState.AWAITING_APPROVAL: N_("Awaiting approval"),
    goodwill.SpendState.DECLINED: N_("Declined"),
}
PERIOD = {goodwill.Period.WEEK: N_("per week"), goodwill.Period.MONTH: N_("per month")}


def _amount(value: str, field: str = "amount") -> Decimal:
    try:
        return Decimal(value.strip().replace(",", ".") or "1")
    except InvalidOperation as exc:
        raise InvalidInput(
            "give the amount as a number", said=Phrase("refusal.amount_number"), field=field
        ) from exc


def _labels(console: Console, allowances: list[goodwill.Allowance]) -> dict[str, str]:
    """Every kind's words: the built-in ones translated, the business's own as it named them."""
    named = {kind: console.ui.gettext(msgid) for kind, msgid in KIND.items()}
    for allowance in allowances:
        named.setdefault(allowance.kind, allowance.label or allowance.kind)
    return named


def _offers(console: Console, location_ids: list[str]) -> list[tuple[str, goodwill.Remaining]]:
    uow, clock, actor = console.container.uow, console.container.clock, console.actor
    return [
        (location_id, remaining)
        for location_id in location_ids
        for remaining in goodwill.my_allowances(uow(read_only=True), clock, actor, location_id)
    ]


def _section(
    console: Console,
    customer_id: str,
    *,
    form: FormState | None = None,
    status: int = 200,
    task_id: str = "",
    page: bool = False,
) -> Response:
    actor = console.actor
    spends = goodwill.customer_spends(console.container.uow(read_only=True), actor, customer_id)
    mine = (
        locations_of(actor, console.container.uow(read_only=True))
        if actor.may(Permission.GIVE_GOODWILL)
        else []
    )
    offers = _offers(console, [loc.id for loc in mine]) if mine else []
    every = [r.allowance for _, r in offers]
    return console.render(
        "goodwill/give.html" if page else "customers/_goodwill.html",
        status=status,
        customer_id=customer_id,
        spends=spends,
        my_locations=mine,
        offers=offers,
        kinds=_labels(console, every),
        state_label=lambda s: console.ui.gettext(STATE[s]),
        period_label=lambda p: console.ui.gettext(PERIOD[p]),
        places=all_locations(console.container.uow(read_only=True)),
        form=form or blank_form(task_id=task_id),
        GESTURE=goodwill.GESTURE,
        MONEY=goodwill.MONEY,
    )


@router.get("/console/customers/{customer_id}/goodwill")
def card_section(console: Staff, customer_id: str) -> Response:
    """The card's Goodwill section, loaded after the card: what she was given, and the form."""
    return _section(console, customer_id)


@router.get("/console/goodwill/give")
def give_page(console: Staff, customer_id: str, task_id: str = "") -> Response:
    """The form on a page of its own, opened from a task in the queue."""
    return _section(console, customer_id, task_id=task_id, page=True)


@router.post("/console/customers/{customer_id}/goodwill")
def give(
    console: Staff,
    customer_id: str,
    location_id: Text = "",
    kind: Text = "",
    amount: Text = "",
    reason: Text = "",
    surprise: Text = "",
    task_id: Text = "",
) -> Response:
    form = blank_form(
        location_id=location_id,
        kind=kind,
        amount=amount,
        reason=reason,
        surprise=surprise,
        task_id=task_id,
    )
    # The kind select carries "location|kind|currency", so one tap picks all three.
    where, _, rest = kind.partition("|")
    chosen, _, currency = rest.partition("|")
    try:
        goodwill.give_goodwill(
            goodwill.GiveGoodwill(
                customer_id=customer_id,
                location_id=where or location_id,
                kind=chosen or where,
                amount=_amount(amount),
                reason=reason,
                currency=currency,
                task_id=task_id or None,
                surprise=bool(surprise),
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except (InvalidInput, Conflict) as exc:
        failed = console.failed(exc, form, {"currency": "kind", "location_id": "kind"})
        return _section(console, customer_id, form=failed, status=422, page=not console.is_htmx)
    if not console.is_htmx:
        return console.redirect("/console/tasks" if task_id else f"/customers/{customer_id}")
    return _section(console, customer_id)


def _approvals_page(console: Console, notice: str = "", status: int = 200) -> Response:
    waiting = goodwill.awaiting_approval(console.container.uow(read_only=True), console.actor)
    names: dict[str, str] = {}
    with console.container.uow(read_only=True) as uow:
        for spend in waiting:
            customer = uow.customers.get(spend.customer_id)
            names[spend.customer_id] = customer.full_name if customer else ""
        every = uow.goodwill.allowances(None)
    template = "goodwill/_approvals.html" if console.is_htmx else "goodwill/approvals.html"
    return console.render(
        template,
        status=status,
        waiting=waiting,
        names=names,
        kinds=_labels(console, every),
        places=all_locations(console.container.uow(read_only=True)),
        notice=notice,
    )


@router.get("/console/goodwill/approvals")
def approvals(console: Staff) -> Response:
    return _approvals_page(console)


@router.post("/console/goodwill/spends/{spend_id}/{decision}")
def decide(console: Staff, spend_id: str, decision: str, note: Text = "") -> Response:
    if decision not in ("approve", "decline"):
        raise NotFound("no such decision")
    try:
        spend = goodwill.decide_spend(
            spend_id,
            decision == "approve",
            note,
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except (Conflict, Forbidden) as exc:
        return _approvals_page(console, console.ui.error(exc), status=409)
    said = N_("Approved: %(reason)s") if decision == "approve" else N_("Declined: %(reason)s")
    notice = console.ui.gettext(said) % {"reason": spend.reason}
    if console.is_htmx:
        return _approvals_page(console, notice)
    return console.redirect("/console/goodwill/approvals")


def _allowances_page(
    console: Console, form: FormState | None = None, status: int = 200
) -> Response:
    actor = console.actor
    actor.require(Permission.MANAGE_GOODWILL)
    found = goodwill.list_allowances(console.container.uow(read_only=True), actor)
    with console.container.uow(read_only=True) as uow:
        staff = [
            member
            for member in uow.staff.list()
            if member.active and member.role in (Role.AGENT, Role.MANAGER)
        ]
    return console.render(
        "goodwill/allowances.html",
        status=status,
        allowances=found,
        kinds=_labels(console, found),
        built_in=[k for k in goodwill.BUILT_IN_KINDS if k != goodwill.GESTURE],
        period_label=lambda p: console.ui.gettext(PERIOD[p]),
        Period=goodwill.Period,
        Role=Role,
        my_locations=locations_of(actor, console.container.uow(read_only=True)),
        places=all_locations(console.container.uow(read_only=True)),
        members=staff,
        staff_names={m.id: m.full_name for m in staff},
        form=form or blank_form(period="month", holder="role:agent"),
    )


@router.get("/console/goodwill/allowances")
def allowances(console: Staff) -> Response:
    return _allowances_page(console)


@router.post("/console/goodwill/allowances")
def set_allowance(
    console: Staff,
    location_id: Text = "",
    holder: Text = "",
    kind: Text = "",
    new_kind: Text = "",
    label: Text = "",
    amount: Text = "",
    currency: Text = "",
    period: Text = "",
    approval_above: Text = "",
) -> Response:
    form = blank_form(
        location_id=location_id,
        holder=holder,
        kind=kind,
        new_kind=new_kind,
        label=label,
        amount=amount,
        currency=currency,
        period=period,
        approval_above=approval_above,
    )
    who, _, whom = holder.partition(":")
    try:
        role = choice(Role, whom, "holder") if who == "role" else None
        goodwill.set_allowance(
            goodwill.SetAllowance(
                location_id=location_id,
                kind=new_kind.strip() or kind,
                amount=_amount(amount),
                period=choice(goodwill.Period, period, "period"),
                currency=currency,
                staff_id=whom if who == "staff" else None,
                role=role,
                approval_above=(
                    _amount(approval_above, "approval_above") if approval_above.strip() else None
                ),
                label=label,
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except (InvalidInput, Forbidden) as exc:
        renamed = {"staff_id": "holder", "role": "holder"}
        if new_kind.strip():
            renamed["kind"] = "new_kind"
        return _allowances_page(console, console.failed(exc, form, renamed), status=422)
    return console.redirect("/console/goodwill/allowances")


@router.post("/console/goodwill/allowances/{allowance_id}/remove")
def remove_allowance(console: Staff, allowance_id: str) -> Response:
    goodwill.remove_allowance(
        allowance_id, console.container.uow(), console.container.clock, console.actor
    )
    return console.redirect("/console/goodwill/allowances")
