"""/admin/security-events: the logins, lockouts, unlocks and deactivations, for admins to read.

The same rows as ``GET /api/v1/security-events``, filtered by kind and login name, with a CSV
download. Times are shown in the installation's zone when its locations share one (as the
reports do), otherwise in UTC; the page says which.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.reports import report_zone
from heedful.core.staff.model import SecurityEventKind
from heedful.core.staff.security_log import security_log, security_log_csv
from heedful.entrypoints.console.context import ConsoleRoute, Staff
from heedful.entrypoints.console.forms import choice

router = APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)


@router.get("/security-events")
def security_events(
    console: Staff,
    kind: str = "",
    login: str = "",
    format: str = "",  # "csv" for the download, as on the report pages
) -> Response:
    wanted = choice(SecurityEventKind, kind, "kind") if kind else None
    events = security_log(
        console.container.uow(read_only=True), console.actor, kind=wanted, login=login
    )
    with console.container.uow(read_only=True) as uow:
        zone = report_zone(uow.locations.list())
    if format == "csv":
        body = security_log_csv(events, zone, console.ui.label)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="security-events.csv"'},
        )
    filters = {key: value for key, value in (("kind", kind), ("login", login)) if value}
    return console.render(
        "admin/security_events.html",
        events=events,
        zone=zone,
        kinds=list(SecurityEventKind),
        kind=kind,
        login=login,
        csv_url="/admin/security-events?" + urlencode({**filters, "format": "csv"}),
    )
