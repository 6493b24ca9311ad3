"""The documented shapes of surveys, invitations, answers, recoveries, the CX index and churn."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictInt

from heedful.core.feedback.model import SurveyKind, Touchpoint
from heedful.entrypoints.api.promise_schemas import Instant
from heedful.entrypoints.api.schemas import Id, In, Out

Words = Annotated[str, Field(max_length=1000)]
Language = Annotated[str, Field(pattern=r"^(uk|ru|en)$")]


class SurveyTextIn(In):
    question: Annotated[str, Field(min_length=1, max_length=1000)]
    comment_prompt: Words = ""
    choices_prompt: Words = ""
    thanks: Words = ""


class ChoiceIn(In):
    key: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_\-]+$")]
    labels: dict[Language, Annotated[str, Field(min_length=1, max_length=200)]]


class SurveyIn(In):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: SurveyKind
    touchpoint: Touchpoint
    texts: dict[Language, SurveyTextIn] = Field(min_length=1)
    ask_comment: StrictBool = True
    choices: list[ChoiceIn] = Field(default_factory=list, max_length=20)
    location_id: Id | None = None
    valid_for_hours: Annotated[StrictInt, Field(ge=1, le=2160)] = 168
    active: StrictBool = True


class SurveyOut(Out):
    id: str
    name: str
    kind: SurveyKind
    touchpoint: Touchpoint
    texts: dict[str, dict[str, str]]
    ask_comment: bool
    choices: list[dict[str, Any]]
    location_id: str | None
    valid_for_hours: int
    active: bool
    created_at: datetime
    updated_at: datetime


class InviteIn(In):
    customer_id: Id
    location_id: Id | None = None
    staff_id: Id | None = Field(None, description="Who served the customer: frozen onto her answer")
    touchpoint: Touchpoint | None = None
    cause: Annotated[str, Field(max_length=800)] = "api"


class InvitationOut(Out):
    id: str | None = Field(description="None when no survey was sent (see `skipped`)")
    survey_id: str
    customer_id: str
    skipped: str = Field("", description="Why no survey was sent: the weekly cap, no consent…")
    expires_at: datetime | None = None
    message_id: str | None = None


class ThemeOut(Out):
    theme: str
    sentiment: str
    score: float
    excerpt: str


class AnswerOut(Out):
    id: str
    survey_id: str
    kind: SurveyKind
    customer_id: str
    score: int
    comment: str
    choices: list[str]
    language: str
    answered_at: datetime
    location_id: str | None
    staff_id: str | None
    staff_label: str
    touchpoint: Touchpoint
    segment: str
    sentiment: str | None
    sentiment_score: float | None
    emotions: dict[str, float]
    themes: list[ThemeOut]


class FigureOut(Out):
    measure: str
    value: float | None
    low: float | None
    high: float | None
    sample_size: int
    method: str
    definition: str


class CloseRecoveryIn(In):
    root_cause: Annotated[str, Field(max_length=40)]
    root_cause_note: Annotated[str, Field(max_length=2000)] = ""
    action_taken: Annotated[str, Field(max_length=2000)] = ""


class RecoveryOut(Out):
    id: str
    answer_id: str | None  # none: opened by staff from the churn list (ADR 0053)
    customer_id: str
    location_id: str
    promise_id: str
    reasons: list[str]
    opened_at: datetime
    due_at: datetime
    state: str
    overdue: bool
    closed_at: datetime | None
    closed_in_time: bool | None
    root_cause: str
    root_cause_note: str
    action_taken: str
    closed_by: str


class CxCellIn(In):
    period_start: Instant
    period_end: Instant
    touchpoint: Touchpoint | None = None
    location_id: Id | None = None
    segment: Annotated[str, Field(max_length=20)] | None = None


class CxValueOut(Out):
    id: str
    period_start: datetime
    period_end: datetime
    touchpoint: str
    location_id: str
    segment: str
    value: float | None
    emotion: float | None
    product_value: float | None
    previous_value: float | None
    trend: float | None
    formula_version: str
    inputs: dict[str, Any]
    computed_at: datetime


class RecomputedOut(Out):
    stored: CxValueOut
    from_inputs: float | None
    from_data: float | None
    same_inputs: bool


class ChurnReasonOut(Out):
    code: str
    values: dict[str, Any]


class ChurnOut(Out):
    customer_id: str
    full_name: str
    score: int
    reasons: list[ChurnReasonOut]
    inputs: dict[str, Any]
    computed_at: datetime
