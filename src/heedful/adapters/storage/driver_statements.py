"""The worker batch's claim and bulk writes, on SQLite run on the driver's cursor (ADR 80).

The worker's batch writes its told promises, their messages and the stock levels in one
``executemany`` each. Through SQLAlchemy, each row's parameters were built anew (the compiled
statement's parameter dictionary, each value through its type's processor, then put in order):
a third of those writes' CPU at the issue's size, more than SQLite took to write them. Here
the statement is compiled once per dialect and set of keys, and each row goes to the driver
as a tuple, its values converted by the same processors SQLAlchemy uses (a datetime as UTC
text, JSON encoded). SQLite runs in process, so nothing else is saved or lost: the statements
run on the same connection, in the same transaction. Other databases keep SQLAlchemy's path
(psycopg pipelines its ``executemany``, ADR 77).

The batch's claim of its events is read the same way (``read_on_driver``): SQLAlchemy built a
row object for each of them and ran each value through a chain of processors; here each row is
a tuple, its values read by the columns' own result processors, as ADR 77 reads the waiting
lines.

A statement the driver runs is not seen by SQLAlchemy's ``before_cursor_execute``: tests count
what SQLite ran (``set_trace_callback``), as for the reads of ADR 77.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heedful.adapters.storage.json_reads import read_json
from heedful.adapters.storage.tables import UtcDateTime

# Each parameter in order: the key of its value, and its type's processor (None: as it is); or
# no key, and the value the statement itself gives it (SQLite's OFFSET 0 after a LIMIT).
_Parameter = tuple[str | None, Callable[[Any], Any] | None, Any]
_Prepared = tuple[str, tuple[_Parameter, ...]]


def _bound(parameters: tuple[_Parameter, ...], values: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(
        given if name is None else convert(values[name]) if convert else values[name]
        for name, convert, given in parameters
    )


def read_on_driver(
    conn: Connection, statement: sa.Select[Any], values: Mapping[str, Any]
) -> tuple[tuple[tuple[str, Callable[[Any], Any] | None], ...], list[tuple[Any, ...]]]:
    """SQLite: the rows ``statement`` selects as they are stored, and each column's name with
    what SQLAlchemy does to its value as read (None: taken as it comes). The caller reads
    each row, so that one it cannot read is told apart from the others (``unreadable``)."""
    sql, parameters, columns = _prepared_select(statement, tuple(sorted(values)), conn.dialect)
    bound = _bound(parameters, values)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, bound)
        return columns, cursor.fetchall()
    finally:
        cursor.close()


def read_each_on_driver(
    conn: Connection, statement: sa.Select[Any], each: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """SQLite: ``statement`` run once for each of ``each`` (the same keys), on one cursor, and
    every row it selects as SQLAlchemy would read it: a look-up by key per customer is a few
    microseconds in process, where a list of keys was compiled anew for each batch's count
    and read a row object at a time (ADR 80)."""
    if not each:
        return []
    sql, parameters, columns = _prepared_select(statement, tuple(sorted(each[0])), conn.dialect)
    found: list[dict[str, Any]] = []
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for values in each:
            cursor.execute(sql, _bound(parameters, values))
            found.extend(_read(columns, raw) for raw in cursor.fetchall())
    finally:
        cursor.close()
    return found


def _read(
    columns: tuple[tuple[str, Callable[[Any], Any] | None], ...], raw: tuple[Any, ...]
) -> dict[str, Any]:
    return {name: read(value) if read else value
            for (name, read), value in zip(columns, raw, strict=True)}  # fmt: skip


@lru_cache(maxsize=64)
def _prepared_select(
    statement: Any, keys: tuple[str, ...], dialect: sa.Dialect
) -> tuple[str, tuple[_Parameter, ...], Any]:
    prepared = _prepared(statement, keys, dialect)
    if prepared is None:
        raise ValueError("a statement read on the driver names its every value")
    columns = tuple(
        (column.key, column_reader(column.type, dialect)) for column in statement.selected_columns
    )
    return prepared[0], prepared[1], columns


def column_reader(column_type: Any, dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    """What SQLAlchemy does to a column's value as read (None: nothing), for rows read on the
    driver's cursor. On SQLite a JSON column's text is read by ``read_json`` and a UTC time's by
    ``read_utc``, which give the same values in one call where SQLAlchemy's chain took three."""
    if dialect.name == "sqlite":
        if isinstance(column_type, sa.JSON):
            return read_json
        if isinstance(column_type, UtcDateTime):
            return read_utc
    reader: Callable[[Any], Any] | None = column_type.dialect_impl(dialect).result_processor(
        dialect, None
    )
    return reader


def read_utc(text: str | None) -> datetime | None:
    """A ``UtcDateTime`` as SQLite keeps it (UTC, without its offset): the aware datetime
    SQLAlchemy reads, parsed as its SQLite dialect parses it (``fromisoformat``)."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def column_writer(column_type: Any, dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    """What SQLAlchemy does to a value as written (None: nothing), for rows written on the
    driver's cursor. On SQLite a UTC time is written by ``write_utc`` in one call, where
    SQLAlchemy's chain took three (the type's decorator, its conversion, the dialect's text)."""
    if dialect.name == "sqlite" and isinstance(column_type, UtcDateTime):
        return write_utc
    writer: Callable[[Any], Any] | None = column_type.dialect_impl(dialect).bind_processor(dialect)
    return writer


def write_utc(value: datetime | None) -> str | None:
    """A ``UtcDateTime`` as SQLite keeps it: the text SQLAlchemy's SQLite dialect writes (UTC,
    without its offset, always with six digits of microseconds), so that text compares as
    time and reads back the same."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetimes are never stored")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def write_many(
    conn: Connection, statement: sa.Executable, rows: Sequence[Mapping[str, Any]]
) -> None:
    """``conn.execute(statement, rows)``: every row with the same keys."""
    if not rows:
        return
    prepared = None
    if conn.dialect.name == "sqlite":
        prepared = _prepared(statement, tuple(rows[0]), conn.dialect)
    if prepared is None:
        conn.execute(statement, list(rows))
        return
    sql, parameters = prepared
    values = [_bound(parameters, row) for row in rows]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, values)
    finally:
        cursor.close()


@lru_cache(maxsize=64)
def _prepared(statement: Any, keys: tuple[str, ...], dialect: sa.Dialect) -> _Prepared | None:
    """The statement's text and its parameters in order, each with its type's processor; None
    when SQLAlchemy would add values of its own (a column's Python-side default)."""
    compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys))
    if compiled.literal_execute_params or compiled.post_compile_params:
        return None  # expanded per execution (an IN list): SQLAlchemy's path
    if compiled.insert_prefetch or compiled.update_prefetch or not compiled.positiontup:
        return None
    parameters: list[_Parameter] = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        convert = column_writer(bind.type, dialect)
        if name in keys:
            parameters.append((name, convert, None))
        elif bind.callable is None and not bind.required:  # given by the statement itself
            value = bind.effective_value
            parameters.append((None, None, convert(value) if convert else value))
        else:
            return None
    return compiled.string, tuple(parameters)
