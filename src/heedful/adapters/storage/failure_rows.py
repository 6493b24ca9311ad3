"""The failure map's reads in SQL: one set-based query per failure kind (ADR 0050).

Each query returns the failures with the moments the core needs (when it was felt, when the
record itself put it right); the core subtracts and decides, because SQLite and PostgreSQL
disagree on date arithmetic (as the promise report does, ADR 0041).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.conversation_tables import sla_clocks, threads
from heedful.adapters.storage.dealing_tables import accounts, bookings, orders
from heedful.adapters.storage.feedback_tables import recovery_loops, survey_answers
from heedful.adapters.storage.goodwill_tables import goodwill_spends
from heedful.adapters.storage.playbook_tables import playbook_firings
from heedful.adapters.storage.promise_tables import promises
from heedful.adapters.storage.tables import locations
from heedful.core.failures.model import Failure, FailureKind, Firing, Gesture, Touchpoint

# Promise kinds counted as broken promises, and where the customer met each. Waiting lines are
# stock-outs and recoveries are the detractor's own repair: each failure is counted once.
_PROMISE_TOUCHPOINT = {
    "call_back": Touchpoint.CONVERSATION,
    "reply_by": Touchpoint.CONVERSATION,
    "refund_by": Touchpoint.PAYMENT,
    "deliver_by": Touchpoint.DELIVERY,
    "other": Touchpoint.OTHER,
}
_KEPT = ("kept", "kept_late")
_FEEDBACK_TOUCHPOINTS = {t.value for t in Touchpoint}
_STRONGLY_NEGATIVE = -0.6  # as the closed loop reads a comment (feedback/loop.py)
# As far back as a look-ahead firing can pre-empt a failure in the period (core/failures).
_LOOK_AHEAD_REACH = timedelta(days=31)
# A reservation without an end holds its table this long; none is read as longer than a day.
_SITTING = timedelta(hours=2)
_LONGEST_SITTING = timedelta(days=1)


def _in(
    column: sa.ColumnElement[str], location_ids: Collection[str] | None
) -> sa.ColumnElement[bool]:
    return sa.true() if location_ids is None else column.in_(sorted(location_ids))


def _ends(row: RowMapping) -> datetime:
    ends: datetime | None = row["ends_at"]
    return ends if ends is not None else row["starts_at"] + _SITTING


def _same_table_near(rows: list[RowMapping], i: int) -> list[RowMapping]:
    """The bookings of the same table whose sitting may overlap row i's (rows in table order)."""
    row, near = rows[i], []
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(rows):
            other = rows[j]
            same = (other["location_id"], other["table_name"]) == (
                row["location_id"],
                row["table_name"],
            )
            if not same or abs(other["starts_at"] - row["starts_at"]) > _LONGEST_SITTING:
                break
            near.append(other)
            j += step
    return near


def _holds_before(other: RowMapping, row: RowMapping) -> bool:
    """Other was booked first and its sitting overlaps row's."""
    first = (other["created_at"], other["id"]) < (row["created_at"], row["id"])
    overlaps = other["starts_at"] < _ends(row) and row["starts_at"] < _ends(other)
    return first and overlaps


