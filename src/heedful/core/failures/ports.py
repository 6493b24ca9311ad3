"""What the failure map reads from storage: failures, look-ahead firings and goodwill given."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from heedful.core.failures.model import Failure, FailureKind, Firing, Gesture
from heedful.core.feedback import AnswerFilter, SurveyAnswer
from heedful.core.shared.ports import UnitOfWorkShape
from heedful.core.staff import LocationRepository


class FailureReads(Protocol):
    def failures(
        self,
        kind: FailureKind,
        location_ids: Collection[str] | None,
        since: datetime,
        until: datetime,
        limit: int,
    ) -> list[Failure]:
        """Failures of this kind at these locations (None: all) felt in [since, until), by time.

        One set-based query per kind; at most ``limit``.
        """
        ...

    def firings(self, since: datetime, until: datetime, limit: int) -> list[Firing]:
        """Look-ahead firings (their once keys start with "state:") fired in [since, until)."""
        ...

    def gestures(
        self, location_ids: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Gesture]:
        """Goodwill given (not waiting, not declined) in [since, until)."""
        ...


class _Answers(Protocol):
    def find(self, where: AnswerFilter, limit: int) -> list[SurveyAnswer]: ...


class _Feedback(Protocol):
    @property
    def answers(self) -> _Answers: ...


class FailureWork(UnitOfWorkShape, Protocol):
    """The part of the unit of work the failure map reads (ADR 0030)."""

    @property
    def failures(self) -> FailureReads: ...
    @property
    def locations(self) -> LocationRepository: ...
    @property
    def feedback(self) -> _Feedback: ...
