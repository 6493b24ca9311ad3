"""The promise ledger at the console: the card's promises and messages, board, tasks, dead letters.

A boutique in Kyiv, where a shop assistant promises a customer to tell her when the black bag is
back in size M. The browser test drives it as she would; the rest is checked in-process.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from console_world import PASSWORD, World, log_in
from fastapi.testclient import TestClient
from httpx import Response
from playwright.async_api import BrowserContext, Page, expect
from pytest_playwright_asyncio import CreateContextCallback

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.consent import Purpose
from heedful.core.customers.model import Customer
from heedful.core.engine.timers import fire_due_timers
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.promises.handlers import MakePromise, list_promises, make_promise
from heedful.core.promises.model import Promise, PromiseKind, PromiseState
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.staff.model import Location, LocationKind


def boutique(world: World, name: str = "Podil boutique", city: str = "Kyiv") -> Location:
    return world.location(
        name, city=city, country="UA", time_zone="Europe/Kyiv", kind=LocationKind.BOUTIQUE
    )


def promise(
    container: Container,
    customer: Customer,
    at: Location,
    text: str,
    due_in: timedelta,
    kind: PromiseKind = PromiseKind.CALL_BACK,
) -> Promise:
    return make_promise(
        MakePromise(
            customer_id=customer.id,
            kind=kind,
            location_id=at.id,
            text=text,
            due_at=container.clock.now() + due_in,
        ),
        container.uow(),
        container.clock,
        SYSTEM,
    )


def dead_message(container: Container, customer: Customer, at: Location, subject: str) -> Message:
    """A message the relay gave up on: the mail server refused it for good."""
    now = container.clock.now()
    message = Message(
        id=new_id("msg_"),
        customer_id=customer.id,
        template_key="back_in_stock",
        purpose=Purpose.SERVICE,
        created_at=now,
        ready_at=now,
        location_id=at.id,
        channel="email",
        to="anna@example.com",
        subject=subject,
    )
    message.failed(now, "550 mailbox unavailable", temporary=False)
    with container.uow() as uow:
        uow.outbox.add(message)
        uow.commit()
    return message


def section(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</section>", start)]


def post(client: TestClient, url: str, csrf: str, **data: str) -> Response:
    sent: Response = client.post(
        url, data={**data, "csrf_token": csrf}, headers={"HX-Request": "true"}
    )
    return sent


# --- in the browser --------------------------------------------------------------------------


async def log_in_browser(context: BrowserContext, base_url: str, login: str) -> Page:
    page = await context.new_page()
    await page.goto(f"{base_url}/login")
    await page.get_by_label("Логін", exact=True).fill(login)
    await page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Увійти", exact=True).click()
    return page


@pytest.mark.browser
async def test_an_assistant_promises_to_tell_when_the_bag_is_back_and_marks_it_kept(
    live_server: str, world: World, clock: FrozenClock, new_context: CreateContextCallback
) -> None:
    shop = boutique(world)
    world.staff("iryna", "Ірина Коваль", Role.AGENT, language="uk", at=[shop])
    world.staff("olga", "Olga Mystery", Role.EVALUATOR, language="uk")
    anna = world.customer("Анна Петренко", at=shop, phone="+380 67 123 45 67", language="uk")

    page = await log_in_browser(await new_context(locale="uk-UA"), live_server, "iryna")
    await page.goto(f"{live_server}/customers/{anna.id}")
    await page.evaluate("window.sameDocument = true")

    # Tomorrow at six in the evening, on the boutique's clock.
    form = page.locator("form.make-promise")
    await form.get_by_label("Обіцянка", exact=True).select_option(
        label="Повідомити про надходження"
    )
    await form.get_by_label("Товар", exact=True).fill("bag-noir")
    await form.get_by_label("Варіант", exact=True).fill("black")
    await form.get_by_label("Розмір", exact=True).fill("M")
    await form.get_by_label("Термін (місцевий час точки)").fill("2026-03-03T18:00")
    await form.get_by_role("button", name="Зберегти обіцянку").click()

    open_promises = page.locator("#promises-open")
    await expect(open_promises).to_contain_text("Повідомити про надходження: bag-noir · black · m")
    await expect(open_promises).to_contain_text("3 березня 2026, 18:00")
    await expect(open_promises).to_contain_text("Пообіцяно: Ірина Коваль, Podil boutique")
    await expect(page.get_by_label("Товар", exact=True)).to_have_value("")
    assert await page.evaluate("window.sameDocument === true"), "the page was reloaded"

    # The bag is back and she rang the customer herself.
    clock.advance(timedelta(hours=5))
    await open_promises.get_by_label("Як виконано (необов’язково)").fill("зателефонувала")
    await open_promises.get_by_role("button", name="Обіцянку виконано").click()

    closed = page.locator("#promises-closed")
    await expect(closed).to_contain_text("bag-noir · black · m")  # sizes compared as codes
    await expect(closed).to_contain_text("Виконана")
    await expect(closed).to_contain_text("зателефонувала")
    await expect(page.locator("#promises-open")).to_have_count(0)
    assert await page.evaluate("window.sameDocument === true"), "the page was reloaded"

    # A mystery shopper logs in and finds no board to look at.
    shopper = await log_in_browser(await new_context(locale="uk-UA"), live_server, "olga")
    await expect(shopper.get_by_role("link", name="Обіцянки")).to_have_count(0)
    await shopper.goto(f"{live_server}/console/promises")
    await expect(shopper.get_by_role("heading", level=1)).to_have_text(
        "Немає доступу до даних клієнтів"
    )
    await expect(shopper.locator("main")).not_to_contain_text("bag-noir")


# --- in-process ------------------------------------------------------------------------------


def test_a_deadline_typed_on_the_card_is_read_on_the_boutiques_clock(
    console_client: TestClient, world: World
) -> None:
    shop = boutique(world)
    anna = world.customer("Anna Petrenko", at=shop)
    world.staff("iryna", "Iryna Koval", Role.AGENT, at=[shop])
    csrf = log_in(console_client, "iryna")

    made = post(
        console_client,
        f"/customers/{anna.id}/promises",
        csrf,
        kind="call_back",
        text="call back about the refund",
        due_at="2026-03-03T18:00",
        location_id=shop.id,
    )

    assert made.status_code == 200
    assert "3 March 2026, 18:00" in section(made.text, "promises-open")
    stored = list_promises(world.container.uow(), SYSTEM, customer_id=anna.id)
    assert [p.due_at.isoformat() for p in stored if p.due_at] == ["2026-03-03T16:00:00+00:00"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"kind": "call_back", "text": "call back"},
            "due_at",
            "Для такого обещания нужен срок.",
        ),
        ({"kind": "tell_when_available", "size": "M"}, "product", "Укажите товар."),
        (
            {"kind": "call_back", "due_at": "2026-03-01T12:00"},
            "due_at",
            "Этот срок уже прошёл.",
        ),
        ({"kind": "reply_by", "due_at": "tomorrow"}, "due_at", "Укажите срок: дату и время."),
        ({"kind": "teleport", "text": "x"}, "kind", "Выберите один из вариантов."),
    ],
)
def test_a_promise_the_core_refuses_is_explained_next_to_its_field_and_nothing_is_made(
    console_client: TestClient, world: World, fields: dict[str, str], field: str, message: str
) -> None:
    shop = boutique(world)
    anna = world.customer("Anna Petrenko", at=shop)
    world.staff("maria", "Мария Иванова", Role.AGENT, language="ru", at=[shop])
    csrf = log_in(console_client, "maria")

    refused = post(
        console_client,
        f"/customers/{anna.id}/promises",
        csrf,
        location_id=shop.id,
        **fields,
    )

    assert refused.status_code == 422
    answer = refused.text
    error = re.search(
        rf'<p class="field-error" id="{field}-error" role="alert">([^<]*)</p>', answer
    )
    assert error, f"no error next to {field}"
    assert message in error.group(1)
    for name, value in fields.items():
        if name != "kind":
            assert f'value="{value}"' in answer  # what was typed comes back
    assert list_promises(world.container.uow(), SYSTEM, customer_id=anna.id) == []


def test_a_promise_is_not_cancelled_without_a_reason_and_is_with_one(
    console_client: TestClient, world: World
) -> None:
    shop = boutique(world)
    anna = world.customer("Anna Petrenko", at=shop)
    world.staff("taras", "Тарас Шевчук", Role.AGENT, language="uk", at=[shop])
    made = promise(world.container, anna, shop, "deliver the dress", timedelta(days=3))
    csrf = log_in(console_client, "taras")
    url = f"/customers/{anna.id}/promises/{made.id}/cancel"

    refused = post(console_client, url, csrf, reason="  ")
    cancelled = post(console_client, url, csrf, reason="the supplier stopped the line")

    assert refused.status_code == 422
    assert 'id="reason-error"' in refused.text
    assert "Вкажіть, чому обіцянку скасовано." in refused.text
    assert cancelled.status_code == 200
    closed = section(cancelled.text, "promises-closed")
    assert "Скасована" in closed
    assert "the supplier stopped the line" in closed
    again = post(console_client, url, csrf, reason="twice")
    assert again.status_code == 409
    assert "Цю обіцянку вже закрито." in again.text


def test_the_board_shows_overdue_promises_first_then_those_due_within_two_days_at_her_shops(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    podil = boutique(world)
    lviv = boutique(world, "Lviv boutique", city="Lviv")
    anna = world.customer("Anna Petrenko", at=podil)
    boris = world.customer("Boris Melnyk", at=podil)
    vera = world.customer("Vera Lviv", at=lviv)
    world.staff("iryna", "Iryna Koval", Role.AGENT, at=[podil])
    container = world.container
    promise(container, anna, podil, "overdue by a day", timedelta(hours=1))
    promise(container, boris, podil, "overdue by an hour", timedelta(hours=24))
    clock.advance(timedelta(hours=25))
    promise(container, boris, podil, "due tomorrow", timedelta(hours=30))
    promise(container, anna, podil, "due tonight", timedelta(hours=6))
    promise(container, anna, podil, "due next week", timedelta(days=7))
    promise(container, vera, lviv, "due in Lviv", timedelta(hours=2))
    kept = promise(container, anna, podil, "already kept", timedelta(hours=3))
    csrf = log_in(console_client, "iryna")
    post(console_client, f"/customers/{anna.id}/promises/{kept.id}/keep", csrf)

    board = console_client.get("/console/promises")

    assert board.status_code == 200
    texts = re.findall(r"<p>(overdue[^<]*|due[^<]*|already kept)</p>", board.text)
    assert texts == ["overdue by a day", "overdue by an hour", "due tonight", "due tomorrow"]
    overdue = section(board.text, "overdue")
    assert overdue.count("Overdue</span>") == 2
    assert f'<a href="/customers/{anna.id}">Anna Petrenko</a>' in overdue
    assert "Vera" not in board.text


def test_the_card_lists_each_message_with_how_it_ended(
    console_client: TestClient, world: World
) -> None:
    shop = boutique(world)
    anna = world.customer("Anna Petrenko", at=shop)
    world.staff("iryna", "Iryna Koval", Role.AGENT, at=[shop])
    dead_message(world.container, anna, shop, "Your bag is back")
    log_in(console_client, "iryna")

    messages = section(console_client.get(f"/customers/{anna.id}").text, "messages")

    assert "Your bag is back" in messages
    assert "E-mail" in messages
    assert "Dead" in messages
    assert "550 mailbox unavailable" in messages


def test_a_manager_sends_a_dead_letter_again_and_an_agent_cannot_see_the_list(
    console_client: TestClient, world: World
) -> None:
    podil = boutique(world)
    lviv = boutique(world, "Lviv boutique", city="Lviv")
    anna = world.customer("Anna Petrenko", at=podil)
    vera = world.customer("Vera Lviv", at=lviv)
    world.staff("iryna", "Iryna Koval", Role.AGENT, at=[podil])
    world.staff("petro", "Петро Мельник", Role.MANAGER, language="uk", at=[podil])
    dead = dead_message(world.container, anna, podil, "Your bag is back")
    dead_message(world.container, vera, lviv, "Your shoes are back")

    log_in(console_client, "iryna")
    refused = console_client.get("/console/outbox")
    assert refused.status_code == 403
    assert "Your bag is back" not in refused.text
    assert 'href="/console/outbox"' not in console_client.get("/customers").text

    csrf = log_in(console_client, "petro")
    listed = console_client.get("/console/outbox")
    sent_again = post(console_client, f"/console/outbox/{dead.id}/send-again", csrf)

    assert listed.status_code == 200
    assert 'href="/console/outbox"' in listed.text
    assert "Your bag is back" in listed.text
    assert "550 mailbox unavailable" in listed.text
    assert "Your shoes are back" not in listed.text  # another shop's customer
    assert sent_again.status_code == 200
    assert "Знову в черзі: Your bag is back" in sent_again.text
    assert "Your bag is back</td>" not in sent_again.text
    with world.container.uow() as uow:
        requeued = uow.outbox.get(dead.id)
    assert requeued is not None
    assert (requeued.status, requeued.attempts, requeued.reason) == (MessageStatus.QUEUED, 0, "")
    assert requeued.ready_at == world.container.clock.now()
    twice = post(console_client, f"/console/outbox/{dead.id}/send-again", csrf)
    assert twice.status_code == 409
    assert "Це повідомлення вже надіслано повторно." in twice.text


def test_an_assistant_sees_her_reminder_task_not_a_colleagues_and_marks_it_done(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    shop = boutique(world)
    anna = world.customer("Anna Petrenko", at=shop)
    iryna = world.staff("iryna", "Iryna Koval", Role.AGENT, at=[shop])
    taras = world.staff("taras", "Taras Shevchuk", Role.AGENT, at=[shop])
    container = world.container
    for owner, text in ((iryna, "call Anna about the dress"), (taras, "call Anna about shoes")):
        make_promise(
            MakePromise(
                customer_id=anna.id,
                kind=PromiseKind.CALL_BACK,
                location_id=shop.id,
                text=text,
                due_at=clock.now() + timedelta(hours=2),
                owner_id=owner.id,
            ),
            container.uow(),
            clock,
            SYSTEM,
        )
    clock.advance(timedelta(hours=1, minutes=50))  # the reminder fires 15 minutes ahead
    fire_due_timers(container.uow, clock)

    csrf = log_in(console_client, "iryna")
    page = console_client.get("/console/tasks")
    task_id = re.search(r'id="task-(tsk_[^"]+)"', page.text)

    assert page.status_code == 200
    assert "Due soon: call Anna about the dress" in page.text
    assert "call Anna about shoes" not in page.text
    # Grouped as the desk reads them: due in ten minutes is today's, and nothing is overdue yet.
    assert '<h3 class="task-group">Due today <span class="count">1</span></h3>' in page.text
    assert 'task-group">Overdue' not in page.text
    assert f'<a href="/customers/{anna.id}">Anna Petrenko</a>' in page.text
    assert task_id
    done = post(console_client, f"/console/tasks/{task_id.group(1)}/done", csrf)
    assert done.status_code == 200
    assert "No open tasks." in done.text
    assert "Done: Due soon: call Anna about the dress" in done.text


def test_an_evaluator_opens_neither_the_board_nor_tasks_nor_dead_letters(
    console_client: TestClient, world: World
) -> None:
    shop = boutique(world)
    anna = world.customer("Anna Petrenko", at=shop)
    promise(world.container, anna, shop, "call back about the refund", timedelta(hours=2))
    world.staff("olga", "Olga Mystery", Role.EVALUATOR)
    log_in(console_client, "olga")

    for url in ("/console/promises", "/console/tasks", "/console/outbox"):
        page = console_client.get(url)
        assert page.status_code == 403, url
        assert "No access to customer data" in page.text
        assert "Anna" not in page.text
        assert "refund" not in page.text
    assert list_promises(world.container.uow(), SYSTEM, customer_id=anna.id)[0].state is (
        PromiseState.OPEN
    )
