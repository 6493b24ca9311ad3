"""A merge takes her surveys, answers, recoveries and churn risk along; an undo brings them back."""

from __future__ import annotations

import pytest
from feedback_world import FeedbackWorld, WordReader
from promise_world import build_world

from heedful.bootstrap import Container
from heedful.core.customers.merging import merge_customers, undo_merge
from heedful.core.customers.model import Customer
from heedful.core.feedback.handlers import measure
from heedful.core.feedback.indices import assess_churn, list_churn_risks
from heedful.core.feedback.model import SurveyKind
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind
from heedful.core.privacy import export_customer
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> FeedbackWorld:
    return FeedbackWorld(build_world(container, clock), WordReader())


def _visit(world: FeedbackWorld, customer: Customer) -> None:
    record_history(
        RecordHistory(
            customer_id=customer.id,
            kind=HistoryKind.VISIT,
            occurred_at=world.base.clock.now(),
            location_id=world.base.kyiv.id,
            external_ref=new_id("visit_"),
        ),
        world.base.uow,
        world.base.clock,
        world.base.admin,
    )


def _two_records_of_one_guest(world: FeedbackWorld) -> tuple[Customer, Customer, str]:
    """Olena stayed twice under two e-mails; the second record answered a survey, unhappy."""
    survivor, absorbed = world.guest("Olena Koval"), world.guest("Lena Koval", language="en")
    _visit(world, survivor)
    _visit(world, absorbed)
    invitation = world.invite(world.survey(kind=SurveyKind.CSAT), absorbed)
    assert invitation is not None
    answer = world.answer(invitation, 1, "we waited an hour, rude staff")
    assert assess_churn(world.base.uow, world.base.clock, world.base.admin) == 2
    return survivor, absorbed, answer.id


def _hers(world: FeedbackWorld, customer_id: str) -> tuple[int, int, int]:
    """Rows stored on this very record (the use cases follow a merge to the survivor)."""
    with world.base.uow as uow:
        invitations = uow.feedback.invitations.list_for_customer(customer_id, 10)
        loops = uow.feedback.loops.find(
            location_ids=None, open_only=False, limit=10, customer_id=customer_id
        )
    answers = measure(
        world.base.uow,
        world.base.admin,
        AnswerFilter(kind=SurveyKind.CSAT, customer_id=customer_id),
    )
    return len(invitations), sum(f.sample_size for f in answers[:1]), len(loops)


def test_a_merge_takes_her_answers_and_recoveries_along_and_an_undo_brings_them_back(
    world: FeedbackWorld,
) -> None:
    survivor, absorbed, _ = _two_records_of_one_guest(world)
    record = merge_customers(
        survivor.id, absorbed.id, "one person", world.base.uow, world.base.clock, world.base.admin
    )
    assert _hers(world, survivor.id) == (1, 1, 1)
    assert _hers(world, absorbed.id) == (0, 0, 0)

    undo_merge(record.id, world.base.uow, world.base.clock, world.base.admin)
    assert _hers(world, survivor.id) == (0, 0, 0)
    assert _hers(world, absorbed.id) == (1, 1, 1)


def test_the_merged_guest_is_not_asked_twice_in_a_week(world: FeedbackWorld) -> None:
    survivor, absorbed, _ = _two_records_of_one_guest(world)
    merge_customers(
        survivor.id, absorbed.id, "one person", world.base.uow, world.base.clock, world.base.admin
    )
    survey = world.survey(kind=SurveyKind.NPS)
    assert world.invite(survey, survivor) is None  # the absorbed record was asked today
    world.base.later(days=7)
    assert world.invite(survey, survivor) is not None


def test_her_churn_risk_follows_her_answers_into_the_merge_and_back(world: FeedbackWorld) -> None:
    survivor, absorbed, _ = _two_records_of_one_guest(world)
    with world.base.uow as uow:
        calm = uow.feedback.churn.get(survivor.id)
    assert calm is not None
    assert "unhappy" not in {r.code for r in calm.reasons}
    world.base.later(days=1)

    record = merge_customers(
        survivor.id, absorbed.id, "one person", world.base.uow, world.base.clock, world.base.admin
    )
    [at_risk] = list_churn_risks(world.base.uow, world.base.admin)
    assert at_risk.customer.id == survivor.id
    assert "unhappy" in {r.code for r in at_risk.risk.reasons}  # the absorbed record's answer
    assert at_risk.risk.inputs["visits_and_purchases_365"] == 2
    with world.base.uow as uow:
        assert uow.feedback.churn.get(absorbed.id) is None

    undo_merge(record.id, world.base.uow, world.base.clock, world.base.admin)
    risks = {r.customer.id: r.risk for r in list_churn_risks(world.base.uow, world.base.admin)}
    assert set(risks) == {survivor.id, absorbed.id}
    assert "unhappy" in {r.code for r in risks[absorbed.id].reasons}
    assert "unhappy" not in {r.code for r in risks[survivor.id].reasons}
    assert risks[survivor.id].inputs["visits_and_purchases_365"] == 1


def test_her_export_holds_her_answers_recoveries_and_churn_risk(world: FeedbackWorld) -> None:
    survivor, absorbed, answer_id = _two_records_of_one_guest(world)
    merge_customers(
        survivor.id, absorbed.id, "one person", world.base.uow, world.base.clock, world.base.admin
    )
    world.base.later(hours=1)
    document = export_customer(survivor.id, world.base.uow, world.base.clock, world.base.admin)
    [answer] = document["survey_answers"]
    assert (answer["id"], answer["score"]) == (answer_id, 1)
    assert answer["comment"] == "we waited an hour, rude staff"
    assert answer["themes"][0]["theme"] == "waiting"
    [invitation] = document["survey_invitations"]
    assert invitation["id"] == answer["invitation_id"]
    [loop] = document["recoveries"]
    assert (loop["answer_id"], loop["state"]) == (answer_id, "open")
    assert loop["reasons"] == ["low_csat", "negative_comment"]
    [risk] = document["churn_risk"]
    assert risk["customer_id"] == survivor.id
