"""A hotel and a boutique that ask their guests how it went: the world the feedback tests share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from promise_world import PromiseWorld

from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent
from heedful.core.customers.model import Customer
from heedful.core.feedback.handlers import AnswerForm, Invite, answer_survey, invite
from heedful.core.feedback.model import (
    Choice,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    SurveyText,
    Touchpoint,
)
from heedful.core.feedback.reading import CommentReading, Sentiment, ThemeReading
from heedful.core.feedback.surveys import DefineSurvey, define_survey

_NEGATIVE = ("waited", "rude", "dirty", "чекали", "грубо", "ждали", "жахливо", "ужасно")
_POSITIVE = ("lovely", "great", "чудово", "прекрасно", "дякую", "спасибо")


class WordReader:
    """A tiny real reader for tests, in place of the text model: words it knows decide the tone."""

    name = "test-words/1"

    def read(self, text: str, language: str | None = None) -> CommentReading:
        lowered = text.lower()
        bad = sum(word in lowered for word in _NEGATIVE)
        good = sum(word in lowered for word in _POSITIVE)
        if bad and good:
            sentiment, score = Sentiment.MIXED, -0.2
        elif bad:
            sentiment, score = Sentiment.NEGATIVE, -0.8
        elif good:
            sentiment, score = Sentiment.POSITIVE, 0.8
        else:
            sentiment, score = Sentiment.NEUTRAL, 0.0
        themes = (
            (ThemeReading("waiting", Sentiment.NEGATIVE, -0.8, "waited"),)
            if "wait" in lowered
            else ()
        )
        emotions = {"annoyance": 0.7} if bad else {}
        return CommentReading(language or "en", sentiment, score, emotions, themes, self.name)

    def read_many(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[CommentReading]:
        langs = languages or [None] * len(texts)
        return [self.read(t, lang) for t, lang in zip(texts, langs, strict=True)]


@dataclass
class FeedbackWorld:
    base: PromiseWorld
    reader: WordReader

    def survey(self, kind: SurveyKind = SurveyKind.NPS, **kw: object) -> Survey:
        cmd = DefineSurvey(
            name=f"After the stay ({kind.value})",
            kind=kind,
            touchpoint=Touchpoint.STAY,
            texts={
                "uk": SurveyText("Чи порадили б ви нас друзям?", "Що нам покращити?"),
                "en": SurveyText("Would you recommend us to a friend?", "What could we do better?"),
            },
            choices=(
                Choice("room", {"uk": "Номер", "en": "Room"}),
                Choice("staff", {"en": "Staff"}),
            ),
            **kw,  # type: ignore[arg-type]
        )
        return define_survey(cmd, self.base.uow, self.base.clock, self.base.admin)

    def guest(self, name: str, *, surveys: bool = True, language: str = "uk") -> Customer:
        customer = self.base.customer(
            name, email=f"{name.split(maxsplit=1)[0].lower()}@example.com", language=language
        )
        if surveys:
            record_consent(
                RecordConsent(customer.id, Channel.EMAIL, Purpose.SURVEYS, True, "at check-in"),
                self.base.uow,
                self.base.clock,
                self.base.admin,
            )
        return customer

    def invite(self, survey: Survey, customer: Customer, **kw: object) -> SurveyInvitation | None:
        cmd = Invite(survey.id, customer.id, location_id=self.base.kyiv.id, **kw)  # type: ignore[arg-type]
        return invite(cmd, self.base.uow, self.base.clock, self.base.admin).invitation

    def answer(self, invitation: SurveyInvitation, score: int, comment: str = "") -> SurveyAnswer:
        form = AnswerForm(score, comment)
        return answer_survey(invitation.id, form, self.base.uow, self.base.clock, self.reader)
