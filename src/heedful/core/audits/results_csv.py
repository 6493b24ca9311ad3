"""A wave's results as CSV: one row per location, then per location and section, and per item."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from heedful.core.audits.results import WaveReport

HEADER = ("location_id", "location", "rank", "visits", "level", "key", "title", "score")


def results_csv(report: WaveReport, location_names: Mapping[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for place in report.locations:
        name = location_names.get(place.location_id, place.location_id)
        head = (place.location_id, name, place.rank, place.visits)
        writer.writerow((*head, "location", "", "", _figure(place.score)))
        for key, score in place.sections.items():
            writer.writerow((*head, "section", key, report.titles.get(key, key), _figure(score)))
        for key, score in place.items.items():
            writer.writerow((*head, "item", key, report.titles.get(key, key), _figure(score)))
    return out.getvalue()


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
