"""The failure map at the console: a heat map of touchpoints x failure kinds (ADR 0050).

The same core query as GET /api/v1/reports/failure-map. Each cell is coloured by its count
against the map's largest and links to the cases behind it, listed under the map with what
became of each; the CSV download is the API's.
"""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.access.model import Permission
from heedful.core.failures import (
    Cell,
    FailureAsk,
    FailureKind,
    FailureMap,
    Outcome,
    Touchpoint,
    failure_map,
    map_csv,
)
from heedful.core.shared.errors import InvalidInput
from heedful.core.staff.queries import locations_of
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.labels import N_
from heedful.entrypoints.console.report_pages import (
    csv_download,
    csv_url,
    day,
    refusal,
    shown_form,
)

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

PATH = "/console/reports/failure-map"
KIND = {
    FailureKind.DECLINE: N_("Declined charges"),
    FailureKind.STOCK_OUT: N_("Out of stock"),
    FailureKind.NO_TABLE: N_("No table"),
    FailureKind.LATE_DELIVERY: N_("Late deliveries"),
    FailureKind.BROKEN_PROMISE: N_("Broken promises"),
    FailureKind.SLA_BREACH: N_("SLA breaches"),
    FailureKind.DETRACTOR: N_("Unhappy answers"),
}
TOUCHPOINT = {
    Touchpoint.PAYMENT: N_("Payment"),
    Touchpoint.PURCHASE: N_("Purchase"),
    Touchpoint.VISIT: N_("Visit"),
    Touchpoint.STAY: N_("Stay"),
    Touchpoint.DELIVERY: N_("Delivery"),
    Touchpoint.CONVERSATION: N_("Conversation"),
    Touchpoint.OTHER: N_("Other"),
}
OUTCOME = {
    Outcome.PRE_EMPTED: N_("Pre-empted"),
    Outcome.RESCUED: N_("Rescued"),
    Outcome.UNHANDLED: N_("Left unhandled"),
    Outcome.OPEN: N_("Still open"),
}
# Five steps of one hue: a cell's share of the map's largest count, so the worst cell is darkest.
SHADES = 5
_E = TypeVar("_E", Touchpoint, FailureKind)


def _choice(kind: type[_E], value: str) -> _E | None:
    # Cells are chosen by following the map's own links: a hand-edited value shows the map alone.
    try:
        return kind(value.strip()) if value.strip() else None
    except ValueError:
        return None


def shade(cell: Cell, largest: int) -> int:
    """0 for an empty cell, else 1 to SHADES by its share of the largest."""
    if not cell.count or not largest:
        return 0
    return max(1, -(-SHADES * cell.count // largest))


@router.get(PATH)
def report(
    console: Staff,
    since: str = "",
    until: str = "",
    location_id: str = "",
    touchpoint: str = "",
    kind: str = "",
    format: str = "",  # "csv" for the download
) -> Response:
    console.actor.require(Permission.VIEW_REPORTS)
    form = blank_form(since=since, until=until, location_id=location_id)
    try:
        ask = FailureAsk(
            day(since, "since"),
            day(until, "until"),
            location_id or None,
            _choice(Touchpoint, touchpoint),
            _choice(FailureKind, kind),
        )
        found = failure_map(
            console.container.uow(read_only=True), console.container.clock, console.actor, ask
        )
    except InvalidInput as exc:
        message = refusal(console, exc)
        return _page(console, FormState(form.values, {exc.field or "form": message}), None, 422)
    if format == "csv":
        return csv_download("failure-map", found.first_day, found.last_day, map_csv(found))
    shown = shown_form(form.values, found.first_day, found.last_day)
    chosen = (ask.touchpoint, ask.kind) if ask.touchpoint and ask.kind else None
    return _page(
        console,
        shown,
        found,
        csv_url=csv_url(PATH, shown.values, touchpoint=touchpoint, kind=kind),
        chosen=chosen,
    )


def _page(
    console: Console,
    form: FormState,
    found: FailureMap | None,
    status: int = 200,
    csv_url: str = "",
    chosen: tuple[Touchpoint, FailureKind] | None = None,
) -> Response:
    names: dict[str, str] = {}
    if found and found.cases:
        with console.container.uow(read_only=True) as uow:
            ids = sorted({case.failure.customer_id for case in found.cases})
            names = {c.id: c.full_name for c in uow.customer_names.of(ids)}
    filters = {k: v for k, v in form.values.items() if v}

    def cell_url(touchpoint: Touchpoint, kind: FailureKind) -> str:
        query = {**filters, "touchpoint": touchpoint.value, "kind": kind.value}
        return f"{PATH}?{urlencode(query)}#cases"

    gettext = console.ui.gettext
    return console.render(
        "reports/failure_map.html",
        status=status,
        form=form,
        report=found,
        locations=locations_of(console.actor, console.container.uow(read_only=True)),
        csv_url=csv_url,
        chosen=chosen,
        kinds=[(k, gettext(KIND[k])) for k in FailureKind],
        touchpoints=[(t, gettext(TOUCHPOINT[t])) for t in Touchpoint],
        outcome_label=lambda outcome: gettext(OUTCOME[outcome]),
        kind_label=lambda k: gettext(KIND[k]),
        touchpoint_label=lambda t: gettext(TOUCHPOINT[t]),
        customer_name=lambda customer_id: names.get(customer_id, ""),
        shade=shade,
        cell_url=cell_url,
    )
