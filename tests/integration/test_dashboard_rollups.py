"""The dashboard's figures from the rollups equal the maths over the raw answers, on both backends.

Two shops on two clocks (Kyiv and London), answers of every kind over four months in several
segments and touchpoints, some with read comments, two recovery loops; stored as the survey
handler stores them (the answer, then the rollup hook, in one transaction).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from builders import a_location, a_manager, an_admin
from click.testing import CliRunner
from feedback_world import FeedbackWorld, WordReader
from promise_world import build_world

from heedful.adapters.storage.dashboard_rebuild import rebuild_rollups
from heedful.adapters.storage.dashboard_tables import ROLLUP_TABLES
from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.feedback.cx_index import FORMULA_VERSION, Cell, CxValue, answer_emotion
from heedful.core.feedback.dashboard import DashboardAsk, experience_report
from heedful.core.feedback.loop import LoopReason, RecoveryLoop
from heedful.core.feedback.maths import figures, histogram_of
from heedful.core.feedback.model import SCALE, SurveyAnswer, SurveyKind, Touchpoint
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.feedback.reading import Sentiment, ThemeReading
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Forbidden
from heedful.core.shared.ids import new_id
from heedful.core.staff.handlers import NewLocation, create_location
from heedful.core.staff.model import Location
from heedful.entrypoints.cli.main import cli

SEGMENTS = ("regular", "vip", "new")
TOUCHPOINTS = (Touchpoint.PURCHASE, Touchpoint.STAY, Touchpoint.CONVERSATION)
NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)


@dataclass
class Shops:
    kyiv: Location
    london: Location
    answers: list[SurveyAnswer]


def _location(container: Container, name: str, time_zone: str, country: str) -> Location:
    template = a_location(name, time_zone=time_zone, country=country)
    return create_location(
        NewLocation(name, template.kind, template.city, country, time_zone),
        container.uow(),
        container.clock,
        SYSTEM,
    )


def _answer(rng: random.Random, location: Location, at: datetime) -> SurveyAnswer:
    kind = rng.choice(list(SurveyKind))
    low, high = SCALE[kind]
    answer = SurveyAnswer(
        id=new_id("ans_"),
        invitation_id=new_id("inv_"),
        survey_id="srv_test",
        kind=kind,
        customer_id=new_id("cus_"),
        score=rng.randint(low, high),
        answered_at=at,
        touchpoint=rng.choice(TOUCHPOINTS),
        location_id=location.id,
        segment=rng.choice(SEGMENTS),
    )
    if rng.random() < 0.5:
        sentiment = rng.choice(list(Sentiment))
        answer = SurveyAnswer(
            **{
                **answer.__dict__,
                "comment": "words",
                "sentiment": sentiment,
                "sentiment_score": round(rng.uniform(-1, 1), 4),
                "emotions": {"joy": 0.8} if rng.random() < 0.5 else {"anger": 0.7},
                "themes": (
                    ThemeReading("staff", sentiment, 0.5),
                    ThemeReading("waiting", sentiment, -0.2),
                ),
            }
        )
    return answer


def _store(container: Container, answers: Iterable[SurveyAnswer]) -> None:
    with container.uow() as uow:
        for answer in answers:
            uow.feedback.answers.add(answer)
            uow.feedback.rollups.add(answer)
        uow.commit()


@pytest.fixture
def shops(container: Container) -> Shops:
    kyiv = _location(container, "Podil boutique", "Europe/Kyiv", "UA")
    london = _location(container, "City branch", "Europe/London", "GB")
    rng = random.Random(6)
    answers = []
    start = datetime(2026, 1, 20, tzinfo=UTC)
    for _ in range(400):
        at = start + timedelta(minutes=rng.randint(0, 60 * 24 * 115))
        answers.append(_answer(rng, rng.choice([kyiv, london]), at))
    # Half past eleven at night in Kyiv is 21:30 UTC: the answer belongs to Kyiv's 31 March.
    late = _answer(rng, kyiv, datetime(2026, 3, 31, 20, 30, tzinfo=UTC))
    answers.append(late)
    _store(container, answers)
    return Shops(kyiv, london, answers)


def _local_day(answer: SurveyAnswer, shops: Shops) -> date:
    zone = "Europe/Kyiv" if answer.location_id == shops.kyiv.id else "Europe/London"
    return answer.answered_at.astimezone(ZoneInfo(zone)).date()


def _raw(
    shops: Shops,
    first: date,
    last: date,
    *,
    location: Location | None = None,
    segment: str | None = None,
    touchpoint: Touchpoint | None = None,
) -> list[SurveyAnswer]:
    return [
        a
        for a in shops.answers
        if first <= _local_day(a, shops) <= last
        and (location is None or a.location_id == location.id)
        and (segment is None or a.segment == segment)
        and (touchpoint is None or a.touchpoint is touchpoint)
    ]


def _raw_figures(answers: list[SurveyAnswer]) -> dict[str, object]:
    found: dict[str, object] = {}
    for kind in SurveyKind:
        histogram = histogram_of([a.score for a in answers if a.kind is kind])
        for figure in figures(kind, histogram):
            found[figure.measure] = figure
    return found


def _report_figures(report: object) -> dict[str, object]:
    return {f.measure: f for kind in report.kinds for f in kind.figures}  # type: ignore[attr-defined]


@pytest.fixture
def frozen(clock: FrozenClock) -> FrozenClock:
    clock.advance(NOW - clock.now())
    return clock


def test_the_dashboard_figures_equal_the_maths_over_the_raw_answers(
    container: Container, shops: Shops, frozen: FrozenClock
) -> None:
    ask = DashboardAsk(since=date(2025, 10, 14), until=date(2026, 5, 20))
    report = experience_report(ask, container.uow(), frozen, an_admin())

    raw = _raw(shops, ask.since, ask.until)  # type: ignore[arg-type]
    assert report.answers == len(raw) == len(shops.answers)
    assert _report_figures(report) == _raw_figures(raw)
    # Each month of the trend is the maths over that month's answers.
    assert [point.bucket.key for point in report.trend] == [
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    for point in report.trend:
        month = _raw(shops, point.bucket.first_day, point.bucket.last_day)
        assert point.figures == _raw_figures(month)
    # The distribution is the histogram of the raw scores, zeros shown.
    nps = next(kind for kind in report.kinds if kind.kind is SurveyKind.NPS)
    raw_nps = histogram_of([a.score for a in raw if a.kind is SurveyKind.NPS])
    assert nps.histogram == {score: raw_nps.get(score, 0) for score in range(11)}
    commented = [a for a in raw if a.sentiment is not None]
    assert report.comments == len(commented)
    assert report.sentiments["mixed"] == sum(a.sentiment is Sentiment.MIXED for a in commented)


def test_filters_by_location_segment_and_touchpoint_and_a_week_cut_period(
    container: Container, shops: Shops, frozen: FrozenClock
) -> None:
    first, last = date(2026, 3, 4), date(2026, 4, 17)  # broken weeks at both ends
    ask = DashboardAsk(
        since=first,
        until=last,
        location_id=shops.kyiv.id,
        segment="vip",
        touchpoint=Touchpoint.STAY,
    )
    report = experience_report(ask, container.uow(), frozen, an_admin())

    raw = _raw(shops, first, last, location=shops.kyiv, segment="vip", touchpoint=Touchpoint.STAY)
    assert raw, "the filter should leave some answers"
    assert _report_figures(report) == _raw_figures(raw)
    assert report.step.value == "week"
    for point in report.trend:
        week = _raw(
            shops,
            point.bucket.first_day,
            point.bucket.last_day,
            location=shops.kyiv,
            segment="vip",
            touchpoint=Touchpoint.STAY,
        )
        assert point.figures == _raw_figures(week)
    staff = next(t for t in report.themes if t.name == "staff")
    assert staff.total == sum(1 for a in raw if a.themes)
    # The heat map's emotion is the CX index's emotion of the cell's answers.
    (cell,) = report.heat
    expected = 100 * sum(answer_emotion(a) for a in raw) / len(raw)
    assert cell.emotion == pytest.approx(round(expected, 1), abs=0.051)


def test_an_answer_late_at_night_counts_on_the_locations_own_day(
    container: Container, shops: Shops, frozen: FrozenClock
) -> None:
    day = date(2026, 3, 31)
    report = experience_report(
        DashboardAsk(since=day, until=day, location_id=shops.kyiv.id),
        container.uow(),
        frozen,
        an_admin(),
    )
    assert report.answers == len(_raw(shops, day, day, location=shops.kyiv))
    assert report.answers >= 1


def test_a_manager_sees_only_her_locations_and_may_not_ask_for_another(
    container: Container, shops: Shops, frozen: FrozenClock
) -> None:
    manager = a_manager(shops.london)
    ask = DashboardAsk(since=date(2026, 1, 14), until=date(2026, 5, 20))
    report = experience_report(ask, container.uow(), frozen, manager)
    assert _report_figures(report) == _raw_figures(
        _raw(shops, ask.since, ask.until, location=shops.london)  # type: ignore[arg-type]
    )
    with pytest.raises(Forbidden):
        experience_report(DashboardAsk(location_id=shops.kyiv.id), container.uow(), frozen, manager)


def _rollup_rows(container: Container) -> dict[str, list[tuple[object, ...]]]:
    with container.engine.connect() as conn:
        return {
            table.name: sorted(tuple(str(v) for v in row) for row in conn.execute(sa.select(table)))
            for table in ROLLUP_TABLES
        }


def test_rebuilding_from_the_raw_rows_gives_the_rollups_kept_answer_by_answer(
    container: Container, shops: Shops, frozen: FrozenClock
) -> None:
    answer = next(a for a in shops.answers if a.kind is SurveyKind.NPS and a.score <= 6)
    loop = RecoveryLoop(
        id=new_id("rcl_"),
        answer_id=answer.id,
        customer_id=answer.customer_id,
        location_id=answer.location_id or "",
        promise_id=new_id("prm_"),
        reasons=(LoopReason.DETRACTOR,),
        opened_at=answer.answered_at,
        due_at=answer.answered_at + timedelta(days=1),
    )
    with container.uow() as uow:
        uow.feedback.loops.add(loop)
        uow.feedback.rollups.loop_opened(loop)
        loop.close(answer.answered_at + timedelta(hours=3), "Olena", "waiting_time", "", "called")
        uow.feedback.loops.update(loop)
        uow.feedback.rollups.loop_closed(loop)
        uow.commit()
    kept = _rollup_rows(container)

    with container.engine.begin() as conn:
        rebuild_rollups(conn)
    assert _rollup_rows(container) == kept
    assert kept["recovery_rollups"]
    assert kept["root_cause_rollups"]


def _cx(location: Location, start: datetime, value: float) -> CxValue:
    return CxValue(
        id=new_id("cxv_"),
        cell=Cell(start, start + timedelta(days=7), "stay", location.id, ""),
        value=value,
        emotion=0.8,
        product_value=value / 80,
        formula_version="cx-1",
        inputs={},
        computed_at=start + timedelta(days=7),
        previous_value=value - 2,
    )


def test_the_heat_map_shows_the_latest_stored_cx_index_inside_the_period(
    container: Container, shops: Shops, frozen: FrozenClock
) -> None:
    kyiv = ZoneInfo("Europe/Kyiv")
    with container.uow() as uow:
        for week, value in ((date(2026, 4, 6), 61.0), (date(2026, 4, 13), 64.5)):
            start = datetime.combine(week, datetime.min.time(), tzinfo=kyiv).astimezone(UTC)
            uow.feedback.cx_values.put(_cx(shops.kyiv, start, value))
        uow.commit()

    report = experience_report(
        DashboardAsk(since=date(2026, 4, 1), until=date(2026, 4, 30), location_id=shops.kyiv.id),
        container.uow(),
        frozen,
        an_admin(),
    )
    cell = next(c for c in report.heat if c.touchpoint == "stay")
    assert cell.cx is not None
    assert cell.cx.value == 64.5
    assert cell.cx.trend == 2.0
    before = experience_report(
        DashboardAsk(since=date(2026, 4, 1), until=date(2026, 4, 15), location_id=shops.kyiv.id),
        container.uow(),
        frozen,
        an_admin(),
    )
    # The second week ends after the 15th: only the first is inside.
    assert next(c for c in before.heat if c.touchpoint == "stay").cx.value == 61.0  # type: ignore[union-attr]


def test_after_a_formula_upgrade_the_heat_map_shows_the_current_formulas_value(
    container: Container, shops: Shops, frozen: FrozenClock
) -> None:
    kyiv = ZoneInfo("Europe/Kyiv")
    start = datetime.combine(date(2026, 4, 6), datetime.min.time(), tzinfo=kyiv).astimezone(UTC)
    old = _cx(shops.kyiv, start, 70.0)
    # The same week and cell, stored again by today's formula, but computed a moment *earlier*
    # than the old one (two workers, clocks a little apart): the formula decides, not the time.
    current = replace(
        _cx(shops.kyiv, start, 55.0),
        formula_version=FORMULA_VERSION,
        computed_at=old.computed_at - timedelta(minutes=1),
    )
    with container.uow() as uow:
        uow.feedback.cx_values.put(old)
        uow.feedback.cx_values.put(current)
        uow.commit()

    report = experience_report(
        DashboardAsk(since=date(2026, 4, 1), until=date(2026, 4, 30), location_id=shops.kyiv.id),
        container.uow(),
        frozen,
        an_admin(),
    )
    cell = next(c for c in report.heat if c.touchpoint == "stay")
    assert cell.cx is not None
    assert (cell.cx.value, cell.cx.formula_version) == (55.0, FORMULA_VERSION)


def test_the_cli_rebuilds_the_rollups_after_they_were_lost(
    container: Container, shops: Shops, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _rollup_rows(container)
    with container.engine.begin() as conn:
        for table in ROLLUP_TABLES:
            conn.execute(table.delete())
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)

    result = CliRunner().invoke(cli, ["feedback", "rebuild-rollups"])

    assert result.exit_code == 0, result.output
    assert "rollups rebuilt" in result.output
    assert _rollup_rows(container) == kept


def test_answers_given_through_the_survey_page_reach_the_dashboard_as_the_raw_maths_says(
    container: Container, clock: FrozenClock
) -> None:
    world = FeedbackWorld(build_world(container, clock), WordReader())
    nps, csat = world.survey(SurveyKind.NPS), world.survey(SurveyKind.CSAT)
    given = [(nps, 10, ""), (nps, 9, "lovely"), (nps, 4, "we waited an hour"), (csat, 5, "")]
    given += [(csat, 2, "rude"), (nps, 7, "")]
    for index, (survey, score, comment) in enumerate(given):
        guest = world.guest(f"Guest{index} Test", surveys=True)
        invitation = world.invite(survey, guest)
        assert invitation is not None
        world.answer(invitation, score, comment)
        clock.advance(timedelta(hours=1))

    report = experience_report(DashboardAsk(), container.uow(), clock, an_admin())

    with container.uow() as uow:
        for kind in (SurveyKind.NPS, SurveyKind.CSAT):
            raw = uow.feedback.answers.histogram(AnswerFilter(kind=kind))
            assert [f for k in report.kinds if k.kind is kind for f in k.figures] == figures(
                kind, raw
            )
    assert report.figure("nps").value == Decimal("25.0")  # type: ignore[union-attr]
    assert report.comments == 3
    assert [t.name for t in report.themes] == ["waiting"]
    assert report.loops.opened == 2  # the detractor and the CSAT of 2


def test_the_dashboard_asks_the_database_the_same_few_questions_for_any_period(
    container: Container, shops: Shops, frozen: FrozenClock
) -> None:
    def statements(ask: DashboardAsk) -> int:
        sent: list[str] = []
        listener = lambda *args: sent.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
        sa.event.listen(container.engine, "before_cursor_execute", listener)
        try:
            experience_report(ask, container.uow(), frozen, an_admin())
        finally:
            sa.event.remove(container.engine, "before_cursor_execute", listener)
        return len([s for s in sent if s.lstrip().upper().startswith("SELECT")])

    a_week = statements(DashboardAsk(since=date(2026, 4, 6), until=date(2026, 4, 12)))
    two_years = statements(DashboardAsk(since=date(2024, 6, 1), until=date(2026, 5, 20)))
    # 11: the rollups' ten, and the surveys on (which kinds the locations collect).
    assert a_week == two_years <= 11


def test_answers_stored_at_once_by_two_workers_are_all_counted_and_never_deadlock(
    container: Container, shops: Shops, frozen: FrozenClock
) -> None:
    rng = random.Random(11)
    at = datetime(2026, 5, 19, 10, 0, tzinfo=UTC)
    batches = [[_answer(rng, shops.kyiv, at) for _ in range(40)] for _ in range(2)]
    failures: list[BaseException] = []

    def store(batch: list[SurveyAnswer]) -> None:
        try:
            for answer in batch:  # one transaction each, as answers arrive
                _store(container, [answer])
        except BaseException as exc:  # the test reports it below
            failures.append(exc)

    workers = [threading.Thread(target=store, args=(batch,)) for batch in batches]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert failures == []

    day = date(2026, 5, 19)
    report = experience_report(
        DashboardAsk(since=day, until=day, location_id=shops.kyiv.id),
        container.uow(),
        frozen,
        an_admin(),
    )
    stored = _raw(shops, day, day, location=shops.kyiv) + batches[0] + batches[1]
    assert report.answers == len(stored)
    assert _report_figures(report) == _raw_figures(stored)
