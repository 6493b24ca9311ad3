"""Recovery loops, CX index values, churn risks, and the history facts the index and churn read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.feedback_tables import (
    churn_risks,
    cx_index_values,
    recovery_loops,
    survey_answers,
)
from heedful.adapters.storage.tables import customers, history
from heedful.core.feedback.churn import Activity, ChurnRisk, Reason
from heedful.core.feedback.cx_index import (
    Cell,
    CxValue,
    HistoryLine,
    PurchaseFact,
    answer_emotion,
)
from heedful.core.feedback.loop import LoopReason, LoopState, RecoveryLoop
from heedful.core.feedback.model import SurveyAnswer, SurveyKind, Touchpoint
from heedful.core.history.model import HistoryKind

_CHUNK = 500
_YES = ("true", "yes", "1")


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


def _lines(row: RowMapping) -> list[PurchaseFact]:
    items = row["items"] or []
    if not items:
        negative = row["amount_minor"] is not None and row["amount_minor"] < 0
        return [PurchaseFact(row["customer_id"], row["occurred_at"], -1 if negative else 1)]
    facts = []
    for item in items:
        attributes = item.get("attributes") or {}
        rating = attributes.get("rating")
        try:
            stars = int(rating) if rating not in (None, "") else None
        except (TypeError, ValueError):
            stars = None
        quantity = int(item.get("quantity", 1))
        # A return is a receipt line marked "returned" (history keeps quantities positive).
        if str(attributes.get("returned", "")).lower() in _YES:
            quantity, stars = -abs(quantity), None
        facts.append(PurchaseFact(row["customer_id"], row["occurred_at"], quantity, stars))
    return facts


class SqlFeedbackFacts:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def purchases(
        self,
        since: datetime,
        until: datetime,
        *,
        location_id: str | None = None,
        segment: str | None = None,
    ) -> list[PurchaseFact]:
        h = history.c
        query = sa.select(h.customer_id, h.occurred_at, h["items"], h.amount_minor).where(
            h.kind == "purchase", h.occurred_at >= since, h.occurred_at < until
        )
        if location_id is not None:
            query = query.where(h.location_id == location_id)
        if segment is not None:
            query = query.join(customers, customers.c.id == h.customer_id).where(
                customers.c.segment == segment
            )
        query = query.order_by(h.occurred_at, h.id)
        facts: list[PurchaseFact] = []
        for row in self._conn.execute(query):
            facts.extend(_lines(row._mapping))
        return facts

    def buyers_between(
        self, customer_ids: Sequence[str], since: datetime, until: datetime
    ) -> set[str]:
        h, found = history.c, set[str]()
        wanted = sorted(set(customer_ids))
        for start in range(0, len(wanted), _CHUNK):
            query = (
                sa.select(h.customer_id)
                .where(
                    h.kind == "purchase",
                    h.occurred_at >= since,
                    h.occurred_at < until,
                    h.customer_id.in_(wanted[start : start + _CHUNK]),
                )
                .distinct()
            )
            found.update(self._conn.scalars(query))
        return found

    def history_lines(
        self,
        since: datetime,
        until: datetime,
        kinds: frozenset[HistoryKind],
        *,
        location_id: str | None = None,
        segment: str | None = None,
    ) -> list[HistoryLine]:
        h = history.c
        query = sa.select(
            h.id, h.kind, h.customer_id, h.occurred_at, h["items"], h.amount_minor
        ).where(h.kind.in_(sorted(kinds)), h.occurred_at >= since, h.occurred_at < until)
        if location_id is not None:
            query = query.where(h.location_id == location_id)
        if segment is not None:
            query = query.join(customers, customers.c.id == h.customer_id).where(
                customers.c.segment == segment
            )
        found: list[HistoryLine] = []
        for row in self._conn.execute(query.order_by(h.occurred_at, h.id)):
            entry = row._mapping
            kind = HistoryKind(entry["kind"])
            found.extend(HistoryLine(entry["id"], kind, fact) for fact in _lines(entry))
        return found

    def seen_between(
        self,
        customer_ids: Sequence[str],
        since: datetime,
        until: datetime,
        kinds: frozenset[HistoryKind],
        *,
        location_id: str | None = None,
    ) -> set[str]:
        h, found = history.c, set[str]()
        wanted = sorted(set(customer_ids))
        for start in range(0, len(wanted), _CHUNK):
            query = sa.select(h.customer_id).where(
                h.kind.in_(sorted(kinds)),
                h.occurred_at >= since,
                h.occurred_at < until,
                h.customer_id.in_(wanted[start : start + _CHUNK]),
            )
            if location_id is not None:
                query = query.where(h.location_id == location_id)
            found.update(self._conn.scalars(query.distinct()))
        return found

    def activity(self, now: datetime, customer_ids: Sequence[str] | None) -> list[Activity]:
        h = history.c
        year_ago = now - timedelta(days=365)
        recent = h.occurred_at >= year_ago
        spend = sa.case((sa.and_(recent, h.kind == "purchase"), h.amount_minor), else_=0)
        query = sa.select(
            h.customer_id,
            sa.func.max(h.occurred_at),
            sa.func.sum(sa.case((recent, 1), else_=0)),
            sa.func.coalesce(sa.func.sum(spend), 0),
        ).where(h.occurred_at <= now)
        if customer_ids is not None:
            query = query.where(h.customer_id.in_(list(customer_ids)))
        rows = self._conn.execute(query.group_by(h.customer_id)).all()
        emotions = self._recent_emotions(now, customer_ids)
        found = []
        for customer_id, last, count, total in rows:
            emotion_sum, answers = emotions.get(customer_id, (0.0, 0))
            found.append(
                Activity(
                    customer_id=customer_id,
                    last_seen_at=_aware(last),
                    visits_and_purchases_365=int(count or 0),
                    spend_365_minor=max(0, int(total or 0)),
                    recent_emotion=emotion_sum / answers if answers else None,
                    recent_answers=answers,
                )
            )
        return found

    def _recent_emotions(
        self, now: datetime, customer_ids: Sequence[str] | None
    ) -> dict[str, tuple[float, int]]:
        a = survey_answers.c
        query = sa.select(a.id, a.customer_id, a.kind, a.score, a.sentiment_score).where(
            a.answered_at >= now - timedelta(days=90), a.answered_at <= now
        )
        if customer_ids is not None:
            query = query.where(a.customer_id.in_(list(customer_ids)))
        sums: dict[str, tuple[float, int]] = {}
        for answer_id, customer_id, kind, score, sentiment_score in self._conn.execute(
            query.order_by(a.id)
        ):
            answer = SurveyAnswer(
                id=answer_id,
                invitation_id="",
                survey_id="",
                kind=SurveyKind(kind),
                customer_id=customer_id,
                score=score,
                answered_at=now,
                touchpoint=Touchpoint.OTHER,
                sentiment_score=sentiment_score,
            )
            total, count = sums.get(customer_id, (0.0, 0))
            sums[customer_id] = (total + answer_emotion(answer), count + 1)
        return sums


def _aware(value: datetime | str | None) -> datetime | None:
    """``max()`` over a SQLite column returns text: the type decorator does not see it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
