"""What the CX index and churn risk read from the history and the answers.

Purchase lines, visits and each customer's activity, asked in chunks of customers so that one
query's list of ids stays within what the drivers take.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.feedback_tables import (
    survey_answers,
)
from heedful.adapters.storage.tables import customers, history
from heedful.core.feedback.churn import Activity
from heedful.core.feedback.cx_index import (
    HistoryLine,
    PurchaseFact,
    answer_emotion,
)
from heedful.core.feedback.model import SurveyAnswer, SurveyKind, Touchpoint
from heedful.core.history.model import HistoryKind

_CHUNK = 500
_YES = ("true", "yes", "1")


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
