"""Bulk imports: rows in batches, one transaction per batch, a savepoint per row.

A spreadsheet from a shop's old system always has some rows that break a rule. The operator needs
the good rows stored and the bad ones listed with the reason, not an all-or-nothing answer; one
commit per row would be slow, one commit per file would lose everything on the last bad row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from typing import Protocol

from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.core.shared.ports import UnitOfWorkShape

# Rows as the entry point reads them: the row number the operator sees in the spreadsheet, and the
# cells keyed by column name.
Row = tuple[int, Mapping[str, str]]
# Told how many rows were just committed (a tqdm bar's update fits: its answer is ignored).
ProgressCallback = Callable[[int], object]


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # the row says what is already stored: a re-import


@dataclass(frozen=True)
class Rejection:
    row: int
    field: str  # a column of the file; "" when the row as a whole is refused
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def rows(self) -> int:
        return self.accepted + len(self.rejected)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def add(self, other: ImportReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected.extend(other.rejected)


def import_in_batches(
    rows: Iterable[Row],
    uow: UnitOfWorkShape,
    import_row: Callable[[Mapping[str, str]], Outcome],
    *,
    batch_size: int,
    on_progress: ProgressCallback | None,
) -> ImportReport:
    """Run ``import_row`` on every row; a row that raises a HeedfulError is rejected alone.

    Any other exception (the database went away) stops the import: batches committed before it
    stay, and ``on_progress`` has been told exactly how many rows those were.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = ImportReport()
    for batch in _batches(rows, batch_size):
        report.add(_import_batch(batch, uow, import_row))
        if on_progress is not None:
            on_progress(len(batch))
    return report


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _import_batch(
    batch: Sequence[Row], uow: UnitOfWorkShape, import_row: Callable[[Mapping[str, str]], Outcome]
) -> ImportReport:
    # Counted apart and added only after the commit, so the report never claims a row that a
    # failed commit threw away.
    result = ImportReport()
    with uow:
        for number, row in batch:
            try:
                with uow:  # a savepoint: a bad row takes back only its own writes
                    outcome = import_row(row)
                    uow.commit()
            except HeedfulError as exc:
                result.rejected.append(Rejection(number, exc.field or "", exc.message))
            else:
                result.count(outcome)
        uow.commit()
    return result


@contextmanager
def fields_as_columns(columns: Mapping[str, str]) -> Iterator[None]:
    """Rename the field a use case names in its error to the column the operator can fix.

    ``create_customer`` says ``home_location_id``; the file calls it ``location``.
    """
    try:
        yield
    except HeedfulError as exc:
        if exc.field is not None and exc.field in columns:
            exc.field = columns[exc.field]
        raise


def cell(row: Mapping[str, str], column: str) -> str:
    """The trimmed value of a cell; a missing column reads as empty."""
    value = (row.get(column) or "").strip()
    if "\x00" in value:
        # PostgreSQL refuses NUL in text; say which cell rather than fail the whole batch.
        raise InvalidInput("the cell contains a NUL character", field=column)
    return value


class NamedPlace(Protocol):
    """What a file's location column is matched on (``staff.model.Location`` has both)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class _Places(Protocol):
    def list(self) -> Sequence[NamedPlace]: ...


class PlacesWork(UnitOfWorkShape, Protocol):
    """The part of the unit of work that names locations (ADR 0030)."""

    @property
    def locations(self) -> _Places: ...


class LocationNames:
    """Locations as a file names them: by id, or by their exact name (what staff know)."""

    def __init__(self, locations: Iterable[NamedPlace]) -> None:
        self._ids: set[str] = set()
        self._by_name: dict[str, list[str]] = {}
        for location in locations:
            self._ids.add(location.id)
            self._by_name.setdefault(location.name, []).append(location.id)

    @classmethod
    def load(cls, uow: PlacesWork) -> LocationNames:
        with uow:
            return cls(uow.locations.list())

    def find(self, value: str, column: str) -> str | None:
        if not value:
            return None
        if value in self._ids:
            return value
        ids = self._by_name.get(value, [])
        if len(ids) > 1:
            raise InvalidInput(
                f"{len(ids)} locations are called {value!r}; give the id", field=column
            )
        if not ids:
            raise InvalidInput(f"no location has the id or name {value!r}", field=column)
        return ids[0]
