"""Fakes for the feedback room's storage: surveys, invitations, answers, the per-customer cap,
recovery loops, CX index values, churn risks, the rollups and the shared job schedule.

They answer as ``adapters/storage/feedback_rows.py``, ``feedback_fact_rows.py`` and
``schedule_rows.py`` do: a second answer to one invitation is a ``Conflict``; an invitation
carries the ``sent_at`` of its message in the outbox; newest answers first; open loops by
deadline. The aggregated reads (``facts`` over the history, the dashboard's sums over the
rollups) are not kept in memory: asking them raises, so a test that needs them runs on storage
rather than on an answer the fake made up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

from fakes._base import Repository, copy, insert, overwrite
from heedful.core.feedback.churn import ChurnRisk
from heedful.core.feedback.cx_index import CxValue
from heedful.core.feedback.loop import LoopState, RecoveryLoop
from heedful.core.feedback.model import Survey, SurveyAnswer, SurveyInvitation
from heedful.core.feedback.ports import (
    AnswerFilter,
    AnswerRepository,
    AnswerRollups,
    ChurnRisks,
    CxValues,
    FeedbackFacts,
    InvitationRepository,
    RecoveryLoops,
    ScheduledRun,
    ScheduledRuns,
    SurveyCaps,
    SurveyRepository,
)
from heedful.core.shared.errors import Conflict

if TYPE_CHECKING:
    from fakes import FakeUnitOfWork


@dataclass
class FeedbackState:
    surveys: dict[str, Survey] = field(default_factory=dict)
    invitations: dict[str, SurveyInvitation] = field(default_factory=dict)
    answers: dict[str, SurveyAnswer] = field(default_factory=dict)
    next_allowed: dict[str, datetime] = field(default_factory=dict)
    loops: dict[str, RecoveryLoop] = field(default_factory=dict)
    cx_values: dict[str, CxValue] = field(default_factory=dict)
    churn: dict[str, ChurnRisk] = field(default_factory=dict)
    # What the rollups were told, in order: the dashboard's sums are tested on storage.
    rolled_up: list[tuple[str, str]] = field(default_factory=list)
    schedule: dict[str, ScheduledRun] = field(default_factory=dict)


class FakeSurveys(Repository):
    def add(self, survey: Survey) -> None:
        insert(self._writing().feedback.surveys, survey.id, survey)

    def get(self, survey_id: str) -> Survey | None:
        return copy(self._state.feedback.surveys.get(survey_id))

    def update(self, survey: Survey) -> None:
        overwrite(self._writing().feedback.surveys, survey.id, survey)

    def list(self, *, include_inactive: bool = False) -> list[Survey]:
        rows = [s for s in self._state.feedback.surveys.values() if s.active or include_inactive]
        return copy(sorted(rows, key=lambda s: (s.name, s.id)))


class FakeInvitations(Repository):
    def add(self, invitation: SurveyInvitation) -> None:
        insert(self._writing().feedback.invitations, invitation.id, invitation)

    def _with_sent_at(self, invitation: SurveyInvitation) -> SurveyInvitation:
        message = self._state.ledger.messages.get(invitation.message_id or "")
        return replace(invitation, sent_at=message.sent_at if message else None)

    def get(self, invitation_id: str, *, for_change: bool = False) -> SurveyInvitation | None:  # noqa: ARG002
        found = self._state.feedback.invitations.get(invitation_id)
        return None if found is None else copy(self._with_sent_at(found))

    def update(self, invitation: SurveyInvitation) -> None:
        # As the SQL: only the message, the answer time and the customer (after a merge) change.
        rows = self._writing().feedback.invitations
        stored = rows.get(invitation.id)
        if stored is None:
            overwrite(rows, invitation.id, invitation)  # raises: a missing row
            return
        rows[invitation.id] = replace(
            stored,
            message_id=invitation.message_id,
            answered_at=invitation.answered_at,
            customer_id=invitation.customer_id,
        )

    def list_for_customer(self, customer_id: str, limit: int) -> list[SurveyInvitation]:
        rows = [
            i for i in self._state.feedback.invitations.values() if i.customer_id == customer_id
        ]
        rows.sort(key=lambda i: i.id)
        rows.sort(key=lambda i: i.created_at, reverse=True)
        return copy([self._with_sent_at(i) for i in rows[:limit]])


def _matches(answer: SurveyAnswer, where: AnswerFilter) -> bool:
    return (
        (where.since is None or answer.answered_at >= where.since)
        and (where.until is None or answer.answered_at < where.until)
        and (where.kind is None or answer.kind is where.kind)
        and (where.survey_id is None or answer.survey_id == where.survey_id)
        and (where.customer_id is None or answer.customer_id == where.customer_id)
        and (where.location_ids is None or answer.location_id in where.location_ids)
        and (where.touchpoint is None or answer.touchpoint is where.touchpoint)
        and (where.segment is None or answer.segment == where.segment)
    )


class FakeAnswers(Repository):
    def add(self, answer: SurveyAnswer) -> None:
        answers = self._writing().feedback.answers
        if any(a.invitation_id == answer.invitation_id for a in answers.values()):
            raise Conflict("this survey has already been answered", field="invitation")
        insert(answers, answer.id, answer)

    def get(self, answer_id: str) -> SurveyAnswer | None:
        return copy(self._state.feedback.answers.get(answer_id))

    def find(self, where: AnswerFilter, limit: int) -> list[SurveyAnswer]:
        rows = [a for a in self._state.feedback.answers.values() if _matches(a, where)]
        rows.sort(key=lambda a: a.id)
        rows.sort(key=lambda a: a.answered_at, reverse=True)
        return copy(rows[:limit])

    def answered_pairs(self, where: AnswerFilter) -> set[tuple[str, str]]:
        rows = self._state.feedback.answers.values()
        return {(a.touchpoint.value, a.segment or "") for a in rows if _matches(a, where)}

    def histogram(self, where: AnswerFilter) -> dict[int, int]:
        counts: dict[int, int] = {}
        for answer in self._state.feedback.answers.values():
            if _matches(answer, where):
                counts[answer.score] = counts.get(answer.score, 0) + 1
        return counts


class FakeSurveyCaps(Repository):
    def next_allowed(self, customer_id: str, *, for_change: bool = False) -> datetime | None:  # noqa: ARG002
        return self._state.feedback.next_allowed.get(customer_id)

    def set_next_allowed(self, customer_id: str, at: datetime) -> None:
        self._writing().feedback.next_allowed[customer_id] = at


class FakeRecoveryLoops(Repository):
    def add(self, loop: RecoveryLoop) -> None:
        insert(self._writing().feedback.loops, loop.id, loop)

    def get(self, loop_id: str, *, for_change: bool = False) -> RecoveryLoop | None:  # noqa: ARG002
        return copy(self._state.feedback.loops.get(loop_id))

    def get_for_answer(self, answer_id: str) -> RecoveryLoop | None:
        rows = self._state.feedback.loops.values()
        return copy(next((loop for loop in rows if loop.answer_id == answer_id), None))

    def update(self, loop: RecoveryLoop) -> None:
        overwrite(self._writing().feedback.loops, loop.id, loop)

    def find(
        self,
        *,
        location_ids: frozenset[str] | None,
        open_only: bool,
        limit: int,
        customer_id: str | None = None,
    ) -> list[RecoveryLoop]:
        rows = [
            loop
            for loop in self._state.feedback.loops.values()
            if (location_ids is None or loop.location_id in location_ids)
            and (not open_only or loop.state is LoopState.OPEN)
            and (customer_id is None or loop.customer_id == customer_id)
        ]
        if open_only:
            rows.sort(key=lambda loop: (loop.due_at, loop.id))
        else:
            rows.sort(key=lambda loop: loop.id)
            rows.sort(key=lambda loop: loop.opened_at, reverse=True)
        return copy(rows[:limit])

    def in_period(
        self, since: datetime, until: datetime, location_ids: frozenset[str] | None
    ) -> list[RecoveryLoop]:
        rows = [
            loop
            for loop in self._state.feedback.loops.values()
            if since <= loop.opened_at < until
            and (location_ids is None or loop.location_id in location_ids)
        ]
        return copy(sorted(rows, key=lambda loop: loop.opened_at))


class FakeCxValues(Repository):
    def put(self, value: CxValue) -> None:
        rows = self._writing().feedback.cx_values
        same = [
            key
            for key, stored in rows.items()
            if stored.cell == value.cell and stored.formula_version == value.formula_version
        ]
        for key in same:
            del rows[key]
        insert(rows, value.id, value)

    def get(self, value_id: str) -> CxValue | None:
        return copy(self._state.feedback.cx_values.get(value_id))

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
        rows = [
            v
            for v in self._state.feedback.cx_values.values()
            if (since is None or v.cell.period_start >= since)
            and (until is None or v.cell.period_end <= until)
            and (location_id is None or v.cell.location_id == location_id)
            and (touchpoint is None or v.cell.touchpoint == touchpoint)
            and (segment is None or v.cell.segment == segment)
        ]
        rows.sort(key=lambda v: (v.cell.touchpoint, v.cell.location_id, v.cell.segment))
        rows.sort(key=lambda v: v.cell.period_start, reverse=True)
        return copy(rows[:limit])


class FakeChurnRisks(Repository):
    def put(self, risk: ChurnRisk) -> None:
        self._writing().feedback.churn[risk.customer_id] = copy(risk)

    def get(self, customer_id: str) -> ChurnRisk | None:
        return copy(self._state.feedback.churn.get(customer_id))

    def delete(self, customer_id: str) -> None:
        self._writing().feedback.churn.pop(customer_id, None)

    def highest(self, customer_ids: Sequence[str] | None, limit: int) -> list[ChurnRisk]:
        wanted = None if customer_ids is None else set(customer_ids)
        rows = [
            r
            for r in self._state.feedback.churn.values()
            if wanted is None or r.customer_id in wanted
        ]
        return copy(sorted(rows, key=lambda r: (-r.score, r.customer_id))[:limit])


class FakeAnswerRollups(Repository):
    """Records what it was told, in the transaction; the sums are the dashboard's (storage)."""

    def add(self, answer: SurveyAnswer) -> None:
        self._writing().feedback.rolled_up.append(("answer", answer.id))

    def loop_opened(self, loop: RecoveryLoop) -> None:
        self._writing().feedback.rolled_up.append(("loop_opened", loop.id))

    def loop_closed(self, loop: RecoveryLoop) -> None:
        self._writing().feedback.rolled_up.append(("loop_closed", loop.id))


