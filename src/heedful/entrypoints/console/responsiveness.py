"""The responsiveness report at the console: how fast the business answers, beside the benchmarks.

Filters in the query string (a report can be bookmarked and sent); the same numbers as CSV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from babel.dates import format_timedelta
from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.conversations.report import (
    BENCHMARKS,
    GroupBy,
    ResponsivenessAsk,
    ResponsivenessReport,
    report_csv,
    responsiveness_report,
)
from heedful.core.shared.errors import InvalidInput
from heedful.core.sla.kinds import Channel
from heedful.core.sla.model import ClockKind
from heedful.core.staff.queries import locations_of
from heedful.entrypoints.console.context import (
    Console,
    ConsoleRoute,
    FormState,
    Staff,
    blank_form,
)
from heedful.entrypoints.console.forms import choice
from heedful.entrypoints.console.inbox_labels import say
from heedful.entrypoints.console.labels import N_
from heedful.entrypoints.console.report_pages import csv_download, csv_url, day, refusal, shown_form

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
Unit = Literal["day", "hour", "minute", "second"]

BENCHMARK_NAMES = {
    "email_24h": N_("E-mail, at worst (24 h)"),
    "live_chat_12_07_min": N_("Live chat, average (12.07 min)"),
    "amazon_6_min": N_("Amazon (6 min)"),
}


# The benchmark chart's scale: a minute to two days, logarithmic, so that 6 minutes and 24 hours
# both read on one line.
SCALE_MINUTES = (1.0, 48 * 60.0)
CHART_WIDTH = 560
CHART_LEFT = 150


@dataclass(frozen=True)
class ChartRow:
    label: str
    median_x: float | None
    p90_x: float | None
    median: timedelta | None
    p90: timedelta | None
    answered: int


def scale_x(value_minutes: float) -> float:
    low, high = SCALE_MINUTES
    clamped = min(max(value_minutes, low), high)
    return round(CHART_LEFT + CHART_WIDTH * math.log(clamped / low) / math.log(high / low), 1)


def _x(value: timedelta | None) -> float | None:
    return None if value is None else scale_x(value.total_seconds() / 60)


def benchmark_chart(console: Console, found: ResponsivenessReport) -> list[ChartRow]:
    """First responses, as the customer waited: every channel, then all together."""
    groups = [(say(console.ui, Channel(g.key)), g) for g in found.by_channel]
    groups.append((console.ui.gettext(N_("All channels")), found.total))
    rows = []
    for label, group in groups:
        times = group.times(ClockKind.FIRST_RESPONSE)
        rows.append(
            ChartRow(
                label=label,
                median_x=_x(times.waited_median),
                p90_x=_x(times.waited_p90),
                median=times.waited_median,
                p90=times.waited_p90,
                answered=times.answered,
            )
        )
    return rows


def duration(console: Console, value: timedelta | None) -> str:
    """ "12 min", "1 hr 30 min", "2 days 3 hr": a manager reads it at a glance, to the minute.

    Babel words each part in the reader's language; rounding the whole (babel's own habit,
    "90 min" -> "2 hr") would hide the half hour a median is about.
    """
    if value is None:
        return "—"
    seconds = round(value.total_seconds())
    if seconds < 60:
        return _part(console, timedelta(seconds=seconds), "second")
    total_minutes = round(seconds / 60)
    days, rest = divmod(total_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_part(console, timedelta(days=days), "day"))
    if hours:
        parts.append(_part(console, timedelta(hours=hours), "hour"))
    if minutes and not days:
        parts.append(_part(console, timedelta(minutes=minutes), "minute"))
    return " ".join(parts) or _part(console, timedelta(0), "minute")


def _part(console: Console, value: timedelta, unit: Unit) -> str:
    return format_timedelta(
        value, threshold=1000, format="short", granularity=unit, locale=console.ui.language
    )


@router.get("/console/responsiveness")
def report(
    console: Staff,
    since: str = "",
    until: str = "",
    location_id: str = "",
    channel: str = "",
    format: str = "",  # "csv" for the download, as the API
) -> Response:
    form = blank_form(since=since, until=until, location_id=location_id, channel=channel)
    try:
        ask = ResponsivenessAsk(
            since=day(since, "since"),
            until=day(until, "until"),
            location_id=location_id or None,
            channel=choice(Channel, channel, "channel") if channel else None,
        )
        found = responsiveness_report(
            ask, console.container.uow(read_only=True), console.container.clock, console.actor
        )
    except InvalidInput as exc:
        message = refusal(console, exc)
        return _page(console, FormState(form.values, {exc.field or "form": message}), None, 422)
    period = found.period
    if format == "csv":
        return csv_download(
            "responsiveness", period.since, period.until, report_csv(found, list(GroupBy))
        )
    shown = shown_form(form.values, period.since, period.until)
    return _page(console, shown, found, csv_url=csv_url("/console/responsiveness", form.values))


def _page(
    console: Console,
    form: FormState,
    found: ResponsivenessReport | None,
    status: int = 200,
    csv_url: str = "",
) -> Response:
    return console.render(
        "responsiveness/report.html",
        status=status,
        form=form,
        report=found,
        channels=list(Channel),
        locations=locations_of(console.actor, console.container.uow(read_only=True)),
        csv_url=csv_url,
        ClockKind=ClockKind,
        Channel=Channel,
        benchmarks=BENCHMARKS,
        benchmark_names=BENCHMARK_NAMES,
        say=lambda value, kept="": say(console.ui, value, kept),
        duration=lambda value: duration(console, value),
        chart=benchmark_chart(console, found) if found else [],
        scale_x=scale_x,
        chart_left=CHART_LEFT,
        chart_width=CHART_WIDTH,
    )
