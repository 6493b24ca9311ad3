"""A row this version cannot read never blocks its queue: it is set aside, the rows behind go on.

Each poison row is written straight into its table, as an older or newer Heedful might have
left it (a timer kind, a message purpose this version does not know, an event whose data is
not an object, on SQLite a column that does not even decode), ahead of good rows.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from poison_rows import call_anna_back, queue_first, stock_event
from promise_world import PromiseWorld, build_world
from smtp_mailbox import Mailbox
from structlog.testing import capture_logs

from heedful.adapters.storage.promise_tables import messages, timers
from heedful.adapters.storage.tables import events
from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.dead_letters.handlers import discard_dead_letter, retry_dead_letter
from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState
from heedful.core.engine.timers import fire_due_timers
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.promises.handlers import make_promise
from heedful.core.promises.model import PromiseState
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Conflict
from heedful.entrypoints.worker.jobs import run_once, run_prompt_jobs


def letters(world: PromiseWorld, kind: LetterKind) -> list[DeadLetter]:
    with world.uow as uow:
        found: list[DeadLetter] = uow.dead_letters.list(kind, frozenset(LetterState), 10)
    return found


def store_poison_then_restock(container: Container, world: PromiseWorld, data: object) -> int:
    poison, restock = stock_event(world, "stock-poison"), stock_event(world, "stock-7781", 1)
    with world.uow as uow:
        uow.events.accept([poison, restock], received_at=world.clock.now())
        uow.commit()
    with container.engine.begin() as conn:
        row = events.c.event_id == "stock-poison"
        conn.execute(events.update().where(row).values(data=data))
        sequence = conn.scalar(events.select().with_only_columns(events.c.sequence).where(row))
        assert sequence is not None
        return int(sequence)


def test_an_event_whose_data_is_not_an_object_is_set_aside_and_the_restock_goes_on(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(shop_container, clock)
    marta = world.customer("Марта Коваль", email="marta@example.com", language="uk")
    kept = world.wait_for(marta)
    sequence = store_poison_then_restock(shop_container, world, ["a", "list"])

    with capture_logs() as logs:
        done = run_prompt_jobs(shop_container)

    assert done["relay_messages"] == 1
    assert mailbox.wait_for(1)[0]["To"] == "marta@example.com"
    assert world.promise(kept.id).state is PromiseState.KEPT
    [letter] = letters(world, LetterKind.EVENT)
    assert (letter.ref, letter.state, letter.attempts) == (str(sequence), LetterState.DEAD, 1)
    assert letter.error.startswith("TypeError: an event's data must be a JSON object")
    assert "stock-poison" in letter.what
    assert [e["event"] for e in logs if e["log_level"] == "error"] == [
        "record set aside as a dead letter"
    ]
    clock.advance(timedelta(hours=2))
    assert run_prompt_jobs(shop_container)["react_to_events"] == 0  # never taken again


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_event_row_that_does_not_even_decode_is_set_aside_by_its_sequence(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(shop_container, clock)
    marta = world.customer("Марта Коваль", email="marta@example.com", language="uk")
    world.wait_for(marta)
    sequence = store_poison_then_restock(shop_container, world, {})
    with shop_container.engine.begin() as conn:  # SQLite keeps JSON as text: broken text
        conn.exec_driver_sql("UPDATE events SET data = '{broken' WHERE sequence = ?", (sequence,))

    assert run_prompt_jobs(shop_container)["relay_messages"] == 1

    [letter] = letters(world, LetterKind.EVENT)
    assert (letter.ref, letter.state) == (str(sequence), LetterState.DEAD)
    assert letter.error.startswith("JSONDecodeError")


def test_a_message_with_a_purpose_this_version_does_not_know_is_set_aside(
    shop_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world = build_world(shop_container, clock)
    marta = world.customer("Марта Коваль", email="marta@example.com", language="uk")
    kept = world.wait_for(marta)
    poison = queue_first(world, marta.id)
    with shop_container.engine.begin() as conn:
        mark = messages.c.id == poison.id
        conn.execute(messages.update().where(mark).values(purpose="carrier-pigeon"))
    world.restock(1)

    report = shop_container.relay.run(shop_container.uow, clock)

    assert report.sent == 1
    assert mailbox.wait_for(1)[0]["To"] == "marta@example.com"
    assert world.promise(kept.id).state is PromiseState.KEPT
    [letter] = letters(world, LetterKind.MESSAGE)
    assert (letter.ref, letter.state) == (poison.id, LetterState.DEAD)
    assert letter.error.startswith("ValueError: 'carrier-pigeon'")
    with shop_container.engine.connect() as conn:
        status = conn.scalar(messages.select().with_only_columns(messages.c.status).where(mark))
    assert status == MessageStatus.DEAD.value
    assert shop_container.relay.run(shop_container.uow, clock).total == 0
    # Putting it back would only set it aside again: the operator is told why, and discards it.
    with pytest.raises(Conflict, match="cannot read message"):
        retry_dead_letter(LetterKind.MESSAGE, poison.id, shop_container.uow(), clock, SYSTEM)
    discard_dead_letter(LetterKind.MESSAGE, poison.id, shop_container.uow(), clock, SYSTEM)


def test_a_timer_of_an_unknown_kind_is_set_aside_and_the_deadline_behind_it_breaks(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    call = call_anna_back(world)
    broken = make_promise(call, world.uow, clock, world.assistant)
    with container.engine.begin() as conn:  # a newer version's kind of timer, due first
        conn.execute(
            timers.insert().values(
                id="tmr_newer",
                kind="promise.teleport",
                subject_id=broken.id,
                due_at=clock.now() + timedelta(hours=1),
            )
        )
    clock.advance(timedelta(hours=4))

    report = fire_due_timers(container.uow, clock)

    assert report.broken == 1
    assert world.promise(broken.id).state is PromiseState.BROKEN
    [letter] = letters(world, LetterKind.TIMER)
    assert (letter.ref, letter.state) == ("tmr_newer", LetterState.DEAD)
    assert letter.error.startswith("ValueError: 'promise.teleport'")
    assert letter.payload["kind"] == "promise.teleport"
    with container.engine.connect() as conn:
        assert conn.scalar(timers.select().where(timers.c.id == "tmr_newer")) is None
    clock.advance(timedelta(days=1))
    assert fire_due_timers(container.uow, clock).failed == []


def test_a_discarded_event_is_purged_after_the_retention_and_an_open_one_is_kept(
    container: Container, clock: FrozenClock
) -> None:
    world = build_world(container, clock)
    discarded = store_poison_then_restock(container, world, [1])
    run_prompt_jobs(container)
    discard_dead_letter(LetterKind.EVENT, str(discarded), container.uow(), clock, SYSTEM)
    clock.advance(timedelta(days=10))
    with world.uow as uow:  # a second one, set aside later and never discarded
        uow.events.accept([stock_event(world, "stock-other")], received_at=clock.now())
        uow.commit()
    with container.engine.begin() as conn:
        conn.execute(events.update().where(events.c.event_id == "stock-other").values(data=[2]))
    run_prompt_jobs(container)

    clock.advance(timedelta(days=79))  # 89 days after the discard: kept
    assert run_once(container)["purge_discarded_letters"] == 0
    clock.advance(timedelta(days=2))  # 91 days
    assert run_once(container)["purge_discarded_letters"] == 1

    with world.uow as uow:
        assert uow.dead_letters.get(LetterKind.EVENT, str(discarded)) is None
        [still] = uow.dead_letters.list(LetterKind.EVENT, frozenset(LetterState), 10)
    assert still.state is LetterState.DEAD  # waits for an operator, however old
    with container.engine.connect() as conn:
        left = conn.execute(events.select().with_only_columns(events.c.event_id)).scalars()
        assert sorted(left) == ["stock-7781", "stock-other"]
