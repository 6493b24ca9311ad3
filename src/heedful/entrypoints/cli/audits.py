"""`heedful audits`: upkeep of the service audits (the photo files on disk)."""

from __future__ import annotations

from datetime import timedelta

import click

from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.audits import SWEEP_GRACE
from heedful.entrypoints.worker.jobs import sweep_audit_photos


@click.group()
def audits() -> None:
    """Service audits: evaluators' visits, their photos."""


@audits.command("sweep-photos")
@click.option(
    "--grace-hours",
    default=int(SWEEP_GRACE.total_seconds() // 3600),
    show_default=True,
    type=click.IntRange(min=0),
    help="Keep a file no visit names for this long after it was written.",
)
def sweep_photos_command(grace_hours: int) -> None:
    """Delete photo files no visit names any more (taken off a draft, handed on, or erased).

    The worker does it once a day; run it by hand after erasing visits to free the disk at once.
    """
    container = build(Settings())
    try:
        report = sweep_audit_photos(container, timedelta(hours=grace_hours))
    finally:
        container.close()
    megabytes = report.bytes_freed / 1_000_000
    click.echo(f"photos removed: {report.removed} ({megabytes:.1f} MB), kept: {report.kept}")
