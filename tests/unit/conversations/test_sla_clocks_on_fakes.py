"""SLA clocks on the in-memory fakes: business hours, holidays, dated closures, pauses while the
customer is asked, a warning before the breach and the breach itself."""

from __future__ import annotations

from datetime import date

from unit.conversation_world_on_fakes import a_conversation_world, utc

from heedful.core.conversations.handlers import set_status
from heedful.core.conversations.model import ThreadStatus
from heedful.core.promises.model import PromiseKind, PromiseState
from heedful.core.sla.calendar_days import set_calendar_day
from heedful.core.sla.model import ClockState
from heedful.core.tasks.model import TaskKind


def test_an_email_before_opening_is_due_two_business_hours_after_the_shop_opens() -> None:
    world = a_conversation_world()

    thread = world.email().thread

    clocks = world.clocks(thread.id)
    assert clocks["first_response"].due_at == utc(3, 2, 10)  # 11:00 Berlin
    assert clocks["first_response"].warn_at == utc(3, 2, 9, 30)
    assert clocks["resolution"].due_at == utc(3, 2, 16)  # eight business hours: 17:00 Berlin
    with world.uow as uow:
        promise = uow.promises.get(thread.reply_promise_id or "")
    assert promise is not None
    assert promise.kind is PromiseKind.REPLY_BY
    assert promise.due_at == utc(3, 2, 10)


def test_an_email_before_easter_is_due_after_the_holidays_and_the_weekend() -> None:
    # Thursday 2 April, 17:30 in Berlin: half an hour left today; Good Friday, the weekend and
    # Easter Monday are closed, so the other ninety minutes run on Tuesday from 09:00.
    world = a_conversation_world(utc(4, 2, 15, 30))

    thread = world.email().thread

    assert world.clocks(thread.id)["first_response"].due_at == utc(4, 7, 8, 30)


def test_a_day_closed_for_inventory_moves_the_due_time_and_keeps_what_was_spent() -> None:
    world = a_conversation_world()
    thread = world.email().thread
    world.clock.set(utc(3, 2, 8, 30))  # 09:30 Berlin: half an hour spent

    set_calendar_day(
        world.berlin.id,
        date(2026, 3, 2),
        ["09:00-10:00"],
        "inventory",
        world.uow,
        world.clock,
        world.manager,
    )

    # Half an hour more on Monday (to 10:00), the last hour on Tuesday from 09:00 Berlin.
    assert world.clocks(thread.id)["first_response"].due_at == utc(3, 3, 9)


def test_waiting_on_the_customer_pauses_the_clocks_and_reopening_resumes_them() -> None:
    world = a_conversation_world()
    thread = world.email().thread
    world.clock.set(utc(3, 2, 9))  # 10:00 Berlin: one business hour spent

    set_status(thread.id, ThreadStatus.WAITING_ON_CUSTOMER, world.uow, world.clock, world.agent)

    paused = world.clocks(thread.id)["first_response"]
    assert paused.state is ClockState.PAUSED
    assert paused.due_at is None
    world.clock.set(utc(3, 3, 9))  # Tuesday 10:00 Berlin
    set_status(thread.id, ThreadStatus.OPEN, world.uow, world.clock, world.agent)
    clocks = world.clocks(thread.id)
    assert clocks["first_response"].state is ClockState.RUNNING
    assert clocks["first_response"].due_at == utc(3, 3, 10)  # the hour left
    assert clocks["resolution"].due_at == utc(3, 3, 16)  # seven hours left


def test_the_agents_are_warned_before_the_breach_and_the_manager_is_told_at_it() -> None:
    world = a_conversation_world()
    thread = world.email().thread
    world.clock.set(utc(3, 2, 9, 30))

    assert world.timers().sla == 1
    with world.uow as uow:
        [warning] = uow.tasks.list_for_customer(thread.customer_id, 10)
    assert warning.kind is TaskKind.SLA_WARNING
    assert warning.assignee_role is not None
    assert warning.assignee_role.value == "agent"

    world.clock.set(utc(3, 2, 10))
    assert world.timers().sla == 1
    with world.uow as uow:
        tasks = {t.kind: t for t in uow.tasks.list_for_customer(thread.customer_id, 10)}
        promise = uow.promises.get(thread.reply_promise_id or "")
        stored = uow.threads.get(thread.id)
    breach = tasks[TaskKind.SLA_BREACH]
    assert breach.assignee_role is not None
    assert breach.assignee_role.value == "manager"
    assert promise is not None
    assert promise.state is PromiseState.BROKEN
    assert stored is not None
    assert stored.breached
    assert world.clocks(thread.id)["first_response"].state is ClockState.BREACHED


def test_a_late_answer_keeps_the_reply_promise_late_and_the_clock_stays_breached() -> None:
    world = a_conversation_world()
    thread = world.email().thread
    world.clock.set(utc(3, 2, 10))
    world.timers()

    world.clock.set(utc(3, 2, 10, 30))
    world.reply(thread.id)

    with world.uow as uow:
        promise = uow.promises.get(thread.reply_promise_id or "")
    assert promise is not None
    assert promise.state is PromiseState.KEPT_LATE
    first = world.clocks(thread.id)["first_response"]
    assert first.state is ClockState.BREACHED
    assert first.met_at == utc(3, 2, 10, 30)


def test_an_answer_in_time_meets_the_clock_and_leaves_the_timers_nothing_to_do() -> None:
    world = a_conversation_world()
    thread = world.email().thread
    world.clock.set(utc(3, 2, 8, 30))
    world.reply(thread.id)
    world.clock.set(utc(3, 2, 10, 1))

    assert world.timers().sla == 0
    assert world.clocks(thread.id)["first_response"].state is ClockState.MET
    with world.uow as uow:
        assert uow.tasks.list_for_customer(thread.customer_id, 10) == []
