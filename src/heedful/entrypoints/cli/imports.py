"""`heedful import [KIND] FILE`: customers, preferences, owners, dealings or history.

CSV, or JSON Lines (one object per line, ``.jsonl``) for bookings, orders, accounts and history.
Good rows are stored and bad rows listed with the reason, on screen and in
``<name>.rejected.csv`` (or ``.rejected.jsonl``) next to the file, so that the operator fixes
only those rows and imports that file.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import click
from tqdm import tqdm

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM
from heedful.core.customers import importing as customers
from heedful.core.dealings import importing as dealings
from heedful.core.preferences import importing as preferences
from heedful.core.shared.errors import HeedfulError
from heedful.core.shared.importing import ImportReport, ProgressCallback, Rejection
from heedful.core.staff import owner_import
from heedful.entrypoints.cli.import_files import (
    CsvFile,
    JsonlFile,
    UnreadableFile,
    open_source,
    rejects_path,
)

EXIT_ALL_ACCEPTED: Final = 0
EXIT_SOME_REJECTED: Final = 1
EXIT_UNREADABLE: Final = 2
EXIT_STOPPED: Final = 3
SHOWN_REJECTIONS: Final = 20  # the rest are in the rejects file: a terminal is not a report


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]


KINDS: Final = {
    "customers": Kind("customers", customers.COLUMNS, customers.REQUIRED_COLUMNS),
    "preferences": Kind("preferences", preferences.COLUMNS, preferences.REQUIRED_COLUMNS),
    "owners": Kind("owners", owner_import.COLUMNS, owner_import.REQUIRED_COLUMNS),
    **{name: Kind(name, kind.columns, kind.required) for name, kind in dealings.FILE_KINDS.items()},
}
# What a JSON Lines file may hold: the state and history a PMS, POS, shop or bank exports.
JSONL_KINDS: Final = frozenset(dealings.FILE_KINDS)


def infer_kind(path: Path, columns: Iterable[str]) -> Kind:
    """The file name says ("customers-2026.csv"); failing that, the required columns do."""
    stem = path.stem.casefold()
    named = [kind for kind in KINDS.values() if kind.name.removesuffix("s") in stem]
    if len(named) == 1:
        return named[0]
    present = set(columns)
    fitting = [kind for kind in KINDS.values() if present.issuperset(kind.required)]
    if len(fitting) == 1:
        return fitting[0]
    raise UnreadableFile(
        f"cannot tell what {path.name} holds; name it after its kind ({', '.join(KINDS)}) "
        "or say it: heedful import bookings FILE"
    )


def check_columns(source: CsvFile | JsonlFile, kind: Kind) -> list[str]:
    """Refuse a file without the required columns; return the columns that will be ignored."""
    missing = [column for column in kind.required if column not in source.columns]
    if missing:
        raise UnreadableFile(
            f"{source.path.name} has no column {', '.join(missing)}: the first row must name "
            f"the columns (found: {', '.join(source.header)}; {kind.name} files have "
            f"{', '.join(kind.columns)})"
        )
    return [c for c in source.columns if c and c not in kind.columns]


def run_import(
    container: Container,
    source: CsvFile | JsonlFile,
    kind: Kind,
    *,
    batch_size: int,
    on_progress: ProgressCallback,
) -> ImportReport:
    refused: list[Rejection] = []
    rows = source.rows(refused)
    if kind.name in dealings.FILE_KINDS:
        report = dealings.import_dealings(
            dealings.FILE_KINDS[kind.name],
            rows,
            container.uow(),
            container.clock,
            SYSTEM,
            batch_size=batch_size,
            on_progress=on_progress,
        )
    elif kind.name == "customers":
        report = customers.import_customers(
            rows,
            container.uow(),
            container.clock,
            SYSTEM,
            batch_size=batch_size,
            on_progress=on_progress,
            how=f"import {source.path.name}",
        )
    elif kind.name == "owners":
        report = owner_import.import_owners(
            rows,
            container.uow(),
            container.clock,
            SYSTEM,
            batch_size=batch_size,
            on_progress=on_progress,
        )
    else:
        report = preferences.import_preferences(
            rows,
            container.uow(),
            container.clock,
            SYSTEM,
            batch_size=batch_size,
            on_progress=on_progress,
        )
    # Garbled rows never reached the use case; the bar still owes them.
    on_progress(len(refused))
    report.rejected = sorted([*report.rejected, *refused], key=lambda r: r.row)
    return report


@click.command("import")
@click.argument("kind_or_file", metavar="[KIND] FILE")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    "kind_name",
    type=click.Choice(sorted(KINDS)),
    help="What the file holds. Default: from its name, else from its columns.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Rows per transaction.",
)
def import_command(
    kind_or_file: str, file: Path | None, kind_name: str | None, batch_size: int
) -> None:
    """Import customers, preferences, owners, bookings, orders, accounts, history or the catalog.

    \b
    heedful import customers.csv
    heedful import owners relationship-managers.csv   (customer,location,owner: a staff login)
    heedful import catalog items.jsonl
    heedful import stock stock-counts.csv
    heedful import bookings pms-export.jsonl
    heedful import history pos-2026.csv

    CSV (UTF-8, ',' or ';'), or JSON Lines (.jsonl) for bookings, orders, accounts and history.
    Rows already known by e-mail, phone, loyalty card or external id update that customer, so a
    file can be imported again; bookings, orders, accounts and history rows become the events
    their systems would send, and a row imported again is recognised. Rejected rows are listed
    and written to NAME.rejected.csv (.jsonl).
    Exit status: 0 all rows accepted, 1 some rejected, 2 the file cannot be read, 3 the import
    stopped on an unexpected error (batches committed before it stay).
    """
    if file is None:
        file = Path(kind_or_file)
    elif kind_or_file in ("catalog", "stock"):
        from heedful.entrypoints.cli.catalog_import import import_catalog_file

        import_catalog_file(file, batch_size, stock=kind_or_file == "stock")
        return
    elif kind_or_file in KINDS:
        kind_name = kind_name or kind_or_file
    else:
        kinds = ", ".join(("catalog", "stock", *KINDS))
        click.echo(f"error: {kind_or_file} is not a kind: say one of {kinds}", err=True)
        sys.exit(EXIT_UNREADABLE)
    try:
        source = open_source(file)
        kind = KINDS[kind_name] if kind_name else infer_kind(file, source.columns)
        if isinstance(source, JsonlFile) and kind.name not in JSONL_KINDS:
            raise UnreadableFile(
                f"{kind.name} are imported from CSV; JSON Lines hold "
                f"{', '.join(sorted(JSONL_KINDS))}"
            )
        ignored = check_columns(source, kind)
        total = source.count()
    except UnreadableFile as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if ignored:
        click.echo(
            f"ignoring columns {kind.name} files do not have: {', '.join(ignored)}", err=True
        )

    container = build(Settings())
    try:
        report, bar, started = with_progress(
            file.name,
            total,
            lambda progress: run_import(
                container, source, kind, batch_size=batch_size, on_progress=progress
            ),
            refused=HeedfulError,
        )
    finally:
        container.close()
    bar.close()
    summarise(file, report, time.perf_counter() - started, rejects_path(file), source.write_rejects)
    sys.exit(EXIT_SOME_REJECTED if report.rejected else EXIT_ALL_ACCEPTED)


def with_progress(
    name: str,
    total: int,
    work: Callable[[Callable[[int], object]], ImportReport],
    *,
    refused: type[Exception],
) -> tuple[ImportReport, tqdm[Any], float]:
    """Run an import under a progress bar: the report, the bar (still open) and when it began.

    A ``refused`` error (the file cannot be read) exits 2 with its message; anything else exits
    3 saying how many rows were stored before it, since batches committed before it stay.
    """
    # disable=None: no bar when stderr is not a terminal (cron, CI logs), where it is noise.
    bar = tqdm(total=total, desc=name, unit=" rows", file=sys.stderr, disable=None)
    started = time.perf_counter()
    try:
        return work(bar.update), bar, started
    except refused as exc:
        bar.close()
        click.echo(f"error: {getattr(exc, 'message', exc)}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except Exception:
        bar.close()
        click.echo(traceback.format_exc(), err=True)
        click.echo(
            f"error: the import stopped after {bar.n:,} rows; those are stored, the rest are not. "
            "Importing the file again updates rather than duplicates.",
            err=True,
        )
        sys.exit(EXIT_STOPPED)


def summarise(
    file: Path,
    report: ImportReport,
    seconds: float,
    target: Path,
    write_rejects: Callable[[list[Rejection], Path], None],
) -> None:
    """What was stored and what was refused, with the refused rows written to ``target``."""
    rate = report.rows / seconds if seconds > 0 else 0.0
    click.echo(f"{file.name}: {report.rows:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s)")
    click.echo(
        f"  accepted {report.accepted:,} (created {report.created:,}, updated {report.updated:,}, "
        f"unchanged {report.unchanged:,})"
    )
    if not report.rejected:
        if target.exists():
            # A rejects file from an earlier run would now describe rows that are fixed.
            target.unlink()
            click.echo(f"  removed {target.name} left by an earlier run")
        return
    write_rejects(report.rejected, target)
    click.echo(f"  rejected {len(report.rejected):,}, written with the reasons to {target}:")
    for rejection in report.rejected[:SHOWN_REJECTIONS]:
        where = f", {rejection.field}" if rejection.field else ""
        click.echo(f"    row {rejection.row}{where}: {rejection.reason}")
    more = len(report.rejected) - SHOWN_REJECTIONS
    if more > 0:
        click.echo(f"    … and {more:,} more in {target.name}")
