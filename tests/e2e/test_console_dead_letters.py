"""The admin's page of failed records: what was set aside, put back in the queue or discarded."""

from __future__ import annotations

import re

from console_world import World, log_in
from fastapi.testclient import TestClient
from poison_events import poison

from heedful.adapters.storage.promise_tables import timers
from heedful.bootstrap import Container
from heedful.core.access.model import Role
from heedful.core.engine.timers import fire_due_timers


def test_an_admin_sees_a_failed_event_and_puts_it_back_or_discards_it(
    console_client: TestClient, world: World, container: Container
) -> None:
    shop = world.location("Atelier Lypky")
    poison(container, shop.id, "stock-poison")
    poison(container, shop.id, "stock-poison-2")
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    page = console_client.get("/admin/dead-letters")
    assert page.status_code == 200
    assert 'href="/admin/dead-letters"' in page.text  # in the admin's menu
    assert "urn:shop:kyiv-stock/stock-poison" in page.text
    assert "Business event" in page.text
    assert re.search(r"(OverflowError|DataError)", page.text)
    paths = re.findall(r'action="(/admin/dead-letters/event/\d+)/retry"', page.text)
    assert len(paths) == 2

    refused = console_client.post(f"{paths[0]}/retry", data={})
    assert refused.status_code == 403  # no CSRF token, no action
    retried = console_client.post(
        f"{paths[0]}/retry", data={"csrf_token": csrf}, headers={"HX-Request": "true"}
    )
    assert retried.status_code == 200
    assert "Back in the queue" in retried.text
    assert len(re.findall(r'action="/admin/dead-letters/event/\d+/retry"', retried.text)) == 1

    discarded = console_client.post(f"{paths[1]}/discard", data={"csrf_token": csrf})
    assert discarded.status_code == 200  # followed the redirect back to the page
    assert "Nothing is set aside." in discarded.text
    with container.uow() as uow:
        assert uow.events.unprocessed(10, now=container.clock.now())  # the retried one waits


def test_the_page_speaks_the_admins_language(
    console_client: TestClient, world: World, container: Container
) -> None:
    shop = world.location("Atelier Lypky")
    poison(container, shop.id, "stock-poison")
    world.staff("root", "Olena Admin", Role.ADMIN, language="uk")
    log_in(console_client, "root")
    page = console_client.get("/admin/dead-letters")
    assert "Збійні записи" in page.text
    assert "Бізнес-подія" in page.text


def test_a_manager_has_no_failed_records_page(console_client: TestClient, world: World) -> None:
    shop = world.location("Atelier Lypky")
    world.staff("mila", "Mila Manager", Role.MANAGER, at=[shop])
    log_in(console_client, "mila")
    page = console_client.get("/admin/dead-letters")
    assert page.status_code == 403
    assert 'href="/admin/dead-letters"' not in console_client.get("/customers").text


def test_a_record_this_version_cannot_read_is_listed_and_a_retry_says_why_not(
    console_client: TestClient, world: World, container: Container
) -> None:
    now = container.clock.now()
    with container.engine.begin() as conn:  # a newer Heedful's kind of timer
        conn.execute(
            timers.insert().values(
                id="tmr_new", kind="promise.teleport", subject_id="p", due_at=now
            )
        )
    fire_due_timers(container.uow, container.clock)
    world.staff("root", "Olena Admin", Role.ADMIN, language="uk")
    csrf = log_in(console_client, "root")

    page = console_client.get("/admin/dead-letters")
    assert "unreadable timer promise.teleport" in page.text
    assert "ValueError: &#39;promise.teleport&#39;" in page.text

    refused = console_client.post(
        "/admin/dead-letters/timer/tmr_new/retry", data={"csrf_token": csrf}
    )
    assert refused.status_code == 409
    assert "Ця версія Heedful не може прочитати цей запис" in refused.text
