"""A column read on SQLite's driver cursor gives what SQLAlchemy gives: a JSON column what
``json.loads`` gives, or its error (``read_json``), a UTC time the aware datetime SQLAlchemy
reads (``read_utc``). The batch's claim and its waiting lines are read so (issue 18). A UTC time
written on the driver (``write_utc``) is the text SQLAlchemy writes."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from heedful.adapters.storage.driver_statements import (
    column_reader,
    column_writer,
    read_utc,
    write_many,
    write_utc,
)
from heedful.adapters.storage.json_reads import read_json, read_json_bytes
from heedful.adapters.storage.tables import UtcDateTime

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(documents, st.sampled_from([None, (",", ":"), (", ", ": ")]), st.booleans())
def test_any_document_reads_as_json_loads_reads_it(
    value: Any, separators: tuple[str, str] | None, ascii_only: bool
) -> None:
    text = json.dumps(value, separators=separators, ensure_ascii=ascii_only)
    assert read_json(text) == json.loads(text)


@pytest.mark.parametrize("text", ["{}", "[]", "null", ' {"a": 1}', '{"a": 1}\n', "12", '"x"'])
def test_the_commonest_and_the_padded_read_alike(text: str) -> None:
    assert read_json(text) == json.loads(text)


def test_an_empty_object_read_is_a_new_one_each_time() -> None:
    first = read_json("{}")
    first["changed"] = True
    assert read_json("{}") == {}


def test_a_sql_null_reads_as_none() -> None:
    assert read_json(None) is None


def test_numbers_json_loads_accepts_read_alike() -> None:
    assert math.isnan(read_json("NaN"))
    assert read_json("12345678901234567890123") == 12345678901234567890123


@pytest.mark.parametrize("text", ["", " ", "{", '{"a": 1} x', "\ufeff{}", "nul", "[1,]"])
def test_what_json_loads_refuses_is_refused_the_same_way(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as found:
        read_json(text)
    assert str(found.value) == str(expected.value)


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(2200, 1, 1),  # noqa: DTZ001
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))]),
    )
)
def test_a_time_written_by_sqlalchemy_reads_back_as_sqlalchemy_reads_it(when: datetime) -> None:
    engine = sa.create_engine("sqlite://")
    table = sa.Table("times", sa.MetaData(), sa.Column("at", UtcDateTime))
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), [{"at": when}, {"at": None}])
        through_sqlalchemy = conn.execute(sa.select(table.c.at)).scalars().all()
        stored = conn.exec_driver_sql("SELECT at FROM times").scalars().all()
    assert column_reader(table.c.at.type, engine.dialect) is read_utc
    read = [read_utc(text) for text in stored]
    assert read == through_sqlalchemy == [when, None]
    assert read[0] is not None
    assert read[0].tzinfo is UTC


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5))]
        ),
    )
)
def test_a_time_written_on_the_driver_is_the_text_sqlalchemy_writes(when: datetime) -> None:
    engine = sa.create_engine("sqlite://")
    table = sa.Table("times", sa.MetaData(), sa.Column("at", UtcDateTime))
    assert column_writer(table.c.at.type, engine.dialect) is write_utc
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), [{"at": when}, {"at": None}])
        write_many(conn, table.insert(), [{"at": when}, {"at": None}])
        stored = conn.exec_driver_sql("SELECT at FROM times ORDER BY rowid").scalars().all()
    assert stored[:2] == stored[2:]
    assert stored[0] == write_utc(when)
    assert read_utc(stored[2]) == when


def test_a_naive_time_is_refused_on_the_driver_as_through_sqlalchemy() -> None:
    with pytest.raises(ValueError, match="naive datetimes are never stored"):
        write_utc(datetime(2026, 12, 7, 18, 0))  # noqa: DTZ001 - the point of the test


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-07 14:25:11", datetime(2026, 11, 7, 14, 25, 11, tzinfo=UTC)),
        ("2026-11-07", datetime(2026, 11, 7, tzinfo=UTC)),
        ("2026-11-07T16:25:11+02:00", datetime(2026, 11, 7, 14, 25, 11, tzinfo=UTC)),
    ],
)
def test_a_time_stored_by_another_hand_reads_as_utc(text: str, expected: datetime) -> None:
    assert read_utc(text) == expected
    assert read_utc(text).tzinfo is UTC  # type: ignore[union-attr]


def test_a_time_that_is_no_time_is_refused() -> None:
    with pytest.raises(ValueError, match="Invalid isoformat"):
        read_utc("yesterday")


@given(documents)
def test_psycopgs_bytes_read_as_json_loads_reads_them(value: Any) -> None:
    data = json.dumps(value, ensure_ascii=False).encode()
    assert read_json_bytes(data) == json.loads(data)
    assert read_json_bytes(memoryview(data)) == json.loads(data)
