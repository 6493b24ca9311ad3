"""The playbook form (issue 15): the form and the JSON are two views of one document.

In-process: the form drawn for every demo playbook writes back exactly that playbook, and live
validation names the field at fault in the manager's language. In the browser: a hotel manager
builds "arrivals with a never wish → a housekeeping task" in the form, in Ukrainian.
"""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from console_world import World, csrf_of, log_in
from fastapi.testclient import TestClient
from playwright.async_api import ViewportSize, expect
from pytest_playwright_asyncio import CreateContextCallback
from test_console_promises import log_in_browser

from heedful.core.access.model import SYSTEM, Role
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.demo import DEMO_PLAYBOOKS
from heedful.core.playbooks.look_ahead_demo import (
    HOLD_TABLES_AT_PEAK,
    LOOK_AHEAD_PLAYBOOKS,
    PARCEL_WAITING_AT_PICKUP,
    WARN_THE_HOST_OVERBOOKED,
)
from heedful.core.playbooks.model import CreateTask
from heedful.core.playbooks.reading import read_playbook
from heedful.core.preferences.model import Category, Polarity
from heedful.core.shared.errors import InvalidInput
from heedful.core.staff.model import Location, LocationKind

DESK: ViewportSize = {"width": 1440, "height": 900}
EVERY_DEMO = (
    *DEMO_PLAYBOOKS,
    *LOOK_AHEAD_PLAYBOOKS,
    PARCEL_WAITING_AT_PICKUP,
    HOLD_TABLES_AT_PEAK,
    WARN_THE_HOST_OVERBOOKED,
)


