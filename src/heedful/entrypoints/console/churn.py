"""`/console/churn`: the customers most likely to stop coming, and what to do about each.

The score is out of 100 (ADR 20) and read as a level; the list narrows by location, segment and
a lowest score, downloads as CSV with the same filters, and each row opens a recovery: owned by
whoever opened it, due in a business day, on the closed-loop board beside those an unhappy answer
opened, and closed there the same way, with a root cause (ADR 0053).
"""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.customers.model import Segment
from heedful.core.feedback import indices, recovery
from heedful.core.feedback.indices import AtRisk
from heedful.core.shared.errors import HeedfulError
from heedful.core.staff.queries import locations_of
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff, blank_form
from heedful.entrypoints.console.feedback import REASON_LABELS
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

SHOWN = 100  # rows on the page and in the file, highest risk first
_READ = 1000  # read before filtering, so a narrow filter still fills the page


def level(score: int) -> str:
    """How the score reads: high from 70, medium from 40, low below (the list's colours)."""
    if score >= 70:
        return N_("High")
    if score >= 40:
        return N_("Medium")
    return N_("Low")


def _shown(
    console: Console, location_id: str, segment: str, min_score: str
) -> tuple[list[AtRisk], dict[str, str]]:
    lowest = int(min_score) if min_score.strip().isdigit() else 0
    found = indices.list_churn_risks(console.container.uow(read_only=True), console.actor, _READ)
    rows = [
        row
        for row in found
        if row.risk.score >= lowest
        and (not location_id or location_id in row.customer.location_ids)
        and (not segment or row.customer.segment.value == segment)
    ][:SHOWN]
    filters = {"location_id": location_id, "segment": segment, "min_score": str(lowest or "")}
    return rows, filters


@router.get("/console/churn")
def churn(
    console: Staff, location_id: str = "", segment: str = "", min_score: str = "", format: str = ""
) -> Response:
    rows, filters = _shown(console, location_id, segment, min_score)
    if format == "csv":
        return _csv(console, rows)
    kept = {key: value for key, value in filters.items() if value}
    return console.render(
        "feedback/churn.html",
        at_risk=rows,
        reasons=REASON_LABELS,
        level=level,
        form=blank_form(**filters),
        locations=locations_of(console.actor, console.container.uow(read_only=True)),
        segment_options=[(s.value, console.ui.label(s)) for s in Segment],
        csv_query="&".join(f"{key}={value}" for key, value in {**kept, "format": "csv"}.items()),
    )


def _csv(console: Console, rows: list[AtRisk]) -> Response:
    out = io.StringIO()
    say = console.ui.gettext
    writer = csv.writer(out)
    writer.writerow([say(N_("Customer")), "id", say(N_("Risk")), say(N_("Level")), say(N_("Why"))])
    for row in rows:
        why = "; ".join(say(REASON_LABELS.get(r.code, r.code)) for r in row.risk.reasons)
        score = row.risk.score
        writer.writerow([row.customer.full_name, row.customer.id, score, say(level(score)), why])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="churn-risk.csv"'},
    )


@router.post("/console/churn")
def assess(console: Staff) -> Response:
    indices.assess_churn(console.container.uow(), console.container.clock, console.actor)
    return console.redirect("/console/churn")


@router.post("/console/churn/{customer_id}/recover")
def recover(console: Staff, customer_id: str) -> Response:
    """A recovery for her, owned by whoever opened it, on the closed-loop board with the rest."""
    try:
        recovery.open_churn_recovery(
            customer_id, console.container.uow(), console.container.clock, console.actor
        )
    except HeedfulError:
        return console.redirect("/console/churn")
    return console.redirect("/console/recoveries")
