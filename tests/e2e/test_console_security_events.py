"""The admin's page of security events: logins, failed and refused tries, locks, unlocks.

Everything on it is made the way it happens: wrong passwords typed at the login form, a lockout
after ten, an admin's unlock and deactivation from the staff page.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from console_world import World, csrf_of, log_in
from fastapi.testclient import TestClient

from heedful.bootstrap import Container
from heedful.core.access.model import Role
from heedful.core.shared.clock import FrozenClock


def wrong_password(client: TestClient, login: str, times: int, clock: FrozenClock) -> None:
    for _ in range(times):
        form = client.get("/login")
        client.post(
            "/login", data={"login": login, "password": "guess", "csrf_token": csrf_of(form.text)}
        )
        clock.advance(timedelta(seconds=901))  # past any delay: each guess is counted, none waits


def test_an_admin_reads_who_failed_to_log_in_filters_and_downloads_it(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    shop = world.location("Atelier Lypky", time_zone="Europe/Kyiv")
    world.staff("oksana", "Oksana Seller", Role.AGENT, at=[shop])
    world.staff("root", "Olena Admin", Role.ADMIN)
    wrong_password(console_client, "oksana", 10, clock)  # the tenth locks her
    wrong_password(console_client, "=HYPERLINK(1)", 1, clock)  # a name is whatever was typed
    log_in(console_client, "root")

    page = console_client.get("/admin/security-events")

    assert page.status_code == 200
    assert 'href="/admin/security-events"' in page.text  # in the admin's menu
    assert "Times in Europe/Kyiv" in page.text
    assert page.text.count("Wrong login or password") >= 11
    assert "Account locked" in page.text
    assert "Logged in" in page.text
    assert "testclient" in page.text  # the address the tries came from

    locked = console_client.get(
        "/admin/security-events", params={"kind": "account_locked", "login": "OKSANA"}
    )
    assert locked.text.count("<code>oksana</code>") == 1
    assert "root" not in locked.text.split("<tbody>")[1]

    download = console_client.get("/admin/security-events", params={"format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    assert download.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(download.text.removeprefix("\ufeff"))))
    assert rows[0] == ["time", "kind", "login", "address", "by", "detail"]
    assert rows[1][1] == "Logged in"
    assert rows[1][2] == "root"
    assert rows[1][0].endswith("+02:00")  # Kyiv in winter, with its offset
    assert [r[2] for r in rows if "hyperlink" in r[2]] == ["'=hyperlink(1)"]


def test_the_page_speaks_the_admins_language_and_managers_have_none(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    shop = world.location("Atelier Lypky")
    world.staff("root", "Olena Admin", Role.ADMIN, language="uk")
    world.staff("mila", "Mila Manager", Role.MANAGER, language="ru", at=[shop])
    wrong_password(console_client, "mila", 1, clock)
    log_in(console_client, "root")
    page = console_client.get("/admin/security-events")
    assert "Події безпеки" in page.text
    assert "Неправильний логін або пароль" in page.text

    log_in(console_client, "mila")
    assert console_client.get("/admin/security-events").status_code == 403
    assert 'href="/admin/security-events"' not in console_client.get("/customers").text
    download = console_client.get("/admin/security-events", params={"format": "csv"})
    assert download.status_code == 403
