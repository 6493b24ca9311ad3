"""`heedful feedback`: maintenance of the feedback room (the dashboard's rollups)."""

from __future__ import annotations

import time

import click

from heedful.adapters.storage.dashboard_rebuild import STEPS, rebuild_rollups
from heedful.adapters.storage.engine import make_engine
from heedful.config import Settings


@click.group()
def feedback() -> None:
    """Surveys, answers and the experience dashboard."""


@feedback.command("rebuild-rollups")
def rebuild_rollups_command() -> None:
    """Count every answer and recovery loop again into the dashboard's rollups.

    After a restore, a bulk import or an upgrade that changes what the rollups hold. One
    transaction: new answers wait for it, and the dashboard shows the old counts until it ends.
    """
    engine = make_engine(Settings().database_url)
    started = time.perf_counter()
    try:
        with (
            engine.begin() as conn,
            click.progressbar(length=len(STEPS), label="rebuilding rollups") as bar,
        ):
            rebuild_rollups(conn, lambda _: bar.update(1))
    finally:
        engine.dispose()
    click.echo(f"rollups rebuilt in {time.perf_counter() - started:.1f} s")
