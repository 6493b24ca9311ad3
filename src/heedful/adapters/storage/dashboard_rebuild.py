# ruff: noqa: S608 - statements are made of constants and table names; the one value from the
# database (a location id) is quoted.
"""Rebuild the dashboard rollups from the raw answers and loops, in SQL, in one transaction.

For a restore from backup, a bulk import, or a change to what the rollups hold. Day rows come
from the raw rows grouped by their local day at the location; week and month rows are then summed
from the day rows. The answers' writers wait meanwhile (PostgreSQL: an exclusive lock on the
rollups; SQLite: the one writer), so no answer is counted twice or lost by the rebuild.

The local day: PostgreSQL converts with ``AT TIME ZONE``; SQLite knows no time zones, so each
location's UTC offsets over the answers' span are read from ``zoneinfo`` (its transitions found
to the second) and written into the statement as a CASE over the timestamp.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heedful.adapters.storage.dashboard_tables import (
    ALL,
    ROLLUP_TABLES,
    SCORES,
    SENTIMENTS,
)

STEPS = (
    "answers by day",
    "themes and emotions by day",
    "recovery loops by day",
    "root causes by day",
    "every touchpoint and segment",
    "weeks and months",
)
_KEY = "grain, first_day, location_id, touchpoint, segment"
_PLACE = ("location_id", "touchpoint", "segment")
_SQLITE_STAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime on SQLite


@functools.lru_cache(maxsize=64)
def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """(UTC instant from which, offset in seconds) over [start, end], found to the second."""

    def offset(at: datetime) -> int:
        delta = at.astimezone(zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    found = [(start, offset(start))]
    at = start
    while at < end:
        following = at + timedelta(hours=1)
        if offset(following) != found[-1][1]:
            low, high = at, following  # the change is in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (low, middle) if offset(middle) != found[-1][1] else (middle, high)
            found.append((high.replace(microsecond=0), offset(high)))
        at = following
    return found


def _sqlite_local_day(conn: Connection, table: str, column: str) -> str:
    span = conn.execute(sa.text(f"SELECT min({column}), max({column}) FROM {table}")).one()
    if span[0] is None:
        return f"date({table}.{column})"
    start = datetime.fromisoformat(str(span[0])).replace(tzinfo=UTC) - timedelta(days=1)
    end = datetime.fromisoformat(str(span[1])).replace(tzinfo=UTC) + timedelta(days=1)
    branches = []
    for location_id, zone_name in conn.execute(sa.text("SELECT id, time_zone FROM locations")):
        steps = _transitions(ZoneInfo(zone_name), start, end)
        cases = []
        for (_, seconds), (until, _) in itertools.pairwise(steps):
            cases.append(
                f"WHEN {table}.{column} < '{until.strftime(_SQLITE_STAMP)}' "
                f"THEN date({table}.{column}, '{seconds:+d} seconds')"
            )
        last = f"date({table}.{column}, '{steps[-1][1]:+d} seconds')"
        local = f"CASE {' '.join(cases)} ELSE {last} END" if cases else last
        quoted = location_id.replace("'", "''")
        branches.append(f"WHEN {table}.location_id = '{quoted}' THEN {local}")
    if not branches:
        return f"date({table}.{column})"
    return f"CASE {' '.join(branches)} ELSE date({table}.{column}) END"


def _local_day(conn: Connection, table: str, column: str) -> str:
    if conn.dialect.name == "postgresql":
        zone = f"(SELECT time_zone FROM locations l WHERE l.id = {table}.location_id)"
        return f"({table}.{column} AT TIME ZONE coalesce({zone}, 'UTC'))::date"
    return _sqlite_local_day(conn, table, column)


def _answers_by_day(conn: Connection) -> None:
    day = _local_day(conn, "survey_answers", "answered_at")
    scores = ", ".join(f"sum(CASE WHEN score = {s} THEN 1 ELSE 0 END)" for s in SCORES)
    said = ", ".join(f"sum(CASE WHEN sentiment = '{s}' THEN 1 ELSE 0 END)" for s in SENTIMENTS)
    columns = ", ".join(
        [
            _KEY,
            "kind",
            "answers",
            *(f"score_{s}" for s in SCORES),
            "comments",
            *(f"comments_{s}" for s in SENTIMENTS),
            "sentiment_milli_sum",
            "commented_score_sum",
        ]
    )
    conn.execute(
        sa.text(
            f"INSERT INTO feedback_rollups ({columns}) "
            f"SELECT 'day', {day}, coalesce(location_id, ''), touchpoint, segment, kind, "
            f"count(*), {scores}, count(sentiment), {said}, "
            # SQLAlchemy gives SQLite Python's math.floor, which refuses NULL.
            "coalesce(sum(CASE WHEN sentiment_score IS NOT NULL "
            "THEN floor(sentiment_score * 1000 + 0.5) END), 0), "
            "coalesce(sum(CASE WHEN sentiment IS NOT NULL THEN score ELSE 0 END), 0) "
            "FROM survey_answers GROUP BY 2, 3, 4, 5, 6"
        )
    )


def _topics_by_day(conn: Connection) -> None:
    day = _local_day(conn, "survey_answers", "answered_at")
    place = "coalesce(location_id, '') AS location_id, touchpoint, segment"
    counts = ", ".join(f"sum(CASE WHEN said = '{s}' THEN 1 ELSE 0 END)" for s in SENTIMENTS)
    if conn.dialect.name == "postgresql":
        themes = (
            f"SELECT {day} AS day, {place}, 'theme' AS facet, t->>'theme' AS name, "
            "t->>'sentiment' AS said FROM survey_answers, jsonb_array_elements(themes) t "
            "WHERE jsonb_array_length(themes) > 0"
        )
        emotions = (
            f"SELECT {day} AS day, {place}, 'emotion', e, '' FROM survey_answers, "
            "jsonb_object_keys(emotions) e WHERE emotions <> '{}'::jsonb"
        )
    else:
        themes = (
            f"SELECT {day} AS day, {place}, 'theme' AS facet, json_extract(t.value, '$.theme') "
            "AS name, json_extract(t.value, '$.sentiment') AS said "
            "FROM survey_answers, json_each(survey_answers.themes) t WHERE themes <> '[]'"
        )
        emotions = (
            f"SELECT {day} AS day, {place}, 'emotion', e.key, '' FROM survey_answers, "
            "json_each(survey_answers.emotions) e WHERE emotions <> '{}'"
        )
    columns = f"{_KEY}, facet, name, mentions, {', '.join(SENTIMENTS)}"
    conn.execute(
        sa.text(
            f"INSERT INTO feedback_topic_rollups ({columns}) "
            f"SELECT 'day', day, location_id, touchpoint, segment, facet, name, count(*), {counts} "
            f"FROM ({themes} UNION ALL {emotions}) AS told "
            "GROUP BY day, location_id, touchpoint, segment, facet, name"
        )
    )


def _loops_by_day(conn: Connection) -> None:
    day = _local_day(conn, "recovery_loops", "opened_at")
    true = "true" if conn.dialect.name == "postgresql" else "1"
    conn.execute(
        sa.text(
            f"INSERT INTO recovery_rollups ({_KEY}, opened, closed_in_time, closed_late) "
            f"SELECT 'day', {day}, recovery_loops.location_id, coalesce(a.touchpoint, 'other'), "
            "coalesce(a.segment, ''), count(*), "
            f"sum(CASE WHEN state = 'closed' AND closed_in_time = {true} THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN state = 'closed' AND closed_in_time <> {true} THEN 1 ELSE 0 END) "
            "FROM recovery_loops LEFT JOIN survey_answers a ON a.id = recovery_loops.answer_id "
            "GROUP BY 2, 3, 4, 5"
        )
    )


def _causes_by_day(conn: Connection) -> None:
    day = _local_day(conn, "recovery_loops", "closed_at")
    conn.execute(
        sa.text(
            f"INSERT INTO root_cause_rollups ({_KEY}, root_cause, loops) "
            f"SELECT 'day', {day}, recovery_loops.location_id, coalesce(a.touchpoint, 'other'), "
            "coalesce(a.segment, ''), root_cause, count(*) "
            "FROM recovery_loops LEFT JOIN survey_answers a ON a.id = recovery_loops.answer_id "
            "WHERE state = 'closed' GROUP BY 2, 3, 4, 5, 6"
        )
    )


def _columns(table: sa.Table) -> tuple[list[str], list[str]]:
    """(key columns other than the block and place, count columns) of a rollup table."""
    keys = [c.name for c in table.primary_key.columns]
    extra = [name for name in keys if name not in ("grain", "first_day", *_PLACE)]
    return extra, [c.name for c in table.columns if not c.primary_key]


def _every_touchpoint_and_segment(conn: Connection) -> None:
    """The "*" rows, summed from the day cells: every touchpoint, every segment, and both."""
    every = f"'{ALL}'"
    for table in ROLLUP_TABLES:
        extra, counts = _columns(table)
        sums = ", ".join(f"sum({name})" for name in counts)
        for touchpoint, segment in ((every, "segment"), ("touchpoint", every), (every, every)):
            grouped = ["first_day", "location_id", *extra]
            grouped += [column for column in (touchpoint, segment) if column != every]
            conn.execute(
                sa.text(
                    f"INSERT INTO {table.name} ({_KEY}, {', '.join([*extra, *counts])}) "
                    f"SELECT 'day', first_day, location_id, {touchpoint}, {segment}, "
                    f"{''.join(name + ', ' for name in extra)}{sums} FROM {table.name} "
                    f"WHERE grain = 'day' AND touchpoint <> {every} AND segment <> {every} "
                    f"GROUP BY {', '.join(grouped)}"
                )
            )


def _weeks_and_months(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        starts = {
            "week": "date_trunc('week', first_day)::date",
            "month": "date_trunc('month', first_day)::date",
        }
    else:
        starts = {
            "week": "date(first_day, '-' || ((strftime('%w', first_day) + 6) % 7) || ' days')",
            "month": "date(first_day, 'start of month')",
        }
    for table in ROLLUP_TABLES:
        extra, counts = _columns(table)
        keys = ", ".join([*_PLACE, *extra])
        sums = ", ".join(f"sum({name})" for name in counts)
        for grain, start in starts.items():
            conn.execute(
                sa.text(
                    f"INSERT INTO {table.name} (grain, first_day, {keys}, {', '.join(counts)}) "
                    f"SELECT '{grain}', {start}, {keys}, {sums} FROM {table.name} "
                    f"WHERE grain = 'day' GROUP BY {start}, {keys}"
                )
            )


def rebuild_rollups(conn: Connection, progress: Callable[[str], object] = lambda _: None) -> None:
    """Empty the rollups and count every answer and loop again; the caller commits."""
    if conn.dialect.name == "postgresql":
        names = ", ".join(table.name for table in ROLLUP_TABLES)
        conn.execute(sa.text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    for table in ROLLUP_TABLES:
        conn.execute(table.delete())
    steps: list[Callable[[Connection], None]] = [
        _answers_by_day,
        _topics_by_day,
        _loops_by_day,
        _causes_by_day,
        _every_touchpoint_and_segment,
        _weeks_and_months,
    ]
    for name, run in zip(STEPS, steps, strict=True):
        run(conn)
        progress(name)
