"""`heedful feedback`: maintenance of the feedback room (the dashboard's rollups, the CX index)."""

from __future__ import annotations

import time

import click

from heedful.adapters.storage.dashboard_rebuild import STEPS, rebuild_rollups
from heedful.adapters.storage.engine import make_engine
from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.feedback.recompute import plan_recompute, recompute_feedback


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


@feedback.command("recompute")
@click.option("--weeks", default=1, show_default=True, help="Completed ISO weeks to recompute.")
@click.option("--months", default=1, show_default=True, help="Completed months to recompute.")
def recompute_command(weeks: int, months: int) -> None:
    """Store the CX index of the last completed weeks and months, and score churn risk.

    What the worker does once a day; run it by hand after an import, or with more weeks and
    months to fill the history. Each period and location is its own transaction.
    """
    container = build(Settings())
    started = time.perf_counter()
    try:
        clock = container.clock
        batches = plan_recompute(container.uow(), clock.now(), weeks=weeks, months=months)
        with click.progressbar(length=len(batches) + 1, label="recomputing") as bar:
            report = recompute_feedback(container.uow, clock, batches=batches, on_batch=bar.update)
    finally:
        container.close()
    click.echo(
        f"{report.values} CX index values over {report.batches} periods and places, "
        f"{report.churn_scored} customers scored for churn in {time.perf_counter() - started:.1f} s"
    )
