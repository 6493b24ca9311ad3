"""What every fake repository shares: a handle on the fake transaction and copying rows in and out.

Rows go in and come out as deep copies, so that changing a loaded object stores nothing until the
handler calls ``update``, exactly as with a database row.
"""

from __future__ import annotations

from copy import deepcopy
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from fakes import FakeState, FakeUnitOfWork

T = TypeVar("T")


class FakeIntegrityError(Exception):
    """What the database would refuse: a duplicate unique key, an update of a missing row."""


class Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _state(self) -> FakeState:
        return self._uow.state

    def _writing(self) -> FakeState:
        self._uow.note_write()
        return self._uow.state


def copy(value: T) -> T:
    return deepcopy(value)


def insert(table: dict[str, T], key: str, row: T) -> None:
    if key in table:
        raise FakeIntegrityError(f"duplicate key {key}")
    table[key] = copy(row)


def overwrite(table: dict[str, T], key: str, row: T) -> None:
    if key not in table:
        raise FakeIntegrityError(f"update of a missing row {key}")
    table[key] = copy(row)
