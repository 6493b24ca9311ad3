"""The promise ledger's timers and closings, on the in-memory fakes: reminders before the
deadline, promises broken when it passes, kept late when done afterwards."""

from __future__ import annotations

from datetime import timedelta

from unit.ledger_world import LedgerWorld, a_ledger_world

from heedful.core.access.model import Role
from heedful.core.promises import close_tasks_of_ended_promises
from heedful.core.promises.handlers import keep_promise
from heedful.core.promises.model import EvidenceKind, PromiseKind, PromiseState
from heedful.core.tasks.model import Task, TaskKind, reminder


def _tasks(world: LedgerWorld, promise_id: str) -> list[Task]:
    """The promise's tasks, oldest first."""
    customer_id = world.promise(promise_id).customer_id
    with world.uow as uow:
        tasks = uow.tasks.list_for_customer(customer_id, 50)
    return sorted((t for t in tasks if t.promise_id == promise_id), key=lambda t: t.created_at)


def test_the_owner_of_a_call_back_is_reminded_fifteen_minutes_before_and_not_earlier() -> None:
    world = a_ledger_world()
    anna = world.customer("Anna", email="anna@example.com")
    call = world.promise_to(anna, PromiseKind.CALL_BACK, due_in=timedelta(hours=2))

    world.later(minutes=104)
    assert world.timers().reminded == 0
    world.later(minutes=1)
    report = world.timers()

    assert report.reminded == 1
    [reminder] = _tasks(world, call.id)
    assert reminder.kind is TaskKind.PROMISE_REMINDER
    assert reminder.assignee_id == world.assistant.id  # whoever made it keeps it
    assert world.promise(call.id).evidence[-1].kind is EvidenceKind.REMINDER
    assert world.promise(call.id).state is PromiseState.OPEN


def test_a_deadline_that_passes_breaks_the_promise_and_the_managers_step_in() -> None:
    world = a_ledger_world()
    anna = world.customer("Anna", email="anna@example.com")
    refund = world.promise_to(anna, PromiseKind.REFUND_BY, due_in=timedelta(days=3))

    world.later(days=3)
    report = world.timers()

    assert (report.reminded, report.broken) == (1, 1)
    assert world.promise(refund.id).state is PromiseState.BROKEN
    escalation = _tasks(world, refund.id)[-1]
    assert escalation.kind is TaskKind.PROMISE_ESCALATION
    assert escalation.assignee_role is Role.MANAGER
    assert world.timers().broken == 0  # the deadline fires once
    # The "due soon" is closed by the breach: one task per promise on the lists, not two.
    reminder = _tasks(world, refund.id)[0]
    assert reminder.kind is TaskKind.PROMISE_REMINDER
    assert not reminder.is_open
    assert reminder.done_by_label.endswith("(broken)")
    assert escalation.is_open


def test_a_promise_done_after_its_deadline_is_kept_late_and_its_tasks_close() -> None:
    world = a_ledger_world()
    anna = world.customer("Anna", email="anna@example.com")
    call = world.promise_to(anna, PromiseKind.CALL_BACK, due_in=timedelta(hours=1))
    world.later(hours=1, minutes=10)
    world.timers()

    kept = keep_promise(call.id, "called her", world.uow, world.shop.clock, world.assistant)

    assert kept.state is PromiseState.KEPT_LATE
    assert all(not task.is_open for task in _tasks(world, call.id))


def test_a_promise_kept_in_time_sets_off_no_reminder_and_no_breach() -> None:
    world = a_ledger_world()
    anna = world.customer("Anna", email="anna@example.com")
    call = world.promise_to(anna, PromiseKind.CALL_BACK, due_in=timedelta(hours=1))
    world.later(minutes=20)

    kept = keep_promise(call.id, "", world.uow, world.shop.clock, world.assistant)
    world.later(days=1)
    report = world.timers()

    assert kept.state is PromiseState.KEPT
    assert (report.reminded, report.broken) == (0, 0)


def test_a_wait_that_expires_tells_the_customer_it_is_over() -> None:
    world = a_ledger_world()
    anna = world.customer("Anna", email="anna@example.com")
    wait = world.wait_for(anna, until=world.shop.clock.now() + timedelta(days=14))

    world.later(days=14)
    world.timers()

    assert world.promise(wait.id).state is PromiseState.BROKEN
    assert [m.template_key for m in world.messages(anna)] == ["wait_expired"]


def test_a_wait_already_answered_is_not_broken_when_its_deadline_passes() -> None:
    world = a_ledger_world()
    anna = world.customer("Anna", email="anna@example.com")
    wait = world.wait_for(anna, until=world.shop.clock.now() + timedelta(days=14))
    world.stock(1)
    world.engine()

    world.later(days=14)
    world.timers()

    assert world.promise(wait.id).state is PromiseState.OPEN
    assert [m.template_key for m in world.messages(anna)] == ["back_in_stock"]


def test_tasks_left_open_for_promises_that_ended_close_themselves_once() -> None:
    world = a_ledger_world()
    anna = world.customer("Anna", email="anna@example.com")
    broken = world.promise_to(anna, PromiseKind.REFUND_BY, due_in=timedelta(days=3))
    kept = world.promise_to(anna, PromiseKind.CALL_BACK, due_in=timedelta(days=3))
    still_open = world.promise_to(anna, PromiseKind.CALL_BACK, due_in=timedelta(days=30))
    # Tasks from before promises closed their own: each left open whatever became of it.
    with world.uow as uow:
        for promise, kind in (
            (broken, TaskKind.PROMISE_REMINDER),
            (broken, TaskKind.PROMISE_ESCALATION),
            (kept, TaskKind.PROMISE_REMINDER),
            (still_open, TaskKind.PROMISE_REMINDER),
        ):
            uow.tasks.add(
                reminder(
                    kind,
                    "stale",
                    promise.location_id,
                    world.shop.clock.now(),
                    customer_id=anna.id,
                    promise_id=promise.id,
                    holder_id=None,
                    due_at=promise.due_at,
                )
            )
        for promise, state in ((broken, PromiseState.BROKEN), (kept, PromiseState.KEPT)):
            stored = uow.promises.get(promise.id, for_change=True)
            assert stored is not None
            if state is PromiseState.BROKEN:
                stored.break_(world.shop.clock.now(), "Heedful", "the deadline passed")
            else:
                stored.keep(world.shop.clock.now(), "Heedful")
            uow.promises.update(stored)
        uow.commit()

    assert close_tasks_of_ended_promises(world.uow, world.shop.clock) == 2
    assert close_tasks_of_ended_promises(world.uow, world.shop.clock) == 0  # once

    def open_kinds(promise_id: str) -> list[TaskKind]:
        return [t.kind for t in _tasks(world, promise_id) if t.is_open and t.title == "stale"]

    assert open_kinds(broken.id) == [TaskKind.PROMISE_ESCALATION]  # no "due soon" beside it
    assert open_kinds(kept.id) == []
    assert open_kinds(still_open.id) == [TaskKind.PROMISE_REMINDER]
