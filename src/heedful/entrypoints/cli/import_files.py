"""The files `heedful import` reads (CSV or JSON Lines) and the rejects file beside them."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from io import TextIOWrapper
from pathlib import Path
from typing import Final

from heedful.core.shared.importing import Rejection, Row

REJECT_COLUMNS: Final = ("row", "field", "reason")


class UnreadableFile(Exception):
    """The file as a whole cannot be imported: no header, not UTF-8, not CSV."""


def _reading(path: Path) -> TextIOWrapper:
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark; without one it is UTF-8.
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror}") from exc


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> UnreadableFile:
    return UnreadableFile(
        f"{path.name} is not UTF-8 text ({exc.reason}); in Excel use Save As > 'CSV UTF-8'"
    )


@dataclass(frozen=True)
class CsvFile:
    path: Path
    delimiter: str
    header: list[str]  # as written, for the rejects file
    columns: list[str]  # normalised: "Full Name" -> "full_name"

    @classmethod
    def open(cls, path: Path) -> CsvFile:
        with _reading(path) as text:
            try:
                first_line = text.readline()
            except UnicodeDecodeError as exc:
                raise _not_utf8(path, exc) from exc
        # Excel writes ";" where the decimal separator is a comma (ru, uk locales), "," elsewhere.
        # Column names contain neither, so the header line tells which one this file uses.
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        columns = ["_".join(name.replace("-", " ").casefold().split()) for name in header]
        if not any(columns):
            raise UnreadableFile(f"{path.name} is empty; its first row must name the columns")
        duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
        if duplicates:
            raise UnreadableFile(f"{path.name} names the column {', '.join(duplicates)} twice")
        return cls(path, delimiter, header, columns)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Every data row with its number as a spreadsheet shows it (the header is row 1)."""
        with _reading(self.path) as text:
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                next(reader, None)
                for number, cells in enumerate(reader, start=2):
                    # Spreadsheets leave rows of empty cells (";;;;") below the data: not rows.
                    # The first cell usually says so at once (a million-row file reads faster).
                    if cells and (cells[0].strip() or any(value.strip() for value in cells)):
                        yield number, cells
            except UnicodeDecodeError as exc:
                raise _not_utf8(self.path, exc) from exc
            except csv.Error as exc:
                raise UnreadableFile(f"{self.path.name}, line {reader.line_num}: {exc}") from exc

    def count(self) -> int:
        # This first pass reads every byte, so a file that is not UTF-8 fails before any write.
        return sum(1 for _ in self.records())

    def rows(self, refused: list[Rejection]) -> Iterator[Row]:
        """Rows as the use cases take them; rows the file itself garbles go to ``refused``."""
        width = len(self.columns)
        for number, cells in self.records():
            if len(cells) > width and any(value.strip() for value in cells[width:]):
                # Usually a comma inside an unquoted name: every cell after it has moved right.
                refused.append(
                    Rejection(
                        number,
                        "",
                        f"the row has {len(cells)} cells but the header names {width}; "
                        "quote cells that contain the delimiter",
                    )
                )
                continue
            yield number, dict(zip(self.columns, cells, strict=False))

    def write_rejects(self, rejected: list[Rejection], target: Path) -> None:
        by_row = {rejection.row: rejection for rejection in rejected}
        width = len(self.header)
        # The input's delimiter and a byte-order mark: Excel then opens it as it opened the input.
        with target.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter=self.delimiter)
            writer.writerow([*self.header, *REJECT_COLUMNS])
            for number, cells in self.records():
                rejection = by_row.get(number)
                if rejection is not None:
                    row = (cells + [""] * width)[:width]
                    writer.writerow([*row, number, rejection.field, rejection.reason])


@dataclass(frozen=True)
class JsonlFile:
    """One JSON object a line; values become the cells a CSV row would hold."""

    path: Path
    header: list[str]
    columns: list[str]

    @classmethod
    def open(cls, path: Path) -> JsonlFile:
        names: dict[str, None] = {}
        probe = cls(path, [], [])
        for _, record in probe.objects():
            names.update(dict.fromkeys(record))
        if not names:
            raise UnreadableFile(f"{path.name} holds no JSON object")
        return cls(path, list(names), list(names))

    def objects(self) -> Iterator[tuple[int, dict[str, object]]]:
        with _reading(self.path) as text:
            try:
                for number, line in enumerate(text, start=1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except ValueError as exc:
                        raise UnreadableFile(f"{self.path.name}, line {number}: {exc}") from exc
                    if not isinstance(record, dict):
                        raise UnreadableFile(f"{self.path.name}, line {number}: not a JSON object")
                    yield number, record
            except UnicodeDecodeError as exc:
                raise _not_utf8(self.path, exc) from exc

    def count(self) -> int:
        return sum(1 for _ in self.objects())

    def rows(self, refused: list[Rejection]) -> Iterator[Row]:  # noqa: ARG002 - as CsvFile
        for number, record in self.objects():
            yield number, {str(key): _as_cell(value) for key, value in record.items()}

    def write_rejects(self, rejected: list[Rejection], target: Path) -> None:
        by_row = {rejection.row: rejection for rejection in rejected}
        with target.open("w", encoding="utf-8") as out:
            for number, record in self.objects():
                rejection = by_row.get(number)
                if rejection is not None:
                    record["_rejected"] = {
                        "line": number,
                        "field": rejection.field,
                        "reason": rejection.reason,
                    }
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _as_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)  # numbers as written, lists as JSON text


def open_source(path: Path) -> CsvFile | JsonlFile:
    if path.suffix.casefold() in (".jsonl", ".ndjson"):
        return JsonlFile.open(path)
    return CsvFile.open(path)


def rejects_path(path: Path) -> Path:
    if path.suffix.casefold() in (".jsonl", ".ndjson"):
        return path.with_name(f"{path.stem}.rejected.jsonl")
    return path.with_name(f"{path.stem}.rejected.csv")
