"""What the feedback room needs from storage: one store with a repository per kind of row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from heedful.core.feedback.churn import Activity, ChurnRisk
from heedful.core.feedback.cx_index import CxValue, HistoryLine, PurchaseFact
from heedful.core.feedback.loop import RecoveryLoop
from heedful.core.feedback.model import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    Touchpoint,
)
from heedful.core.history import HistoryKind


@dataclass(frozen=True)
class AnswerFilter:
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    kind: SurveyKind | None = None
    survey_id: str | None = None
    customer_id: str | None = None
    location_ids: frozenset[str] | None = None  # None: every location
    touchpoint: Touchpoint | None = None
    segment: str | None = None


class SurveyRepository(Protocol):
    def add(self, survey: Survey) -> None: ...
    def get(self, survey_id: str) -> Survey | None: ...
    def update(self, survey: Survey) -> None: ...
    def list(self, *, include_inactive: bool = False) -> list[Survey]: ...


class InvitationRepository(Protocol):
    def add(self, invitation: SurveyInvitation) -> None: ...
    def get(self, invitation_id: str, *, for_change: bool = False) -> SurveyInvitation | None:
        """With ``sent_at`` read from its message in the outbox."""
        ...

    def update(self, invitation: SurveyInvitation) -> None: ...
    def list_for_customer(self, customer_id: str, limit: int) -> list[SurveyInvitation]: ...


class AnswerRepository(Protocol):
    def add(self, answer: SurveyAnswer) -> None:
        """Refuses a second answer to one invitation (raises ``Conflict``)."""
        ...

    def get(self, answer_id: str) -> SurveyAnswer | None: ...
    def find(self, where: AnswerFilter, limit: int) -> list[SurveyAnswer]:
        """Newest first."""
        ...

    def answered_pairs(self, where: AnswerFilter) -> set[tuple[str, str]]:
        """The (touchpoint, segment) pairs that have answers: the CX index cells worth storing."""
        ...

    def histogram(self, where: AnswerFilter) -> dict[int, int]:
        """Score -> number of answers, for the maths."""
        ...


class SurveyCaps(Protocol):
    """The per-customer survey cap as one key per customer, never a scan of sent surveys."""

    def next_allowed(self, customer_id: str, *, for_change: bool = False) -> datetime | None: ...
    def set_next_allowed(self, customer_id: str, at: datetime) -> None: ...


class RecoveryLoops(Protocol):
    def add(self, loop: RecoveryLoop) -> None: ...
    def get(self, loop_id: str, *, for_change: bool = False) -> RecoveryLoop | None: ...
    def get_for_answer(self, answer_id: str) -> RecoveryLoop | None: ...
    def update(self, loop: RecoveryLoop) -> None: ...
    def find(
        self,
        *,
        location_ids: frozenset[str] | None,
        open_only: bool,
        limit: int,
        customer_id: str | None = None,
    ) -> list[RecoveryLoop]: ...
    def in_period(
        self, since: datetime, until: datetime, location_ids: frozenset[str] | None
    ) -> list[RecoveryLoop]:
        """Loops opened in [since, until), for the loop counts and the weekly themes."""
        ...


class CxValues(Protocol):
    def put(self, value: CxValue) -> None:
        """Stores the value, replacing one of the same period, cell and formula version."""
        ...

    def get(self, value_id: str) -> CxValue | None: ...
    def find(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        location_id: str | None = None,
        touchpoint: str | None = None,
        segment: str | None = None,
        limit: int = 500,
    ) -> list[CxValue]: ...


class ChurnRisks(Protocol):
    def put(self, risk: ChurnRisk) -> None: ...
    def get(self, customer_id: str) -> ChurnRisk | None: ...
    def delete(self, customer_id: str) -> None: ...
    def highest(self, customer_ids: Sequence[str] | None, limit: int) -> list[ChurnRisk]:
        """Highest score first; ``customer_ids`` None: every customer."""
        ...


class FeedbackFacts(Protocol):
    """What the CX index and churn read from the history and the answers, aggregated in storage."""

    def purchases(
        self,
        since: datetime,
        until: datetime,
        *,
        location_id: str | None = None,
        segment: str | None = None,
    ) -> list[PurchaseFact]:
        """Purchase lines in [since, until), at a location (None: all), by a segment's customers."""
        ...

    def buyers_between(
        self, customer_ids: Sequence[str], since: datetime, until: datetime
    ) -> set[str]:
        """Which of these customers bought anything in [since, until)."""
        ...

    def history_lines(
        self,
        since: datetime,
        until: datetime,
        kinds: frozenset[HistoryKind],
        *,
        location_id: str | None = None,
        segment: str | None = None,
    ) -> list[HistoryLine]:
        """Lines of purchases and visits of these kinds in [since, until), as ``purchases``."""
        ...

    def seen_between(
        self,
        customer_ids: Sequence[str],
        since: datetime,
        until: datetime,
        kinds: frozenset[HistoryKind],
        *,
        location_id: str | None = None,
    ) -> set[str]:
        """Which of these customers bought or visited (these kinds, at the location) then."""
        ...

    def activity(self, now: datetime, customer_ids: Sequence[str] | None) -> list[Activity]:
        """Recency, frequency, money (365 days) and emotion (90 days) of customers with history."""
        ...


class AnswerRollups(Protocol):
    """The dashboard's pre-aggregates, kept in the transaction that stores each answer."""

    def add(self, answer: SurveyAnswer) -> None: ...
    def loop_opened(self, loop: RecoveryLoop) -> None:
        """After ``loops.add``, in the same transaction."""
        ...

    def loop_closed(self, loop: RecoveryLoop) -> None:
        """After the loop is closed with its root cause and updated, in the same transaction."""
        ...


@dataclass(frozen=True)
class ScheduledRun:
    name: str
    due_at: datetime
    claimed_until: datetime | None
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_result: dict[str, Any]


class ScheduledRuns(Protocol):
    """Jobs on a schedule shared by every worker: one key per job, never a lock held for the run."""

    def claim(self, name: str, now: datetime, until: datetime) -> bool:
        """True for the one caller that runs the job now: it is due and nobody holds it.

        The claim lasts until ``until``; a run that dies lets the next worker claim it after.
        A job never seen before is due at once."""
        ...

    def finish(
        self, name: str, now: datetime, next_due_at: datetime, result: dict[str, Any]
    ) -> None: ...
    def get(self, name: str) -> ScheduledRun | None: ...


class FeedbackStore(Protocol):
    surveys: SurveyRepository
    invitations: InvitationRepository
    answers: AnswerRepository
    caps: SurveyCaps
    loops: RecoveryLoops
    cx_values: CxValues
    churn: ChurnRisks
    facts: FeedbackFacts
    rollups: AnswerRollups
    schedule: ScheduledRuns
