"""Surveys, the invitations that carry them to one customer, and the answers that come back.

A survey is a manager's question for one touchpoint (a stay, a purchase, a closed conversation)
in the customers' languages. An invitation is one customer's one-time link to it; an answer is
what she said, with the staff member, location, touchpoint and segment frozen at that moment so
that a later transfer, rename or new segment never rewrites what the answer was about.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from heedful.core.feedback.reading import CommentReading, Sentiment, ThemeReading
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.shared.text import refuse_hidden_characters


class SurveyKind(StrEnum):
    CSAT = "csat"  # "How satisfied were you?" 1–5
    NPS = "nps"  # "How likely are you to recommend us?" 0–10
    CES = "ces"  # "It was easy to get what I needed" 1–7, 7 the easiest


SCALE: dict[SurveyKind, tuple[int, int]] = {
    SurveyKind.CSAT: (1, 5),
    SurveyKind.NPS: (0, 10),
    SurveyKind.CES: (1, 7),
}


class Touchpoint(StrEnum):
    STAY = "stay"
    VISIT = "visit"
    PURCHASE = "purchase"
    CONVERSATION = "conversation"
    DELIVERY = "delivery"
    OTHER = "other"


LANGUAGES = ("uk", "ru", "en")
MAX_NAME = 200
MAX_TEXT = 1000
MAX_COMMENT = 4000
MAX_CHOICES = 20
DEFAULT_VALIDITY = timedelta(days=7)


@dataclass(frozen=True)
class Choice:
    """One option of the multiple-choice question; its key is what answers store."""

    key: str
    labels: dict[str, str]  # language -> label

    def label(self, language: str) -> str:
        return self.labels.get(language) or next(iter(self.labels.values()), self.key)


@dataclass(frozen=True)
class SurveyText:
    """The words of a survey in one language."""

    question: str
    comment_prompt: str = ""
    choices_prompt: str = ""
    thanks: str = ""


@dataclass
class Survey:
    id: str
    name: str
    kind: SurveyKind
    touchpoint: Touchpoint
    texts: dict[str, SurveyText]
    created_at: datetime
    created_by_label: str
    updated_at: datetime
    ask_comment: bool = True
    choices: tuple[Choice, ...] = ()
    location_id: str | None = None  # None: every location
    valid_for: timedelta = DEFAULT_VALIDITY
    active: bool = True

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        refuse_hidden_characters(self.name, field="name")
        if not self.name.strip():
            raise InvalidInput("give the survey a name", field="name")
        if len(self.name) > MAX_NAME:
            raise InvalidInput(f"a name is at most {MAX_NAME} characters", field="name")
        if not self.texts:
            raise InvalidInput("write the question in at least one language", field="texts")
        for language, text in self.texts.items():
            where = f"texts.{language}"
            if language not in LANGUAGES:
                raise InvalidInput(f"languages are {', '.join(LANGUAGES)}", field=where)
            if not text.question.strip():
                raise InvalidInput("write the question", field=f"{where}.question")
            for name in ("question", "comment_prompt", "choices_prompt", "thanks"):
                if len(getattr(text, name)) > MAX_TEXT:
                    raise InvalidInput(f"at most {MAX_TEXT} characters", field=f"{where}.{name}")
        keys = [choice.key for choice in self.choices]
        if len(keys) > MAX_CHOICES:
            raise InvalidInput(f"at most {MAX_CHOICES} choices", field="choices")
        if len(set(keys)) != len(keys) or any(not key.strip() for key in keys):
            raise InvalidInput("each choice needs its own key", field="choices")
        if not timedelta(hours=1) <= self.valid_for <= timedelta(days=90):
            raise InvalidInput("a link is valid from an hour to 90 days", field="valid_for_hours")

    def text_in(self, language: str) -> tuple[str, SurveyText]:
        """The words in the customer's language, else English, else the first written."""
        for candidate in (language, "en"):
            if candidate in self.texts:
                return candidate, self.texts[candidate]
        first = next(iter(self.texts))
        return first, self.texts[first]

    def check_score(self, score: int) -> None:
        low, high = SCALE[self.kind]
        if not low <= score <= high:
            raise InvalidInput(f"a {self.kind.value} score is {low} to {high}", field="score")


class InvitationState(StrEnum):
    WAITING = "waiting"
    ANSWERED = "answered"
    EXPIRED = "expired"


@dataclass
class SurveyInvitation:
    id: str
    survey_id: str
    customer_id: str
    touchpoint: Touchpoint
    cause: str  # "source/id" of the event, or "api"
    created_at: datetime
    expires_at: datetime
    location_id: str | None = None
    staff_id: str | None = None  # who served the customer at the touchpoint, when known
    message_id: str | None = None
    sent_at: datetime | None = None  # read from the outbox
    answered_at: datetime | None = None

    def state(self, now: datetime) -> InvitationState:
        if self.answered_at is not None:
            return InvitationState.ANSWERED
        return InvitationState.EXPIRED if now >= self.expires_at else InvitationState.WAITING

    def answer(self, now: datetime) -> None:
        state = self.state(now)
        if state is InvitationState.ANSWERED:
            raise Conflict("this survey has already been answered", field="invitation")
        if state is InvitationState.EXPIRED:
            raise Conflict("this survey link has expired", field="invitation")
        self.answered_at = now


@dataclass(frozen=True)
class SurveyAnswer:
    id: str
    invitation_id: str
    survey_id: str
    kind: SurveyKind
    customer_id: str
    score: int
    answered_at: datetime
    touchpoint: Touchpoint
    comment: str = ""
    choices: tuple[str, ...] = ()
    language: str = ""
    # Frozen at response time.
    location_id: str | None = None
    staff_id: str | None = None
    staff_label: str = ""
    segment: str = ""
    # The comment's reading; None when there is no comment to read.
    sentiment: Sentiment | None = None
    sentiment_score: float | None = None
    emotions: dict[str, float] = field(default_factory=dict)
    themes: tuple[ThemeReading, ...] = ()
    reading_model: str = ""

    def with_reading(self, reading: CommentReading) -> SurveyAnswer:
        return replace(
            self,
            sentiment=reading.sentiment,
            sentiment_score=max(-1.0, min(1.0, reading.score)),
            emotions=dict(reading.emotions),
            themes=tuple(reading.themes),
            reading_model=reading.model,
        )
