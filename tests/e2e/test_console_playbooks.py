"""Playbooks at the console: the list, the editor, versions, on and off, firings and the dry run.

A bank branch in Kyiv, where Olena manages and Iryna serves clients. Anna is a VIP who agreed to
service calls; Boris is a regular client. The core banking system has sent tomorrow's charges
into the inbox: Anna's 1200 UAH against a balance of 300. The browser test drives the manager's
story; the rest is checked in-process, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from console_world import World, csrf_of, log_in
from fastapi.testclient import TestClient
from playwright.async_api import expect
from pytest_playwright_asyncio import CreateContextCallback
from test_console_promises import log_in_browser

from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import CreateCustomer, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import create_customer, record_consent
from heedful.core.customers.model import Customer, Segment
from heedful.core.engine.reactions import process_events
from heedful.core.events.handlers import accept_events
from heedful.core.events.types import EVENT_TYPES
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.demo import BANK_CALL_BEFORE_DECLINE
from heedful.core.playbooks.model import Firing, Playbook
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.model import Location


@dataclass
class Branch:
    kyiv: Location
    anna: Customer
    boris: Customer


def _client(world: World, at: Location, name: str, segment: Segment) -> Customer:
    container = world.container
    customer = create_customer(
        CreateCustomer(full_name=name, language="uk", segment=segment, home_location_id=at.id),
        container.uow(),
        container.clock,
        SYSTEM,
    )
    record_consent(
        RecordConsent(customer.id, Channel.PHONE, Purpose.SERVICE, granted=True, how="branch"),
        container.uow(),
        container.clock,
        SYSTEM,
    )
    return customer


def _charge(world: World, n: int, customer: Customer, amount: int, balance: int) -> None:
    event = {
        "specversion": "1.0",
        "source": "core-banking",
        "id": f"chg-{n}",
        "type": "heedful.charge.scheduled",
        "data": {
            "customer": {"id": customer.id},
            "account": f"UA-{n}",
            "amount": amount,
            "balance": balance,
            "currency": "UAH",
            "due_at": "2026-03-03T09:00:00+02:00",
        },
    }
    report = accept_events(world.container.uow(), world.container.clock, [event])
    assert report.accepted == 1, report.as_json()


def branch(world: World, *, language: str = "en") -> Branch:
    kyiv = world.location("Kyiv branch", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    world.staff("olena", "Olena Shevchenko", Role.MANAGER, language=language, at=[kyiv])
    world.staff("iryna", "Iryna Koval", Role.AGENT, language=language, at=[kyiv])
    anna = _client(world, kyiv, "Anna Kovalenko", Segment.VIP)
    boris = _client(world, kyiv, "Boris Lysenko", Segment.REGULAR)
    _charge(world, 1, anna, 1200, 300)
    _charge(world, 2, boris, 1200, 300)  # not a VIP
    _charge(world, 3, anna, 100, 300)  # covered by the balance
    return Branch(kyiv, anna, boris)


def stored(world: World) -> list[Playbook]:
    return playbooks.list_playbooks(world.container.uow(), SYSTEM)


def source_of(page: str) -> str:
    found = re.search(r'<textarea id="playbook-source"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, "the page has no playbook editor"
    return html.unescape(found.group(1))


# --- in the browser --------------------------------------------------------------------------


@pytest.mark.browser
async def test_a_manager_writes_a_playbook_from_the_example_tries_it_and_switches_it_on(
    live_server: str, world: World, clock: FrozenClock, new_context: CreateContextCallback
) -> None:
    branch(world, language="uk")
    page = await log_in_browser(await new_context(locale="uk-UA"), live_server, "olena")

    await page.get_by_role("link", name="Сценарії", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Сценарії")
    await page.get_by_role("link", name="Новий сценарій").click()
    await page.get_by_role("button", name="Зберегти сценарій").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("VIP: call before a decline")
    await expect(page.locator("#playbook-state")).to_contain_text("Вимкнено")

    # A slip in the action: the editor says where, and nothing is saved.
    editor = page.get_by_label("Сценарій (JSON)")
    written = await editor.input_value()
    await editor.fill(written.replace('"relationship_manager"', '"the boss"'))
    await page.get_by_role("button", name="Зберегти як нову версію").click()
    error = page.locator("#source-error")
    await expect(error).to_contain_text("actions[0].assign_to")
    await expect(error).to_contain_text("Нічого не збережено.")
    await expect(page.locator("#versions tbody tr")).to_have_count(1)

    await editor.fill(written.replace('"due_in_minutes": 240', '"due_in_minutes": 120'))
    await page.get_by_role("button", name="Зберегти як нову версію").click()
    await expect(page.locator("#source-error")).to_have_count(0)
    await expect(page.locator("#versions tbody tr")).to_have_count(2)
    await expect(page.locator("main")).to_contain_text("Версія 2")

    await page.get_by_role("button", name="Увімкнути").click()
    await expect(page.locator("#playbook-state")).to_contain_text("Увімкнено")

    # The dry run replays the charges already in the inbox, in place.
    await page.evaluate("window.sameDocument = true")
    await page.get_by_role("button", name="Виконати пробний запуск", exact=True).click()
    result = page.locator("#dry-run-result")
    await expect(result).to_contain_text("Anna Kovalenko")
    await expect(result).to_contain_text("data.amount 1200 > data.balance 300")
    await expect(result).to_contain_text("1 завдання")
    await expect(result).not_to_contain_text("Boris Lysenko")
    assert await page.evaluate("window.sameDocument === true"), "the page was reloaded"

    # A front-line agent finds neither the menu entry nor the page.
    agent = await log_in_browser(await new_context(locale="uk-UA"), live_server, "iryna")
    await expect(agent.get_by_role("link", name="Сценарії")).to_have_count(0)
    await agent.goto(f"{live_server}/console/playbooks")
    await expect(agent.locator("main")).to_contain_text("Ваша роль цього не дозволяє.")
    await expect(agent.locator("main")).not_to_contain_text("VIP: call before a decline")


# --- in-process ------------------------------------------------------------------------------


def _create(client: TestClient, csrf: str, example: int = 0) -> str:
    new = client.get("/console/playbooks/new", params={"example": example})
    assert new.status_code == 200
    made = client.post(
        "/console/playbooks",
        data={"source": source_of(new.text), "csrf_token": csrf},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    return str(made.headers["location"]).rsplit("/", 1)[1]


def test_a_playbook_made_from_the_example_is_listed_switched_off_at_version_one(
    console_client: TestClient, world: World
) -> None:
    branch(world)
    csrf = log_in(console_client, "olena")

    playbook_id = _create(console_client, csrf)

    listed = console_client.get("/console/playbooks")
    row = listed.text[listed.text.index(f'id="playbook-{playbook_id}"') :]
    row = row[: row.index("</tr>")]
    assert "VIP: call before a decline" in row
    assert "heedful.charge.scheduled" in row
    assert "Off" in row
    assert "Olena Shevchenko" in row
    assert "2 March 2026, 07:00" in row
    [made] = stored(world)
    assert (made.enabled, made.version) == (False, 1)
    # The example's notes are for the reader: the stored JSON is the demo playbook itself.
    assert dict(made.body.source) == BANK_CALL_BEFORE_DECLINE


def test_a_broken_action_is_named_by_its_path_and_nothing_is_saved(
    console_client: TestClient, world: World
) -> None:
    branch(world)
    csrf = log_in(console_client, "olena")
    playbook_id = _create(console_client, csrf)
    broken = json.loads(json.dumps(BANK_CALL_BEFORE_DECLINE))
    broken["actions"][0]["assign_to"] = "the boss"

    refused = console_client.post(
        f"/console/playbooks/{playbook_id}",
        data={"source": json.dumps(broken, indent=2), "csrf_token": csrf},
    )

    assert refused.status_code == 422
    assert '<code class="json-path">actions[0].assign_to</code>' in refused.text
    assert "the boss" in source_of(refused.text)  # what she typed stays in the editor
    [kept] = stored(world)
    assert kept.version == 1
    assert kept.body.actions[0].assign_to == "relationship_manager"  # type: ignore[union-attr]


def test_text_that_is_not_json_is_refused_with_its_line_in_her_language(
    console_client: TestClient, world: World
) -> None:
    branch(world, language="ru")
    csrf = log_in(console_client, "olena")

    refused = console_client.post(
        "/console/playbooks",
        data={"source": '// a note\n{\n  "name": "x",\n  oops\n}', "csrf_token": csrf},
    )

    assert refused.status_code == 422
    assert "Это не JSON" in refused.text
    assert "строка 4" in refused.text
    assert stored(world) == []


def test_saving_makes_a_new_version_and_the_old_one_stays_readable(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    branch(world)
    csrf = log_in(console_client, "olena")
    playbook_id = _create(console_client, csrf)
    changed = {**BANK_CALL_BEFORE_DECLINE, "name": "VIP: ring before a decline"}
    clock.advance(timedelta(hours=1))

    saved = console_client.post(
        f"/console/playbooks/{playbook_id}",
        data={"source": json.dumps(changed), "csrf_token": csrf},
    )

    assert saved.status_code == 200
    assert "VIP: ring before a decline" in saved.text
    versions = saved.text[saved.text.index('id="versions"') :]
    versions = versions[: versions.index("</section>")]
    assert "2 March 2026, 08:00" in versions
    assert "2 March 2026, 07:00" in versions
    old = console_client.get(f"/console/playbooks/{playbook_id}/versions/1")
    written = re.search(r'<textarea id="version-source"[^>]*>(.*?)</textarea>', old.text, re.S)
    assert written is not None
    assert json.loads(html.unescape(written.group(1))) == BANK_CALL_BEFORE_DECLINE
    missing = console_client.get(f"/console/playbooks/{playbook_id}/versions/9")
    assert missing.status_code == 404


def test_enable_then_disable_and_the_list_says_so(console_client: TestClient, world: World) -> None:
    branch(world)
    csrf = log_in(console_client, "olena")
    playbook_id = _create(console_client, csrf)

    on = console_client.post(f"/console/playbooks/{playbook_id}/enable", data={"csrf_token": csrf})
    assert "Disable" in on.text
    assert [p.enabled for p in stored(world)] == [True]
    listed = console_client.get("/console/playbooks").text
    assert ">On<" in listed

    console_client.post(f"/console/playbooks/{playbook_id}/disable", data={"csrf_token": csrf})
    assert [p.enabled for p in stored(world)] == [False]


def test_the_dry_run_names_who_would_be_tasked_and_why_and_counts_the_rest(
    console_client: TestClient, world: World
) -> None:
    place = branch(world)
    csrf = log_in(console_client, "olena")
    playbook_id = _create(console_client, csrf)
    page = console_client.get(f"/console/playbooks/{playbook_id}")
    assert 'value="2026-01-31"' in page.text
    assert 'value="2026-03-02"' in page.text

    answer = console_client.post(
        f"/console/playbooks/{playbook_id}/dry-run",
        data={"since": "2026-01-31", "until": "2026-03-02", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )

    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<section class="panel" id="dry-run"')
    assert "3 events of this type" in answer.text
    assert "2 met the conditions" in answer.text  # Boris's too, but he is no VIP
    assert "1 customer:" in answer.text
    assert "1 task" in answer.text
    assert f'href="/customers/{place.anna.id}">Anna Kovalenko' in answer.text
    assert "data.amount 1200 &gt; data.balance 300" in answer.text
    assert "Boris Lysenko" not in answer.text
    # A dry run writes nothing: no firing, no task.
    assert playbooks.list_firings(playbook_id, world.container.uow(), SYSTEM) == []


def test_a_dry_run_over_days_before_the_charges_finds_nobody_and_a_bad_date_is_named(
    console_client: TestClient, world: World
) -> None:
    branch(world)
    csrf = log_in(console_client, "olena")
    playbook_id = _create(console_client, csrf)
    url = f"/console/playbooks/{playbook_id}/dry-run"
    hx = {"HX-Request": "true"}

    quiet = console_client.post(
        url, data={"since": "2026-02-01", "until": "2026-03-01", "csrf_token": csrf}, headers=hx
    )
    wrong = console_client.post(
        url, data={"since": "March", "until": "2026-03-01", "csrf_token": csrf}, headers=hx
    )
    backwards = console_client.post(
        url, data={"since": "2026-03-01", "until": "2026-02-01", "csrf_token": csrf}, headers=hx
    )

    assert "0 events of this type" in quiet.text
    assert "Nobody would have been messaged or tasked." in quiet.text
    assert wrong.status_code == 422
    assert 'id="since-error"' in wrong.text
    assert "Give the date as YYYY-MM-DD." in wrong.text
    assert backwards.status_code == 422
    assert 'id="until-error"' in backwards.text


def test_firings_of_an_enabled_playbook_link_the_customer_and_count_in_the_list(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    place = branch(world)
    csrf = log_in(console_client, "olena")
    playbook_id = _create(console_client, csrf)
    console_client.post(f"/console/playbooks/{playbook_id}/enable", data={"csrf_token": csrf})

    process_events(world.container.uow, clock)

    page = console_client.get(f"/console/playbooks/{playbook_id}").text
    firings = page[page.index('id="firings"') :]
    firings = firings[: firings.index("</section>")]
    assert f'href="/customers/{place.anna.id}">Anna Kovalenko' in firings
    assert "version 1" in firings
    assert "task " in firings
    listed = console_client.get("/console/playbooks").text
    row = listed[listed.index(f'id="playbook-{playbook_id}"') :]
    assert row[: row.index("</tr>")].rstrip().endswith("<td>1</td>")


def test_the_help_panel_lists_every_event_type_and_action_the_model_knows(
    console_client: TestClient, world: World
) -> None:
    branch(world)
    log_in(console_client, "olena")

    page = console_client.get("/console/playbooks/new", params={"example": 2}).text

    for name in EVENT_TYPES:
        assert f"<code>{name}</code>" in page, name
    for action in ("create_task", "send_message", "open_promise", "close_promise"):
        assert f'"do": "{action}"' in html.unescape(page), action
    assert "Your brand, in your size" in source_of(page)


def test_an_agent_may_open_no_playbook_page(console_client: TestClient, world: World) -> None:
    branch(world)
    olena = log_in(console_client, "olena")
    playbook_id = _create(console_client, olena)
    console_client.post("/logout", data={"csrf_token": olena})
    csrf = log_in(console_client, "iryna")

    for url in (
        "/console/playbooks",
        "/console/playbooks/new",
        f"/console/playbooks/{playbook_id}",
        f"/console/playbooks/{playbook_id}/versions/1",
    ):
        refused = console_client.get(url)
        assert refused.status_code == 403, url
        assert "VIP: call before a decline" not in refused.text
    assert "/console/playbooks" not in console_client.get("/customers").text
    switched = console_client.post(
        f"/console/playbooks/{playbook_id}/enable", data={"csrf_token": csrf}
    )
    assert switched.status_code == 403
    assert [p.enabled for p in stored(world)] == [False]
    assert csrf_of(console_client.get("/logout").text)


def _lines_of(page: str) -> str:
    """The text of the firing list (or the dry run) without tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_a_russian_manager_reads_what_a_firing_did_and_why_in_russian_and_an_old_line_as_kept(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    place = branch(world, language="ru")
    csrf = log_in(console_client, "olena")
    playbook_id = _create(console_client, csrf)
    console_client.post(f"/console/playbooks/{playbook_id}/enable", data={"csrf_token": csrf})
    process_events(world.container.uow, clock)
    # A firing stored before its lines were phrases: its English is shown as it was kept.
    with world.container.uow() as uow:
        assert uow.playbooks.claim(
            Firing(
                id="fir_old",
                playbook_id=playbook_id,
                version=1,
                customer_id=place.anna.id,
                once_key="event:old",
                event_ref="core-banking/chg-0",
                event_type="heedful.charge.scheduled",
                fired_at=clock.now() - timedelta(days=1),
                reasons=("segment is vip",),
                done=("task tsk_old for the location's managers",),
            )
        )
        uow.commit()

    page = console_client.get(f"/console/playbooks/{playbook_id}").text
    firings = page[page.index('id="firings"') :]
    shown = _lines_of(firings[: firings.index("</section>")])

    assert "Сделано: задача tsk_" in shown
    assert "(Europe/Kyiv) · версия 1" in shown  # when it fired, on the branch's clock
    assert "— менеджеры точки" in shown
    assert "клиент указан в событии" in shown
    assert "сегмент: VIP" in shown
    assert "согласие на сервисные сообщения, канал: телефон" in shown
    assert "data.amount 1200 > data.balance 300" in shown
    assert "task tsk_old for the location's managers" in shown
    assert "segment is vip" in shown


def test_a_russian_managers_dry_run_says_the_deadline_in_the_branchs_zone_and_her_words(
    console_client: TestClient, world: World
) -> None:
    branch(world, language="ru")
    csrf = log_in(console_client, "olena")
    playbook_id = _create(console_client, csrf)

    answer = console_client.post(
        f"/console/playbooks/{playbook_id}/dry-run",
        data={"since": "2026-01-31", "until": "2026-03-02", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )

    shown = _lines_of(answer.text)
    assert "задача «Call Anna Kovalenko" in shown
    assert "— менеджеры точки, жест доброй воли до 500 UAH, срок: " in shown
    assert "(Europe/Kyiv)" in shown
    assert "сегмент: VIP" in shown
    assert " UTC" not in shown.split("задача «", 1)[1]
    # When each event happened, on the branch's clock too, not in UTC.
    assert " UTC · " not in shown
    assert "(Europe/Kyiv) · " in shown


def test_a_dry_run_reads_her_days_on_the_branchs_clock_not_utcs(
    console_client: TestClient, world: World
) -> None:
    """Kyiv's 1 March ends at 22:00 UTC: a charge at 00:30 Kyiv time belongs to 2 March."""
    place = branch(world)
    clock = world.container.clock
    assert isinstance(clock, FrozenClock)
    clock.set(datetime(2026, 3, 1, 21, 30, tzinfo=UTC))  # 23:30 in Kyiv, 1 March
    _charge(world, 4, place.anna, 900, 100)
    clock.set(datetime(2026, 3, 1, 22, 30, tzinfo=UTC))  # 00:30 in Kyiv, 2 March
    _charge(world, 5, place.anna, 800, 100)
    csrf = log_in(console_client, "olena")
    playbook_id = _create(console_client, csrf)

    first_of_march = console_client.post(
        f"/console/playbooks/{playbook_id}/dry-run",
        data={"since": "2026-03-01", "until": "2026-03-01", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )

    assert first_of_march.status_code == 200
    assert "data.amount 900 &gt; data.balance 100" in first_of_march.text
    assert "data.amount 800" not in first_of_march.text
    # The page's default period ends on her today: 2 March in Kyiv, still 1 March in UTC.
    assert 'value="2026-03-02"' in console_client.get(f"/console/playbooks/{playbook_id}").text
