"""An unverified sender's thread pages nobody until staff accept her (ADR 0029).

Its SLA clocks run from her first message, so that once she is accepted her real wait counts,
but while she is unverified no warning or breach makes anyone's task (the inbox still shows
"near breach" and "breached"), and the responsiveness report leaves her thread out unless staff
answered it. Accepting her tells the manager at once of a breach she already suffered. On SQLite
and PostgreSQL.

Berlin's hours are 09:00-18:00 and the policy answers within 120 business minutes, warned 30
minutes before: a chat on Monday at 08:00 Berlin is warned of at 10:30 and due at 11:00.
"""

from __future__ import annotations

import pytest
from conversation_world import ConversationWorld, build_conversation_world

from heedful.bootstrap import Container
from heedful.core.conversations.handlers import ChatIn, Received, accept_sender, receive_chat
from heedful.core.conversations.report import ResponsivenessAsk, responsiveness_report
from heedful.core.engine.timers import fire_due_timers
from heedful.core.promises.model import PromiseState
from heedful.core.shared.clock import FrozenClock
from heedful.core.sla.model import ClockKind, ClockState
from heedful.core.tasks.handlers import list_open_tasks
from heedful.core.tasks.model import TaskKind


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> ConversationWorld:
    return build_conversation_world(container, clock)


def _chat(world: ConversationWorld) -> Received:
    return receive_chat(
        ChatIn(text="Is size 38 in?", location_id=world.berlin.id), world.uow(), world.clock
    )


def _sla_tasks(world: ConversationWorld) -> list[TaskKind]:
    tasks = list_open_tasks(world.uow(), world.admin)
    return sorted(t.kind for t in tasks if t.kind in (TaskKind.SLA_WARNING, TaskKind.SLA_BREACH))


def _first_responses_counted(world: ConversationWorld) -> tuple[int, int]:
    report = responsiveness_report(ResponsivenessAsk(), world.uow(), world.clock, world.admin)
    first = report.total.times(ClockKind.FIRST_RESPONSE)
    return first.ended, first.inside


def test_a_flood_of_unverified_chats_pages_nobody_and_counts_in_no_report(
    world: ConversationWorld,
) -> None:
    chats = [_chat(world) for _ in range(5)]
    world.later(days=2)
    fire_due_timers(world.uow, world.clock)

    assert _sla_tasks(world) == []
    assert _first_responses_counted(world) == (0, 0)
    for chat in chats:  # the clocks ran and breached: the wait is on record
        assert world.clocks(chat.thread.id)["first_response"].state is ClockState.BREACHED


def test_accepting_after_a_breach_tells_the_manager_and_the_wait_counts_as_breached(
    world: ConversationWorld,
) -> None:
    chat = _chat(world)
    world.later(hours=5)  # 13:00 Berlin: two hours past due
    fire_due_timers(world.uow, world.clock)
    assert _sla_tasks(world) == []

    accepted = accept_sender(chat.thread.id, world.uow(), world.clock, world.agent)

    assert _sla_tasks(world) == [TaskKind.SLA_BREACH]
    [breach] = list_open_tasks(world.uow(), world.manager)
    assert breach.kind is TaskKind.SLA_BREACH
    assert _first_responses_counted(world) == (1, 0)
    with world.uow() as uow:
        promise = uow.promises.get(accepted.reply_promise_id or "")
    assert promise is not None
    assert promise.state is PromiseState.OPEN
    assert promise.due_at is not None
    assert promise.due_at < world.clock.now()  # overdue: she did wait


def test_accepted_before_the_due_time_the_breach_pages_the_manager_as_for_anyone(
    world: ConversationWorld,
) -> None:
    chat = _chat(world)
    world.later(hours=2, minutes=40)  # 10:40 Berlin: past the warning, before the due time
    fire_due_timers(world.uow, world.clock)
    assert _sla_tasks(world) == []  # warned in the inbox, no task for anyone
    with world.uow() as uow:
        assert uow.threads.get(chat.thread.id).warned  # type: ignore[union-attr]

    accept_sender(chat.thread.id, world.uow(), world.clock, world.agent)
    assert _sla_tasks(world) == []  # whoever accepted her is on the thread already

    world.later(minutes=30)  # 11:10 Berlin: due and unanswered
    fire_due_timers(world.uow, world.clock)
    assert _sla_tasks(world) == [TaskKind.SLA_BREACH]


def test_an_unverified_chat_staff_answered_counts_in_the_report(world: ConversationWorld) -> None:
    chat = _chat(world)
    spam = _chat(world)
    world.later(hours=1, minutes=10)  # 09:10 Berlin: ten minutes into the business day
    world.reply(chat.thread.id, "Yes, it is.")
    world.later(days=1)
    fire_due_timers(world.uow, world.clock)

    assert world.clocks(spam.thread.id)["first_response"].state is ClockState.BREACHED
    assert _first_responses_counted(world) == (1, 1)  # the answered one, inside its SLA


def test_a_breach_already_told_is_not_told_again_when_the_sender_is_verified_again(
    world: ConversationWorld,
) -> None:
    anna = world.email(sender="anna@example.com").thread  # a first contact: verified
    world.later(hours=5)
    fire_due_timers(world.uow, world.clock)
    assert _sla_tasks(world).count(TaskKind.SLA_BREACH) == 1
    with world.uow() as uow:  # a stranger's e-mail into her thread made it unverified again
        thread = uow.threads.get(anna.id, for_change=True)
        assert thread is not None
        thread.sender_verified, thread.sender_proof = False, ""
        uow.threads.update(thread)
        uow.commit()

    accept_sender(anna.id, world.uow(), world.clock, world.agent)

    assert _sla_tasks(world).count(TaskKind.SLA_BREACH) == 1
