"""Request and response bodies of /api/v1/audits (service audits, ADR 0039)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from heedful.entrypoints.api.schemas import NO_NUL, In

Key = Field(min_length=1, max_length=40, pattern=NO_NUL)
Words = list[str]


class RuleIn(In):
    location_ids: list[str] = Field(min_length=1, max_length=500)
    segments: Words = Field(default_factory=list, max_length=20, description="Any of; empty: any")
    languages: Words = Field(default_factory=list, max_length=10)
    age_bands: Words = Field(default_factory=list, max_length=20)
    genders: Words = Field(default_factory=list, max_length=5)
    same_city: bool = Field(True, description="She must live in the location's city")


class ProgrammeIn(In):
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    questionnaire_id: str = Key
    rules: list[RuleIn] = Field(min_length=1, max_length=100)
    lockout_days: int = Field(90, ge=0, le=3650, description="No repeat visit within this")
    check_in_radius_m: int = Field(300, ge=10, le=100_000)


class RuleOut(BaseModel):
    location_ids: list[str]
    segments: list[str]
    languages: list[str]
    age_bands: list[str]
    genders: list[str]
    same_city: bool


class ProgrammeOut(BaseModel):
    id: str
    name: str
    questionnaire_id: str
    rules: list[RuleOut]
    lockout_days: int
    check_in_radius_m: int
    created_at: datetime


class QuestionnaireOut(BaseModel):
    id: str
    version: int
    titles: dict[str, str]
    questionnaire: dict[str, Any] = Field(description="As written; see docs/audits.md")
    created_at: datetime
    created_by: str


class EvaluatorIn(In):
    staff_id: str = Field(
        min_length=1,
        max_length=40,
        pattern=NO_NUL,
        description="Her staff account, or the evaluator API token of her app",
    )
    display_name: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    segments: Words = Field(min_length=1, max_length=20)
    languages: Words = Field(min_length=1, max_length=10)
    cities: Words = Field(min_length=1, max_length=20)
    age_band: str = Field("", max_length=20, pattern=NO_NUL)
    gender: str = Field("", max_length=20, pattern=NO_NUL)
    contacts: Words = Field(
        default_factory=list,
        max_length=10,
        description="Her e-mails and phones: only to find where she is known as a customer",
    )
    works_at: Words = Field(default_factory=list, max_length=50)


class EvaluatorOut(BaseModel):
    id: str
    staff_id: str
    display_name: str
    segments: list[str]
    languages: list[str]
    cities: list[str]
    age_band: str
    gender: str
    reliability: float = Field(description="(validated + 1) / (validated + returned + 2)")
    validated: int
    returned: int
    active: bool


class ProposalOut(BaseModel):
    evaluator: EvaluatorOut
    fits: bool
    unfit: list[str] = Field(description="Why not: segment, language, known there, ...")


class AssignmentIn(In):
    programme_id: str = Key
    evaluator_id: str = Key
    location_id: str = Key
    wave: str = Field(min_length=1, max_length=40, pattern=NO_NUL, examples=["2026-12"])
    window_start: datetime
    window_end: datetime
    scenario: str = Field("", max_length=2000, pattern=NO_NUL)


class LinkPromiseIn(In):
    promise_id: str = Key


class AssignmentOut(BaseModel):
    id: str
    programme_id: str
    evaluator_id: str
    location_id: str
    questionnaire_id: str
    questionnaire_version: int
    wave: str
    window_start: datetime
    window_end: datetime
    scenario: str
    promise_id: str | None
    visit_state: str | None = None


class AttachmentIn(In):
    id: str = Key
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    kind: Literal["photo", "receipt"] = "photo"


class CheckInIn(In):
    at: datetime | None = Field(None, description="When she arrived; default: now")
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class VisitDraftIn(In):
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description='By item key: {"value": ..., "not_applicable": true, "comment": "..."}',
    )
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=50)
    check_in: CheckInIn | None = None


class PositionIn(In):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class PositionOut(BaseModel):
    location_id: str
    latitude: float
    longitude: float


class ReviewIn(In):
    comment: str = Field("", max_length=2000, pattern=NO_NUL)


class AnswerOut(BaseModel):
    value: Any = None
    not_applicable: bool = False
    comment: str = ""
    evidence: dict[str, str] = Field(default_factory=dict)


class FlagOut(BaseModel):
    code: str
    detail: dict[str, str]


class VisitOut(BaseModel):
    assignment: AssignmentOut
    state: str
    answers: dict[str, AnswerOut]
    attachments: list[dict[str, str]]
    checked_in_at: datetime | None
    check_in_latitude: float | None
    check_in_longitude: float | None
    submitted_at: datetime | None
    reviewed_at: datetime | None
    reviewed_by: str
    review_comment: str
    flags: list[FlagOut] = Field(description="For the reviewer; empty for the evaluator")
    score: float | None
    questionnaire: QuestionnaireOut


class RecommendationOut(BaseModel):
    item_key: str
    title: str
    score: float
    guidance: str
    comments: list[str]


class LocationResultOut(BaseModel):
    location_id: str
    location: str
    rank: int
    visits: int
    score: float | None
    sections: dict[str, float]
    items: dict[str, float]
    recommendations: list[RecommendationOut]


class VisitScoreOut(BaseModel):
    assignment_id: str
    location_id: str
    wave: str
    score: float | None
    knocked_out: list[str]


class ResultsOut(BaseModel):
    locations: list[LocationResultOut] = Field(description="The league table, best first")
    sections: dict[str, float]
    items: dict[str, float]
    trend: dict[str, dict[str, float]] = Field(description="Location, then wave: mean score")
    titles: dict[str, str]
    visits: list[VisitScoreOut]


class PanelChangeOut(BaseModel):
    evaluator: EvaluatorOut
    open_assignments: list[AssignmentOut] = Field(
        description="Her assignments still to be done at your locations: hand each to another"
    )


class ReassignIn(In):
    evaluator_id: str = Key
