"""`heedful ingest FILE.jsonl`: business events from a file, one CloudEvent per line.

For back-fills and for systems that export rather than call: a night's stock changes, a month of
card charges. Each batch is committed as it goes and events are recognised by source and id, so
an interrupted run is finished by running it again: nothing is stored twice.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import click
from tqdm import tqdm

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.events.handlers import MAX_BATCH, accept_events
from heedful.core.events.intake import UnreadableJson, decode_json

EXIT_ALL_ACCEPTED: Final = 0
EXIT_SOME_REJECTED: Final = 1
EXIT_UNREADABLE: Final = 2


@dataclass(frozen=True)
class RejectedLine:
    line: int
    reason: str
    field: str


@dataclass
class FileReport:
    lines: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: list[RejectedLine] = field(default_factory=list)


def _events(path: Path, report: FileReport) -> Iterator[tuple[int, Any]]:
    """(line number, decoded JSON) for every line that holds JSON; the others go to the report."""
    with path.open(encoding="utf-8-sig") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue  # a trailing newline or a blank separator is not an event
            report.lines += 1
            try:
                yield number, decode_json(line)
            except UnreadableJson as unreadable:
                report.rejected.append(RejectedLine(number, unreadable.reason("the line"), "line"))


def ingest_file(
    container: Container, path: Path, *, batch_size: int, on_progress: Callable[[int], object]
) -> FileReport:
    """Send the file in batches of ``batch_size``, each committed before the next is read."""
    report = FileReport()
    batch: list[tuple[int, Any]] = []
    lines_done = 0
    container.know_event_types()

    def send(up_to_line: int) -> None:
        nonlocal lines_done
        outcome = accept_events(container.uow(), container.clock, [raw for _, raw in batch])
        # Counted by the core, per batch; the file's totals are their sums.
        report.accepted += outcome.accepted
        report.duplicates += outcome.duplicates
        report.rejected += [
            RejectedLine(batch[r.index][0], r.reason, r.field) for r in outcome.rejected
        ]
        batch.clear()
        # Blank and unreadable lines count too: the bar measures the file, not the events.
        on_progress(up_to_line - lines_done)
        lines_done = up_to_line

    number = 0
    for number, raw in _events(path, report):
        batch.append((number, raw))
        if len(batch) >= batch_size:
            send(number)
    if batch:
        send(number)
    report.rejected.sort(key=lambda rejected: rejected.line)
    return report


def _count_lines(path: Path) -> int:
    with path.open("rb") as raw:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b""))


@click.command("ingest")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--batch",
    "batch_size",
    type=click.IntRange(min=1, max=MAX_BATCH),
    default=500,
    show_default=True,
    help="Events per transaction.",
)
@click.option(
    "--database-url",
    envvar="HEEDFUL_DATABASE_URL",
    help="Default: HEEDFUL_DATABASE_URL, as for every command.",
)
def ingest(file: Path, batch_size: int, database_url: str | None) -> None:
    """Store the business events in FILE, one CloudEvent 1.0 (JSON) per line.

    Events seen before (same source and id) are counted as duplicates, so a file can be sent
    again. Rejected lines are listed with their numbers and reasons at the end.
    Exit status: 0 every line stored or already known, 1 some lines rejected, 2 unreadable file.
    """
    try:
        total = _count_lines(file)
    except OSError as exc:
        click.echo(f"error: cannot read {file}: {exc.strerror}", err=True)
        sys.exit(EXIT_UNREADABLE)
    settings = Settings(database_url=database_url) if database_url else Settings()
    container = build(settings)
    # disable=None: no bar when stderr is not a terminal (cron, CI logs), where it is noise.
    bar = tqdm(total=total, desc=file.name, unit=" events", file=sys.stderr, disable=None)
    started = time.perf_counter()
    try:
        report = ingest_file(container, file, batch_size=batch_size, on_progress=bar.update)
    except UnicodeDecodeError as exc:
        bar.close()
        click.echo(f"error: {file.name} is not UTF-8 text ({exc.reason})", err=True)
        sys.exit(EXIT_UNREADABLE)
    finally:
        container.close()
    bar.close()
    _summarise(file, report, time.perf_counter() - started)
    sys.exit(EXIT_SOME_REJECTED if report.rejected else EXIT_ALL_ACCEPTED)


def _summarise(file: Path, report: FileReport, seconds: float) -> None:
    rate = report.lines / seconds if seconds > 0 else 0.0
    click.echo(f"{file.name}: {report.lines:,} events in {seconds:.1f} s ({rate:,.0f} events/s)")
    click.echo(f"  stored {report.accepted:,}, {report.duplicates:,} duplicates")
    if report.rejected:
        click.echo(f"  rejected {len(report.rejected):,}:")
        for rejected in report.rejected:
            click.echo(f"    line {rejected.line}, {rejected.field}: {rejected.reason}")
