"""The goodwill report at the console: what was given, and what followed it (ADR 0041).

The same core query as GET /api/v1/reports/goodwill. Each share is shown with the number of
customers it was counted over: a 100 % from two customers is not a 100 % from two hundred, and a
manager deciding whether desserts pay off must see which one she has.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta

from babel.numbers import get_currency_precision
from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core import goodwill
from heedful.core.access.model import Permission
from heedful.core.shared.errors import InvalidInput
from heedful.core.staff.queries import locations_of
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.goodwill import KIND
from heedful.entrypoints.console.labels import N_
from heedful.entrypoints.console.report_pages import (
    csv_download,
    csv_url,
    day,
    refusal,
    shown_form,
)

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

PATH = "/console/goodwill/report"
WITHIN_DAYS = (7, 14, 30, 60, 90)
GROUPS = (
    ("with_goodwill", N_("Given goodwill")),
    ("with_surprise", N_("Given a surprise")),
    ("without", N_("Seen, given nothing")),
)


def _within(value: str) -> int:
    if not value.strip():
        return 30
    if not value.strip().isdigit() or int(value) not in WITHIN_DAYS:
        raise InvalidInput("choose 7, 14, 30, 60 or 90 days", field="within_days")
    return int(value)


@router.get(PATH)
def report(
    console: Staff,
    since: str = "",
    until: str = "",
    location_id: str = "",
    within_days: str = "",
    format: str = "",  # "csv" for the download
) -> Response:
    console.actor.require(Permission.VIEW_REPORTS)
    form = blank_form(since=since, until=until, location_id=location_id, within_days=within_days)
    try:
        first, last, within = day(since, "since"), day(until, "until"), _within(within_days)
        last = last or console.container.clock.now().date()
        first = first or last - timedelta(days=29)
        if first > last or (last - first).days > 731:
            raise InvalidInput("the period is refused", field="since")
        found = goodwill.goodwill_report(
            console.container.uow(read_only=True),
            console.actor,
            datetime.combine(first, time(), UTC),
            datetime.combine(last + timedelta(days=1), time(), UTC),
            within_days=within,
            location_id=location_id or None,
        )
    except InvalidInput as exc:
        message = refusal(console, exc)
        return _page(console, FormState(form.values, {exc.field or "form": message}), None, 422)
    if format == "csv":
        return csv_download("goodwill", first, last, _csv(console, found))
    shown = shown_form(form.values, first, last)
    return _page(console, shown, found, csv_url=csv_url(PATH, form.values))


def _kind(console: Console, kind: str) -> str:
    msgid = KIND.get(kind)
    return console.ui.gettext(msgid) if msgid else kind


def _csv(console: Console, found: goodwill.GoodwillReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "customers", "value", "share", "mean_score"])
    for currency, total in sorted(found.money.items()):
        writer.writerow(["money", currency, "", str(total), "", ""])
    for kind, count in sorted(found.items.items()):
        writer.writerow(["items", _kind(console, kind), "", str(count), "", ""])
    for key, _label in GROUPS:
        effect = getattr(found, key)
        mean = "" if effect.feedback_mean is None else effect.feedback_mean
        share = _share(effect.feedback_share)
        writer.writerow(["answered", key, effect.customers, effect.with_feedback, share, mean])
        writer.writerow(
            ["returned", key, effect.customers, effect.returned, _share(effect.return_share), ""]
        )
    return out.getvalue()


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _page(
    console: Console,
    form: FormState,
    found: goodwill.GoodwillReport | None,
    status: int = 200,
    csv_url: str = "",
) -> Response:
    return console.render(
        "goodwill/report.html",
        status=status,
        form=form,
        report=found,
        locations=locations_of(console.actor, console.container.uow(read_only=True)),
        csv_url=csv_url,
        groups=[(key, console.ui.gettext(label)) for key, label in GROUPS],
        within_choices=WITHIN_DAYS,
        kind_label=lambda kind: _kind(console, kind),
        money_of=lambda amount, currency: console.ui.money(
            int(amount * 10 ** get_currency_precision(currency)), currency
        ),
    )
