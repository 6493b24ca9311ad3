"""Import the catalog from a CSV or JSONL export: every row checked, every reason given.

A shop's product export has thousands of rows and some are wrong in more than one way; the
operator fixes a row once when told everything wrong with it, not once per reason. Good rows are
kept in batches whatever the bad ones say.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from heedful.core.catalog.handlers import Stale, upsert_item
from heedful.core.catalog.model import (
    NAME_LANGUAGES,
    CatalogItem,
    check_item,
    item_kind,
    names_from,
)
from heedful.core.catalog.ports import CatalogWork
from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.core.shared.importing import ImportReport, Outcome, ProgressCallback, Rejection

COLUMNS = (
    "code",
    "kind",
    "parent_code",
    *(f"name_{lang}" for lang in NAME_LANGUAGES),
    "brand",
    "size",
    "colour",
)
REQUIRED_COLUMNS = ("code",)
ATTRIBUTE_PREFIX = "attr_"  # a CSV column attr_material is the attribute "material"

# Rows as read: the number the operator sees, and the values (JSONL may nest "attributes").
CatalogRow = tuple[int, Mapping[str, object]]


@dataclass
class RowProblems:
    problems: list[InvalidInput] = field(default_factory=list)

    def rejection(self, row: int) -> Rejection:
        fields = list(dict.fromkeys(problem.field or "" for problem in self.problems))
        reasons = "; ".join(problem.message for problem in self.problems)
        return Rejection(row, ", ".join(name for name in fields if name), reasons)


def _text(row: Mapping[str, object], column: str, problems: list[InvalidInput]) -> str:
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append(InvalidInput("must be text", field=column))
        return ""
    return str(value)


def item_from_row(
    row: Mapping[str, object], at: datetime
) -> tuple[CatalogItem | None, list[InvalidInput]]:
    """The item a row describes, and every reason it cannot be kept."""
    problems: list[InvalidInput] = []
    values = {column: _text(row, column, problems) for column in COLUMNS}
    attributes: dict[str, str] = {}
    nested = row.get("attributes")
    if isinstance(nested, Mapping):
        attributes.update({str(k): str(v) for k, v in nested.items() if v is not None})
    elif nested is not None:
        problems.append(InvalidInput("must be an object of names and values", field="attributes"))
    for column, value in row.items():
        if column.startswith(ATTRIBUTE_PREFIX) and value is not None and str(value).strip():
            attributes[column.removeprefix(ATTRIBUTE_PREFIX)] = str(value)
    try:
        kind = item_kind(values["kind"])
    except InvalidInput as wrong:
        problems.append(wrong)
        return None, problems
    names = names_from({k: v for k, v in row.items() if k == "names" or k.startswith("name")})
    item = CatalogItem(
        code=values["code"],
        kind=kind,
        changed_at=at,
        names=names,
        parent_code=values["parent_code"],
        brand=values["brand"],
        size=values["size"],
        colour=values["colour"],
        attributes=attributes,
    )
    problems.extend(check_item(item))
    return (None if problems else item), problems


def import_catalog(
    rows: Iterable[CatalogRow],
    uow: CatalogWork,
    at: datetime,
    *,
    batch_size: int = 1000,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Keeps every good row, one transaction per batch; lists every bad one with its reasons."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = ImportReport()
    iterator: Iterator[CatalogRow] = iter(rows)
    while batch := list(islice(iterator, batch_size)):
        result = ImportReport()
        with uow:
            for number, row in batch:
                item, problems = item_from_row(row, at)
                if item is None:
                    result.rejected.append(RowProblems(problems).rejection(number))
                    continue
                try:
                    outcome = upsert_item(uow, item)  # its own savepoint: a failure undoes only it
                except Stale:
                    outcome = Outcome.UNCHANGED
                except HeedfulError as exc:
                    result.rejected.append(Rejection(number, exc.field or "", exc.message))
                    continue
                result.count(outcome)
            uow.commit()
        report.add(result)
        if on_progress is not None:
            on_progress(len(batch))
    return report
