"""The dashboard rollups: kept up to date as answers and loops change, and summed for the reads.

``SqlAnswerRollups`` is the hook the feedback store calls in the transaction that stores an answer
(or opens or closes a recovery loop): it adds one to the day, ISO week and month of that moment at
the answer's location. Upserts add to a row or create it; on PostgreSQL concurrent answers to the
same cell wait for each other's row lock, in the same order (day, week, month), so never deadlock.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from heedful.adapters.storage.dashboard_tables import (
    ALL,
    SCORES,
    SENTIMENTS,
    feedback_rollups,
    feedback_topic_rollups,
    recovery_rollups,
    root_cause_rollups,
)
from heedful.adapters.storage.tables import UtcDateTime, locations
from heedful.core.feedback.blocks import Block, Grain, blocks_of_day
from heedful.core.feedback.dashboard_ports import (
    LoopCounts,
    RollupFilter,
    RootCauseCount,
    ScoreCounts,
    TopicCounts,
)
from heedful.core.feedback.model import SurveyAnswer, Touchpoint

# The surveys' own tables, named here rather than imported: the dashboard reads two columns.
_answers = sa.table(
    "survey_answers", sa.column("id"), sa.column("touchpoint"), sa.column("segment")
)
_loops = sa.table(
    "recovery_loops",
    sa.column("answer_id"),
    sa.column("location_id"),
    sa.column("state"),
    sa.column("due_at", UtcDateTime),
)


def milli(score: float) -> int:
    """A sentiment score in thousandths, rounded half up; the rebuild's SQL rounds the same."""
    return math.floor(score * 1000 + 0.5)


@functools.cache
def _upsert_statement(dialect_name: str, table: sa.Table, counts: tuple[str, ...]) -> Any:
    """Built once per table: making the statement costs more than running it."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(table)
    return insert.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={name: table.c[name] + insert.excluded[name] for name in counts},
    )


def _upsert(conn: Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Add each row's counts to the stored row with the same key, or store it.

    The rows' keys are distinct (PostgreSQL refuses a batch that touches one row twice) and go in
    the key's order: concurrent answers then take their row locks in one order and cannot
    deadlock.
    """
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    counts = tuple(name for name in rows[0] if name not in keys)
    statement = _upsert_statement(conn.dialect.name, table, counts)
    conn.execute(statement, sorted(rows, key=lambda r: tuple(str(r[k]) for k in keys)))


