"""Recovery loops, CX index values and churn risks.

The purchases, visits and answers the index and churn read are in ``feedback_history_rows.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.feedback_tables import (
    churn_risks,
    cx_index_values,
    recovery_loops,
)
from heedful.core.feedback.churn import ChurnRisk, Reason
from heedful.core.feedback.cx_index import (
    Cell,
    CxValue,
)
from heedful.core.feedback.loop import LoopReason, LoopState, RecoveryLoop


def _for_change(query: Any, conn: Connection) -> Any:
    return query.with_for_update() if conn.dialect.name == "postgresql" else query


def _loop(row: RowMapping) -> RecoveryLoop:
    return RecoveryLoop(
        id=row["id"],
        answer_id=row["answer_id"],
        customer_id=row["customer_id"],
        location_id=row["location_id"],
        promise_id=row["promise_id"],
        reasons=tuple(LoopReason(r) for r in row["reasons"].split(",") if r),
        opened_at=row["opened_at"],
        due_at=row["due_at"],
        state=LoopState(row["state"]),
        closed_at=row["closed_at"],
        closed_in_time=row["closed_in_time"],
        root_cause=row["root_cause"],
        root_cause_note=row["root_cause_note"],
        action_taken=row["action_taken"],
        closed_by_label=row["closed_by_label"],
    )


def _loop_values(loop: RecoveryLoop) -> dict[str, Any]:
    return {
        "id": loop.id,
        "answer_id": loop.answer_id,
        "customer_id": loop.customer_id,
        "location_id": loop.location_id,
        "promise_id": loop.promise_id,
        "reasons": ",".join(r.value for r in loop.reasons),
        "opened_at": loop.opened_at,
        "due_at": loop.due_at,
        "state": loop.state.value,
        "closed_at": loop.closed_at,
        "closed_in_time": loop.closed_in_time,
        "root_cause": loop.root_cause,
        "root_cause_note": loop.root_cause_note,
        "action_taken": loop.action_taken,
        "closed_by_label": loop.closed_by_label,
    }


class SqlRecoveryLoops:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, loop: RecoveryLoop) -> None:
        self._conn.execute(recovery_loops.insert().values(**_loop_values(loop)))

    def get(self, loop_id: str, *, for_change: bool = False) -> RecoveryLoop | None:
        query = sa.select(recovery_loops).where(recovery_loops.c.id == loop_id)
        if for_change:
            query = _for_change(query, self._conn)
        row = self._conn.execute(query).first()
        return _loop(row._mapping) if row else None

    def get_for_answer(self, answer_id: str) -> RecoveryLoop | None:
        query = sa.select(recovery_loops).where(recovery_loops.c.answer_id == answer_id)
        row = self._conn.execute(query).first()
        return _loop(row._mapping) if row else None

    def update(self, loop: RecoveryLoop) -> None:
        values = _loop_values(loop)
        del values["id"]
        self._conn.execute(
            recovery_loops.update().where(recovery_loops.c.id == loop.id).values(**values)
        )

    def find(
        self,
        *,
        location_ids: frozenset[str] | None,
        open_only: bool,
        limit: int,
        customer_id: str | None = None,
    ) -> list[RecoveryLoop]:
        c = recovery_loops.c
        query = sa.select(recovery_loops)
        if location_ids is not None:
            query = query.where(c.location_id.in_(sorted(location_ids)))
        if open_only:
            query = query.where(c.state == LoopState.OPEN.value).order_by(c.due_at, c.id)
        else:
            query = query.order_by(c.opened_at.desc(), c.id)
        if customer_id is not None:
            query = query.where(c.customer_id == customer_id)
        return [_loop(row._mapping) for row in self._conn.execute(query.limit(limit))]

    def in_period(
        self, since: datetime, until: datetime, location_ids: frozenset[str] | None
    ) -> list[RecoveryLoop]:
        c = recovery_loops.c
        query = sa.select(recovery_loops).where(c.opened_at >= since, c.opened_at < until)
        if location_ids is not None:
            query = query.where(c.location_id.in_(sorted(location_ids)))
        return [_loop(row._mapping) for row in self._conn.execute(query.order_by(c.opened_at))]


def _cx(row: RowMapping) -> CxValue:
    return CxValue(
        id=row["id"],
        cell=Cell(
            row["period_start"],
            row["period_end"],
            row["touchpoint"],
            row["location_id"],
            row["segment"],
        ),
        value=row["value"],
        emotion=row["emotion"],
        product_value=row["product_value"],
        formula_version=row["formula_version"],
        inputs=dict(row["inputs"]),
        computed_at=row["computed_at"],
        previous_value=row["previous_value"],
    )


class SqlCxValues:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def put(self, value: CxValue) -> None:
        c, cell = cx_index_values.c, value.cell
        self._conn.execute(
            cx_index_values.delete().where(
                c.period_start == cell.period_start,
                c.period_end == cell.period_end,
                c.touchpoint == cell.touchpoint,
                c.location_id == cell.location_id,
                c.segment == cell.segment,
                c.formula_version == value.formula_version,
            )
        )
        self._conn.execute(
            cx_index_values.insert().values(
                id=value.id,
                period_start=cell.period_start,
                period_end=cell.period_end,
                touchpoint=cell.touchpoint,
                location_id=cell.location_id,
                segment=cell.segment,
                value=value.value,
                emotion=value.emotion,
                product_value=value.product_value,
                previous_value=value.previous_value,
                formula_version=value.formula_version,
                inputs=value.inputs,
                computed_at=value.computed_at,
            )
        )

    def get(self, value_id: str) -> CxValue | None:
        row = self._conn.execute(
            sa.select(cx_index_values).where(cx_index_values.c.id == value_id)
        ).first()
        return _cx(row._mapping) if row else None

    def find(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        location_id: str | None = None,
        touchpoint: str | None = None,
        segment: str | None = None,
        limit: int = 500,
    ) -> list[CxValue]:
        c = cx_index_values.c
        query = sa.select(cx_index_values)
        if since is not None:
            query = query.where(c.period_start >= since)
        if until is not None:
            query = query.where(c.period_end <= until)
        for column, wanted in ((c.location_id, location_id), (c.touchpoint, touchpoint)):
            if wanted is not None:
                query = query.where(column == wanted)
        if segment is not None:
            query = query.where(c.segment == segment)
        query = query.order_by(c.period_start.desc(), c.touchpoint, c.location_id, c.segment)
        return [_cx(row._mapping) for row in self._conn.execute(query.limit(limit))]


def _risk(row: RowMapping) -> ChurnRisk:
    return ChurnRisk(
        customer_id=row["customer_id"],
        score=row["score"],
        reasons=tuple(Reason(r["code"], r["weight"], dict(r["values"])) for r in row["reasons"]),
        inputs=dict(row["inputs"]),
        formula_version=row["formula_version"],
        computed_at=row["computed_at"],
    )


class SqlChurnRisks:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def put(self, risk: ChurnRisk) -> None:
        self._conn.execute(
            churn_risks.delete().where(churn_risks.c.customer_id == risk.customer_id)
        )
        self._conn.execute(
            churn_risks.insert().values(
                customer_id=risk.customer_id,
                score=risk.score,
                reasons=[
                    {"code": r.code, "weight": r.weight, "values": r.values} for r in risk.reasons
                ],
                inputs=risk.inputs,
                formula_version=risk.formula_version,
                computed_at=risk.computed_at,
            )
        )

    def get(self, customer_id: str) -> ChurnRisk | None:
        query = sa.select(churn_risks).where(churn_risks.c.customer_id == customer_id)
        row = self._conn.execute(query).first()
        return _risk(row._mapping) if row else None

    def delete(self, customer_id: str) -> None:
        self._conn.execute(churn_risks.delete().where(churn_risks.c.customer_id == customer_id))

    def highest(self, customer_ids: Sequence[str] | None, limit: int) -> list[ChurnRisk]:
        query = sa.select(churn_risks).order_by(
            churn_risks.c.score.desc(), churn_risks.c.customer_id
        )
        if customer_ids is not None:
            query = query.where(churn_risks.c.customer_id.in_(list(customer_ids)))
        return [_risk(row._mapping) for row in self._conn.execute(query.limit(limit))]
