"""Editing a customer's profile from the card."""

from __future__ import annotations

from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import Role


def test_a_receptionist_changes_a_guests_language_and_segment_from_the_card(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Metropol")
    guest = world.customer("Анна Петрова", at=hotel, phone="+7 916 123-45-67")
    world.staff("irina", "Irina Sokolova", Role.AGENT, at=[hotel])
    csrf = log_in(console_client, "irina")

    saved = console_client.post(
        f"/customers/{guest.id}/profile",
        data={
            "csrf_token": csrf,
            "full_name": "Анна Сергеевна Петрова",
            "language": "uk",
            "time_zone": "Europe/Kyiv",
            "segment": "vip",
            "home_location_id": hotel.id,
            "birthday": "1985-04-12",
        },
    )

    assert saved.status_code == 200  # redirected back to the card
    assert "Анна Сергеевна Петрова" in saved.text
    assert "Europe/Kyiv" in saved.text
    assert "VIP" in saved.text


def test_a_bad_time_zone_is_shown_next_to_its_field_and_nothing_changes(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Metropol")
    guest = world.customer("Анна Петрова", at=hotel)
    world.staff("irina", "Irina Sokolova", Role.AGENT, at=[hotel])
    csrf = log_in(console_client, "irina")

    refused = console_client.post(
        f"/customers/{guest.id}/profile",
        data={
            "csrf_token": csrf,
            "full_name": "Someone Else",
            "language": "en",
            "time_zone": "Mars/Olympus",
            "segment": "regular",
            "home_location_id": hotel.id,
            "birthday": "",
        },
    )
    card = console_client.get(f"/customers/{guest.id}")

    assert refused.status_code == 422
    assert "Mars/Olympus" in refused.text
    assert 'aria-invalid="true"' in refused.text or "field-error" in refused.text
    assert "Someone Else" not in card.text.split("<h1")[1].split("</h1>")[0]


def test_a_new_guest_is_created_from_the_search_page_and_found_by_phone(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Metropol")
    world.staff("irina", "Irina Sokolova", Role.AGENT, at=[hotel])
    csrf = log_in(console_client, "irina")
    form = console_client.get("/customers")
    assert 'id="new-language"' in form.text
    assert hotel.name in form.text

    created = console_client.post(
        "/customers",
        data={
            "csrf_token": csrf,
            "full_name": "Олег Бондаренко",
            "phone": "8 903 555-12-34",
            "email": "",
            "language": "ru",
            "segment": "new",
            "time_zone": "Europe/Moscow",
            "home_location_id": hotel.id,
        },
    )
    found = console_client.get("/customers", params={"q": "+7 903 555 12 34"})

    assert created.status_code == 200  # redirected to the new card
    assert "Олег Бондаренко" in created.text
    assert "+79035551234" in created.text
    assert "Олег Бондаренко" in found.text


def test_a_new_guest_with_a_bad_phone_is_refused_next_to_the_phone_field(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Metropol")
    world.staff("irina", "Irina Sokolova", Role.AGENT, at=[hotel])
    csrf = log_in(console_client, "irina")

    refused = console_client.post(
        "/customers",
        data={
            "csrf_token": csrf,
            "full_name": "Олег Бондаренко",
            "phone": "12",
            "language": "ru",
            "segment": "new",
            "time_zone": "Europe/Moscow",
            "home_location_id": hotel.id,
        },
        headers={"HX-Request": "true"},
    )

    assert refused.status_code == 422
    assert 'id="phone-error"' in refused.text
    assert 'id="new-segment"' in refused.text  # the form comes back whole, as typed
