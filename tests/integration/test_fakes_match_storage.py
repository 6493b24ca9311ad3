"""The in-memory fakes answer as storage does: the same scenario on the fakes and on SQLite and
PostgreSQL gives the same answers (which rows, in which order, what is refused).

The unit tests of the engine, the ledger, the relay and the SLA clocks run on the fakes; these
checks are what lets them be trusted for the filters, the order and the claims of due rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from builders import a_location, an_admin
from fakes import FakeUnitOfWork

from heedful.bootstrap import Container
from heedful.core.customers.commands import CreateCustomer
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import create_customer
from heedful.core.customers.model import Customer
from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.promises.model import Promise, PromiseKind, PromiseState, WantedItem
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ports import UnitOfWork
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.staff.model import Location

Factory = Callable[[], UnitOfWork]


def _both(
    container: Container, clock: FrozenClock, scenario: Callable[[Factory, FrozenClock], Any]
) -> None:
    fake = FakeUnitOfWork()
    on_fakes = scenario(lambda: fake, FrozenClock(clock.now()))
    on_storage = scenario(container.uow, clock)
    assert on_fakes == on_storage


def _shop(uow_factory: Factory, clock: FrozenClock) -> tuple[Location, Customer]:
    kyiv = a_location("Podil boutique")
    kyiv.id = "loc_kyiv"
    with uow_factory() as uow:
        uow.locations.add(kyiv)
        uow.commit()
    anna = create_customer(CreateCustomer(full_name="Anna"), uow_factory(), clock, an_admin())
    return kyiv, anna


def _promise(number: int, customer: Customer, at: datetime, **changes: Any) -> Promise:
    promise = Promise(
        id=f"prm_{number}",
        customer_id=customer.id,
        location_id="loc_kyiv",
        kind=PromiseKind.TELL_WHEN_AVAILABLE,
        text=f"promise {number}",
        made_by="stf_1",
        made_by_label="Iryna",
        made_at=at + timedelta(minutes=number),
        due_at=None,
        item=WantedItem("bag-noir", "loc_kyiv", "black", "M"),
    )
    return replace(promise, **changes)


def _waiting_list(uow_factory: Factory, clock: FrozenClock) -> dict[str, list[str]]:
    _, anna = _shop(uow_factory, clock)
    now = clock.now()
    rows = [
        _promise(1, anna, now, item=WantedItem("bag-noir", "loc_kyiv", "black", "L")),
        _promise(2, anna, now),
        _promise(3, anna, now, item=WantedItem("bag-noir", "loc_kyiv", "", "")),  # any size
        _promise(4, anna, now, notice_message_id="msg_told"),  # told: out of line
        _promise(5, anna, now, state=PromiseState.CANCELLED),
        _promise(6, anna, now, item=WantedItem("bag-noir", "loc_kyiv", "red", "M")),
        _promise(7, anna, now, kind=PromiseKind.CALL_BACK, item=None, due_at=now + timedelta(1)),
        _promise(8, anna, now, item=WantedItem("bag-noir", "loc_kyiv", "black", "")),
        _promise(9, anna, now, kind=PromiseKind.REFUND_BY, item=None, due_at=now + timedelta(2)),
    ]
    with uow_factory() as uow:
        for promise in rows:
            uow.promises.add(promise)
        uow.commit()
    item = WantedItem("bag-noir", "loc_kyiv", "black", "M")
    with uow_factory() as uow:
        due = PromiseFilter(due_before=now + timedelta(days=3))
        open_only = PromiseFilter(customer_id=anna.id, states=frozenset({PromiseState.OPEN}))
        return {
            "waiting": [p.id for p in uow.promises.waiting_for(item, 10)],
            "first two": [p.id for p in uow.promises.waiting_for(item, 2)],
            "due soon": [p.id for p in uow.promises.find(due, 10)],
            "open, newest first": [p.id for p in uow.promises.find(open_only, 4)],
        }


def test_the_waiting_list_and_the_promise_filters_answer_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _waiting_list)


def _message(number: int, customer: Customer, at: datetime, **changes: Any) -> Message:
    message = Message(
        id=f"msg_{number}",
        customer_id=customer.id,
        template_key="offer",
        purpose=Purpose.MARKETING,
        created_at=at + timedelta(seconds=number),
        ready_at=at + timedelta(minutes=10 - number),
    )
    return replace(message, **changes)


def _outbox(uow_factory: Factory, clock: FrozenClock) -> dict[str, Any]:
    _, anna = _shop(uow_factory, clock)
    now = clock.now()
    rows = [
        _message(1, anna, now),
        _message(2, anna, now, status=MessageStatus.HELD),
        _message(3, anna, now, status=MessageStatus.RETRYING),
        _message(4, anna, now, status=MessageStatus.SENT, sent_at=now - timedelta(days=1)),
        _message(5, anna, now, status=MessageStatus.SENT, sent_at=now - timedelta(days=9)),
        _message(6, anna, now, status=MessageStatus.DEAD),
        _message(7, anna, now, ready_at=now + timedelta(hours=1)),  # not yet
        _message(8, anna, now, purpose=Purpose.SERVICE, status=MessageStatus.SENT, sent_at=now),
    ]
    with uow_factory() as uow:
        for message in rows:
            uow.outbox.add(message)
        uow.commit()
    with uow_factory() as uow:
        week_ago = now - timedelta(days=7)
        return {
            "ready": [m.id for m in uow.outbox.ready(now + timedelta(minutes=10), 10)],
            "ready now": [m.id for m in uow.outbox.ready(now + timedelta(minutes=6), 10)],
            "sent this week": uow.outbox.sent_count(anna.id, "marketing", week_ago),
            "dead": [m.id for m in uow.outbox.list_by_status(frozenset({MessageStatus.DEAD}), 5)],
            "hers": [m.id for m in uow.outbox.list_for_customer(anna.id, 3)],
        }


def test_the_outbox_hands_out_due_waiting_messages_and_counts_sent_ones_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _outbox)


def _timers(uow_factory: Factory, clock: FrozenClock) -> dict[str, Any]:
    now = clock.now()
    with uow_factory() as uow:
        uow.timers.set(Timer("tmr_1", TimerKind.PROMISE_DEADLINE, "prm_1", now + timedelta(2)))
        uow.timers.set(Timer("tmr_2", TimerKind.PROMISE_REMINDER, "prm_1", now + timedelta(1)))
        uow.timers.set(Timer("tmr_3", TimerKind.SLA_BREACH, "clk_1", now - timedelta(1)))
        uow.timers.set(Timer("tmr_4", TimerKind.SLA_WARNING, "clk_1", now - timedelta(2)))
        uow.commit()
    with uow_factory() as uow:
        before = [t.id for t in uow.timers.due(now + timedelta(days=3), 10)]
        cancelled = uow.timers.cancel("prm_1", [TimerKind.PROMISE_REMINDER])
        uow.timers.postpone("tmr_4", now + timedelta(days=5))
        uow.commit()
    with uow_factory() as uow:
        after = [t.id for t in uow.timers.due(now + timedelta(days=3), 10)]
        everything = uow.timers.cancel("clk_1")
        uow.commit()
    return {"before": before, "cancelled": cancelled, "after": after, "clk_1": everything}


def test_timers_come_due_earliest_first_and_cancel_by_subject_and_kind_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _timers)


def _letter(ref: str, at: datetime, **changes: Any) -> DeadLetter:
    letter = DeadLetter(
        kind=LetterKind.EVENT,
        ref=ref,
        what=f"event {ref}",
        error="ValueError: no",
        attempts=1,
        first_failed_at=at,
        last_failed_at=at,
        next_try_at=at + timedelta(minutes=1),
    )
    return replace(letter, **changes)


def _dead_letters(uow_factory: Factory, clock: FrozenClock) -> dict[str, Any]:
    now = clock.now()
    with uow_factory() as uow:
        uow.dead_letters.save(_letter("1", now))
        uow.dead_letters.save(_letter("2", now + timedelta(1), state=LetterState.DEAD))
        discarded = _letter("3", now, state=LetterState.DISCARDED, closed_at=now, closed_by="ops")
        uow.dead_letters.save(discarded)
        uow.dead_letters.save(_letter("4", now, kind=LetterKind.TIMER, state=LetterState.DEAD))
        uow.dead_letters.save(_letter("1", now + timedelta(2), attempts=2))  # replaces
        uow.commit()
    every = frozenset(LetterState)
    with uow_factory() as uow:
        listed = [(x.kind.value, x.ref, x.attempts) for x in uow.dead_letters.list(None, every, 9)]
        dead = dict(uow.dead_letters.count_dead())
        uow.dead_letters.forget(LetterKind.EVENT, ["1", "3"])  # a discarded letter stays
        uow.commit()
    with uow_factory() as uow:
        kept = [x.ref for x in uow.dead_letters.list(LetterKind.EVENT, every, 9)]
        purged = uow.dead_letters.purge_discarded(now + timedelta(hours=1))
        uow.commit()
    return {"listed": listed, "dead": dead, "kept": kept, "purged": purged}


def test_dead_letters_are_kept_listed_forgotten_and_purged_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _dead_letters)
