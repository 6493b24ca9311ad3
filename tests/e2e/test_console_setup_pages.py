"""Setting the business up from the console, no shell (issue 13, ADR 0043): staff, locations
and their calendars, teams, SLA policies, quiet hours and caps, a customer's own, and message
templates. Each page answers through the core's use cases; on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import Role
from heedful.core.customers import Purpose


def test_an_admin_invites_changes_and_resets_a_member(
    console_client: TestClient, world: World
) -> None:
    shop = world.location("Lypky", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    refused = console_client.post(
        "/admin/staff",
        data={"login": "iryna", "role": "agent", "password": "long enough", "csrf_token": csrf},
    )
    assert refused.status_code == 422  # an agent works somewhere
    invited = console_client.post(
        "/admin/staff",
        data={
            "login": "iryna",
            "full_name": "Iryna Seller",
            "role": "agent",
            "language": "uk",
            "password": "long enough",
            "location_ids": [shop.id],
            "csrf_token": csrf,
        },
    )
    assert "Iryna Seller" in invited.text
    with world.container.uow() as uow:
        iryna = uow.staff.get_by_login("iryna")
    assert iryna is not None

    console_client.post(
        f"/admin/staff/{iryna.id}/access",
        data={"role": "manager", "location_ids": [shop.id], "csrf_token": csrf},
    )
    short = console_client.post(
        f"/admin/staff/{iryna.id}/password", data={"password": "short", "csrf_token": csrf}
    )
    assert short.status_code == 422
    console_client.post(
        f"/admin/staff/{iryna.id}/password",
        data={"password": "a new one, long", "csrf_token": csrf},
    )
    with world.container.uow() as uow:
        changed = uow.staff.get(iryna.id)
    assert changed is not None
    assert (changed.role, changed.session_epoch) == (Role.MANAGER, iryna.session_epoch + 1)


def test_an_admin_sets_up_a_location_from_nothing(console_client: TestClient, world: World) -> None:
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    added = console_client.post(
        "/admin/locations",
        data={
            "name": "Arbat",
            "kind": "shop",
            "city": "Moscow",
            "country": "RU",
            "time_zone": "Europe/Moscow",
            "csrf_token": csrf,
        },
    )
    location_id = re.search(r'action="/admin/locations/(loc_\w+)/hours"', added.text)
    assert location_id is not None
    page = f"/admin/locations/{location_id.group(1)}"
    console_client.post(
        page,
        data={
            "name": "Arbat",
            "city": "Moscow",
            "address": "Arbat 1",
            "country": "RU",
            "time_zone": "Europe/Moscow",
            "csrf_token": csrf,
        },
    )
    bad = console_client.post(f"{page}/hours", data={"hours_mon": "9 to 6", "csrf_token": csrf})
    assert bad.status_code == 422
    assert 'id="hours_mon-error"' in bad.text
    week = {f"hours_{d}": "09:00-13:00, 14:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}
    console_client.post(f"{page}/hours", data={**week, "csrf_token": csrf})
    console_client.post(
        f"{page}/days",
        data={"day": "2026-03-20", "day_hours": "", "reason": "Inventory", "csrf_token": csrf},
    )
    shown = console_client.get(f"{page}?year=2026")

    assert "Arbat 1" in shown.text
    assert 'value="09:00-13:00, 14:00-18:00"' in shown.text
    assert "Inventory" in shown.text
    assert "23 February 2026" in shown.text  # a Russian public holiday, from the country
    setup = console_client.get("/admin/setup")
    assert "Location details changed" in setup.text
    assert "Opening hours changed" in setup.text


def test_teams_policies_and_quiet_hours_are_set_up_in_the_console(
    console_client: TestClient, world: World
) -> None:
    shop = world.location("Lypky", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    world.staff("root", "Olena Admin", Role.ADMIN)
    world.staff("iryna", "Iryna Seller", Role.AGENT, at=[shop])
    csrf = log_in(console_client, "root")

    console_client.post(
        "/admin/teams", data={"name": "Returns", "location_id": shop.id, "csrf_token": csrf}
    )
    console_client.post(
        "/admin/sla-policies",
        data={
            "name": "E-mail",
            "channel": "email",
            "first_response_minutes": "60",
            "csrf_token": csrf,
        },
    )
    refused = console_client.post(
        "/admin/contact-rules",
        data={
            "purpose": "marketing",
            "quiet_from": "21:00",
            "quiet_until": "21:00",
            "cap": "1",
            "cap_window_days": "7",
            "csrf_token": csrf,
        },
    )
    assert refused.status_code == 422
    console_client.post(
        "/admin/contact-rules",
        data={
            "purpose": "marketing",
            "quiet_from": "20:00",
            "quiet_until": "10:00",
            "cap": "1",
            "cap_window_days": "14",
            "csrf_token": csrf,
        },
    )

    assert "Returns" in console_client.get("/admin/teams").text
    assert "60 min" in console_client.get("/admin/sla-policies").text
    with world.container.uow() as uow:
        [rules] = uow.contact_rules.business()
    assert (rules.purpose, rules.cap, rules.cap_window_days) == (Purpose.MARKETING, 1, 14)


def test_a_customer_s_own_quiet_hours_are_set_from_her_card(
    console_client: TestClient, world: World
) -> None:
    shop = world.location("Lypky", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    anna = world.customer("Anna Koval", at=shop)
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    assert f"/customers/{anna.id}/reach" in console_client.get(f"/customers/{anna.id}").text
    console_client.post(
        f"/customers/{anna.id}/reach",
        data={
            "quiet_from": "23:00",
            "quiet_until": "07:30",
            "channel": ["sms", ""],
            "csrf_token": csrf,
        },
    )
    page = console_client.get(f"/customers/{anna.id}/reach")
    assert 'value="07:30"' in page.text


def test_a_template_is_previewed_checked_and_saved(
    console_client: TestClient, world: World
) -> None:
    shop = world.location("Lypky", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    world.customer("Anna Koval", at=shop)
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    listed = console_client.get("/admin/templates")
    assert "Back in stock" in listed.text
    found = console_client.get("/admin/templates/back_in_stock?language=uk&q=Anna")
    customer = re.search(r"customer_id=(cus_\w+)", found.text)
    assert customer is not None
    assert "{{ item.product }}" in found.text  # the names it may use are listed
    preview = console_client.post(
        "/admin/templates/back_in_stock/preview",
        data={
            "language": "uk",
            "subject": "Є!",
            "text": "{{ customer.first_name }}, є!",
            "customer_id": customer.group(1),
            "csrf_token": csrf,
        },
    )
    assert "Anna, є!" in preview.text
    typo = console_client.post(
        "/admin/templates/back_in_stock",
        data={"language": "uk", "subject": "Є!", "text": "{{ item.prodcut }}", "csrf_token": csrf},
    )
    assert typo.status_code == 422
    assert "item.prodcut" in typo.text
    console_client.post(
        "/admin/templates/back_in_stock",
        data={
            "language": "uk",
            "subject": "Є! {{ item.product }}",
            "text": "{{ item.product }} чекає",
            "csrf_token": csrf,
        },
    )
    assert "Own" in console_client.get("/admin/templates").text


def test_her_own_quiet_hours_are_shown_on_her_card(
    console_client: TestClient, world: World
) -> None:
    shop = world.location("Lypky", city="Kyiv", country="UA", time_zone="Europe/Kyiv")
    anna = world.customer("Anna Koval", at=shop)
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")
    console_client.post(
        f"/customers/{anna.id}/reach",
        data={
            "quiet_from": "23:00",
            "quiet_until": "07:30",
            "channel": ["sms", "email"],
            "csrf_token": csrf,
        },
    )

    card = console_client.get(f"/customers/{anna.id}").text

    assert "Her own quiet hours: 23:00–07:30." in card
    assert "Her channels, in order: SMS, E-mail." in card
