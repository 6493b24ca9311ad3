"""The failure map as CSV: one row per cell, or per case when a cell was asked for."""

from __future__ import annotations

import csv
import io

from heedful.core.failures.model import FailureMap
from heedful.core.shared.text import spreadsheet_safe

CELL_COLUMNS = (
    "touchpoint",
    "kind",
    "count",
    "pre_empted",
    "rescued",
    "unhandled",
    "open",
    "recovery_median_minutes",
    "with_next_feedback",
    "next_emotion_mean",
)
CASE_COLUMNS = (
    "touchpoint",
    "kind",
    "at",
    "outcome",
    "location_id",
    "customer_id",
    "ref",
    "label",
    "recovery_minutes",
    "next_emotion",
)


def _blank(value: object) -> object:
    return "" if value is None else value


def map_csv(found: FailureMap) -> str:
    """Every cell (empty ones too, so the file always has the map's shape), then its cases."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CELL_COLUMNS)
    for cell in found.cells:
        writer.writerow(
            [
                cell.touchpoint.value,
                cell.kind.value,
                cell.count,
                cell.pre_empted,
                cell.rescued,
                cell.unhandled,
                cell.open,
                _blank(cell.recovery_median_minutes),
                cell.with_next_feedback,
                _blank(cell.next_emotion_mean),
            ]
        )
    if found.cases:
        writer.writerow([])
        writer.writerow(CASE_COLUMNS)
    for case in found.cases:
        failure = case.failure
        writer.writerow(
            [
                failure.touchpoint.value,
                failure.kind.value,
                failure.at.isoformat(),
                case.outcome.value,
                failure.location_id,
                failure.customer_id,
                failure.ref,
                # Labels are the business's own words (an order reference, a promise's text):
                # never let a spreadsheet read one as a formula.
                spreadsheet_safe(failure.label),
                _blank(case.recovery_minutes),
                _blank(case.next_emotion),
            ]
        )
    return out.getvalue()