class SqlAnswerRollups:
    """Implements the feedback store's ``AnswerRollups`` hook."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._zones: dict[str, ZoneInfo] = {}

    def _day(self, location_id: str | None, at: datetime) -> date:
        """The day at the location's clock: a 23:30 answer in Kyiv is that day's, not UTC's."""
        if not location_id:
            return at.astimezone(UTC).date()
        zone = self._zones.get(location_id)
        if zone is None:
            name = self._conn.execute(
                sa.select(locations.c.time_zone).where(locations.c.id == location_id)
            ).scalar()
            zone = self._zones[location_id] = ZoneInfo(name or "UTC")
        return at.astimezone(zone).date()

    def _keys(
        self, location_id: str | None, touchpoint: str, segment: str, at: datetime
    ) -> list[dict[str, Any]]:
        day = self._day(location_id, at)
        # The cell itself, and the rows for every touchpoint, every segment, and both.
        return [
            {
                "grain": block.grain.value,
                "first_day": block.first_day,
                "location_id": location_id or "",
                "touchpoint": point,
                "segment": group,
            }
            for block in blocks_of_day(day)
            for point in (touchpoint, ALL)
            for group in (segment, ALL)
        ]

    def add(self, answer: SurveyAnswer) -> None:
        keys = self._keys(
            answer.location_id, answer.touchpoint.value, answer.segment or "", answer.answered_at
        )
        counts: dict[str, Any] = {"answers": 1, f"score_{answer.score}": 1}
        if answer.sentiment is not None:
            counts |= {"comments": 1, f"comments_{answer.sentiment.value}": 1}
            counts["sentiment_milli_sum"] = milli(answer.sentiment_score or 0.0)
            counts["commented_score_sum"] = answer.score
        row = {f"score_{s}": 0 for s in SCORES} | {"comments": 0, "sentiment_milli_sum": 0}
        row["commented_score_sum"] = 0
        row |= {f"comments_{s}": 0 for s in SENTIMENTS} | counts
        _upsert(
            self._conn, feedback_rollups, [key | {"kind": answer.kind.value} | row for key in keys]
        )
        topics: Counter[tuple[str, str, str]] = Counter()
        for theme in answer.themes:
            topics["theme", theme.theme, theme.sentiment.value] += 1
        for emotion in answer.emotions:
            topics["emotion", emotion, ""] += 1
        rows = []
        for key in keys:
            for (facet, name, sentiment), mentions in sorted(topics.items()):
                said = {s: mentions if s == sentiment else 0 for s in SENTIMENTS}
                rows.append(key | {"facet": facet, "name": name, "mentions": mentions} | said)
        _upsert(self._conn, feedback_topic_rollups, rows)

    def _answer_place(self, answer_id: str | None) -> tuple[str, str]:
        if answer_id is None:  # opened from the churn list: no answer, no touchpoint
            return ("other", "")
        found = self._conn.execute(
            sa.select(_answers.c.touchpoint, _answers.c.segment).where(_answers.c.id == answer_id)
        ).first()
        return (found[0], found[1] or "") if found else ("other", "")

    def loop_opened(self, loop: Any) -> None:
        touchpoint, segment = self._answer_place(loop.answer_id)
        keys = self._keys(loop.location_id, touchpoint, segment, loop.opened_at)
        counts = {"opened": 1, "closed_in_time": 0, "closed_late": 0}
        _upsert(self._conn, recovery_rollups, [key | counts for key in keys])

    def loop_closed(self, loop: Any) -> None:
        touchpoint, segment = self._answer_place(loop.answer_id)
        # Counted with the loops opened when it was: "of last week's loops, how many were closed
        # in time" is the question the board answers.
        keys = self._keys(loop.location_id, touchpoint, segment, loop.opened_at)
        in_time = bool(loop.closed_in_time)
        counts = {"opened": 0, "closed_in_time": int(in_time), "closed_late": int(not in_time)}
        _upsert(self._conn, recovery_rollups, [key | counts for key in keys])
        # The root cause belongs to the week it was found in: the outer loop's weekly themes.
        closed = self._keys(loop.location_id, touchpoint, segment, loop.closed_at)
        cause = {"root_cause": loop.root_cause, "loops": 1}
        _upsert(self._conn, root_cause_rollups, [key | cause for key in closed])


def _where(
    table: sa.Table, blocks: Iterable[Block], where: RollupFilter, *, by_touchpoint: bool = False
) -> sa.ColumnElement[bool]:
    """Rows of the blocks, for the filter; no filter on a dimension reads its "every" rows.

    One branch per grain with every condition inside it, so that each branch is a seek on the
    primary key (grain, touchpoint, segment, first day, location) on both databases.
    """
    days: dict[Grain, list[date]] = {}
    for block in blocks:
        days.setdefault(block.grain, []).append(block.first_day)
    if not days:
        return sa.false()
    filters: list[Any] = []
    if where.touchpoint is not None:
        filters.append(table.c.touchpoint == where.touchpoint)
    elif by_touchpoint:
        # Each touchpoint by name (not "<> '*'"): a seek per touchpoint and block.
        filters.append(table.c.touchpoint.in_([t.value for t in Touchpoint]))
    else:
        filters.append(table.c.touchpoint == ALL)
    filters.append(table.c.segment == (where.segment if where.segment is not None else ALL))
    if where.location_ids is not None:
        filters.append(table.c.location_id.in_(sorted(where.location_ids)))
    return sa.or_(
        *(
            sa.and_(table.c.grain == grain.value, *filters, table.c.first_day.in_(sorted(firsts)))
            for grain, firsts in sorted(days.items())
        )
    )


def _block(row: sa.RowMapping) -> Block:
    first = row["first_day"]
    return Block(
        Grain(row["grain"]), first if isinstance(first, date) else date.fromisoformat(first)
    )


