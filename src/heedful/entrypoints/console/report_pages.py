"""What the console's report pages share: the period in the query string, the refusal a manager
reads when a period cannot be reported, and the CSV download with its file name.

The promise report, the responsiveness report and the experience dashboard read the same filters
the same way, so a bookmarked report means the same thing on each.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from fastapi.responses import Response

from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.entrypoints.console.context import Console, FormState, blank_form
from heedful.entrypoints.console.labels import N_

# The core speaks English to integrators; staff read why a period was refused in their language.
PERIOD_REFUSED = N_(
    "Choose a period of at most two years, from 2000 on, whose first day is not after its last."
)


def day(value: str, field: str) -> date | None:
    """A day of the query string (YYYY-MM-DD), or None when left empty."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(
            "give the date as YYYY-MM-DD", said=Phrase("refusal.date"), field=field
        ) from exc


def refusal(console: Console, exc: InvalidInput) -> str:
    """What the manager reads: the period's rule in her language, or the field's own error."""
    if exc.field in ("since", "until") and not exc.message.startswith("give the date"):
        return console.ui.gettext(PERIOD_REFUSED)
    return console.ui.error(exc)


def csv_download(name: str, since: date, until: date, body: str | bytes) -> Response:
    """The report's numbers as a file named after what it holds and the days it covers."""
    filename = f"{name}-{since.isoformat()}-{until.isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def shown_form(values: Mapping[str, str], since: date, until: date) -> FormState:
    """The filters as asked, with the days the report actually covers filled in."""
    return blank_form(**{**values, "since": since.isoformat(), "until": until.isoformat()})


def csv_url(path: str, values: Mapping[str, str], **extra: str) -> str:
    """The same report's address, asking for CSV: the filters set, nothing empty."""
    filters = {key: value for key, value in values.items() if value}
    return f"{path}?" + urlencode({**filters, "format": "csv", **extra})
