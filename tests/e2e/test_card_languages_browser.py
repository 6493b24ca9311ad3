"""The customer's card, read in one read-only unit of work (ADR 74), shows the same in each
language: her name, her visit, her promise and the sections' headings in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from console_world import PASSWORD, World
from playwright.async_api import expect
from pytest_playwright_asyncio import CreateContextCallback

from heedful.core.access.model import SYSTEM, Role
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind

LOG_IN = {"ru": ("Логин", "Пароль", "Войти"), "uk": ("Логін", "Пароль", "Увійти")}
HEADINGS = {
    "ru": ("Обещания", "Последние покупки и визиты", "Согласия"),
    "uk": ("Обіцянки", "Останні покупки й візити", "Згоди"),
    "en": ("Promises", "Recent purchases and visits", "Consent"),
}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ru", "uk", "en"])
async def test_the_card_shows_her_visit_and_promise_in_each_language(
    live_server: str, world: World, new_context: CreateContextCallback, language: str
) -> None:
    hotel = world.location("Hotel Odesa", city="Odesa", country="UA", time_zone="Europe/Kyiv")
    world.staff("taras", "Taras Shevchuk", Role.AGENT, language=language, at=[hotel])
    olena = world.customer("Olena Kovalenko", at=hotel, phone="+380501234567")
    world.visit(olena, hotel, items=[{"drink": "flat white"}])
    make_promise(
        MakePromise(
            olena.id,
            PromiseKind.CALL_BACK,
            hotel.id,
            "Call about the sea-view room",
            datetime(2026, 3, 3, 12, 0, tzinfo=UTC),
        ),
        world.container.uow(),
        world.container.clock,
        SYSTEM,
    )

    context = await new_context()
    page = await context.new_page()
    login, password, button = LOG_IN.get(language, ("Login", "Password", "Log in"))
    await page.goto(f"{live_server}/login?lang={language}")
    await page.get_by_label(login, exact=True).fill("taras")
    await page.get_by_label(password, exact=True).fill(PASSWORD)
    await page.get_by_role("button", name=button, exact=True).click()
    await page.goto(f"{live_server}/customers/{olena.id}")

    await expect(page.get_by_role("heading", level=1)).to_have_text("Olena Kovalenko")
    body = page.locator("body")
    await expect(body).to_contain_text("+380501234567")
    await expect(body).to_contain_text("flat white")
    await expect(body).to_contain_text("Call about the sea-view room")
    for heading in HEADINGS[language]:
        await expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
