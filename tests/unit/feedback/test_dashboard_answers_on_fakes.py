"""The answers behind a dashboard figure, on the fakes: each answer on its location's calendar
day, and only what the click named (a kind and score, a theme)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from builders import a_shop

from heedful.core.feedback.dashboard import DashboardAsk
from heedful.core.feedback.dashboard_answers import AnswersAsk, answers_behind
from heedful.core.feedback.model import SurveyAnswer, SurveyKind, Touchpoint
from heedful.core.feedback.reading import Sentiment, ThemeReading
from heedful.core.shared.errors import InvalidInput


def _answer(
    answer_id: str, at: datetime, score: int, location_id: str, theme: str = ""
) -> SurveyAnswer:
    return SurveyAnswer(
        id=answer_id,
        invitation_id=f"inv_{answer_id}",
        survey_id="srv_1",
        kind=SurveyKind.NPS,
        customer_id="cus_anna",
        score=score,
        answered_at=at,
        touchpoint=Touchpoint.PURCHASE,
        location_id=location_id,
        themes=(ThemeReading(theme, Sentiment.NEGATIVE, -0.6),) if theme else (),
    )


def test_an_answer_late_in_the_utc_evening_counts_on_the_next_kyiv_day() -> None:
    shop = a_shop(datetime(2026, 3, 10, 9, tzinfo=UTC))
    kyiv = shop.kyiv.id
    with shop.uow as uow:
        # 23:30 UTC on 1 March is 01:30 on 2 March in Kyiv.
        uow.feedback.answers.add(
            _answer("ans_late", datetime(2026, 3, 1, 23, 30, tzinfo=UTC), 3, kyiv, "waiting")
        )
        uow.feedback.answers.add(_answer("ans_day", datetime(2026, 3, 1, 12, tzinfo=UTC), 9, kyiv))
        uow.commit()

    def ids(
        first: date,
        last: date,
        kind: SurveyKind | None = None,
        score: int | None = None,
        theme: str | None = None,
    ) -> list[str]:
        ask = AnswersAsk(DashboardAsk(since=first, until=last), kind, score, theme)
        return [a.id for a in answers_behind(ask, shop.uow, shop.clock, shop.admin).answers]

    assert ids(date(2026, 3, 1), date(2026, 3, 1)) == ["ans_day"]
    assert ids(date(2026, 3, 2), date(2026, 3, 2)) == ["ans_late"]
    assert ids(date(2026, 3, 1), date(2026, 3, 2), theme="waiting") == ["ans_late"]
    assert ids(date(2026, 3, 1), date(2026, 3, 2), kind=SurveyKind.NPS, score=9) == ["ans_day"]
    with pytest.raises(InvalidInput):
        ids(date(2026, 3, 1), date(2026, 3, 2), kind=SurveyKind.NPS, score=11)
