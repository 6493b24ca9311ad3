"""Surveys on SQLite and PostgreSQL: invited within the cap, answered once, the loop closed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import a_manager
from feedback_world import FeedbackWorld, WordReader
from promise_world import build_world

from heedful.bootstrap import Container
from heedful.core.access.model import Role
from heedful.core.customers.consent import Purpose
from heedful.core.feedback.cx_index import Cell
from heedful.core.feedback.dashboard import DashboardAsk, experience_report
from heedful.core.feedback.handlers import Invite, invite, measure
from heedful.core.feedback.indices import (
    assess_churn,
    compute_cx_index,
    list_churn_risks,
    recompute_cx_value,
)
from heedful.core.feedback.loop import LoopReason, LoopState
from heedful.core.feedback.model import SurveyKind
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.feedback.recovery import (
    CloseRecovery,
    close_recovery,
    list_recoveries,
    report_recoveries,
)
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind, Item
from heedful.core.privacy import erase_customer
from heedful.core.promises.handlers import keep_promise, list_promises
from heedful.core.promises.model import PromiseKind, PromiseState
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.shared.ids import new_id
from heedful.core.sla.calendar_days import set_opening_hours
from heedful.core.staff.model import StaffMember
from heedful.core.tasks.model import TaskKind


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> FeedbackWorld:
    return FeedbackWorld(build_world(container, clock), WordReader())


def test_a_survey_goes_out_once_a_week_at_most_however_many_touchpoints(
    world: FeedbackWorld,
) -> None:
    survey = world.survey()
    olena = world.guest("Olena Koval")

    first = world.invite(survey, olena)
    assert first is not None
    with world.base.uow as uow:
        [message] = uow.outbox.list_for_customer(olena.id, 5)
    assert message.purpose is Purpose.SURVEYS
    assert message.template_key == "survey_invitation"
    assert message.context["survey"]["invitation_id"] == first.id
    assert message.context["survey"]["question"] == "Чи порадили б ви нас друзям?"

    world.base.later(days=6, hours=23)
    assert world.invite(survey, olena) is None  # capped: one survey per seven days
    world.base.later(hours=1)
    assert world.invite(survey, olena) is not None


def test_no_survey_consent_means_no_invitation_and_no_cap_used(world: FeedbackWorld) -> None:
    survey = world.survey()
    quiet = world.guest("Petro Quiet", surveys=False)
    outcome = invite(
        Invite(survey.id, quiet.id, location_id=world.base.kyiv.id),
        world.base.uow,
        world.base.clock,
        world.base.admin,
    )
    assert outcome.invitation is None
    assert "no surveys consent" in outcome.skipped
    with world.base.uow as uow:
        assert uow.outbox.list_for_customer(quiet.id, 5) == []
        assert uow.feedback.caps.next_allowed(quiet.id) is None


def test_a_second_submission_is_refused_and_counted_once(world: FeedbackWorld) -> None:
    survey = world.survey()
    invitation = world.invite(survey, world.guest("Anna Double"))
    assert invitation is not None
    world.answer(invitation, 10, "чудово, дякую")
    with pytest.raises(Conflict):
        world.answer(invitation, 0, "changed my mind")
    [nps] = measure(world.base.uow, world.base.admin, AnswerFilter(kind=SurveyKind.NPS))
    assert (nps.sample_size, str(nps.value)) == (1, "100.0")


def test_an_expired_link_cannot_be_answered(world: FeedbackWorld) -> None:
    survey = world.survey(valid_for=timedelta(days=3))
    invitation = world.invite(survey, world.guest("Late Larysa"))
    assert invitation is not None
    world.base.later(days=3)
    with pytest.raises(Conflict, match="expired"):
        world.answer(invitation, 9)


def test_the_staff_member_and_location_are_frozen_onto_the_answer(world: FeedbackWorld) -> None:
    survey = world.survey(kind=SurveyKind.CSAT)
    iryna = world.base.assistant
    invitation = world.invite(survey, world.guest("Frozen Fedir"), staff_id=iryna.id)
    assert invitation is not None
    answer = world.answer(invitation, 5)
    with world.base.uow as uow:
        member = uow.staff.get(iryna.id)
        assert member is not None
        member.full_name = "Iryna Shevchenko"  # she married and moved on
        uow.staff.update(member)
        uow.commit()
        stored = uow.feedback.answers.get(answer.id)
    assert stored is not None
    assert (stored.staff_label, stored.location_id) == ("Iryna Melnyk", world.base.kyiv.id)
    assert stored.segment == "new"


def _manager(world: FeedbackWorld) -> StaffMember:
    member = StaffMember(
        id=new_id("stf_"),
        login=f"taras-{new_id()[:6]}",
        full_name="Taras Bondar",
        role=Role.MANAGER,
        language="uk",
        password_hash="-",
        created_at=world.base.clock.now(),
        location_ids=frozenset({world.base.kyiv.id}),
    )
    with world.base.uow as uow:
        uow.staff.add(member)
        uow.commit()
    return member


def test_a_detractor_opens_a_recovery_closed_only_with_a_root_cause_and_an_action(
    world: FeedbackWorld,
) -> None:
    base = world.base
    set_opening_hours(
        base.kyiv.id, {"mon-fri": ["09:00-18:00"]}, "", base.uow, base.clock, base.admin
    )
    taras = _manager(world)
    survey = world.survey()
    guest = world.guest("Unhappy Ulyana")
    invitation = world.invite(survey, guest)
    assert invitation is not None
    base.later(hours=1)  # Monday 10:00 in Kyiv
    answer = world.answer(invitation, 3, "we waited forty minutes, rude staff")
    assert answer.sentiment_score == -0.8
    assert answer.themes[0].theme == "waiting"

    [loop] = list_recoveries(base.uow, base.admin, open_only=True)
    assert loop.reasons == (LoopReason.DETRACTOR, LoopReason.NEGATIVE_COMMENT)
    # One business day: eight working hours from Monday 10:00 is Monday 18:00, Kyiv time.
    assert loop.due_at == datetime.fromisoformat("2026-03-02T18:00:00+02:00")
    [promise] = list_promises(base.uow, base.admin, customer_id=guest.id)
    assert (promise.kind, promise.owner_id) == (PromiseKind.RECOVER, taras.id)
    with base.uow as uow:
        tasks = uow.tasks.open_for(assignee_id=taras.id, location_ids=None, limit=5)
    assert [t.kind for t in tasks] == [TaskKind.FOLLOW_UP]

    with pytest.raises(Conflict):
        keep_promise(promise.id, "called her", base.uow, base.clock, base.admin)
    manager = a_manager(base.kyiv)
    with pytest.raises(InvalidInput) as no_cause:
        close_recovery(CloseRecovery(loop.id, "", "", "called her"), base.uow, base.clock, manager)
    assert no_cause.value.field == "root_cause"
    with pytest.raises(InvalidInput) as no_action:
        close_recovery(CloseRecovery(loop.id, "waiting_time"), base.uow, base.clock, manager)
    assert no_action.value.field == "action_taken"

    base.later(hours=3)
    closed = close_recovery(
        CloseRecovery(loop.id, "waiting_time", "one receptionist at check-in", "called, refunded"),
        base.uow,
        base.clock,
        manager,
    )
    assert (closed.state, closed.closed_in_time) == (LoopState.CLOSED, True)
    assert base.promise(promise.id).state is PromiseState.KEPT
    with base.uow as uow:
        assert uow.tasks.open_for(assignee_id=taras.id, location_ids=None, limit=5) == []
    report = report_recoveries(
        base.clock.now() - timedelta(days=1), base.clock.now(), base.uow, base.clock, base.admin
    )
    assert (report.opened, report.closed_in_time, report.open_overdue) == (1, 1, 0)
    assert report.root_causes_by_week == {("2026-03-02", "waiting_time"): 1}
    # The dashboard's closed-loop board counted the opening and the closing as they happened.
    board = experience_report(DashboardAsk(), base.uow, base.clock, base.admin).loops
    assert (board.opened, board.closed_in_time, board.closed_late) == (1, 1, 0)


def test_a_happy_score_with_a_bitter_comment_still_opens_a_loop(world: FeedbackWorld) -> None:
    survey = world.survey(kind=SurveyKind.CSAT)
    invitation = world.invite(survey, world.guest("Polite Pavlo"))
    assert invitation is not None
    world.answer(invitation, 4, "the room was dirty")
    [loop] = list_recoveries(world.base.uow, world.base.admin)
    assert loop.reasons == (LoopReason.NEGATIVE_COMMENT,)
    happy = world.invite(survey, world.guest("Happy Halyna"))
    assert happy is not None
    world.answer(happy, 5, "lovely")
    assert len(list_recoveries(world.base.uow, world.base.admin)) == 1


def _bought(
    world: FeedbackWorld, customer_id: str, quantity: int, rating: str = "", returned: bool = False
) -> None:
    attributes = {"item": "black handbag"} | ({"rating": rating} if rating else {})
    attributes |= {"returned": "true"} if returned else {}
    record_history(
        RecordHistory(
            customer_id=customer_id,
            kind=HistoryKind.PURCHASE,
            occurred_at=world.base.clock.now(),
            location_id=world.base.kyiv.id,
            items=(Item(attributes, quantity=quantity, amount_minor=250000 * quantity),),
            amount_minor=250000 * quantity,
            currency="UAH",
            external_ref=new_id("rcpt_"),
        ),
        world.base.uow,
        world.base.clock,
        world.base.admin,
    )


def test_a_stored_cx_index_value_recomputes_to_the_same_number(world: FeedbackWorld) -> None:
    survey = world.survey(kind=SurveyKind.CSAT)
    start = world.base.clock.now()
    for name, score, comment in (("A Ann", 5, "lovely"), ("B Bo", 2, "we waited"), ("C Cy", 4, "")):
        guest = world.guest(name)
        invitation = world.invite(survey, guest)
        assert invitation is not None
        world.answer(invitation, score, comment)
        _bought(world, guest.id, 2, rating="4")
    _bought(world, guest.id, 1, returned=True)  # C returned one of the two
    world.base.later(days=1)

    cell = Cell(start, start + timedelta(days=7), location_id=world.base.kyiv.id)
    [value] = compute_cx_index([cell], world.base.uow, world.base.clock, world.base.admin)
    # Emotion: score 70 % and comment 30 % where there is one: A 0.7·1 + 0.3·0.9, B 0.7·0.25 +
    # 0.3·0.1, C 0.75. Product: rating (4 − 1) / 4, kept 5 of 6 units, no buyer came back.
    assert value.emotion == pytest.approx((0.97 + 0.205 + 0.75) / 3, abs=1e-4)
    product = 0.4 * 0.75 + 0.3 * 5 / 6 + 0.3 * 0
    assert value.product_value == pytest.approx(product, abs=1e-4)
    assert value.value == round(100 * value.emotion * value.product_value, 1)  # type: ignore[operator]

    again = recompute_cx_value(value.id, world.base.uow, world.base.admin)
    assert again.same_inputs
    assert again.from_inputs == again.from_data == again.stored.value == value.value


def test_churn_lists_the_quiet_unhappy_customer_first_with_reasons(world: FeedbackWorld) -> None:
    regular, drifting = world.guest("Regular Roman"), world.guest("Drifting Daria")
    for _ in range(6):
        _bought(world, regular.id, 1)
    _bought(world, drifting.id, 1)
    survey = world.survey(kind=SurveyKind.CSAT)
    invitation = world.invite(survey, drifting)
    assert invitation is not None
    world.answer(invitation, 1, "rude")
    world.base.later(days=100)
    _bought(world, regular.id, 1)

    assert assess_churn(world.base.uow, world.base.clock, world.base.admin) == 2
    [first, second] = list_churn_risks(world.base.uow, world.base.admin)
    assert first.customer.id == drifting.id
    assert first.risk.score > second.risk.score
    assert [r.code for r in first.risk.reasons][:1] == ["not_seen"]
    assert {r.code for r in first.risk.reasons} >= {"not_seen", "rare"}


def test_an_erased_customer_s_comment_goes_and_her_score_still_counts(
    world: FeedbackWorld,
) -> None:
    survey = world.survey(kind=SurveyKind.CSAT)
    guest = world.guest("Erased Emma")
    invitation = world.invite(survey, guest)
    assert invitation is not None
    answer = world.answer(invitation, 1, "we waited, my name is Emma Example")
    erase_customer(guest.id, "her request", world.base.uow, world.base.clock, world.base.admin)
    with world.base.uow as uow:
        stored = uow.feedback.answers.get(answer.id)
    assert stored is not None
    assert (stored.comment, stored.themes, stored.score) == ("", (), 1)
    [figure] = measure(world.base.uow, world.base.admin, AnswerFilter(kind=SurveyKind.CSAT))
    assert figure.sample_size == 1
