"""A page of a preference audience is one statement, whoever of it is kept (ADR 78).

"Your brand, in your size": beside each fan of the brand the store answers her size, whether the
playbook already fired for her under its once key, and, for each fan kept, the customer herself
with her locations, all in the page's one statement. A busy machine makes every round trip to
PostgreSQL wait for a turn on a core; the statements an event sends no longer grow with who is
kept, and who is chosen is as before.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.customers.model import Customer
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.demo import BRAND_IN_YOUR_SIZE
from heedful.core.playbooks.firing import concerned_pages
from heedful.core.playbooks.liking import Asked, Liked
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Category, Polarity, Preference, Source
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id

ONCE_EVER = {**BRAND_IN_YOUR_SIZE, "once_per_customer": "ever"}


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


def _fan(world: PromiseWorld, name: str, brand: str, *sizes: str) -> Customer:
    customer = world.customer(name, email=f"{name.lower()}@example.com")
    for category, subject in [(Category.BRAND, brand), *((Category.SIZE, s) for s in sizes)]:
        record_preference(
            RecordPreference(customer.id, Polarity.LIKE, subject, category),
            world.uow,
            world.clock,
            world.admin,
        )
    return customer


def _stock(number: int, location: str, brand: str, size: str) -> BusinessEvent:
    return BusinessEvent(
        source="stock-system",
        id=f"evt-{number}",
        type="heedful.stock.changed",
        data={"product": "coat", "location": location, "quantity": 2, "brand": brand, "size": size},
    )


def _chosen_as_the_firing_chooses(
    world: PromiseWorld, event: BusinessEvent
) -> tuple[dict[str, Customer], int]:
    """Who the event's audience chooses (by name), leaving out those fired for under "ever",
    and how many statements choosing them sent."""
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    with world.uow as uow:
        (playbook,) = uow.playbooks.enabled()
        engine = world.container.engine
        pages = concerned_pages(
            uow, playbook.body, event, world.clock.now(), None, (playbook.id, "ever")
        )
        sa.event.listen(engine, "before_cursor_execute", note)
        try:
            chosen = {customer.full_name: customer for page in pages for customer, *_ in page}
        finally:
            sa.event.remove(engine, "before_cursor_execute", note)
    return chosen, len(sent)


def test_a_page_is_one_statement_however_many_of_its_fans_are_kept(world: PromiseWorld) -> None:
    # Brand S has one fan, who wears M. Brand L: Daryna (M) was told already, under the key
    # "ever"; Anna (M, known at both shops) and Galyna (M) were not; Bohdana wears L, Vira no size.
    _fan(world, "Iryna", "Brand S", "M")
    _fan(world, "Daryna", "Brand L", "M")
    made = playbooks.create_playbook(ONCE_EVER, world.uow, world.clock, world.admin)
    playbooks.set_enabled(made.id, True, world.uow, world.clock, world.admin)
    with world.uow as uow:
        uow.events.accept([_stock(1, world.kyiv.id, "Brand L", "M")], received_at=world.clock.now())
        uow.commit()
    assert process_events(world.container.uow, world.clock).fired == 1
    anna = _fan(world, "Anna", "brand l", "m")
    with world.uow as uow:
        uow.customers.update(replace(anna, location_ids={world.kyiv.id, world.lviv.id}))
        uow.commit()
    for name, size in (("Galyna", "M"), ("Bohdana", "L"), ("Vira", "")):
        _fan(world, name, "Brand L", *([size] if size else []))

    one, statements_for_one = _chosen_as_the_firing_chooses(
        world, _stock(2, world.kyiv.id, "Brand S", "M")
    )
    several, statements_for_several = _chosen_as_the_firing_chooses(
        world, _stock(3, world.kyiv.id, "Brand L", "M")
    )

    assert sorted(one) == ["Iryna"]
    assert sorted(several) == ["Anna", "Galyna"]
    assert several["Anna"].location_ids == {world.kyiv.id, world.lviv.id}
    # The event's location, then the page: her size, the key and the customer read with it.
    assert statements_for_one == statements_for_several == 2


def test_a_fan_who_likes_the_brand_twice_is_named_by_her_newest(world: PromiseWorld) -> None:
    # Olena said "MAX MARA" first and "Max Mara" since (both standing); Petra said it once.
    olena, petra = world.customer("Olena"), world.customer("Petra")
    now = world.clock.now()
    with world.uow as uow:
        for customer_id, subject, at in (
            (olena.id, "MAX MARA", now - timedelta(days=2)),
            (olena.id, "Max Mara", now - timedelta(days=1)),
            (petra.id, "max mara", now),
        ):
            uow.preferences.add(
                Preference(id=new_id("prf_"), customer_id=customer_id, polarity=Polarity.LIKE,
                           category=Category.BRAND, subject=subject, note="",
                           source=Source.SAID, confidence=1.0, recorded_at=at,
                           recorded_by="stf_admin", recorded_by_label="admin")
            )  # fmt: skip
        uow.commit()

    with world.uow as uow:
        page = uow.playbooks.members_liking(Asked(Polarity.LIKE, None, "max mara"), [], None, 500)

    liked = {member.customer_id: member.liked for member in page}
    assert liked == {
        olena.id: Liked(Polarity.LIKE, Category.BRAND, "Max Mara"),
        petra.id: Liked(Polarity.LIKE, Category.BRAND, "max mara"),
    }
