"""The experience dashboard at the console: NPS, CSAT and CES with their trends, distributions,
the CX index by touchpoint and location, themes and emotions of comments, the closed-loop board.

Filters live in the query string (a dashboard can be bookmarked and sent); every chart's numbers
download as CSV from the same URL with ``format=csv&chart=<name>``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.customers.model import Segment
from heedful.core.feedback.dashboard import DashboardAsk, ExperienceReport, experience_report
from heedful.core.feedback.dashboard_csv import Chart, chart_csv
from heedful.core.feedback.maths import DEFINITIONS
from heedful.core.feedback.model import Touchpoint
from heedful.core.shared.errors import InvalidInput
from heedful.core.staff.queries import locations_of
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.dashboard_labels import labels_for
from heedful.entrypoints.console.forms import choice
from heedful.entrypoints.console.report_pages import csv_download, csv_url, day, refusal, shown_form

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
_FILTERS = ("since", "until", "location_id", "segment", "touchpoint")
ANSWERS_PATH = "/console/experience/answers"  # dashboard_answers.py: the answers behind a cell


def answers_url(filters: Mapping[str, str], **clicked: object) -> str:
    """The answers behind a figure: the dashboard's filters and what was clicked, nothing empty."""
    query = {k: str(v) for k, v in {**filters, **clicked}.items() if v is not None and v != ""}
    return f"{ANSWERS_PATH}?{urlencode(query)}"


def dashboard_ask(
    since: str, until: str, location_id: str, segment: str, touchpoint: str
) -> DashboardAsk:
    """The dashboard's filters from the query string, shared with the answers behind it."""
    if segment and segment not in {s.value for s in Segment}:
        raise InvalidInput("no such segment", field="segment")
    return DashboardAsk(
        since=day(since, "since"),
        until=day(until, "until"),
        location_id=location_id or None,
        segment=segment or None,
        touchpoint=choice(Touchpoint, touchpoint, "touchpoint") if touchpoint else None,
    )


@router.get("/console/experience")
def experience(
    console: Staff,
    since: str = "",
    until: str = "",
    location_id: str = "",
    segment: str = "",
    touchpoint: str = "",
    format: str = "",  # "csv" for a chart's numbers
    chart: str = "figures",
) -> Response:
    form = blank_form(
        since=since, until=until, location_id=location_id, segment=segment, touchpoint=touchpoint
    )
    try:
        ask = dashboard_ask(since, until, location_id, segment, touchpoint)
        found = experience_report(
            ask, console.container.uow(read_only=True), console.container.clock, console.actor
        )
        wanted = choice(Chart, chart, "chart") if format == "csv" else None
    except InvalidInput as exc:
        failed = FormState(form.values, {exc.field or "form": refusal(console, exc)})
        return _page(console, failed, None, status=422)
    if wanted is not None:
        return csv_download(
            f"experience-{wanted.value}", found.since, found.until, chart_csv(found, wanted)
        )
    shown = shown_form(form.values, found.since, found.until)
    csv_urls = {c.value: csv_url("/console/experience", form.values, chart=c.value) for c in Chart}
    return _page(console, shown, found, csv_urls=csv_urls)


def _behind(form: FormState) -> Callable[..., str]:
    """``behind(measure="nps", score=9)`` in the template: the answers that cell counts."""
    return partial(answers_url, {key: form.value(key) for key in _FILTERS})


def _page(
    console: Console,
    form: FormState,
    found: ExperienceReport | None,
    status: int = 200,
    csv_urls: dict[str, str] | None = None,
) -> Response:
    return console.render(
        "dashboard/experience.html",
        status=status,
        form=form,
        report=found,
        names=labels_for(console.ui),
        definitions={m: console.ui.gettext(text) for m, text in DEFINITIONS.items()},
        locations=locations_of(console.actor, console.container.uow(read_only=True)),
        segments=[(s.value, console.ui.label(s)) for s in Segment],
        touchpoints=[t.value for t in Touchpoint],
        csv_urls=csv_urls or {},
        behind=_behind(form),
    )
