"""Capacity per service at the console and through the API (ADR 0055).

The restaurant serves lunch (12:00-16:00, eight tables) and dinner (18:00-23:30, three tables).
The admin types the two services on the location's page; the host sees tonight's book per
service: lunch has room, dinner is over, and a table she holds at 19:00 is dinner's.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import restaurant_world
from api_personas import new_token
from console_world import World, csrf_of, log_in
from fastapi.testclient import TestClient

from heedful.bootstrap import Container
from heedful.core.access.model import Role
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.model import Location

# The conftest clock: Monday 2 March 2026, 07:00 UTC, 09:00 in Kyiv.
AT_1300_KYIV = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
AT_1900_KYIV = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


def _restaurant(world: World, container: Container, clock: FrozenClock) -> Location:
    restaurant = restaurant_world.kruchi(world)
    world.staff("taras", "Тарас Мельник", Role.ADMIN, language="uk")
    world.staff("oksana", "Оксана Бондар", Role.AGENT, language="uk", at=[restaurant])
    marta = world.customer("Марта Гнатюк", at=restaurant, language="uk")
    restaurant_world.book(
        container, clock, restaurant, marta.id, [AT_1300_KYIV] * 2 + [AT_1900_KYIV] * 4
    )
    return restaurant


def test_the_admin_types_lunch_and_dinner_and_the_host_sees_each_against_its_tables(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    kruchi = _restaurant(world, container, clock)
    csrf = log_in(console_client, "taras")
    page = f"/admin/locations/{kruchi.id}"

    wrong = console_client.post(
        f"{page}/capacity",
        data={"services": "Обід 12:00-16:00 8\nВечеря 15:00-23:30 3", "csrf_token": csrf},
    )
    assert wrong.status_code == 422
    assert "Перетинається з Обід: кожне бронювання має належати одному сервісу." in wrong.text
    saved = console_client.post(
        f"{page}/capacity",
        data={"services": "Обід 12:00-16:00 8 32\nВечеря 18:00-23:30 3", "csrf_token": csrf},
    )
    assert saved.status_code in (200, 303)
    again = console_client.get(page)
    assert "Обід 12:00-16:00 8 32\nВечеря 18:00-23:30 3</textarea>" in again.text

    csrf = log_in(console_client, "oksana")
    held = console_client.post(
        "/console/tonight/holds",
        data={
            "location_id": kruchi.id,
            "count": "1",
            "starts": "19:00",
            "until": "20:30",
            "csrf_token": csrf,
        },
    )
    assert held.status_code in (200, 303)
    tonight = console_client.get("/console/tonight", params={"location_id": kruchi.id}).text

    found = re.finditer(r'<tr class="service" data-service="([^"]+)"[^>]*>', tonight)
    rows = {row.group(1): row.group(0) for row in found}
    assert 'data-over="true"' not in rows["Обід"]
    assert 'data-over="true"' in rows["Вечеря"]
    assert "8 столів" in tonight
    assert "3 столи" in tonight
    assert 'data-service="Вечеря">Вечеря</span>' in tonight  # the hold from 19:00 is dinner's
    assert csrf_of(tonight)


def test_services_and_room_types_through_the_api_and_the_book_per_service(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    kruchi = _restaurant(world, container, clock)
    admin = new_token(container, clock, "setup", Role.ADMIN)
    put = console_client.put(
        f"/api/v1/locations/{kruchi.id}/capacity",
        json={
            "tables": 11,
            "services": [
                {"name": "Lunch", "units": 8, "covers": 32, "from": "12:00", "until": "16:00"},
                {"name": "Dinner", "units": 3, "from": "18:00", "until": "23:30"},
                {"name": "Deluxe", "kind": "rooms", "units": 2},
            ],
        },
        headers={**admin.headers, "Idempotency-Key": "cap-1"},
    )
    assert put.status_code == 200, put.text
    assert [s["name"] for s in put.json()["services"]] == ["Lunch", "Dinner", "Deluxe"]
    assert put.json()["services"][0]["from"] == "12:00:00"

    hold = console_client.post(
        "/api/v1/holds",
        json={"location_id": kruchi.id, "count": 2, "from": "19:00", "until": "20:30"},
        headers={**admin.headers, "Idempotency-Key": "hold-1"},
    )
    assert hold.status_code == 201, hold.text
    assert hold.json()["service"] == "Dinner"

    book = console_client.get(f"/api/v1/locations/{kruchi.id}/tonight", headers=admin.headers)
    assert book.status_code == 200, book.text
    whole = book.json()
    assert (whole["booked"], whole["capacity"], whole["held"]) == (6, 11, 2)
    lunch, dinner = whole["services"]
    assert (lunch["service"], lunch["booked"], lunch["free"], lunch["over"]) == (
        "Lunch",
        2,
        6,
        False,
    )
    assert (dinner["service"], dinner["booked"], dinner["free"], dinner["over"]) == (
        "Dinner",
        4,
        -3,
        True,
    )
