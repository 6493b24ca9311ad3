"""Survey use cases on the in-memory fakes: invitations within consent and the weekly cap, one
answer per invitation, and a detractor's answer opening a recovery."""

from __future__ import annotations

import pytest
from unit.ledger_world import LedgerWorld, a_ledger_world

from heedful.core.customers.consent import Purpose
from heedful.core.customers.merging import merge_customers
from heedful.core.customers.model import Customer
from heedful.core.feedback.handlers import AnswerForm, Invite, Invited, answer_survey, invite
from heedful.core.feedback.loop import LoopReason, LoopState
from heedful.core.feedback.model import SurveyKind, SurveyText, Touchpoint
from heedful.core.feedback.surveys import DefineSurvey, define_survey
from heedful.core.promises.model import PromiseKind, PromiseState
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.errors import Conflict


def _nps(world: LedgerWorld) -> str:
    cmd = DefineSurvey(
        name="After the visit",
        kind=SurveyKind.NPS,
        touchpoint=Touchpoint.VISIT,
        texts={"uk": SurveyText("Чи порадили б ви нас друзям?", "Що нам покращити?")},
    )
    return define_survey(cmd, world.uow, world.shop.clock, world.shop.admin).id


def _invite(world: LedgerWorld, survey_id: str, customer: Customer) -> Invited:
    cmd = Invite(survey_id, customer.id, location_id=world.shop.kyiv.id)
    return invite(cmd, world.uow, world.shop.clock, world.shop.admin)


def _guest(world: LedgerWorld, name: str = "Anna", *, surveys: bool = True) -> Customer:
    consent = Purpose.SURVEYS if surveys else None
    return world.customer(name, email=f"{name.lower()}@example.com", consent=consent)


def test_a_customer_who_agreed_to_surveys_is_invited_by_a_message_in_the_outbox() -> None:
    world = a_ledger_world()
    anna = _guest(world)

    invited = _invite(world, _nps(world), anna)

    assert invited.invitation is not None
    [message] = world.messages(anna)
    assert message.template_key == "survey_invitation"
    assert message.purpose is Purpose.SURVEYS
    assert invited.invitation.message_id == message.id


def test_without_consent_to_surveys_she_is_not_invited_and_her_weekly_turn_is_not_used() -> None:
    world = a_ledger_world()
    anna = _guest(world, surveys=False)
    survey_id = _nps(world)

    skipped = _invite(world, survey_id, anna)

    assert skipped.invitation is None
    assert skipped.skipped == "no surveys consent on email"
    assert world.messages(anna) == []
    world.consent(anna, Purpose.SURVEYS)
    assert _invite(world, survey_id, anna).invitation is not None  # at once: no cap was spent


def test_a_customer_is_asked_at_most_once_a_week() -> None:
    world = a_ledger_world()
    anna = _guest(world)
    survey_id = _nps(world)
    assert _invite(world, survey_id, anna).invitation is not None

    world.later(days=6, hours=23)
    again = _invite(world, survey_id, anna)
    world.later(hours=1)
    a_week_later = _invite(world, survey_id, anna)

    assert again.invitation is None
    assert again.skipped.startswith("surveyed recently")
    assert a_week_later.invitation is not None
    assert len(world.messages(anna)) == 2


def test_an_invitation_is_answered_once() -> None:
    world = a_ledger_world()
    anna = _guest(world)
    invitation = _invite(world, _nps(world), anna).invitation
    assert invitation is not None

    answer_survey(invitation.id, AnswerForm(9), world.uow, world.shop.clock)

    with pytest.raises(Conflict, match="already been answered"):
        answer_survey(invitation.id, AnswerForm(3), world.uow, world.shop.clock)


def test_an_expired_link_takes_no_answer() -> None:
    world = a_ledger_world()
    anna = _guest(world)
    invitation = _invite(world, _nps(world), anna).invitation
    assert invitation is not None
    world.shop.clock.set(invitation.expires_at)

    with pytest.raises(Conflict, match="expired"):
        answer_survey(invitation.id, AnswerForm(9), world.uow, world.shop.clock)


def test_a_detractor_opens_a_recovery_with_a_promise_to_win_her_back() -> None:
    world = a_ledger_world()
    anna = _guest(world)
    invitation = _invite(world, _nps(world), anna).invitation
    assert invitation is not None

    answer = answer_survey(invitation.id, AnswerForm(3, "rude"), world.uow, world.shop.clock)

    with world.uow as uow:
        loop = uow.feedback.loops.get_for_answer(answer.id)
        promises = uow.promises.find(PromiseFilter(customer_id=anna.id), 10)
        tasks = uow.tasks.list_for_customer(anna.id, 10)
    assert loop is not None
    assert loop.state is LoopState.OPEN
    assert loop.reasons == (LoopReason.DETRACTOR,)
    [recover] = promises
    assert recover.kind is PromiseKind.RECOVER
    assert recover.state is PromiseState.OPEN
    assert recover.due_at is not None
    assert recover.due_at > world.shop.clock.now()
    assert len(tasks) == 1


def test_a_promoter_opens_no_recovery() -> None:
    world = a_ledger_world()
    anna = _guest(world)
    invitation = _invite(world, _nps(world), anna).invitation
    assert invitation is not None

    answer = answer_survey(invitation.id, AnswerForm(10), world.uow, world.shop.clock)

    with world.uow as uow:
        assert uow.feedback.loops.get_for_answer(answer.id) is None
        assert uow.promises.find(PromiseFilter(customer_id=anna.id), 10) == []
        answered = uow.feedback.invitations.get(invitation.id)
    assert answered is not None
    assert answered.answered_at == world.shop.clock.now()


def test_a_merge_brings_her_answer_her_recovery_and_her_promises_to_the_survivor() -> None:
    world = a_ledger_world()
    at_the_till = _guest(world, "Anna")
    on_the_web = _guest(world, "Hanna")
    invitation = _invite(world, _nps(world), on_the_web).invitation
    assert invitation is not None
    answer = answer_survey(invitation.id, AnswerForm(2), world.uow, world.shop.clock)

    merge_customers(
        at_the_till.id, on_the_web.id, "same guest", world.uow, world.shop.clock, world.shop.admin
    )

    with world.uow as uow:
        moved = uow.feedback.answers.get(answer.id)
        loop = uow.feedback.loops.get_for_answer(answer.id)
        promises = uow.promises.find(PromiseFilter(customer_id=at_the_till.id), 10)
    assert moved is not None
    assert moved.customer_id == at_the_till.id
    assert loop is not None
    assert loop.customer_id == at_the_till.id
    assert [p.kind for p in promises] == [PromiseKind.RECOVER]
