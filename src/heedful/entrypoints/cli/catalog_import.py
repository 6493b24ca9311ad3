"""`heedful import catalog FILE`: items from a CSV or JSONL export, with a progress bar.

Good rows are kept in batches; every bad row is listed with all its reasons, on screen and in
``<name>.rejected.csv`` (or ``.rejected.jsonl``) beside the file, so the operator fixes only those.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path

import click
from tqdm import tqdm

from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.catalog.importing import COLUMNS, REQUIRED_COLUMNS, CatalogRow, import_catalog
from heedful.core.shared.importing import ImportReport, Rejection
from heedful.entrypoints.cli.imports import (
    EXIT_ALL_ACCEPTED,
    EXIT_SOME_REJECTED,
    EXIT_STOPPED,
    EXIT_UNREADABLE,
    SHOWN_REJECTIONS,
    CsvFile,
    UnreadableFile,
    rejects_path,
)


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


def import_catalog_file(file: Path, batch_size: int) -> None:
    refused: list[Rejection] = []
    try:
        if _is_jsonl(file):
            lines = JsonLines(file)
            total = lines.count()
            rows: Iterator[CatalogRow] = lines.records(refused)
        else:
            source = CsvFile.open(file)
            missing = [c for c in REQUIRED_COLUMNS if c not in source.columns]
            if missing:
                raise UnreadableFile(
                    f"{file.name} has no column {', '.join(missing)}; catalog files have "
                    f"{', '.join(COLUMNS)} and attr_<name> for any attribute"
                )
            total = source.count()
            rows = _csv_rows(source, refused)
    except UnreadableFile as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    container = build(Settings())
    bar = tqdm(total=total, desc=file.name, unit=" rows", file=sys.stderr, disable=None)
    started = time.perf_counter()
    try:
        report = import_catalog(
            rows,
            container.uow(),
            container.clock.now(),
            batch_size=batch_size,
            on_progress=bar.update,
        )
    except UnreadableFile as exc:
        bar.close()
        click.echo(f"error: {exc}", err=True)
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
    finally:
        container.close()
    bar.update(len(refused))
    bar.close()
    report.rejected = sorted([*report.rejected, *refused], key=lambda r: r.row)
    _summarise(file, report, time.perf_counter() - started)
    sys.exit(EXIT_SOME_REJECTED if report.rejected else EXIT_ALL_ACCEPTED)


def _summarise(file: Path, report: ImportReport, seconds: float) -> None:
    rate = report.rows / seconds if seconds > 0 else 0.0
    click.echo(f"{file.name}: {report.rows:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s)")
    click.echo(
        f"  accepted {report.accepted:,} (created {report.created:,}, updated {report.updated:,}, "
        f"unchanged {report.unchanged:,})"
    )
    target = (
        file.with_name(f"{file.stem}.rejected.jsonl") if _is_jsonl(file) else rejects_path(file)
    )
    if not report.rejected:
        if target.exists():
            target.unlink()
            click.echo(f"  removed {target.name} left by an earlier run")
        return
    if _is_jsonl(file):
        JsonLines(file).write_rejects(report.rejected, target)
    else:
        CsvFile.open(file).write_rejects(report.rejected, target)
    click.echo(f"  rejected {len(report.rejected):,}, written with the reasons to {target}:")
    for rejection in report.rejected[:SHOWN_REJECTIONS]:
        where = f", {rejection.field}" if rejection.field else ""
        click.echo(f"    row {rejection.row}{where}: {rejection.reason}")
    more = len(report.rejected) - SHOWN_REJECTIONS
    if more > 0:
        click.echo(f"    … and {more:,} more in {target.name}")