class FormFields(HTMLParser):
    """The fields of the drawn form as the page's script reads them: path, kind, value."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str, bool, Any]] = []
        self.lists: dict[str, list[str]] = {}
        self._select: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        path = found.get("data-path")
        if tag == "input" and path and found.get("type") == "checkbox":
            self.lists.setdefault(path, [])
            if "checked" in found:
                self.lists[path].append(str(found["value"]))
        elif tag == "input" and path:
            optional = "data-optional" in found
            self.fields.append((path, str(found["data-type"]), optional, found.get("value", "")))
        elif tag == "select" and path and "data-restructure" not in found:
            self._select = {"path": path, "optional": "data-optional" in found, "value": ""}
        elif tag == "option" and self._select is not None and "selected" in found:
            self._select["value"] = found["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            chosen = self._select
            self.fields.append((chosen["path"], "text", chosen["optional"], chosen["value"]))
            self._select = None


def _steps(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", path)]


def _put(document: dict[str, Any], path: str, value: Any, *, drop: bool) -> None:
    """What playbook_form.js does with one field: set it, or drop it and the objects it empties."""
    *parents, last = _steps(path)
    chain: list[Any] = [document]
    for step in parents:
        node = chain[-1]
        chain.append(node.setdefault(step, {}) if isinstance(node, dict) else node[step])
    if not drop:
        chain[-1][last] = value
        return
    chain[-1].pop(last, None)
    for depth in range(len(parents), 0, -1):
        holder, node = chain[depth - 1], chain[depth]
        if node != {} or not isinstance(holder, dict):
            return
        del holder[parents[depth - 1]]


def _read_back(kind: str, text: str) -> Any:
    if kind == "int":
        return int(text) if re.fullmatch(r"-?\d+", text.strip()) else text
    if kind == "json":
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def written_back(form_html: str, document: dict[str, Any]) -> dict[str, Any]:
    parser = FormFields()
    parser.feed(form_html)
    again = copy.deepcopy(document)
    for path, kind, optional, text in parser.fields:
        _put(again, path, _read_back(kind, text), drop=optional and not text.strip())
    for path, checked in parser.lists.items():
        _put(again, path, checked, drop=not checked)
    return again


def manager(world: World, language: str) -> Location:
    hotel = world.location(
        "Готель «Дніпро»",
        city="Kyiv",
        country="UA",
        time_zone="Europe/Kyiv",
        kind=LocationKind.HOTEL,
    )
    world.staff("olena", "Олена Шевченко", Role.MANAGER, language=language, at=[hotel])
    return hotel


def _form(client: TestClient, csrf: str, document: Any) -> str:
    answer = client.post(
        "/console/playbooks/form",
        data={"source": json.dumps(document, ensure_ascii=False)},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.text)


def _problems(client: TestClient, csrf: str, document: Any) -> list[dict[str, str]]:
    answer = client.post(
        "/console/playbooks/validate",
        data={"source": json.dumps(document, ensure_ascii=False)},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 200, answer.text
    errors: list[dict[str, str]] = answer.json()["errors"]
    return errors


@pytest.mark.parametrize("demo", EVERY_DEMO, ids=[demo["name"][:30] for demo in EVERY_DEMO])
def test_the_form_drawn_for_a_demo_playbook_writes_back_the_same_json(
    console_client: TestClient, world: World, demo: dict[str, Any]
) -> None:
    manager(world, "en")
    csrf = log_in(console_client, "olena")

    drawn = _form(console_client, csrf, demo)

    assert f'value="{demo["name"]}"' in drawn.replace("&#39;", "'")
    assert written_back(drawn, demo) == demo
    assert _problems(console_client, csrf, demo) == []


def test_the_form_shows_a_task_and_its_conditions_as_fields(
    console_client: TestClient, world: World
) -> None:
    manager(world, "en")
    csrf = log_in(console_client, "olena")
    parser = FormFields()
    parser.feed(_form(console_client, csrf, LOOK_AHEAD_PLAYBOOKS[1]))

    shown = {path: text for path, _, _, text in parser.fields}
    assert shown["trigger.state"] == "charges"
    assert shown["trigger.horizon.before"] == "08:00"
    assert shown["trigger.where[0].value"] == "true"
    assert shown["branches[0].actions[0].due_by"] == "object_time"
    assert shown["actions[0].template"] == "charge_will_fail"
    assert parser.lists["branches[0].when.customer.segment"] == ["vip"]


def test_an_empty_task_title_is_named_in_ukrainian_next_to_its_field(
    console_client: TestClient, world: World
) -> None:
    manager(world, "uk")
    csrf = log_in(console_client, "olena")
    document = copy.deepcopy(LOOK_AHEAD_PLAYBOOKS[1])
    document["branches"][0]["actions"][0]["title"] = " "

    [problem] = _problems(console_client, csrf, document)

    assert problem["path"] == "branches[0].actions[0].title"
    assert problem["label"] == "гілка 1, дія 1: Назва завдання"
    assert problem["message"] == "Заповніть це поле."


def test_a_wrong_number_is_said_in_russian_with_its_bounds(
    console_client: TestClient, world: World
) -> None:
    manager(world, "ru")
    csrf = log_in(console_client, "olena")
    document = copy.deepcopy(PARCEL_WAITING_AT_PICKUP)
    document["trigger"]["horizon"] = {"days_ahead": 90}

    [problem] = _problems(console_client, csrf, document)

    assert problem["path"] == "trigger.horizon.days_ahead"
    assert problem["message"] == "Целое число от 0 до 31."


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("uk", "Вкажіть «ever», проміжок на кшталт P30D або нічого."),
        ("ru", "Укажите «ever», промежуток вида P30D или ничего."),
        ("en", "Give “ever”, a span such as P30D, or nothing."),
    ],
)
def test_every_refusal_of_the_reader_is_said_in_her_language_not_only_the_common_ones(
    console_client: TestClient, world: World, language: str, said: str
) -> None:
    manager(world, language)
    csrf = log_in(console_client, "olena")
    document = copy.deepcopy(DEMO_PLAYBOOKS[0])
    document["once_per_customer"] = "weekly"

    [problem] = _problems(console_client, csrf, document)

    assert problem["path"] == "once_per_customer"
    assert problem["message"] == said


def test_the_api_keeps_the_readers_english_for_programs() -> None:
    document = copy.deepcopy(DEMO_PLAYBOOKS[0])
    document["once_per_customer"] = "weekly"

    with pytest.raises(InvalidInput) as refused:
        read_playbook(document)

    assert refused.value.message == 'must be "ever", a span such as "P30D", or null'
    assert refused.value.said is not None
    assert refused.value.said.key == "refusal.once"


def test_the_pages_draw_the_form_hidden_so_the_json_works_without_script(
    console_client: TestClient, world: World
) -> None:
    manager(world, "en")
    log_in(console_client, "olena")

    new = console_client.get("/console/playbooks/new").text

    assert '<div id="playbook-form" class="playbook-form"' in new
    assert re.search(r'id="playbook-form"[^>]*\bhidden\b', new)
    assert 'id="playbook-source"' in new
    assert "/static/playbook_form.js" in new
    assert 'value="VIP: call before a decline"' in new
    assert csrf_of(new)


def test_only_a_manager_of_playbooks_may_ask_the_form(
    console_client: TestClient, world: World
) -> None:
    hotel = manager(world, "en")
    world.staff("iryna", "Iryna Koval", Role.AGENT, language="en", at=[hotel])
    csrf = log_in(console_client, "iryna")

    answer = console_client.post(
        "/console/playbooks/validate", data={"source": "{}"}, headers={"X-CSRF-Token": csrf}
    )

    assert answer.status_code == 403


# --- in the browser --------------------------------------------------------------------------


@pytest.mark.browser
async def test_a_manager_builds_arrivals_with_a_never_wish_into_a_housekeeping_task_in_the_form(
    live_server: str, world: World, new_context: CreateContextCallback
) -> None:
    manager(world, "uk")
    context = await new_context(locale="uk-UA", viewport=DESK)
    page = await log_in_browser(context, live_server, "olena")
    await page.goto(f"{live_server}/console/playbooks/new")
    form = page.locator("#playbook-form")
    await expect(form).to_be_visible()

    await page.locator("#pf-name").fill("Заїзди з «ніколи»: підготувати номер")
    await form.get_by_label("Дивитися наперед за станом").check()
    await expect(page.locator("#pf-trigger-state")).to_have_value("stays")
    await expect(page.locator("#pf-trigger-horizon-days-ahead")).to_have_value("1")
    await form.get_by_role("button", name="Вилучити умову 1").click()
    await expect(form.get_by_text("Умов немає: підходить кожна.")).to_be_visible()
    await form.locator('input[data-path="customer.segment"][value="vip"]').uncheck()
    await form.get_by_label("Має вподобання").select_option(label="ніколи")
    await form.get_by_label("Категорія").select_option("drink")

    # The example's task, made a housekeeping task: an empty title is said at once, beside it.
    title = form.get_by_label("Назва завдання")
    await title.fill("")
    error = page.locator("#pf-actions-0-title-error")
    await expect(error).to_have_text("Заповніть це поле.")
    await expect(title).to_have_attribute("aria-invalid", "true")
    await title.fill("Номер {{data.room}} для {{customer.name}}: прибрати з мінібару небажане")
    await expect(error).to_be_hidden()
    await form.get_by_label("Кому доручити").fill("role:agent")
    await form.get_by_label("Строк, хвилин").fill("")
    await form.get_by_label("Строк за об'єктом").select_option("day_before")
    never = re.compile('"polarity": "never"')
    await expect(page.get_by_label("Сценарій (JSON)")).to_have_value(never)
    await expect(page.locator("[data-error-for]:visible")).to_have_count(0)

    await page.get_by_role("button", name="Зберегти сценарій").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Заїзди з «ніколи»: підготувати номер"
    )
    [made] = playbooks.list_playbooks(world.container.uow(), SYSTEM)
    body = made.body
    assert body.look_ahead is not None
    assert body.look_ahead.subject.value == "stays"
    assert body.where == ()
    [wish] = body.customer.preferences
    assert (wish.polarity, wish.category) == (Polarity.NEVER, Category.DRINK)
    assert body.customer.segments == frozenset()
    [task] = body.actions
    assert isinstance(task, CreateTask)
    assert task.title.startswith("Номер {{data.room}}")
    assert (task.assign_to, task.due_in_minutes, task.due_by) == ("role:agent", None, "day_before")


FITS_HER: dict[str, Any] = {
    "name": "Her brand, her size: back in stock",
    "trigger": {"event": "heedful.stock.changed", "where": []},
    "audience": {"preference": {"category": "brand", "subject_of": "data.brand"}},
    "customer": {"preference": {"fits_item_of": "data.variant"}},
    "actions": [{"do": "send_message", "template": "liked_item_in_stock", "purpose": "service"}],
}


def test_her_preference_fits_the_item_is_a_field_of_the_form(
    console_client: TestClient, world: World
) -> None:
    manager(world, "uk")
    csrf = log_in(console_client, "olena")
    drawn = _form(console_client, csrf, FITS_HER)

    assert "Її вподобання пасує до товару з поля" in drawn
    assert written_back(drawn, FITS_HER) == FITS_HER
    assert _problems(console_client, csrf, FITS_HER) == []


def test_a_fit_asked_of_the_audience_is_refused_in_russian_where_it_was_set(
    console_client: TestClient, world: World
) -> None:
    manager(world, "ru")
    csrf = log_in(console_client, "olena")
    document = copy.deepcopy(FITS_HER)
    document["audience"]["preference"]["fits_item_of"] = "data.variant"

    [problem] = _problems(console_client, csrf, document)

    assert problem["path"] == "audience.preference.fits_item_of"
    assert problem["label"] == "Её предпочтение подходит к товару из поля"
    assert problem["message"].startswith("Подходит ли её предпочтение к товару")
