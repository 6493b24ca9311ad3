"""`heedful import catalog FILE`: items from a CSV or JSONL export, with a progress bar.

Good rows are kept in batches; every bad row is listed with all its reasons, on screen and in
``<name>.rejected.csv`` (or ``.rejected.jsonl``) beside the file, so the operator fixes only those.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import click

from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.catalog.importing import COLUMNS, REQUIRED_COLUMNS, CatalogRow, import_catalog
from heedful.core.shared.importing import Rejection
from heedful.entrypoints.cli.imports import (
    EXIT_ALL_ACCEPTED,
    EXIT_SOME_REJECTED,
    EXIT_UNREADABLE,
    CsvFile,
    UnreadableFile,
    rejects_path,
    summarise,
    with_progress,
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
    try:
        report, bar, started = with_progress(
            file.name,
            total,
            lambda progress: import_catalog(
                rows,
                container.uow(),
                container.clock.now(),
                batch_size=batch_size,
                on_progress=progress,
            ),
            refused=UnreadableFile,
        )
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
    sys.exit(EXIT_SOME_REJECTED if report.rejected else EXIT_ALL_ACCEPTED)
