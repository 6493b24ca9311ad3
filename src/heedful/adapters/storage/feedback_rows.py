"""The feedback room's rows: surveys, invitations, answers and the per-customer survey cap.

Loops, CX index values, churn risks and the facts they read are in ``feedback_fact_rows.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.dashboard_rows import SqlAnswerRollups
from heedful.adapters.storage.feedback_fact_rows import (
    SqlChurnRisks,
    SqlCxValues,
    SqlRecoveryLoops,
)
from heedful.adapters.storage.feedback_history_rows import SqlFeedbackFacts
from heedful.adapters.storage.feedback_tables import (
    survey_answers,
    survey_caps,
    survey_invitations,
    surveys,
)
from heedful.adapters.storage.promise_tables import messages
from heedful.adapters.storage.schedule_rows import SqlScheduledRuns
from heedful.core.feedback import ports
from heedful.core.feedback.loop import RecoveryLoop
from heedful.core.feedback.model import (
    Choice,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    SurveyText,
    Touchpoint,
)
from heedful.core.feedback.reading import Sentiment, ThemeReading
from heedful.core.shared.errors import Conflict


def _for_change(query: Any, conn: Connection) -> Any:
    return query.with_for_update() if conn.dialect.name == "postgresql" else query


def _survey(row: RowMapping) -> Survey:
    return Survey(
        id=row["id"],
        name=row["name"],
        kind=SurveyKind(row["kind"]),
        touchpoint=Touchpoint(row["touchpoint"]),
        texts={lang: SurveyText(**text) for lang, text in row["texts"].items()},
        created_at=row["created_at"],
        created_by_label=row["created_by_label"],
        updated_at=row["updated_at"],
        ask_comment=row["ask_comment"],
        choices=tuple(Choice(c["key"], dict(c["labels"])) for c in row["choices"]),
        location_id=row["location_id"],
        valid_for=timedelta(minutes=row["valid_for_minutes"]),
        active=row["active"],
    )


def _survey_values(s: Survey) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "kind": s.kind.value,
        "touchpoint": s.touchpoint.value,
        "texts": {
            lang: {
                "question": t.question,
                "comment_prompt": t.comment_prompt,
                "choices_prompt": t.choices_prompt,
                "thanks": t.thanks,
            }
            for lang, t in s.texts.items()
        },
        "ask_comment": s.ask_comment,
        "choices": [{"key": c.key, "labels": c.labels} for c in s.choices],
        "location_id": s.location_id,
        "valid_for_minutes": int(s.valid_for.total_seconds() // 60),
        "active": s.active,
        "created_at": s.created_at,
        "created_by_label": s.created_by_label,
        "updated_at": s.updated_at,
    }


class SqlSurveys:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, survey: Survey) -> None:
        self._conn.execute(surveys.insert().values(**_survey_values(survey)))

    def get(self, survey_id: str) -> Survey | None:
        row = self._conn.execute(sa.select(surveys).where(surveys.c.id == survey_id)).first()
        return _survey(row._mapping) if row else None

    def update(self, survey: Survey) -> None:
        values = _survey_values(survey)
        del values["id"]
        self._conn.execute(surveys.update().where(surveys.c.id == survey.id).values(**values))

    def list(self, *, include_inactive: bool = False) -> list[Survey]:
        query = sa.select(surveys).order_by(surveys.c.name, surveys.c.id)
        if not include_inactive:
            query = query.where(surveys.c.active.is_(True))
        return [_survey(row._mapping) for row in self._conn.execute(query)]


_INVITATION = sa.select(survey_invitations, messages.c.sent_at).select_from(
    survey_invitations.outerjoin(messages, messages.c.id == survey_invitations.c.message_id)
)


def _invitation(row: RowMapping) -> SurveyInvitation:
    return SurveyInvitation(
        id=row["id"],
        survey_id=row["survey_id"],
        customer_id=row["customer_id"],
        touchpoint=Touchpoint(row["touchpoint"]),
        cause=row["cause"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        location_id=row["location_id"],
        staff_id=row["staff_id"],
        message_id=row["message_id"],
        sent_at=row["sent_at"],
        answered_at=row["answered_at"],
    )


class SqlInvitations:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, invitation: SurveyInvitation) -> None:
        self._conn.execute(
            survey_invitations.insert().values(
                id=invitation.id,
                survey_id=invitation.survey_id,
                customer_id=invitation.customer_id,
                location_id=invitation.location_id,
                staff_id=invitation.staff_id,
                touchpoint=invitation.touchpoint.value,
                cause=invitation.cause,
                created_at=invitation.created_at,
                expires_at=invitation.expires_at,
                message_id=invitation.message_id,
                answered_at=invitation.answered_at,
            )
        )

    def get(self, invitation_id: str, *, for_change: bool = False) -> SurveyInvitation | None:
        if for_change:
            # Lock the invitation's own row (not the outer-joined message) so that two
            # submissions of one link queue up and the second sees it answered.
            locked = sa.select(survey_invitations.c.id).where(
                survey_invitations.c.id == invitation_id
            )
            self._conn.execute(_for_change(locked, self._conn))
        row = self._conn.execute(
            _INVITATION.where(survey_invitations.c.id == invitation_id)
        ).first()
        return _invitation(row._mapping) if row else None

    def update(self, invitation: SurveyInvitation) -> None:
        self._conn.execute(
            survey_invitations.update()
            .where(survey_invitations.c.id == invitation.id)
            .values(
                message_id=invitation.message_id,
                answered_at=invitation.answered_at,
                customer_id=invitation.customer_id,
            )
        )

    def list_for_customer(self, customer_id: str, limit: int) -> list[SurveyInvitation]:
        query = (
            _INVITATION.where(survey_invitations.c.customer_id == customer_id)
            .order_by(survey_invitations.c.created_at.desc(), survey_invitations.c.id)
            .limit(limit)
        )
        return [_invitation(row._mapping) for row in self._conn.execute(query)]


def _themes(raw: list[dict[str, Any]]) -> tuple[ThemeReading, ...]:
    return tuple(
        ThemeReading(t["theme"], Sentiment(t["sentiment"]), float(t["score"]), t.get("excerpt", ""))
        for t in raw
    )


def _answer(row: RowMapping) -> SurveyAnswer:
    return SurveyAnswer(
        id=row["id"],
        invitation_id=row["invitation_id"],
        survey_id=row["survey_id"],
        kind=SurveyKind(row["kind"]),
        customer_id=row["customer_id"],
        score=row["score"],
        answered_at=row["answered_at"],
        touchpoint=Touchpoint(row["touchpoint"]),
        comment=row["comment"],
        choices=tuple(row["choices"]),
        language=row["language"],
        location_id=row["location_id"],
        staff_id=row["staff_id"],
        staff_label=row["staff_label"],
        segment=row["segment"],
        sentiment=Sentiment(row["sentiment"]) if row["sentiment"] else None,
        sentiment_score=row["sentiment_score"],
        emotions=dict(row["emotions"]),
        themes=_themes(row["themes"]),
        reading_model=row["reading_model"],
    )


def _answer_values(a: SurveyAnswer) -> dict[str, Any]:
    return {
        "id": a.id,
        "invitation_id": a.invitation_id,
        "survey_id": a.survey_id,
        "kind": a.kind.value,
        "customer_id": a.customer_id,
        "location_id": a.location_id,
        "staff_id": a.staff_id,
        "staff_label": a.staff_label,
        "touchpoint": a.touchpoint.value,
        "segment": a.segment,
        "language": a.language,
        "score": a.score,
        "comment": a.comment,
        "choices": list(a.choices),
        "answered_at": a.answered_at,
        "sentiment": a.sentiment.value if a.sentiment else None,
        "sentiment_score": a.sentiment_score,
        "emotions": a.emotions,
        "themes": [
            {
                "theme": t.theme,
                "sentiment": t.sentiment.value,
                "score": t.score,
                "excerpt": t.excerpt,
            }
            for t in a.themes
        ],
        "reading_model": a.reading_model,
    }


def _where(where: ports.AnswerFilter) -> list[Any]:
    c = survey_answers.c
    clauses: list[Any] = []
    if where.since is not None:
        clauses.append(c.answered_at >= where.since)
    if where.until is not None:
        clauses.append(c.answered_at < where.until)
    if where.kind is not None:
        clauses.append(c.kind == where.kind.value)
    if where.survey_id is not None:
        clauses.append(c.survey_id == where.survey_id)
    if where.customer_id is not None:
        clauses.append(c.customer_id == where.customer_id)
    if where.location_ids is not None:
        clauses.append(c.location_id.in_(sorted(where.location_ids)))
    if where.touchpoint is not None:
        clauses.append(c.touchpoint == where.touchpoint.value)
    if where.segment is not None:
        clauses.append(c.segment == where.segment)
    return clauses


class SqlAnswers:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, answer: SurveyAnswer) -> None:
        # In a savepoint: on PostgreSQL a refused insert would otherwise spoil the transaction.
        try:
            with self._conn.begin_nested():
                self._conn.execute(survey_answers.insert().values(**_answer_values(answer)))
        except sa.exc.IntegrityError:
            raise Conflict("this survey has already been answered", field="invitation") from None

    def get(self, answer_id: str) -> SurveyAnswer | None:
        query = sa.select(survey_answers).where(survey_answers.c.id == answer_id)
        row = self._conn.execute(query).first()
        return _answer(row._mapping) if row else None

    def answered_pairs(self, where: ports.AnswerFilter) -> set[tuple[str, str]]:
        c = survey_answers.c
        query = sa.select(c.touchpoint, c.segment).where(*_where(where)).distinct()
        return {(touchpoint, segment or "") for touchpoint, segment in self._conn.execute(query)}

    def find(self, where: ports.AnswerFilter, limit: int) -> list[SurveyAnswer]:
        query = (
            sa.select(survey_answers)
            .where(*_where(where))
            .order_by(survey_answers.c.answered_at.desc(), survey_answers.c.id)
            .limit(limit)
        )
        return [_answer(row._mapping) for row in self._conn.execute(query)]

    def histogram(self, where: ports.AnswerFilter) -> dict[int, int]:
        score = survey_answers.c.score
        query = sa.select(score, sa.func.count()).where(*_where(where)).group_by(score)
        return {int(s): int(n) for s, n in self._conn.execute(query)}


class SqlSurveyCaps:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def next_allowed(self, customer_id: str, *, for_change: bool = False) -> datetime | None:
        query = sa.select(survey_caps.c.next_allowed_at).where(
            survey_caps.c.customer_id == customer_id
        )
        if for_change:
            query = _for_change(query, self._conn)
        found: datetime | None = self._conn.scalar(query)
        return found

    def set_next_allowed(self, customer_id: str, at: datetime) -> None:
        updated = self._conn.execute(
            survey_caps.update()
            .where(survey_caps.c.customer_id == customer_id)
            .values(next_allowed_at=at)
        )
        if updated.rowcount == 0:
            self._conn.execute(
                survey_caps.insert().values(customer_id=customer_id, next_allowed_at=at)
            )


class NoRollups:
    """Until the dashboard keeps its pre-aggregates, an answer adds to none."""

    def add(self, answer: SurveyAnswer) -> None:
        del answer

    def loop_opened(self, loop: RecoveryLoop) -> None:
        del loop

    def loop_closed(self, loop: RecoveryLoop) -> None:
        del loop


class SqlFeedbackStore:
    """Implements ``heedful.core.feedback.ports.FeedbackStore`` on one connection."""

    surveys: ports.SurveyRepository
    invitations: ports.InvitationRepository
    answers: ports.AnswerRepository
    caps: ports.SurveyCaps
    loops: ports.RecoveryLoops
    cx_values: ports.CxValues
    churn: ports.ChurnRisks
    facts: ports.FeedbackFacts
    rollups: ports.AnswerRollups
    schedule: ports.ScheduledRuns

    def __init__(self, conn: Connection) -> None:
        self.surveys = SqlSurveys(conn)
        self.invitations = SqlInvitations(conn)
        self.answers = SqlAnswers(conn)
        self.caps = SqlSurveyCaps(conn)
        self.loops = SqlRecoveryLoops(conn)
        self.cx_values = SqlCxValues(conn)
        self.churn = SqlChurnRisks(conn)
        self.facts = SqlFeedbackFacts(conn)
        self.rollups = SqlAnswerRollups(conn)
        self.schedule = SqlScheduledRuns(conn)
