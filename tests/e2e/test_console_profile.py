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
