"""`heedful import catalog FILE` and `heedful import stock FILE`, with a progress bar.

Items (code, kind, parent_code, names, brand, size, colour, attr_*) or stock counts (code,
location, quantity) from a CSV or JSONL export, through the bulk path (``catalog.bulk``): rows
checked one by one (the next batch in a reader thread while this one is written), stored
thousands at a time. Every bad row is listed with all its reasons, on
screen and in ``<name>.rejected.csv`` (or ``.rejected.jsonl``) beside the file, so the operator
fixes only those; a variant back in stock tells the customers waiting for it.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import click

from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.catalog import BULK_BATCH, import_items_in_bulk
from heedful.core.catalog.bulk import STOCK_COLUMNS
from heedful.core.catalog.importing import COLUMNS, REQUIRED_COLUMNS, CatalogRow
from heedful.core.engine.stock_imports import import_stock
from heedful.core.shared.importing import ImportReport, Rejection
from heedful.entrypoints.cli.import_files import CsvFile, UnreadableFile, rejects_path
from heedful.entrypoints.cli.imports import (
    EXIT_ALL_ACCEPTED,
    EXIT_SOME_REJECTED,
    EXIT_UNREADABLE,
    summarise,
    with_progress,
)
from heedful.entrypoints.cli.read_ahead import read_ahead


class JsonLines:
    """One JSON object a line; the row number is the line number."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def records(self, refused: list[Rejection]) -> Iterator[CatalogRow]:
        try:
            with self.path.open(encoding="utf-8-sig") as text:
                for number, line in enumerate(text, start=1):
                    if not line.strip():
                        continue
                    try:
                        value = json.loads(line)
                    except json.JSONDecodeError as exc:
                        refused.append(Rejection(number, "", f"not JSON: {exc.msg}"))
                        continue
                    if not isinstance(value, Mapping):
                        refused.append(Rejection(number, "", "each line is one JSON object"))
                        continue
                    yield number, value
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"{self.path.name} is not UTF-8 text ({exc.reason})") from exc
        except OSError as exc:
            raise UnreadableFile(f"cannot read {self.path}: {exc.strerror}") from exc

    def count(self) -> int:
        return sum(1 for _ in self.records([]))

    def write_rejects(self, rejected: list[Rejection], target: Path) -> None:
        with target.open("w", encoding="utf-8") as out:
            for rejection in rejected:
                line = {"row": rejection.row, "field": rejection.field, "reason": rejection.reason}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")


def _is_jsonl(path: Path) -> bool:
    return path.suffix.casefold() in {".jsonl", ".ndjson", ".json"}


def _csv_rows(source: CsvFile, refused: list[Rejection]) -> Iterator[CatalogRow]:
    yield from source.rows(refused)


@contextmanager
def _quiet_collector() -> Iterator[None]:
    # A batch is tens of thousands of new dicts and tuples that hold no cycles, yet each few
    # hundred of them start a collection that walks every object alive, the application's
    # modules included: measured, half of the Python time of a stock import. While the import
    # runs, the objects alive before it are set aside and collections come a hundred times less
    # often; both are put back after it, for a process that goes on (a test, a shell).
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def import_catalog_file(file: Path, batch_size: int, *, stock: bool = False) -> None:
    """``stock``: the file holds counts (code, location, quantity), not items."""
    columns, required = (STOCK_COLUMNS, STOCK_COLUMNS) if stock else (COLUMNS, REQUIRED_COLUMNS)
    # Thousands of rows per statement: a smaller batch would be the old path's round trips.
    batch_size = max(batch_size, BULK_BATCH)
    refused: list[Rejection] = []
    try:
        if _is_jsonl(file):
            lines = JsonLines(file)
            total = lines.count()
            rows: Iterator[CatalogRow] = lines.records(refused)
        else:
            source = CsvFile.open(file)
            missing = [c for c in required if c not in source.columns]
            if missing:
                extra = "" if stock else " and attr_<name> for any attribute"
                raise UnreadableFile(
                    f"{file.name} has no column {', '.join(missing)}; these files have "
                    f"{', '.join(columns)}{extra}"
                )
            total = source.count()
            rows = _csv_rows(source, refused)
    except UnreadableFile as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    container = build(Settings())
    told: list[str] = []

    def work(progress: Callable[[int], object]) -> ImportReport:
        if not stock:
            return import_items_in_bulk(
                rows,
                container.uow(),
                container.clock.now(),
                batch_size=batch_size,
                on_progress=progress,
                read_ahead=read_ahead,
            )
        done = import_stock(
            rows,
            container.uow(),
            container.clock,
            batch_size=batch_size,
            on_progress=progress,
            read_ahead=read_ahead,
        )
        told.extend(done.told)
        return done.imported.report

    try:
        with _quiet_collector():
            report, bar, started = with_progress(file.name, total, work, refused=UnreadableFile)
    finally:
        container.close()
    bar.update(len(refused))
    bar.close()
    report.rejected = sorted([*report.rejected, *refused], key=lambda r: r.row)
    if _is_jsonl(file):
        target = file.with_name(f"{file.stem}.rejected.jsonl")
        write = JsonLines(file).write_rejects
    else:
        target, write = rejects_path(file), CsvFile.open(file).write_rejects
    summarise(file, report, time.perf_counter() - started, target, write)
    if stock:
        click.echo(f"  customers told their item is back: {len(told):,}")
    sys.exit(EXIT_SOME_REJECTED if report.rejected else EXIT_ALL_ACCEPTED)
