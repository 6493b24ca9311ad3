"""Seed 004 in a real browser: the guest who never wants sparkling water arrives tomorrow.

The hotel's PMS sends her booking; the front desk sees her in tomorrow's arrivals with her
"never", opens her card, and the card says when she arrives, in which room, for how long.
"""

from __future__ import annotations

import pytest
from console_world import World
from playwright.async_api import expect
from pytest_playwright_asyncio import CreateContextCallback
from test_receptionist_story import log_in

from heedful.core.access.model import SYSTEM, Role
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Polarity


@pytest.mark.browser
async def test_tomorrows_guest_is_in_the_arrivals_with_her_never_and_on_her_card(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    hotel = world.location("Metropol", time_zone="Europe/Moscow")
    world.staff("john", "John Smith", Role.AGENT, language="en", at=[hotel])
    anna = world.customer("Anna Petrova", at=hotel)
    record_preference(
        RecordPreference(anna.id, Polarity.NEVER, "sparkling water in the minibar"),
        world.container.uow(),
        world.container.clock,
        SYSTEM,
    )
    booking = BusinessEvent(
        "urn:hotel:pms",
        "b-512",
        "heedful.booking.upserted",
        {
            "customer": {"id": anna.id},
            "location": hotel.id,
            "booking": "B-512",
            "arrival": "2026-03-03T14:00:00+03:00",
            "departure": "2026-03-05T12:00:00+03:00",
            "room": "512",
            "guests": 2,
        },
    )
    with world.container.uow() as uow:
        uow.events.accept([booking], received_at=world.container.clock.now())
        uow.commit()
    process_events(world.container.uow, world.container.clock)

    context = await new_context(locale="en-GB")
    page = await log_in(
        context,
        live_server,
        "john",
        labels={"login": "Login", "password": "Password", "submit": "Log in"},
    )
    await page.get_by_role("link", name="Arrivals and orders").click()
    arrivals = page.locator("#arrivals")
    await expect(arrivals).to_contain_text("Anna Petrova")
    await expect(arrivals).to_contain_text("sparkling water in the minibar")
    await arrivals.get_by_role("link", name="Anna Petrova").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Anna Petrova")
    await expect(page.locator("#dealings")).to_contain_text("Arrives Tue 3 Mar, room 512, 2 nights")