class FakeScheduledRuns(Repository):
    def claim(self, name: str, now: datetime, until: datetime) -> bool:
        runs = self._writing().feedback.schedule
        run = runs.get(name) or ScheduledRun(name, now, None, None, None, {})
        free = run.claimed_until is None or run.claimed_until <= now
        if run.due_at > now or not free:
            runs[name] = run
            return False
        runs[name] = replace(run, claimed_until=until, last_started_at=now)
        return True

    def finish(
        self, name: str, now: datetime, next_due_at: datetime, result: dict[str, Any]
    ) -> None:
        runs = self._writing().feedback.schedule
        if name in runs:
            runs[name] = replace(
                runs[name],
                due_at=next_due_at,
                claimed_until=None,
                last_finished_at=now,
                last_result=copy(result),
            )

    def get(self, name: str) -> ScheduledRun | None:
        return copy(self._state.feedback.schedule.get(name))


def _on_storage(what: str) -> NoReturn:
    raise NotImplementedError(f"{what} is summed by storage: test it on SQLite and PostgreSQL")


class FakeFeedbackFacts:
    """The CX index's and churn's aggregates over the history: storage sums them, not the fake."""

    def purchases(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("purchases")

    def buyers_between(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("buyers_between")

    def history_lines(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("history_lines")

    def seen_between(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("seen_between")

    def activity(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("activity")


class FakeDashboardReads:
    """The dashboard's sums over blocks of rollups: storage sums them, not the fake."""

    def scores(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("the dashboard's scores")

    def topics(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("the dashboard's topics")

    def loops(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("the dashboard's loops")

    def root_causes(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("the dashboard's root causes")

    def overdue_loops(self, *args: Any, **kwargs: Any) -> NoReturn:  # noqa: ARG002
        _on_storage("the dashboard's overdue loops")

    def segments(self) -> NoReturn:
        _on_storage("the dashboard's segments")


class FakeFeedbackStore:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.surveys: SurveyRepository = FakeSurveys(uow)
        self.invitations: InvitationRepository = FakeInvitations(uow)
        self.answers: AnswerRepository = FakeAnswers(uow)
        self.caps: SurveyCaps = FakeSurveyCaps(uow)
        self.loops: RecoveryLoops = FakeRecoveryLoops(uow)
        self.cx_values: CxValues = FakeCxValues(uow)
        self.churn: ChurnRisks = FakeChurnRisks(uow)
        self.facts: FeedbackFacts = FakeFeedbackFacts()
        self.rollups: AnswerRollups = FakeAnswerRollups(uow)
        self.schedule: ScheduledRuns = FakeScheduledRuns(uow)
