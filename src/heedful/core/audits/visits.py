"""Assignments and visits: draft -> submitted -> validated, or returned to the evaluator.

A visit belongs to its assignment (one each) and keeps the questionnaire version the assignment
named. The evaluator writes answers while it is a draft or returned; the reviewer only validates
or returns it with a comment, and never touches an answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from heedful.core.audits.answers import Answer
from heedful.core.shared.errors import Conflict


@dataclass
class Assignment:
    id: str
    programme_id: str
    evaluator_id: str
    location_id: str
    questionnaire_id: str
    questionnaire_version: int
    wave: str  # "2026-12": visits of one wave are reported together
    window_start: datetime
    window_end: datetime
    scenario: str  # "ask to be told when a sold-out bag is back"
    created_at: datetime
    created_by: str
    promise_id: str | None = None  # the promise the scenario drew, as the ledger keeps it


class VisitState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    RETURNED = "returned"


@dataclass(frozen=True)
class Attachment:
    """A photo or the receipt: stored elsewhere, named here by id and content hash."""

    id: str
    sha256: str
    kind: str = "photo"  # photo | receipt


@dataclass(frozen=True)
class CheckIn:
    at: datetime
    latitude: float | None = None  # when the phone allows
    longitude: float | None = None


@dataclass(frozen=True)
class Flag:
    """A machine check the reviewer should look at: a code and the facts behind it."""

    code: str
    detail: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Visit:
    assignment_id: str
    evaluator_id: str
    location_id: str
    wave: str
    questionnaire_id: str
    questionnaire_version: int
    updated_at: datetime
    state: VisitState = VisitState.DRAFT
    answers: dict[str, Answer] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()
    check_in: CheckIn | None = None
    submitted_at: datetime | None = None
    reviewed_at: datetime | None = None
    reviewed_by: str = ""
    review_comment: str = ""
    flags: tuple[Flag, ...] = ()
    score: float | None = None

    @property
    def editable(self) -> bool:
        return self.state in (VisitState.DRAFT, VisitState.RETURNED)

    def save_draft(
        self,
        answers: dict[str, Answer],
        attachments: tuple[Attachment, ...],
        check_in: CheckIn | None,
        at: datetime,
    ) -> None:
        if not self.editable:
            raise Conflict(f"this visit is {self.state.value}: it can no longer be changed")
        ledger = {k: a for k, a in self.answers.items() if a.evidence}
        self.answers = {**answers, **ledger}
        self.attachments = attachments
        self.check_in = check_in if check_in is not None else self.check_in
        self.updated_at = at

    def submit(self, at: datetime, flags: tuple[Flag, ...], score: float | None) -> None:
        if not self.editable:
            raise Conflict(f"this visit is {self.state.value}: it was submitted already")
        self.state, self.submitted_at, self.updated_at = VisitState.SUBMITTED, at, at
        self.flags, self.score = flags, score

    def review(self, validated: bool, comment: str, by: str, at: datetime) -> None:
        if self.state is not VisitState.SUBMITTED:
            raise Conflict(f"only a submitted visit is reviewed; this one is {self.state.value}")
        self.state = VisitState.VALIDATED if validated else VisitState.RETURNED
        self.reviewed_at, self.reviewed_by, self.review_comment = at, by, comment
        self.updated_at = at
