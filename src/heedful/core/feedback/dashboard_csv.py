"""Each chart of the experience dashboard as CSV: the very numbers the chart draws.

UTF-8 with a byte-order mark (Excel reads Cyrillic names as mojibake without it), CRLF line
ends, and a cell that a spreadsheet would take for a formula quoted with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from enum import StrEnum

from heedful.core.feedback.dashboard import ExperienceReport, TopicSeries
from heedful.core.feedback.dashboard_ports import SENTIMENTS
from heedful.core.feedback.maths import Figure


class Chart(StrEnum):
    FIGURES = "figures"
    TREND = "trend"
    DISTRIBUTION = "distribution"
    HEAT_MAP = "heat_map"
    THEMES = "themes"
    EMOTIONS = "emotions"
    LOOPS = "loops"
    ROOT_CAUSES = "root_causes"


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return (
        "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(text) else text
    )


def _number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _figure(figure: Figure) -> list[object]:
    return [
        figure.measure,
        figure.value,
        figure.low,
        figure.high,
        figure.sample_size,
        figure.method,
    ]


FIGURE_COLUMNS = ["measure", "value", "low_95", "high_95", "sample_size", "interval"]


def _figures(report: ExperienceReport) -> Iterable[list[object]]:
    yield ["since", "until", *FIGURE_COLUMNS]
    for kind in report.kinds:
        for figure in kind.figures:
            yield [report.since, report.until, *_figure(figure)]


def _trend(report: ExperienceReport) -> Iterable[list[object]]:
    yield [report.step.value, "first_day", "last_day", *FIGURE_COLUMNS]
    for point in report.trend:
        for figure in point.figures.values():
            yield [
                point.bucket.key,
                point.bucket.first_day,
                point.bucket.last_day,
                *_figure(figure),
            ]


def _distribution(report: ExperienceReport) -> Iterable[list[object]]:
    yield ["kind", "score", "answers"]
    for kind in report.kinds:
        for score, count in kind.histogram.items():
            yield [kind.kind.value, score, count]


def _heat_map(report: ExperienceReport) -> Iterable[list[object]]:
    yield [
        "touchpoint",
        "location_id",
        "location",
        "answers",
        "emotion",
        "cx_index",
        "cx_period_start",
        "cx_period_end",
        "cx_previous",
        "cx_formula_version",
    ]
    for cell in report.heat:
        cx = cell.cx
        yield [
            cell.touchpoint,
            cell.location_id,
            report.location_names.get(cell.location_id, cell.location_id),
            cell.answers,
            cell.emotion,
            cx.value if cx else None,
            cx.cell.period_start.date() if cx else None,
            cx.cell.period_end.date() if cx else None,
            cx.previous_value if cx else None,
            cx.formula_version if cx else None,
        ]


def _series(
    report: ExperienceReport, series: Sequence[TopicSeries], what: str, sentiments: bool
) -> Iterable[list[object]]:
    yield [what, report.step.value, "first_day", "mentions", *(SENTIMENTS if sentiments else ())]
    for one in series:
        for bucket, mentions in zip(report.buckets, one.mentions, strict=True):
            yield [one.name, bucket.key, bucket.first_day, mentions]
        if sentiments:
            said = [one.sentiments.get(s, 0) for s in SENTIMENTS]
            yield [one.name, "all", report.since, one.total, *said]


def _loops(report: ExperienceReport) -> Iterable[list[object]]:
    board = report.loops
    yield ["since", "until", "opened", "closed_in_time", "closed_late", "still_open", "overdue_now"]
    yield [
        report.since,
        report.until,
        board.opened,
        board.closed_in_time,
        board.closed_late,
        board.still_open,
        board.overdue,
    ]


_CHARTS: dict[Chart, Callable[[ExperienceReport], Iterable[list[object]]]] = {
    Chart.FIGURES: _figures,
    Chart.TREND: _trend,
    Chart.DISTRIBUTION: _distribution,
    Chart.HEAT_MAP: _heat_map,
    Chart.THEMES: lambda r: _series(r, r.themes, "theme", True),
    Chart.EMOTIONS: lambda r: _series(r, r.emotions, "emotion", False),
    Chart.LOOPS: _loops,
    Chart.ROOT_CAUSES: lambda r: _series(r, r.root_causes, "root_cause", False),
}


def chart_csv(report: ExperienceReport, chart: Chart) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in _CHARTS[chart](report):
        writer.writerow([_cell(value) for value in row])
    return "\ufeff" + out.getvalue()
