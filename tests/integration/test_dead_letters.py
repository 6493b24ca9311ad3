"""A record that cannot be processed is set aside, and everything behind it goes on.

The poison is real: an event stored by an older Heedful that accepted any quantity (10**20 units
overflow the stock level's column on both databases), written straight into the inbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from promise_world import PromiseWorld, build_world
from smtp_mailbox import Mailbox

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.dead_letters.model import LetterKind, LetterState
from heedful.core.events.model import BusinessEvent
from heedful.core.promises.model import PromiseState
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.worker.jobs import run_prompt_jobs


@pytest.fixture
def shop_container(database_url: str, clock: FrozenClock, mailbox: Mailbox) -> Iterator[Container]:
    settings = Settings(
        database_url=database_url,
        log_format="console",
        smtp_host=mailbox.host,
        smtp_port=mailbox.port,
        mail_domain="lypky.example",
    )
    container = build(settings, clock=clock)
    yield container
    container.close()


def stock_event(world: PromiseWorld, event_id: str, quantity: int) -> BusinessEvent:
    return BusinessEvent(
        source="urn:atelier-lypky:stock",
        id=event_id,
        type="heedful.stock.changed",
        data={
            "product": "bag-noir",
            "variant": "black",
            "size": "M",
            "location": world.kyiv.id,
            "quantity": quantity,
        },
    )


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
