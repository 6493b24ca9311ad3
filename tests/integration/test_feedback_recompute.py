"""The daily CX index and churn recompute: one worker of many runs it, once a day, and a CLI."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from feedback_world import FeedbackWorld, WordReader
from promise_world import build_world

from heedful.adapters.clock import SystemClock
from heedful.bootstrap import Container, build
from heedful.core.feedback.cx_index import CxValue
from heedful.core.feedback.model import SurveyKind
from heedful.core.feedback.recompute import JOB, LEASE
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.entrypoints.cli.main import cli
from heedful.entrypoints.worker.jobs import recompute_feedback


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> FeedbackWorld:
    return FeedbackWorld(build_world(container, clock), WordReader())


def _a_week_of_answers(world: FeedbackWorld) -> None:
    """Three guests at the Kyiv location answer on Monday 2 March 2026 and buy something."""
    survey = world.survey(kind=SurveyKind.CSAT)
    for name, score in (("Anna A", 5), ("Bohdan B", 2), ("Cyril C", 4)):
        guest = world.guest(name)
        invitation = world.invite(survey, guest)
        assert invitation is not None
        world.answer(invitation, score, "lovely" if score > 3 else "we waited")
        record_history(
            RecordHistory(
                customer_id=guest.id,
                kind=HistoryKind.PURCHASE,
                occurred_at=world.base.clock.now(),
                location_id=world.base.kyiv.id,
                amount_minor=120000,
                currency="UAH",
                external_ref=new_id("rcpt_"),
            ),
            world.base.uow,
            world.base.clock,
            world.base.admin,
        )


def _stored(container: Container) -> list[CxValue]:
    with container.uow() as uow:
        return uow.feedback.cx_values.find(limit=1000)


def test_the_worker_stores_last_week_s_index_per_touchpoint_and_location_once_a_day(
    world: FeedbackWorld, container: Container, clock: FrozenClock
) -> None:
    _a_week_of_answers(world)
    clock.set(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))  # Monday: last week is complete

    assert recompute_feedback(container) > 0
    values = _stored(container)
    kyiv = world.base.kyiv.id
    cells = {(v.cell.touchpoint, v.cell.location_id, v.cell.segment) for v in values}
    assert {("stay", kyiv, ""), ("", kyiv, ""), ("stay", "", ""), ("", "", "")} <= cells
    week = next(v for v in values if v.cell.touchpoint == "stay" and v.cell.location_id == kyiv)
    # The Kyiv week, Monday to Monday on Kyiv's clock (UTC+2 in March).
    assert week.cell.period_start == datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
    assert week.cell.period_end == datetime(2026, 3, 8, 22, 0, tzinfo=UTC)
    assert week.inputs["answers"] == 3
    with container.uow() as uow:
        scored = uow.feedback.churn.highest(None, 10)
    assert len(scored) == 3

    # Not again today, neither here nor on a second worker over the same database.
    clock.advance(timedelta(hours=20))
    assert recompute_feedback(container) == 0
    other = build(container.settings, clock=clock)
    try:
        assert recompute_feedback(other) == 0
        clock.set(datetime(2026, 3, 10, 1, 0, tzinfo=UTC))  # the next day's run time
        assert recompute_feedback(other) > 0
        assert recompute_feedback(container) == 0
    finally:
        other.close()
    with container.uow() as uow:
        run = uow.feedback.schedule.get(JOB)
    assert run is not None
    assert run.due_at == datetime(2026, 3, 11, 1, 0, tzinfo=UTC)
    assert run.last_result["churn_scored"] == 3


def test_a_run_that_died_is_taken_over_when_its_claim_lapses(
    container: Container, clock: FrozenClock
) -> None:
    now = clock.now()
    with container.uow() as uow:
        assert uow.feedback.schedule.claim(JOB, now, now + LEASE)
        uow.commit()
    # The worker that claimed it crashed before finishing: nobody else runs it meanwhile.
    clock.advance(LEASE - timedelta(minutes=1))
    assert recompute_feedback(container) == 0
    clock.advance(timedelta(minutes=1))
    recompute_feedback(container)
    with container.uow() as uow:
        run = uow.feedback.schedule.get(JOB)
    assert run is not None
    assert run.claimed_until is None
    assert run.last_finished_at == clock.now()


def test_heedful_feedback_recompute_fills_past_weeks_with_a_progress_bar(
    world: FeedbackWorld,
    container: Container,
    clock: FrozenClock,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The command reads the wall clock, as it does for an operator: answers go in last week.
    clock.set(SystemClock().now() - timedelta(days=8))
    _a_week_of_answers(world)
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", database_url)

    result = CliRunner().invoke(cli, ["feedback", "recompute", "--weeks", "3", "--months", "2"])

    assert result.exit_code == 0, result.output
    assert "recomputing" in result.output
    assert "3 customers scored for churn" in result.output
    weeks = [
        v
        for v in _stored(container)
        if v.cell.period_end - v.cell.period_start == timedelta(weeks=1)
    ]
    assert any(v.inputs["answers"] == 3 and v.cell.location_id for v in weeks)


def test_of_eight_workers_asking_at_the_same_instant_exactly_one_runs_the_job(
    container: Container, clock: FrozenClock
) -> None:
    now = clock.now()
    start = threading.Barrier(8)
    claimed: list[bool] = []

    def ask() -> None:
        uow = container.uow()
        start.wait()
        with uow:
            got = uow.feedback.schedule.claim(JOB, now, now + LEASE)
            uow.commit()
        claimed.append(got)

    workers = [threading.Thread(target=ask) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(claimed) == [False] * 7 + [True]