class SqlDashboardReads:
    """Implements ``heedful.core.feedback.dashboard_ports.DashboardReads``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def scores(
        self,
        blocks: Sequence[Block],
        where: RollupFilter,
        *,
        by_block: bool = False,
        by_place: bool = False,
    ) -> list[ScoreCounts]:
        t = feedback_rollups
        groups = [t.c.kind]
        if by_block:
            groups += [t.c.grain, t.c.first_day]
        if by_place:
            groups += [t.c.location_id, t.c.touchpoint]
        sums = [sa.func.sum(t.c.answers).label("answers")]
        sums += [sa.func.sum(t.c[f"score_{s}"]).label(f"score_{s}") for s in SCORES]
        sums += [sa.func.sum(t.c.comments).label("comments")]
        sums += [sa.func.sum(t.c[f"comments_{s}"]).label(f"comments_{s}") for s in SENTIMENTS]
        sums += [sa.func.sum(t.c.sentiment_milli_sum).label("sentiment_milli_sum")]
        sums += [sa.func.sum(t.c.commented_score_sum).label("commented_score_sum")]
        filters = _where(t, blocks, where, by_touchpoint=by_place)
        query = sa.select(*groups, *sums).where(filters).group_by(*groups)
        found = []
        for row in self._conn.execute(query).mappings():
            histogram = {s: int(row[f"score_{s}"]) for s in SCORES if row[f"score_{s}"]}
            found.append(
                ScoreCounts(
                    kind=row["kind"],
                    answers=int(row["answers"]),
                    histogram=histogram,
                    comments=int(row["comments"]),
                    sentiments={s: int(row[f"comments_{s}"]) for s in SENTIMENTS},
                    sentiment_milli_sum=int(row["sentiment_milli_sum"]),
                    commented_score_sum=int(row["commented_score_sum"]),
                    block=_block(row) if by_block else None,
                    location_id=row["location_id"] if by_place else None,
                    touchpoint=row["touchpoint"] if by_place else None,
                )
            )
        return found

    def topics(self, blocks: Sequence[Block], where: RollupFilter) -> list[TopicCounts]:
        t = feedback_topic_rollups
        groups = [t.c.grain, t.c.first_day, t.c.facet, t.c.name]
        sums = [sa.func.sum(t.c.mentions).label("mentions")]
        sums += [sa.func.sum(t.c[s]).label(s) for s in SENTIMENTS]
        query = sa.select(*groups, *sums).where(_where(t, blocks, where)).group_by(*groups)
        return [
            TopicCounts(
                block=_block(row),
                facet=row["facet"],
                name=row["name"],
                mentions=int(row["mentions"]),
                sentiments={s: int(row[s]) for s in SENTIMENTS},
            )
            for row in self._conn.execute(query).mappings()
        ]

    def loops(self, blocks: Sequence[Block], where: RollupFilter) -> LoopCounts:
        t = recovery_rollups
        query = sa.select(
            sa.func.coalesce(sa.func.sum(t.c.opened), 0),
            sa.func.coalesce(sa.func.sum(t.c.closed_in_time), 0),
            sa.func.coalesce(sa.func.sum(t.c.closed_late), 0),
        ).where(_where(t, blocks, where))
        opened, in_time, late = self._conn.execute(query).one()
        return LoopCounts(int(opened), int(in_time), int(late))

    def root_causes(self, blocks: Sequence[Block], where: RollupFilter) -> list[RootCauseCount]:
        t = root_cause_rollups
        groups = [t.c.grain, t.c.first_day, t.c.root_cause]
        query = (
            sa.select(*groups, sa.func.sum(t.c.loops).label("loops"))
            .where(_where(t, blocks, where))
            .group_by(*groups)
        )
        return [
            RootCauseCount(_block(row), row["root_cause"], int(row["loops"]))
            for row in self._conn.execute(query).mappings()
        ]

    def overdue_loops(self, now: datetime, where: RollupFilter) -> int:
        # Open loops are few (the surveys' partial index covers only them): counted live.
        query = sa.select(sa.func.count()).select_from(
            _loops.outerjoin(_answers, _answers.c.id == _loops.c.answer_id)
        )
        query = query.where(_loops.c.state == "open", _loops.c.due_at < now)
        if where.location_ids is not None:
            query = query.where(_loops.c.location_id.in_(sorted(where.location_ids)))
        if where.segment is not None:
            query = query.where(_answers.c.segment == where.segment)
        if where.touchpoint is not None:
            query = query.where(_answers.c.touchpoint == where.touchpoint)
        return int(self._conn.execute(query).scalar_one())

    def segments(self) -> list[str]:
        # The month rows for every touchpoint are the fewest that name every segment answered in.
        t = feedback_rollups
        query = (
            sa.select(t.c.segment)
            .where(t.c.grain == Grain.MONTH.value, t.c.touchpoint == ALL)
            .distinct()
        )
        return sorted(s for s in self._conn.execute(query).scalars() if s and s != ALL)
