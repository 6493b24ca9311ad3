"""The engine's reactions to business events, on the in-memory fakes (no database)."""

from __future__ import annotations

from datetime import timedelta

from unit.ledger_world import BAG, LedgerWorld, a_ledger_world

from heedful.core.dead_letters.model import LetterKind, LetterState
from heedful.core.promises.model import PromiseKind, PromiseState


def _world() -> LedgerWorld:
    return a_ledger_world()


def test_two_bags_back_tell_the_first_two_customers_who_waited_and_nobody_else() -> None:
    world = _world()
    anna, olha, daria = (
        world.customer(name, email=f"{name.lower()}@example.com")
        for name in ("Anna", "Olha", "Daria")
    )
    first, second, third = (world.wait_for(c) for c in (anna, olha, daria))
    world.stock(2)

    report = world.engine()

    assert report.told == 2
    told = [world.promise(p.id).notice_message_id is not None for p in (first, second, third)]
    assert told == [True, True, False]
    assert [m.template_key for m in world.messages(anna)] == ["back_in_stock"]
    assert world.messages(daria) == []


def test_a_count_that_repeats_the_last_one_tells_nobody_more() -> None:
    world = _world()
    waiting = [world.wait_for(world.customer(f"C{i}", email=f"c{i}@example.com")) for i in range(3)]
    world.stock(1)
    world.stock(1)  # the same count again: no new unit arrived
    world.stock(0)  # sold

    report = world.engine()

    assert report.told == 1
    assert [world.promise(p.id).notice_message_id is not None for p in waiting] == [
        True,
        False,
        False,
    ]


def test_a_wait_for_any_size_is_told_when_one_size_arrives() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    any_size = world.wait_for(anna, size="")
    world.stock(1, size="L")

    world.engine()

    assert world.promise(any_size.id).notice_message_id is not None


def test_a_delivered_order_keeps_the_promise_that_names_it() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    other = world.promise_to(
        anna, PromiseKind.DELIVER_BY, due_in=timedelta(days=3), reference="A-2"
    )
    promised = world.promise_to(
        anna, PromiseKind.DELIVER_BY, due_in=timedelta(days=3), reference="A-1"
    )
    world.later(days=1)

    world.event("heedful.order.delivered", customer={"id": anna.id}, order_ref="A-1")
    report = world.engine()

    assert report.kept == 1
    assert world.promise(promised.id).state is PromiseState.KEPT
    assert world.promise(other.id).state is PromiseState.OPEN
    # Kept: its deadline no longer fires.
    world.later(days=5)
    assert world.timers().broken == 1  # only the other one


def test_an_issued_refund_keeps_a_refund_promise_but_not_a_delivery_with_that_number() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    refund = world.promise_to(anna, PromiseKind.REFUND_BY, due_in=timedelta(days=3), reference="R")
    delivery = world.promise_to(
        anna, PromiseKind.DELIVER_BY, due_in=timedelta(days=3), reference="R"
    )

    world.event("heedful.refund.issued", customer={"id": anna.id}, order_ref="R")
    world.engine()

    assert world.promise(refund.id).state is PromiseState.KEPT
    assert world.promise(delivery.id).state is PromiseState.OPEN


def test_an_event_naming_an_unknown_location_is_passed_over_and_the_next_one_is_handled() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    waiting = world.wait_for(anna)
    world.stock(5, location="nowhere")
    world.stock(1)

    report = world.engine()

    assert report.events == 2
    assert report.skipped == ["urn:shop:kyiv/evt-1: no location nowhere"]
    assert report.failed == []
    assert world.promise(waiting.id).notice_message_id is not None
    assert world.engine().events == 0  # both marked processed


def test_a_poison_event_is_set_aside_after_five_tries_while_the_events_behind_it_go_on() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    waiting = world.wait_for(anna)
    # A quantity that is not a number: the same input fails every time it is tried.
    world.event(
        "heedful.stock.changed",
        product=BAG,
        variant="black",
        size="M",
        location=world.shop.kyiv.id,
        quantity="many",
    )
    world.stock(1)

    first = world.engine()

    assert first.events == 2
    assert len(first.failed) == 1
    assert world.promise(waiting.id).notice_message_id is not None  # the one behind went on
    for _ in range(10):
        world.later(hours=2)
        world.engine()
    with world.uow as uow:
        letter = uow.dead_letters.get(LetterKind.EVENT, "1")
        waiting_events = uow.events.unprocessed(10, now=world.shop.clock.now())
    assert letter is not None
    assert letter.state is LetterState.DEAD
    assert waiting_events == []  # set aside: never due again until an operator acts
    assert world.engine().events == 0


def test_a_failed_event_undoes_only_its_own_changes() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    waiting = world.wait_for(anna)
    world.event("heedful.stock.changed", product=BAG, location=world.shop.kyiv.id, quantity="lots")

    report = world.engine()

    assert len(report.failed) == 1
    assert world.promise(waiting.id).notice_message_id is None
    assert world.messages(anna) == []


def test_a_delivery_after_the_reminder_closes_the_due_soon_task() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    promised = world.promise_to(
        anna, PromiseKind.DELIVER_BY, due_in=timedelta(days=3), reference="A-1"
    )
    world.later(days=3, minutes=-10)
    assert world.timers().reminded == 1
    with world.uow as uow:
        [due_soon] = uow.tasks.open_for_promise(promised.id)

    world.event("heedful.order.delivered", customer={"id": anna.id}, order_ref="A-1")
    world.engine()

    with world.uow as uow:
        assert uow.tasks.open_for_promise(promised.id) == []
        closed = uow.tasks.get(due_soon.id)
    assert closed is not None
    assert closed.done_by_label.endswith("(kept)")
