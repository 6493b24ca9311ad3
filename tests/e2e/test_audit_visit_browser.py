"""An evaluator on a 390x844 phone, in Ukrainian, checks in, fills her visit, adds a photo, submits.

Debian Chromium with the phone's position granted: the check-in records it, the photo goes through
the file input, the page never scrolls sideways, and the submitted visit holds the photo's hash.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from audit_visit_world import PNG, audit_visits, validated_visit
from console_world import World
from playwright.async_api import FilePayload, ViewportSize, expect
from pytest_playwright_asyncio import CreateContextCallback
from test_receptionist_story import log_in

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.audits import (
    NewEvaluator,
    VisitState,
    enrol_evaluator,
    save_draft,
    show_visit,
    submit_visit,
)

UKRAINIAN = {"login": "Логін", "password": "Пароль", "submit": "Увійти"}
PHONE: ViewportSize = {"width": 390, "height": 844}
WIDTH = "document.documentElement.scrollWidth"
SHELF: FilePayload = {"name": "shelf.png", "mimeType": "image/png", "buffer": PNG}


@pytest.mark.browser
async def test_an_evaluator_fills_and_submits_her_visit_with_a_photo_on_a_phone_in_ukrainian(
    live_server: str,
    world: World,
    container: Container,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    new_context: CreateContextCallback,
) -> None:
    settings = container.settings.model_copy(update={"audit_photos_dir": str(tmp_path)})
    monkeypatch.setattr(container, "settings", settings)
    visits = audit_visits(world)
    phone = await new_context(
        locale="uk-UA",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        permissions=["geolocation"],
        geolocation={"latitude": 50.4501, "longitude": 30.5234},
    )
    page = await log_in(phone, live_server, "iryna", labels=UKRAINIAN)
    await page.get_by_role("link", name="Atelier Lypky").click()
    await expect(page.get_by_role("heading", name="Зустріч")).to_be_visible()
    assert await page.evaluate(WIDTH) <= PHONE["width"]

    await page.get_by_role("button", name="Відмітитися").click()
    await expect(page.locator("#checked-in")).to_contain_text("місце записано")

    await page.locator("#item-greeted").get_by_text("Так", exact=True).click()
    await page.locator("#item-warmth").get_by_text("5", exact=True).click()
    await page.get_by_text("Воду", exact=True).click()
    await page.locator("#item-asked").get_by_text("Не застосовується").click()
    await page.locator("#wait-number").fill("2")
    await page.locator("#notes-text").fill("Усе чудово")
    await page.locator("#shelf-file").set_input_files(files=[SHELF])
    assert await page.evaluate(WIDTH) <= PHONE["width"]
    await page.get_by_role("button", name="Надіслати візит").click()

    await expect(page.locator("#visit-state")).to_have_text("Надіслано")
    await expect(page.locator("img.audit-photo")).to_be_visible()
    assert await page.evaluate(WIDTH) <= PHONE["width"]
    assert await page.evaluate("localStorage.length") == 0

    view = show_visit(container.uow(), SYSTEM, visits.mine)
    assert view.visit.state is VisitState.SUBMITTED
    assert [a.sha256 for a in view.visit.attachments] == [hashlib.sha256(PNG).hexdigest()]
    assert view.visit.check_in is not None
    assert view.visit.check_in.latitude == pytest.approx(50.4501)
    assert view.visit.answers["asked"].not_applicable


@pytest.mark.browser
async def test_a_reviewer_returns_a_flagged_visit_with_a_comment_on_a_phone_in_ukrainian(
    live_server: str, world: World, container: Container, new_context: CreateContextCallback
) -> None:
    visits = audit_visits(world)
    uow, clock = container.uow, container.clock
    with uow() as unit:
        iryna = unit.staff.get_by_login("iryna")
    assert iryna is not None
    answers = {
        "greeted": {"value": True},
        "warmth": {"value": 4},
        "offer": {"value": "water"},
        "asked": {"not_applicable": True},
        "wait": {"value": 2},
    }
    save_draft(uow(), clock, iryna.as_actor(), visits.mine, answers)
    submit_visit(uow(), clock, iryna.as_actor(), visits.mine)
    world.staff("olena", "Olena Koval", Role.MANAGER, language="uk", at=[visits.boutique])
    phone = await new_context(locale="uk-UA", viewport=PHONE, is_mobile=True, has_touch=True)
    page = await log_in(phone, live_server, "olena", labels=UKRAINIAN)

    await page.goto(live_server + "/console/audits/review")
    entry = page.locator(f"#review-{visits.mine}")
    await expect(entry).to_contain_text("Немає відмітки про прихід")
    assert await page.evaluate(WIDTH) <= PHONE["width"]
    await entry.get_by_role("link").click()
    await expect(page.get_by_role("heading", name="Автоматичні перевірки")).to_be_visible()
    assert await page.evaluate(WIDTH) <= PHONE["width"]
    await page.get_by_label("Коментар для аудитора").fill("Відмітьтеся на місці, будь ласка")
    await page.get_by_role("button", name="Повернути з коментарем").click()

    await expect(page.get_by_role("status")).to_have_text(
        "Візит повернуто аудиторові з вашим коментарем."
    )
    assert await page.evaluate(WIDTH) <= PHONE["width"]
    view = show_visit(uow(), SYSTEM, visits.mine)
    assert view.visit.state is VisitState.RETURNED
    assert view.visit.review_comment == "Відмітьтеся на місці, будь ласка"


@pytest.mark.browser
async def test_a_manager_deactivates_an_evaluator_and_hands_on_her_visit_on_a_phone(
    live_server: str, world: World, container: Container, new_context: CreateContextCallback
) -> None:
    visits = audit_visits(world)
    uow, clock = container.uow, container.clock
    oksana = world.staff("oksana", "Oksana", Role.EVALUATOR, language="uk")
    profile = NewEvaluator(
        oksana.id, "Oksana", frozenset({"vip"}), frozenset({"uk"}), frozenset({"Kyiv"})
    )
    enrol_evaluator(uow(), clock, SYSTEM, profile)
    world.staff("olena", "Olena Koval", Role.MANAGER, language="uk", at=[visits.boutique])
    halyna = show_visit(uow(), SYSTEM, visits.hers).assignment.evaluator_id
    phone = await new_context(locale="uk-UA", viewport=PHONE, is_mobile=True, has_touch=True)
    page = await log_in(phone, live_server, "olena", labels=UKRAINIAN)

    await page.goto(live_server + "/console/audits/evaluators")
    await page.locator(f"#evaluator-{halyna}").get_by_role("button", name="Вимкнути").click()
    await expect(page.locator(f"#open-{visits.hers}")).to_contain_text("Atelier Lypky")
    assert await page.evaluate(WIDTH) <= PHONE["width"]
    await page.locator(f"#open-{visits.hers}").get_by_role("button", name="Передати").click()

    await expect(page.get_by_role("status")).to_contain_text("Завдання передано")
    assert await page.evaluate(WIDTH) <= PHONE["width"]
    moved = show_visit(uow(), SYSTEM, visits.hers).assignment
    with uow() as unit:
        taken = unit.audits.evaluator_of_staff(oksana.id)
    assert taken is not None
    assert moved.evaluator_id == taken.id


DESK: ViewportSize = {"width": 1440, "height": 900}


@pytest.mark.browser
@pytest.mark.parametrize("screen", [PHONE, DESK], ids=["390x844", "1440x900"])
async def test_a_manager_reads_the_wave_report_prints_it_and_downloads_its_pdf(
    live_server: str,
    world: World,
    container: Container,
    new_context: CreateContextCallback,
    screen: ViewportSize,
) -> None:
    visits = audit_visits(world)
    answers = {
        "greeted": {"value": False, "comment": "Ніхто не підвів очей"},
        "warmth": {"value": 3},
        "offer": {"value": "water"},
        "asked": {"not_applicable": True},
        "wait": {"value": 2},
    }
    validated_visit(world, visits, answers)
    world.staff("olena", "Olena Koval", Role.MANAGER, language="uk", at=[visits.boutique])
    phone = screen is PHONE
    context = await new_context(locale="uk-UA", viewport=screen, is_mobile=phone, has_touch=phone)
    page = await log_in(context, live_server, "olena", labels=UKRAINIAN)

    await page.goto(live_server + "/console/audits/results")
    await page.get_by_label("Хвиля").fill("2026-12")
    await page.get_by_role("button", name="Показати").click()
    league = page.locator("table.audit-league")
    await expect(league).to_contain_text("Atelier Lypky")
    advice = page.locator("ul.audit-recommendations")
    await expect(advice).to_contain_text("Привітали?")  # the weakest item, in her language
    await expect(advice).to_contain_text("Ніхто не підвів очей")  # the evaluator's words
    assert await page.evaluate(WIDTH) <= screen["width"]
    assert visits.guest_name not in await page.content()

    async with page.expect_download() as waiting:
        await page.locator("a.audit-pdf").click()
    pdf = await waiting.value
    assert pdf.suggested_filename.endswith(".pdf")
    assert (Path(await pdf.path())).read_bytes().startswith(b"%PDF")

    await page.get_by_role("link", name="Версія для друку").click()
    await expect(page.locator("table.audit-league")).to_contain_text("Atelier Lypky")
    await expect(page.locator(".menu")).to_have_count(0)
    assert await page.evaluate(WIDTH) <= screen["width"]
