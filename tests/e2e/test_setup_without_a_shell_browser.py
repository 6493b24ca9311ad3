"""An admin sets a new location up from nothing in the console, in Ukrainian, in headless
Chromium (issue 13, ADR 0043): the location, its opening hours (two intervals a day), its
country's public holidays, a closure, an SLA policy, a team, a message template previewed with a
real customer as she types; then she deactivates a leaver, whose open session stops at his next
click. Every page is read at 1440×900 and at 390×844, where nothing may be wider than the phone.

On SQLite: the pages are the same on PostgreSQL (tests/e2e/test_console_setup_pages.py and the
integration tests run the same use cases on both).
"""

from __future__ import annotations

import re

import pytest
from console_world import PASSWORD, World
from playwright.async_api import BrowserContext, Page, ViewportSize, expect
from pytest_playwright_asyncio import CreateContextCallback

from heedful.core.access.model import Role

DESK: ViewportSize = {"width": 1440, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 390 && !e.closest('.table-scroll')
            && e.parentElement.getBoundingClientRect().right <= 390)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


async def _logged_in(context: BrowserContext, base: str, login: str) -> Page:
    page = await context.new_page()
    await page.goto(f"{base}/login?lang=uk")
    await page.get_by_label("Логін", exact=True).fill(login)
    await page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Увійти", exact=True).click()
    await page.wait_for_url(lambda url: "/login" not in url)
    return page


async def _fits_a_phone(page: Page) -> None:
    await page.set_viewport_size(PHONE)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width, await page.evaluate(WIDEST))
    await page.set_viewport_size(DESK)


async def _open(page: Page, entry: str) -> None:
    await page.locator("nav.menu").get_by_role("link", name=entry, exact=True).click()


async def test_an_admin_sets_a_new_location_up_and_lets_a_leaver_go_in_ukrainian(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    office = world.location("Офіс", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    world.customer("Анна Коваль", at=office, language="uk")
    world.staff("olena", "Олена Адмін", Role.ADMIN, language="uk")
    world.staff("taras", "Тарас Звільнений", Role.AGENT, language="uk", at=[office])
    taras = await _logged_in(await new_context(locale="uk-UA"), live_server, "taras")
    admin = await _logged_in(await new_context(locale="uk-UA", viewport=DESK), live_server, "olena")

    # A new location, from nothing: a shop in Warsaw, under Polish public holidays.
    await _open(admin, "Точки")
    await _fits_a_phone(admin)
    form = admin.locator("#location-form")
    await form.get_by_label("Назва", exact=True).fill("Варшава, Новий Світ")
    await form.get_by_label("Країна (дві літери: діють її свята)").fill("PL")
    await form.get_by_label("Часовий пояс").fill("Europe/Warsaw")
    await form.get_by_role("button", name="Додати точку").click()
    await expect(admin.get_by_role("heading", level=1)).to_have_text("Варшава, Новий Світ")
    await admin.locator("#details-address").fill("Nowy Świat 15")
    await admin.get_by_role("button", name="Зберегти дані").click()
    await expect(admin.locator("#details-address")).to_have_value("Nowy Świat 15")

    # Opening hours: a lunch break on weekdays, a short Saturday.
    for day in ("mon", "tue", "wed", "thu", "fri"):
        await admin.locator(f"#hours-{day}").fill("09:00-13:00, 14:00-18:00")
    await admin.locator("#hours-sat").fill("10:00-15:00")
    await admin.get_by_role("button", name="Зберегти години").click()
    await expect(admin.locator("#hours-wed")).to_have_value("09:00-13:00, 14:00-18:00")
    await expect(admin.locator("#hours-sun")).to_have_value("")

    # The country's holidays are there; a closure of her own is added.
    calendar = admin.locator("#calendar")
    await expect(calendar).to_contain_text("6 квітня 2026")  # Easter Monday in Poland
    await expect(calendar).to_contain_text("Великодній понеділок")  # named in her language
    await admin.locator("#day-date").fill("2026-03-20")
    await admin.locator("#day-reason").fill("Інвентаризація")
    await admin.get_by_role("button", name="Додати дату").click()
    closure = admin.locator("#own-day-2026-03-20")
    await expect(closure).to_contain_text("Інвентаризація")
    await expect(closure).to_contain_text("Закрито")
    await _fits_a_phone(admin)

    # An SLA policy and a team.
    await _open(admin, "Політики SLA")
    await admin.locator("#policy-name").fill("E-mail за годину")
    await admin.locator("#policy-channel").select_option("email")
    await admin.locator("#policy-first_response_minutes").fill("60")
    await admin.get_by_role("button", name="Створити правило").click()
    await expect(admin.get_by_role("row").filter(has_text="E-mail за годину")).to_contain_text(
        "60 хв"
    )
    await _fits_a_phone(admin)
    await _open(admin, "Команди")
    await admin.locator("#team-name").fill("Повернення")
    await admin.locator("#team-location").select_option(label="Варшава, Новий Світ")
    await admin.get_by_role("button", name="Створити команду").click()
    await expect(admin.get_by_role("heading", name="Повернення")).to_be_visible()
    await _fits_a_phone(admin)

    # A template in her words, previewed with a real customer as she types.
    await _open(admin, "Шаблони повідомлень")
    await _fits_a_phone(admin)
    await admin.get_by_role("link", name="Знову в наявності, Українська").click()
    await admin.locator("#preview-q").fill("Анна")
    await admin.get_by_role("button", name="Знайти").click()
    await admin.get_by_role("link", name="Анна Коваль").click()
    preview = admin.locator("#template-preview")
    await expect(preview).to_contain_text("Анна")
    await admin.locator("#template-text").fill("{{ customer.first_name }}, ми вже чекаємо!")
    await expect(preview).to_contain_text("Анна, ми вже чекаємо!")
    await admin.locator("#template-text").fill("{{ customer.frist_name }}")
    await admin.get_by_role("button", name="Зберегти шаблон").click()
    await expect(admin.locator("#text-error")).to_contain_text("customer.frist_name")
    await admin.locator("#template-text").fill("{{ customer.first_name }}, ми вже чекаємо!")
    await admin.get_by_role("button", name="Зберегти шаблон").click()
    await expect(admin.get_by_role("heading", name="Ваш текст")).to_be_visible()
    await _fits_a_phone(admin)

    # A leaver: deactivated, and out at his next click.
    await _open(admin, "Облікові записи працівників")
    row = admin.get_by_role("row").filter(has_text="Тарас Звільнений")
    await row.locator("button", has_text="Вимкнути").click()
    await expect(row).to_contain_text("Вимкнено")
    await taras.locator("nav a").first.click()
    await expect(taras).to_have_url(re.compile(r"/login"))

    # The checklist names what is done, and the changes are in the audit log.
    await _open(admin, "Що налаштувати")
    changes = admin.locator("#setup-changes")
    for said in ("Точку додано", "Години роботи змінено", "Правило SLA створено"):
        await expect(changes).to_contain_text(said)
    await expect(changes).to_contain_text("Шаблон повідомлення збережено")
    await _fits_a_phone(admin)
