"""The promise ledger on SQLite and PostgreSQL: made, kept, broken, and the line for the bag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from builders import an_agent
from promise_world import BAG, PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.access.model import Role
from heedful.core.customers.consent import Purpose
from heedful.core.customers.merging import merge_customers, undo_merge
from heedful.core.engine.timers import fire_due_timers
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.privacy import erase_customer, export_customer
from heedful.core.promises.handlers import (
    MakePromise,
    cancel_promise,
    keep_promise,
    list_promises,
    make_promise,
    withdraw_promise,
)
from heedful.core.promises.model import PromiseKind, PromiseState, WantedItem
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound
from heedful.core.sla.calendar_days import set_opening_hours
from heedful.core.tasks.model import TaskKind


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


def _call_back(world: PromiseWorld, hours: float = 3) -> MakePromise:
    anna = world.customer("Anna Kovalenko", email=f"anna.{hours}@example.com")
    return MakePromise(
        customer_id=anna.id,
        kind=PromiseKind.CALL_BACK,
        location_id=world.kyiv.id,
        text="Call Anna back about the alteration",
        due_at=world.clock.now() + timedelta(hours=hours),
    )


def test_two_units_tell_the_first_two_of_five_in_the_order_they_asked(
    world: PromiseWorld,
) -> None:
    waiters = [world.customer(f"Customer {n}", email=f"c{n}@example.com") for n in range(5)]
    promises = []
    for customer in waiters:
        promises.append(world.wait_for(customer))
        world.later(minutes=5)

    restock = world.restock(2)

    assert restock.arrived == 2
    assert restock.told == [promises[0].id, promises[1].id]
    with world.uow as uow:
        queued = [uow.outbox.list_for_customer(c.id, 5) for c in waiters]
    assert [len(q) for q in queued] == [1, 1, 0, 0, 0]
    assert queued[0][0].template_key == "back_in_stock"
    assert queued[0][0].purpose is Purpose.SERVICE
    assert queued[0][0].context["item"] == {
        "product": BAG,
        "variant": "black",
        "size": "m",
    }  # normalised

    # The next delivery is for the next two in line, not for those already told.
    world.restock(1)  # one sold...
    assert world.restock(3).told == [promises[2].id, promises[3].id]


def test_a_restock_of_zero_or_a_sale_tells_nobody(world: PromiseWorld) -> None:
    world.wait_for(world.customer("Oksana", email="oksana@example.com"))
    assert world.restock(0).told == []
    assert world.restock(2).told != []
    assert world.restock(1).told == []  # a sale: 2 → 1
    assert world.restock(1).told == []  # the same count again


def test_each_unit_can_tell_several_customers_when_the_shop_says_so(world: PromiseWorld) -> None:
    for n in range(4):
        world.wait_for(world.customer(f"C{n}", email=f"c{n}@example.com"))
    assert len(world.restock(1, per_unit=3).told) == 3


def test_a_size_s_delivery_does_not_wake_size_m_but_any_size_waits_for_both(
    world: PromiseWorld,
) -> None:
    m_waiter = world.wait_for(world.customer("M", email="m@example.com"), size="M")
    any_waiter = world.wait_for(world.customer("Any", email="any@example.com"), size="")
    assert world.restock(1, size="S").told == [any_waiter.id]
    assert world.restock(1, size="M").told == [m_waiter.id]


def test_a_passed_deadline_breaks_the_promise_and_the_manager_is_asked_to_step_in(
    world: PromiseWorld,
) -> None:
    promise = make_promise(_call_back(world), world.uow, world.clock, world.assistant)

    world.later(hours=2, minutes=50)  # 15 minutes before the call-back is due
    report = fire_due_timers(world.container.uow, world.clock)
    assert report.reminded == 1
    assert report.broken == 0
    with world.uow as uow:
        [reminder] = uow.tasks.open_for(assignee_id=world.assistant.id, location_ids=None, limit=9)
    assert reminder.kind is TaskKind.PROMISE_REMINDER
    assert reminder.assignee_id == world.assistant.id
    assert "alteration" in reminder.title

    world.later(minutes=11)
    assert fire_due_timers(world.container.uow, world.clock).broken == 1
    broken = world.promise(promise.id)
    assert broken.state is PromiseState.BROKEN
    assert [e.kind.value for e in broken.evidence][-2:] == ["deadline_passed", "state_changed"]
    with world.uow as uow:
        tasks = uow.tasks.open_for(assignee_id=None, location_ids=None, limit=9)
    escalation = next(t for t in tasks if t.kind is TaskKind.PROMISE_ESCALATION)
    assert escalation.assignee_role is Role.MANAGER
    # Timers fire once: nothing is due any more.
    assert fire_due_timers(world.container.uow, world.clock).broken == 0


def test_a_promise_kept_after_its_deadline_counts_as_kept_late(world: PromiseWorld) -> None:
    on_time = make_promise(_call_back(world), world.uow, world.clock, world.assistant)
    late = make_promise(_call_back(world, hours=1), world.uow, world.clock, world.assistant)
    world.later(minutes=90)
    kept = keep_promise(on_time.id, "called, all fine", world.uow, world.clock, world.assistant)
    kept_late = keep_promise(late.id, "", world.uow, world.clock, world.assistant)
    assert kept.state is PromiseState.KEPT
    assert kept_late.state is PromiseState.KEPT_LATE
    assert kept.evidence[-2].note == "called, all fine"
    # A kept promise has no timers left to break it.
    world.later(hours=5)
    assert fire_due_timers(world.container.uow, world.clock).broken == 0
    with pytest.raises(Conflict):
        cancel_promise(kept.id, "changed our mind", world.uow, world.clock, world.assistant)


def test_a_wait_that_expires_is_told_honestly_and_counted_as_broken(world: PromiseWorld) -> None:
    olha = world.customer("Olha", email="olha@example.com")
    promise = world.wait_for(olha, until=world.clock.now() + timedelta(days=14))
    world.later(days=15)
    fire_due_timers(world.container.uow, world.clock)
    assert world.promise(promise.id).state is PromiseState.BROKEN
    with world.uow as uow:
        [message] = uow.outbox.list_for_customer(olha.id, 5)
    assert message.template_key == "wait_expired"
    assert message.status is MessageStatus.QUEUED


def test_cancelling_needs_a_reason_and_a_withdrawn_wait_leaves_the_line(
    world: PromiseWorld,
) -> None:
    first = world.wait_for(world.customer("First", email="first@example.com"))
    second = world.wait_for(world.customer("Second", email="second@example.com"))
    with pytest.raises(InvalidInput) as error:
        cancel_promise(first.id, "  ", world.uow, world.clock, world.assistant)
    assert error.value.field == "reason"
    withdrawn = withdraw_promise(first.id, "", world.uow, world.clock, world.assistant)
    assert withdrawn.state is PromiseState.WITHDRAWN
    assert world.restock(1).told == [second.id]


def test_what_a_promise_must_say(world: PromiseWorld) -> None:
    anna = world.customer("Anna", email="anna@example.com")
    base = MakePromise(customer_id=anna.id, kind=PromiseKind.CALL_BACK, location_id=world.kyiv.id)
    cases = [
        (base, "due_at"),
        (MakePromise(anna.id, PromiseKind.TELL_WHEN_AVAILABLE, world.kyiv.id), "item"),
        (
            MakePromise(
                anna.id, PromiseKind.OTHER, world.kyiv.id, text="x", due_at=world.clock.now()
            ),
            "due_at",
        ),
        (MakePromise(anna.id, PromiseKind.OTHER, world.kyiv.id), "text"),
        (
            MakePromise(
                anna.id,
                PromiseKind.TELL_WHEN_AVAILABLE,
                world.kyiv.id,
                item=WantedItem(BAG, world.lviv.id),
            ),
            "item",
        ),
    ]
    for cmd, field in cases:
        with pytest.raises(InvalidInput) as error:
            make_promise(cmd, world.uow, world.clock, world.assistant)
        assert error.value.field == field, cmd
    assert list_promises(world.uow, world.admin, customer_id=anna.id) == []


def test_staff_see_the_promises_of_their_own_locations_only(world: PromiseWorld) -> None:
    anna = world.customer("Anna", email="anna@example.com")
    promise = world.wait_for(anna)
    elsewhere = an_agent(world.lviv)
    with pytest.raises(NotFound):
        keep_promise(promise.id, "", world.uow, world.clock, elsewhere)
    assert [p.id for p in list_promises(world.uow, world.assistant)] == [promise.id]
    assert list_promises(world.uow, elsewhere) == []


def test_a_deadline_in_business_hours_skips_the_weekend(world: PromiseWorld) -> None:
    set_opening_hours(
        world.kyiv.id, {"mon-fri": ["09:00-18:00"]}, "", world.uow, world.clock, world.admin
    )
    world.clock.set(datetime(2026, 3, 6, 15, 0, tzinfo=UTC))  # Friday 17:00 in Kyiv
    anna = world.customer("Anna", email="anna@example.com")
    promise = make_promise(
        MakePromise(anna.id, PromiseKind.REPLY_BY, world.kyiv.id, due_in_business_minutes=120),
        world.uow,
        world.clock,
        world.assistant,
    )
    # One hour on Friday, one on Monday morning: 10:00 in Kyiv.
    assert promise.due_at == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    assert promise.due_in_business_minutes == 120


def test_business_time_needs_the_location_to_keep_hours(world: PromiseWorld) -> None:
    anna = world.customer("Anna", email="anna@example.com")
    with pytest.raises(InvalidInput) as error:
        make_promise(
            MakePromise(anna.id, PromiseKind.REPLY_BY, world.lviv.id, due_in_business_minutes=60),
            world.uow,
            world.clock,
            world.admin,
        )
    assert error.value.field == "due_in_business_minutes"
    with pytest.raises(InvalidInput) as bad_hours:
        set_opening_hours(
            world.lviv.id, {"weekdays": ["09:00-18:00"]}, "", world.uow, world.clock, world.admin
        )
    assert bad_hours.value.field == "hours"


def test_a_call_made_after_the_deadline_broke_the_promise_counts_as_kept_late(
    world: PromiseWorld,
) -> None:
    promise = make_promise(_call_back(world, hours=1), world.uow, world.clock, world.assistant)
    world.later(hours=1, minutes=1)
    fire_due_timers(world.container.uow, world.clock)
    assert world.promise(promise.id).state is PromiseState.BROKEN
    world.later(minutes=20)
    late = keep_promise(promise.id, "called at last", world.uow, world.clock, world.assistant)
    assert late.state is PromiseState.KEPT_LATE
    with pytest.raises(Conflict):
        keep_promise(promise.id, "", world.uow, world.clock, world.assistant)


def test_a_merge_takes_the_promises_along_and_an_undo_brings_them_back(
    world: PromiseWorld,
) -> None:
    survivor = world.customer("Anna Kovalenko", email="anna@example.com")
    absorbed = world.customer("Ганна Коваленко", email="hanna@example.com")
    promise = world.wait_for(absorbed)
    record = merge_customers(
        survivor.id, absorbed.id, "one person", world.uow, world.clock, world.admin
    )
    assert world.promise(promise.id).customer_id == survivor.id
    assert [p.id for p in list_promises(world.uow, world.admin, customer_id=survivor.id)] == [
        promise.id
    ]
    undo_merge(record.id, world.uow, world.clock, world.admin)
    assert world.promise(promise.id).customer_id == absorbed.id


def test_erasing_a_customer_keeps_her_promises_as_counts_without_their_words(
    world: PromiseWorld,
) -> None:
    anna = world.customer("Anna Kovalenko", email="anna@example.com")
    promise = world.wait_for(anna)
    world.restock(1)
    erase_customer(anna.id, "asked under GDPR art. 17", world.uow, world.clock, world.admin)
    erased = world.promise(promise.id)
    assert erased.text == ""
    assert erased.evidence == []
    assert erased.state is PromiseState.OPEN  # still counted where it was made
    with world.uow as uow:
        [message] = uow.outbox.list_for_customer(anna.id, 5)
    assert message.to == ""
    assert message.context == {}


def test_the_export_of_a_customer_includes_her_promises_messages_and_tasks(
    world: PromiseWorld,
) -> None:
    anna = world.customer("Anna Kovalenko", email="anna@example.com")
    promise = world.wait_for(anna)
    world.restock(1)
    document = export_customer(anna.id, world.uow, world.clock, world.admin)
    assert [p["id"] for p in document["promises"]] == [promise.id]
    assert document["promises"][0]["item"]["product"] == BAG
    assert [m["template_key"] for m in document["messages"]] == ["back_in_stock"]
    assert document["tasks"] == []
