"""The security log for admins: who tried to log in, from where, and what came of it.

The rows are written by ``logins.py`` (tries, refusals, locks, unlocks, logouts, deactivations);
this is the reading side the console page and its CSV share, so both show the same rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from heedful.core.access import Actor, Permission
from heedful.core.shared.text import spreadsheet_safe
from heedful.core.staff.model import SecurityEvent, SecurityEventKind
from heedful.core.unit_of_work import UnitOfWork

# What a page shows and a download holds: enough for a morning's look at a week of attempts.
MAX_ROWS = 1000

CSV_COLUMNS = ("time", "kind", "login", "address", "by", "detail")


def security_log(
    uow: UnitOfWork,
    actor: Actor,
    *,
    kind: SecurityEventKind | None = None,
    login: str = "",
    limit: int = MAX_ROWS,
) -> list[SecurityEvent]:
    """Newest first; the same permission as managing staff, whose accounts these are."""
    actor.require(Permission.MANAGE_STAFF)
    kinds = frozenset({kind}) if kind is not None else frozenset()
    with uow:
        return uow.security_events.list(
            kinds=kinds, login=login.strip(), limit=max(1, min(limit, MAX_ROWS))
        )


def security_log_csv(
    events: Sequence[SecurityEvent], zone: str, kind_label: Callable[[SecurityEventKind], str]
) -> str:
    """One row per event, times with their offset in ``zone``, starting with a byte-order mark.

    A login name is typed by whoever stood at the form, an attacker included: a cell a
    spreadsheet would run as a formula ("=HYPERLINK(...)") is quoted with an apostrophe.
    """
    tz = ZoneInfo(zone)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        writer.writerow(
            [
                _local(event.at, tz),
                spreadsheet_safe(kind_label(event.kind)),
                spreadsheet_safe(event.login),
                spreadsheet_safe(event.address),
                spreadsheet_safe(event.actor_label),
                spreadsheet_safe(event.detail),
            ]
        )
    return "\ufeff" + out.getvalue()


def _local(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).isoformat(timespec="seconds")
