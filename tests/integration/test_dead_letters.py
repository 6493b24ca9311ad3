"""A record that cannot be processed is set aside, and everything behind it goes on.

The poison is real: an event stored by an older Heedful that accepted any quantity (10**20 units
overflow the stock level's column on both databases), written straight into the inbox.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from poison_rows import call_anna_back, queue_first, stock_event
from promise_world import PromiseWorld, build_world
from smtp_mailbox import Mailbox
from structlog.testing import capture_logs

from heedful.adapters.storage.promise_tables import promises
from heedful.adapters.storage.tables import locations
from heedful.bootstrap import Container
from heedful.core.dead_letters.handlers import retry_dead_letter
from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState
from heedful.core.engine.reactions import process_events
from heedful.core.engine.timers import fire_due_timers
from heedful.core.events.model import BusinessEvent
from heedful.core.feedback.recompute import JOB, recompute_when_due
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.promises.handlers import make_promise
from heedful.core.promises.model import PromiseState, WantedItem
from heedful.core.shared.clock import FrozenClock
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.observability import REGISTRY
from heedful.entrypoints.worker.jobs import count_dead_letters, run_prompt_jobs


def store(world: PromiseWorld, *events: BusinessEvent) -> None:
    # Straight into the inbox, past today's ingest checks, as an older version stored them.
    with world.uow as uow:
        uow.events.accept(events, received_at=world.clock.now())
        uow.commit()


def test_a_poison_event_is_set_aside_and_the_restock_behind_it_still_tells_her(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(shop_container, clock)
    marta = world.customer("Марта Коваль", email="marta@example.com", language="uk")
    kept = world.wait_for(marta)
    store(world, stock_event(world, "stock-poison", 10**20), stock_event(world, "stock-7781", 1))

    done = run_prompt_jobs(shop_container)

    assert done["relay_messages"] == 1
    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "marta@example.com"
    assert world.promise(kept.id).state is PromiseState.KEPT
    with world.uow as uow:
        [letter] = uow.dead_letters.list(LetterKind.EVENT, frozenset(LetterState), 10)
        assert uow.events.unprocessed(10, now=clock.now()) == []
    # Too big a number is an error no retry cures: set aside at the first try.
    assert letter.state is LetterState.DEAD
    assert letter.attempts == 1
    assert "Overflow" in letter.error or "DataError" in letter.error, letter.error
    assert "stock-poison" in letter.what
    clock.advance(timedelta(hours=2))
    assert run_prompt_jobs(shop_container)["react_to_events"] == 0  # never taken again


class FlakyStock:
    """The stock levels, failing for one product the way a lock timeout would.

    A test double, and the only one here: no input that passes today's checks makes the engine
    fail in a way a retry could cure, yet the tries and the backoff are for exactly that.
    """

    def __init__(self, real: Any, product: str, failing: list[bool]) -> None:
        self._real, self._product, self._failing = real, product, failing

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def set(self, item: WantedItem, quantity: int, at: datetime) -> int | None:
        if item.product == self._product and self._failing[0]:
            raise TimeoutError("canceling statement due to lock timeout")
        result: int | None = self._real.set(item, quantity, at)
        return result

    def put_many(self, levels: Sequence[tuple[WantedItem, int, datetime]], *, new: bool) -> None:
        # A batch writes the levels it read ahead together (ADR 59): the same lock, one statement.
        if any(item.product == self._product for item, _, _ in levels) and self._failing[0]:
            raise TimeoutError("canceling statement due to lock timeout")
        self._real.put_many(levels, new=new)


def flaky(container: Container, product: str, failing: list[bool]) -> Callable[[], UnitOfWork]:
    def factory() -> UnitOfWork:
        uow = container.uow()
        real_bind = uow._bind  # type: ignore[attr-defined]

        def bind(conn: Any) -> None:
            real_bind(conn)
            uow.stock = FlakyStock(uow.stock, product, failing)

        uow._bind = bind  # type: ignore[attr-defined]
        return uow

    return factory


def test_a_failing_event_is_tried_with_backoff_and_set_aside_after_five_tries(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    failing = [True]
    uow_factory = flaky(container, "bag-rouge", failing)
    rouge = stock_event(world, "stock-rouge", 3)
    rouge = BusinessEvent(
        rouge.source, rouge.id, rouge.type, {**rouge.data, "product": "bag-rouge"}
    )
    store(world, rouge, stock_event(world, "stock-noir", 2))

    first = process_events(uow_factory, clock)
    assert first.events == 2
    [letter] = first.failed
    assert (letter.state, letter.attempts) == (LetterState.RETRYING, 1)
    assert letter.error == "TimeoutError: canceling statement due to lock timeout"
    # Waiting out its backoff: a pass before then does not take it again.
    assert process_events(uow_factory, clock).events == 0
    backoffs = []
    for _ in range(4):
        assert letter.next_try_at is not None
        backoffs.append(letter.next_try_at - clock.now())
        clock.advance(letter.next_try_at - clock.now())
        [letter] = process_events(uow_factory, clock).failed
    assert backoffs == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert (letter.state, letter.attempts) == (LetterState.DEAD, 5)
    with world.uow as uow:
        [stored] = uow.dead_letters.list(LetterKind.EVENT, frozenset({LetterState.DEAD}), 9)
        assert stored.first_failed_at < stored.last_failed_at == clock.now()
        assert stored.attempts == 5
    clock.advance(timedelta(days=1))
    assert process_events(uow_factory, clock).events == 0  # set aside: never taken again


def test_an_event_that_fails_once_and_then_succeeds_leaves_no_letter(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    failing = [True]
    uow_factory = flaky(container, "bag-noir", failing)
    store(world, stock_event(world, "stock-noir", 2))
    assert len(process_events(uow_factory, clock).failed) == 1
    failing[0] = False
    clock.advance(timedelta(minutes=1))
    assert process_events(uow_factory, clock).events == 1
    with world.uow as uow:
        assert uow.dead_letters.list(None, frozenset(LetterState), 9) == []
        assert uow.stock.get(WantedItem("bag-noir", world.kyiv.id, "black", "M")) == 2


def test_a_poison_message_is_set_aside_and_the_notice_behind_it_still_goes(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(shop_container, clock)
    marta = world.customer("Марта Коваль", email="marta@example.com", language="uk")
    kept = world.wait_for(marta)
    # A reply queued by a bug (or an older version): its threading references are not a list.
    poison = queue_first(
        world, marta.id, {"reply": {"to": "marta@example.com"}, "threading": {"references": 5}}
    )
    world.restock(1)

    report = shop_container.relay.run(shop_container.uow, clock)

    assert report.sent == 1
    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "marta@example.com"
    assert world.promise(kept.id).state is PromiseState.KEPT
    [letter] = report.failed
    assert (letter.kind, letter.ref, letter.state) == (LetterKind.MESSAGE, poison.id, "dead")
    assert letter.error.startswith("TypeError: 'int' object is not iterable")
    with world.uow as uow:
        stored = uow.outbox.get(poison.id)
        assert stored is not None
        assert (stored.status, stored.attempts) == (MessageStatus.DEAD, 1)
    assert shop_container.relay.run(shop_container.uow, clock).total == 0


def test_a_poison_timer_is_set_aside_and_the_deadline_behind_it_still_breaks(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    call = call_anna_back(world)
    broken = make_promise(call, world.uow, clock, world.assistant)
    poisoned = make_promise(
        replace(call, due_at=clock.now() + timedelta(hours=2)), world.uow, clock, world.assistant
    )
    # A newer version wrote a kind of promise this one does not know.
    with container.engine.begin() as conn:
        conn.execute(promises.update().where(promises.c.id == poisoned.id).values(kind="teleport"))
    clock.advance(timedelta(hours=4))

    report = fire_due_timers(container.uow, clock)

    assert report.broken == 1
    assert world.promise(broken.id).state is PromiseState.BROKEN
    assert {(f.kind, f.state) for f in report.failed} == {(LetterKind.TIMER, LetterState.DEAD)}
    assert all("ValueError: 'teleport'" in f.error for f in report.failed)
    assert all(f.payload["subject_id"] == poisoned.id for f in report.failed)
    clock.advance(timedelta(days=1))
    again = fire_due_timers(container.uow, clock)
    assert (again.broken, again.failed) == (0, [])


def test_a_scheduled_job_that_fails_is_set_aside_and_not_run_again_until_retried(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    # A location whose zone this machine's tz database does not know (it was removed).
    with container.engine.begin() as conn:
        conn.execute(
            locations.update()
            .where(locations.c.id == world.lviv.id)
            .values(time_zone="Europe/Atlantis")
        )

    letter = recompute_when_due(container.uow, clock)

    assert isinstance(letter, DeadLetter)
    assert (letter.kind, letter.ref, letter.state) == (LetterKind.JOB, JOB, LetterState.DEAD)
    assert "Europe/Atlantis" in letter.error
    clock.advance(timedelta(days=2))
    assert recompute_when_due(container.uow, clock) is None  # skipped while it is dead
    with container.engine.begin() as conn:
        conn.execute(
            locations.update()
            .where(locations.c.id == world.lviv.id)
            .values(time_zone="Europe/Kyiv")
        )
    retry_dead_letter(LetterKind.JOB, JOB, container.uow(), clock, world.admin)
    report = recompute_when_due(container.uow, clock)
    assert report is not None
    assert not isinstance(report, DeadLetter)
    with world.uow as uow:
        assert uow.dead_letters.get(LetterKind.JOB, JOB) is None


def test_a_dead_letter_is_logged_once_and_counted_and_the_gauge_shows_it(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    store(world, stock_event(world, "stock-poison", 10**20))
    counted = REGISTRY.get_sample_value("heedful_dead_letters_total", {"kind": "event"}) or 0

    with capture_logs() as logs:
        for _ in range(3):
            run_prompt_jobs(container)
            clock.advance(timedelta(hours=1))

    set_aside = [e for e in logs if e["event"] == "record set aside as a dead letter"]
    assert len(set_aside) == 1
    assert set_aside[0]["log_level"] == "error"
    assert set_aside[0]["kind"] == "event"
    assert "exc_info" not in set_aside[0]  # one line, not a traceback
    assert not [
        e for e in logs if e["log_level"] in {"error", "critical"} and e is not set_aside[0]
    ]
    assert REGISTRY.get_sample_value("heedful_dead_letters_total", {"kind": "event"}) == counted + 1
    count_dead_letters(container)
    assert REGISTRY.get_sample_value("heedful_dead_letters_waiting", {"kind": "event"}) == 1
    assert REGISTRY.get_sample_value("heedful_dead_letters_waiting", {"kind": "timer"}) == 0
