"""A receptionist finds a guest the way she is told about her, on a phone and at the desk.

Two guests called Марина Морозова have stayed at a Moscow hotel. The receptionist, whose console
is in Russian, is handed a phone number without its country code, hears the surname spelt in Latin
letters, or is shown part of an e-mail address: each finds the guest, and the results show the
phone and e-mail that tell the two namesakes apart.
"""

from __future__ import annotations

import pytest
from console_world import PASSWORD, World
from playwright.async_api import Page, ViewportSize, expect
from pytest_playwright_asyncio import CreateContextCallback

from heedful.core.access.model import Role

DESK: ViewportSize = {"width": 1440, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
SEARCH = "Имя, телефон, эл. почта или карта лояльности"


async def search(page: Page, typed: str) -> None:
    box = page.get_by_label(SEARCH)
    await box.fill(typed)
    await box.press("Enter")


@pytest.mark.browser
@pytest.mark.parametrize("screen", [PHONE, DESK], ids=["phone", "desk"])
async def test_a_receptionist_finds_a_guest_by_phone_latin_name_or_email_and_tells_namesakes_apart(
    live_server: str, world: World, new_context: CreateContextCallback, screen: ViewportSize
) -> None:
    hotel = world.location("Гостиница «Арбат»", city="Moscow", time_zone="Europe/Moscow")
    world.staff("olga", "Ольга Соколова", Role.AGENT, language="ru", at=[hotel])
    world.customer(
        "Марина Морозова",
        at=hotel,
        phone="+7 912 641-19-08",
        email="marina.morozova@mail.example",
    )
    world.customer("Марина Морозова", at=hotel, phone="+7 903 555-12-34")
    world.customer("Анна Петрова", at=hotel, phone="+7 916 123-45-67")

    context = await new_context(locale="ru-RU", viewport=screen)
    page = await context.new_page()
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Логин", exact=True).fill("olga")
    await page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Войти", exact=True).click()
    await page.goto(f"{live_server}/customers")
    results = page.locator(".results li")

    # The phone as it is read out: ten digits, no country code.
    await search(page, "9126411908")
    await expect(results).to_have_count(1)
    await expect(results).to_contain_text("Марина Морозова")
    await expect(results).to_contain_text("+79126411908")
    await expect(results).to_contain_text("marina.morozova@mail.example")

    # The surname in Latin letters finds both namesakes, each with the phone that tells her apart.
    await search(page, "morozova")
    await expect(results).to_have_count(2)
    await expect(page.locator(".results")).to_contain_text("+79126411908")
    await expect(page.locator(".results")).to_contain_text("+79035551234")
    await expect(page.get_by_role("link", name="Анна Петрова")).to_have_count(0)

    # Part of her e-mail: only the guest who gave it.
    await search(page, "marina.moro")
    await expect(results).to_have_count(1)
    await expect(results).to_contain_text("+79126411908")

    # Nothing of the results is cut off or pushes the page wider than the screen.
    assert await page.evaluate("document.documentElement.scrollWidth") <= screen["width"]

    await results.get_by_role("link", name="Марина Морозова").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Марина Морозова")
    await expect(page.locator("body")).to_contain_text("+79126411908")
