"""Results: location scores, the league table, trends over waves, and advice from weak items."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from unit.audits.audit_forms import GOOD_VISIT, answers, form

from heedful.core.audits import (
    Answer,
    Visit,
    VisitState,
    location_report,
    score_all,
    wave_report,
)

AT = datetime(2026, 12, 1, tzinfo=UTC)


def visit(n: int, location: str, wave: str, **changes: object) -> Visit:
    given = answers(**{**GOOD_VISIT, **changes})
    return Visit(
        assignment_id=f"aas_{n}",
        evaluator_id="aev_1",
        location_id=location,
        wave=wave,
        questionnaire_id="aqn_1",
        questionnaire_version=1,
        updated_at=AT,
        state=VisitState.VALIDATED,
        answers=given,
    )


def test_locations_rank_by_their_mean_score_with_a_trend_over_waves() -> None:
    bodies = {("aqn_1", 1): form()}
    visits = [
        visit(1, "podil", "2026-11"),  # 87.5
        visit(2, "podil", "2026-12", bar=False),  # 75
        visit(
            3,
            "lypky",
            "2026-12",
            greeted=False,
            smile=5,
            bar=True,
            scent="pleasant",
            music=["volume_ok", "genre_ok"],
            wait=1,
        ),  # capped at 40
    ]
    report = wave_report(score_all(visits, bodies), bodies, "uk")
    assert [(r.location_id, r.rank, r.visits) for r in report.locations] == [
        ("podil", 1, 2),
        ("lypky", 2, 1),
    ]
    assert report.locations[0].score == pytest.approx(81.25)
    assert report.trend["podil"] == {"2026-11": 87.5, "2026-12": 75.0}
    assert report.sections["welcome"] == pytest.approx((93.75 + 75 + 40) / 3)


def test_the_weakest_items_become_advice_in_the_managers_language() -> None:
    bodies = {("aqn_1", 1): form()}
    ignored = visit(1, "lypky", "2026-12", greeted=False)
    ignored.answers["greeted"] = Answer(False, comment="Nobody looked up for three minutes")
    report = wave_report(score_all([ignored], bodies), bodies, "uk")
    [lypky] = report.locations
    first = lypky.recommendations[0]
    assert (first.item_key, first.score) == ("greeted", 0.0)
    assert first.title == "Привітали за хвилину?"
    assert first.guidance == "Вітайте."
    assert first.comments == ("Nobody looked up for three minutes",)
    # scent and music both earn 50: ties go by key
    assert [r.item_key for r in lypky.recommendations] == ["greeted", "music", "scent"]


def test_a_locations_report_holds_its_wave_and_the_trend_up_to_it() -> None:
    bodies = {("aqn_1", 1): form()}
    visits = [
        visit(1, "podil", "2026-10"),  # 87.5
        visit(2, "podil", "2026-11", bar=False),  # 75
        visit(3, "podil", "2026-11"),  # 87.5
        visit(4, "podil", "2027-01"),  # after the wave reported: not in its trend
        visit(5, "lypky", "2026-11", greeted=False),  # another location: not in podil's report
    ]
    report = location_report(score_all(visits, bodies), bodies, "podil", "2026-11", "uk")
    assert report.result is not None
    assert report.result.visits == 2
    assert report.result.score == pytest.approx(81.25)
    assert report.trend == {"2026-10": 87.5, "2026-11": pytest.approx(81.25)}
    assert report.titles["greeted"] == "Привітали за хвилину?"
    assert report.language == "uk"
    nothing = location_report(score_all(visits, bodies), bodies, "podil", "2026-12", "uk")
    assert nothing.result is None
    assert list(nothing.trend) == ["2026-10", "2026-11"]
