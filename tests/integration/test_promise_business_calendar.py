"""A promise "in 2 business hours" counts in the same calendar as the location's SLA clocks.

The location's own dates (a closure, a shortened day, an extra working day) move a promise's
deadline exactly as they move a reply clock: one calendar source for both.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.calendar import add_business_time
from heedful.core.calendar.locations import Calendars
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import Promise, PromiseKind
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.sla.calendar_days import set_calendar_day, set_opening_hours

MONDAY_EVENING = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)  # Mon 19:00 in Kyiv, after closing
TUESDAY = date(2026, 3, 10)


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    world = build_world(container, clock)
    set_opening_hours(
        world.kyiv.id, {"mon-fri": ["09:00-18:00"]}, "", world.uow, world.clock, world.admin
    )
    return world


def _reply_within(world: PromiseWorld, minutes: int) -> Promise:
    anna = world.customer("Anna", email=f"anna.{new_id()[-8:]}@example.com")
    return make_promise(
        MakePromise(anna.id, PromiseKind.REPLY_BY, world.kyiv.id, due_in_business_minutes=minutes),
        world.uow,
        world.clock,
        world.assistant,
    )


def _close(world: PromiseWorld, day: date, hours: list[str], reason: str) -> None:
    set_calendar_day(world.kyiv.id, day, hours, reason, world.uow, world.clock, world.admin)


def test_a_promise_made_the_evening_before_a_closure_is_due_the_day_after(
    world: PromiseWorld,
) -> None:
    world.clock.set(MONDAY_EVENING)
    assert _reply_within(world, 120).due_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

    _close(world, TUESDAY, [], "Stocktaking")

    # Tuesday is closed: Wednesday 09:00-11:00 in Kyiv.
    promise = _reply_within(world, 120)
    assert promise.due_at == datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    with world.uow as uow:
        clocks_calendar = Calendars(uow).of(world.kyiv.id)
    assert promise.due_at == add_business_time(
        clocks_calendar, MONDAY_EVENING, timedelta(minutes=120)
    )


def test_a_shortened_day_and_an_extra_working_day_count_for_promises(world: PromiseWorld) -> None:
    _close(world, TUESDAY, ["09:00-10:00"], "Staff training")
    _close(world, date(2026, 3, 14), ["10:00-14:00"], "Spring fair (Saturday)")

    world.clock.set(MONDAY_EVENING)
    # One hour on the shortened Tuesday, then one more from Wednesday's opening.
    assert _reply_within(world, 120).due_at == datetime(2026, 3, 11, 8, 0, tzinfo=UTC)

    world.clock.set(datetime(2026, 3, 13, 15, 0, tzinfo=UTC))  # Fri 17:00 in Kyiv
    # One hour on Friday, one on the Saturday opened for the fair, not Monday.
    assert _reply_within(world, 120).due_at == datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
