"""The promise report at the console: the kept rate by week, kind, location and staff member.

One page with its filters in the query string (so a report can be bookmarked and sent), the same
numbers as CSV, and a one-line summary the promises board loads into its ``#promise-rates`` slot.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.promises.model import PromiseKind
from heedful.core.promises.report import (
    GroupBy,
    PromiseReport,
    ReportAsk,
    promise_report,
    report_csv,
)
from heedful.core.shared.errors import InvalidInput
from heedful.core.staff.queries import locations_of
from heedful.entrypoints.console.context import (
    Console,
    ConsoleRoute,
    FormState,
    Staff,
    blank_form,
)
from heedful.entrypoints.console.forms import choice
from heedful.entrypoints.console.report_pages import csv_download, csv_url, day, refusal, shown_form

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


def _ask(since: str, until: str, location_id: str, kind: str, made_by: str) -> ReportAsk:
    return ReportAsk(
        since=day(since, "since"),
        until=day(until, "until"),
        location_id=location_id or None,
        kind=choice(PromiseKind, kind, "kind") if kind else None,
        made_by=made_by or None,
    )


@router.get("/console/promises/report")
def report(
    console: Staff,
    since: str = "",
    until: str = "",
    location_id: str = "",
    kind: str = "",
    made_by: str = "",
    format: str = "",  # "csv" for the download; the API reads the same parameter
) -> Response:
    form = blank_form(since=since, until=until, location_id=location_id, kind=kind, made_by=made_by)
    try:
        ask = _ask(since, until, location_id, kind, made_by)
        found = promise_report(
            ask, console.container.uow(read_only=True), console.container.clock, console.actor
        )
    except InvalidInput as exc:
        failed = FormState(form.values, {exc.field or "form": refusal(console, exc)})
        return _page(console, failed, None, status=422)
    period = found.period
    if format == "csv":
        return csv_download(
            "promise-report", period.since, period.until, report_csv(found, list(GroupBy))
        )
    shown = shown_form(form.values, period.since, period.until)
    return _page(console, shown, found, csv_url=csv_url("/console/promises/report", form.values))


def _page(
    console: Console,
    form: FormState,
    found: PromiseReport | None,
    status: int = 200,
    csv_url: str = "",
) -> Response:
    return console.render(
        "promises/report.html",
        status=status,
        form=form,
        report=found,
        kinds={kind.value: console.ui.label(kind) for kind in PromiseKind},
        locations=locations_of(console.actor, console.container.uow(read_only=True)),
        csv_url=csv_url,
    )


@router.get("/console/promises/report/summary")
def summary(console: Staff) -> Response:
    """The last twelve weeks in one line, for the promises board."""
    found = promise_report(
        ReportAsk(), console.container.uow(read_only=True), console.container.clock, console.actor
    )
    return console.render("promises/_report_summary.html", report=found)