class SqlFailureReads:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def failures(
        self,
        kind: FailureKind,
        location_ids: Collection[str] | None,
        since: datetime,
        until: datetime,
        limit: int,
    ) -> list[Failure]:
        read: Callable[[Collection[str] | None, datetime, datetime, int], list[Failure]] = getattr(
            self, f"_{kind.value}"
        )
        return read(location_ids, since, until, limit)

    def _decline(
        self, where: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Failure]:
        # A charge above balance plus limit, or one a look-ahead playbook saw coming (its limit may
        # have been raised since: the account now shows it covered). The accounts seen coming are
        # read from the window's firing keys first: a correlated LIKE per account would scan the
        # firings once per account.
        keys = sa.select(playbook_firings.c.once_key).where(
            playbook_firings.c.once_key.like("state:charge:%"),
            playbook_firings.c.fired_at >= since - _LOOK_AHEAD_REACH,
            playbook_firings.c.fired_at < until,
        )
        seen = sorted({key.split(":")[2].split("@")[0] for key in self._conn.scalars(keys)})
        uncovered = accounts.c.next_charge_minor > accounts.c.balance_minor + sa.func.coalesce(
            accounts.c.limit_minor, 0
        )
        query = (
            sa.select(accounts)
            .where(
                accounts.c.next_charge_at >= since,
                accounts.c.next_charge_at < until,
                _in(accounts.c.location_id, where),
                sa.or_(uncovered, accounts.c.id.in_(seen)) if seen else uncovered,
            )
            .order_by(accounts.c.next_charge_at, accounts.c.id)
            .limit(limit)
        )
        return [
            Failure(
                FailureKind.DECLINE,
                Touchpoint.PAYMENT,
                row["location_id"],
                row["customer_id"],
                f"account:{row['id']}",
                row["reference"],
                row["next_charge_at"],
                object_key=f"charge:{row['id']}@{int(row['next_charge_at'].timestamp())}",
            )
            for row in self._conn.execute(query).mappings()
        ]

    def _stock_out(
        self, where: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Failure]:
        query = (
            sa.select(promises)
            .where(
                promises.c.kind == "tell_when_available",
                promises.c.made_at >= since,
                promises.c.made_at < until,
                _in(promises.c.location_id, where),
            )
            .order_by(promises.c.made_at, promises.c.id)
            .limit(limit)
        )
        return [
            Failure(
                FailureKind.STOCK_OUT,
                Touchpoint.PURCHASE,
                row["location_id"],
                row["customer_id"],
                f"promise:{row['id']}",
                row["text"],
                row["made_at"],
                recovered_at=row["closed_at"] if row["state"] in _KEPT else None,
                open_until=row["due_at"],
                still_open=row["state"] == "open",
            )
            for row in self._conn.execute(query).mappings()
        ]

    def _no_table(
        self, where: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Failure]:
        # A table given to a party while a party that booked it earlier holds it at an overlapping
        # time: the later one arrives to no table. Reservations rarely say when they end, so a
        # sitting is taken as two hours; the tables of the period are read in one query and
        # compared here, table by table, in order of time (no date arithmetic in SQL).
        query = (
            sa.select(
                bookings.c.id,
                bookings.c.location_id,
                bookings.c.customer_id,
                bookings.c.reference,
                bookings.c.table_name,
                bookings.c.starts_at,
                bookings.c.ends_at,
                bookings.c.created_at,
            )
            .where(
                bookings.c.kind == "table",
                bookings.c.status != "cancelled",
                bookings.c.table_name != "",
                bookings.c.starts_at >= since - _SITTING,
                bookings.c.starts_at < until,
                _in(bookings.c.location_id, where),
            )
            .order_by(bookings.c.location_id, bookings.c.table_name, bookings.c.starts_at)
        )
        rows = list(self._conn.execute(query).mappings())
        found: list[Failure] = []
        for i, row in enumerate(rows):
            if row["customer_id"] is None or not since <= row["starts_at"] < until:
                continue
            if any(_holds_before(other, row) for other in _same_table_near(rows, i)):
                found.append(
                    Failure(
                        FailureKind.NO_TABLE,
                        Touchpoint.VISIT,
                        row["location_id"],
                        row["customer_id"],
                        f"booking:{row['id']}",
                        f"{row['reference']} · {row['table_name']}",
                        row["starts_at"],
                        object_key=f"booking:{row['id']}",
                    )
                )
        return found[:limit]

    def _late_delivery(
        self, where: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Failure]:
        # Felt at the end of the promised day in the shop's zone; the day is read with a day's
        # margin each side and the instant kept exact below.
        kept = (
            sa.select(sa.func.min(promises.c.closed_at))
            .where(
                promises.c.customer_id == orders.c.customer_id,
                promises.c.reference == orders.c.reference,
                promises.c.kind == "deliver_by",
                promises.c.state.in_(_KEPT),
            )
            .scalar_subquery()
        )
        query = (
            sa.select(orders, locations.c.time_zone, kept.label("kept_at"))
            .join(locations, locations.c.id == orders.c.location_id)
            .where(
                orders.c.expected_on > orders.c.promised_on,
                orders.c.status.not_in(("cancelled", "returned")),
                orders.c.promised_on >= (since - timedelta(days=1)).date(),
                orders.c.promised_on <= (until + timedelta(days=1)).date(),
                _in(orders.c.location_id, where),
            )
            .order_by(orders.c.promised_on, orders.c.id)
            .limit(limit)
        )
        found = []
        for row in self._conn.execute(query).mappings():
            zone = ZoneInfo(row["time_zone"])
            day_after = row["promised_on"] + timedelta(days=1)
            at = datetime.combine(day_after, time(), zone).astimezone(UTC)
            if not since < at <= until:  # the promised day lies in the period
                continue
            found.append(
                Failure(
                    FailureKind.LATE_DELIVERY,
                    Touchpoint.DELIVERY,
                    row["location_id"],
                    row["customer_id"],
                    f"order:{row['id']}",
                    row["reference"],
                    at,
                    object_key=f"order:{row['id']}",
                    # Still on its way after the promised day is felt, not open: it is late.
                    recovered_at=row["kept_at"],
                )
            )
        return found

    def _broken_promise(
        self, where: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Failure]:
        query = (
            sa.select(promises)
            .where(
                promises.c.kind.in_(sorted(_PROMISE_TOUCHPOINT)),
                promises.c.state.in_(("broken", "kept_late")),
                promises.c.due_at >= since,
                promises.c.due_at < until,
                _in(promises.c.location_id, where),
            )
            .order_by(promises.c.due_at, promises.c.id)
            .limit(limit)
        )
        return [
            Failure(
                FailureKind.BROKEN_PROMISE,
                _PROMISE_TOUCHPOINT[row["kind"]],
                row["location_id"],
                row["customer_id"],
                f"promise:{row['id']}",
                row["text"],
                row["due_at"],
                recovered_at=row["closed_at"] if row["state"] == "kept_late" else None,
            )
            for row in self._conn.execute(query).mappings()
        ]

    def _sla_breach(
        self, where: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Failure]:
        # A breach, or a warning answered before the due time: the breach it pre-empted.
        breached = sa.and_(sla_clocks.c.breached_at >= since, sla_clocks.c.breached_at < until)
        averted = sa.and_(
            sla_clocks.c.breached_at.is_(None),
            sla_clocks.c.warned_at.is_not(None),
            sla_clocks.c.met_at.is_not(None),
            sla_clocks.c.due_at >= since,
            sla_clocks.c.due_at < until,
        )
        query = (
            sa.select(sla_clocks, threads.c.customer_id, threads.c.subject)
            .join(threads, threads.c.id == sla_clocks.c.thread_id)
            .where(sa.or_(breached, averted), _in(sla_clocks.c.location_id, where))
            .order_by(sla_clocks.c.due_at, sla_clocks.c.id)
            .limit(limit)
        )
        return [self._breach(row) for row in self._conn.execute(query).mappings()]

    @staticmethod
    def _breach(row: RowMapping) -> Failure:
        breached_at = row["breached_at"]
        return Failure(
            FailureKind.SLA_BREACH,
            Touchpoint.CONVERSATION,
            row["location_id"],
            row["customer_id"],
            f"clock:{row['id']}",
            f"{row['subject']} · {row['kind']}",
            breached_at or row["due_at"],
            recovered_at=row["met_at"] if breached_at is not None else None,
            averted=breached_at is None,
        )

    def _detractor(
        self, where: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Failure]:
        unhappy = sa.or_(
            sa.and_(survey_answers.c.kind == "nps", survey_answers.c.score <= 6),
            sa.and_(survey_answers.c.kind == "csat", survey_answers.c.score <= 2),
            survey_answers.c.sentiment_score <= _STRONGLY_NEGATIVE,
        )
        query = (
            sa.select(
                survey_answers,
                recovery_loops.c.state.label("loop_state"),
                recovery_loops.c.closed_at.label("loop_closed_at"),
                recovery_loops.c.due_at.label("loop_due_at"),
            )
            .outerjoin(recovery_loops, recovery_loops.c.answer_id == survey_answers.c.id)
            .where(
                unhappy,
                survey_answers.c.answered_at >= since,
                survey_answers.c.answered_at < until,
                survey_answers.c.location_id.is_not(None) if where is not None else sa.true(),
                _in(survey_answers.c.location_id, where),
            )
            .order_by(survey_answers.c.answered_at, survey_answers.c.id)
            .limit(limit)
        )
        return [
            Failure(
                FailureKind.DETRACTOR,
                Touchpoint(row["touchpoint"])
                if row["touchpoint"] in _FEEDBACK_TOUCHPOINTS
                else Touchpoint.OTHER,
                row["location_id"] or "",
                row["customer_id"],
                f"answer:{row['id']}",
                f"{row['kind'].upper()} {row['score']}",
                row["answered_at"],
                recovered_at=row["loop_closed_at"],
                open_until=row["loop_due_at"],
                still_open=row["loop_state"] == "open",
            )
            for row in self._conn.execute(query).mappings()
        ]

    def firings(self, since: datetime, until: datetime, limit: int) -> list[Firing]:
        query = (
            sa.select(
                playbook_firings.c.customer_id,
                playbook_firings.c.once_key,
                playbook_firings.c.fired_at,
            )
            .where(
                playbook_firings.c.once_key.like("state:%"),
                playbook_firings.c.fired_at >= since,
                playbook_firings.c.fired_at < until,
            )
            .order_by(playbook_firings.c.fired_at)
            .limit(limit)
        )
        return [Firing(*row) for row in self._conn.execute(query)]

    def gestures(
        self, location_ids: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Gesture]:
        query = (
            sa.select(
                goodwill_spends.c.customer_id,
                goodwill_spends.c.location_id,
                goodwill_spends.c.created_at,
            )
            .where(
                goodwill_spends.c.state == "given",
                goodwill_spends.c.created_at >= since,
                goodwill_spends.c.created_at < until,
                _in(goodwill_spends.c.location_id, location_ids),
            )
            .order_by(goodwill_spends.c.created_at)
            .limit(limit)
        )
        return [Gesture(*row) for row in self._conn.execute(query)]
