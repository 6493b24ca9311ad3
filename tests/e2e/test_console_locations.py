"""The card's "Known at" panel: an admin links a guest to another hotel, on the record (ADR 0024).

And a name with a hidden character is refused next to its field, in the reader's language.
"""

from __future__ import annotations

from console_world import World, log_in
from fastapi.testclient import TestClient

from heedful.core.access import load_customer
from heedful.core.access.model import SYSTEM, Role


def test_an_admin_links_a_guest_to_another_hotel_and_the_card_says_who_and_when(
    console_client: TestClient, world: World
) -> None:
    metropol, baltic = world.location("Hotel Metropol"), world.location("Baltic Inn")
    guest = world.customer("Анна Петрова", at=metropol)
    world.staff("olena", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "olena")

    card = console_client.get(f"/customers/{guest.id}")
    assert "Link to another location" in card.text
    linked = console_client.post(
        f"/customers/{guest.id}/locations",
        data={"csrf_token": csrf, "location_id": baltic.id, "reason": "booked a room there"},
    )

    assert linked.status_code == 200  # back on the card
    known_at = linked.text.split('id="locations"')[1].split("</p>")[0]
    assert "Hotel Metropol" in known_at
    assert "Baltic Inn" in known_at
    audit = linked.text.split('id="audit"')[1]
    assert "Linked to a location" in audit
    assert "booked a room there" in audit
    assert "Olena Admin" in audit
    with world.container.uow() as uow:
        stored = load_customer(uow, SYSTEM, guest.id)
    assert stored.location_ids == {metropol.id, baltic.id}


def test_a_receptionist_sees_no_link_form_for_a_hotel_she_does_not_work_at(
    console_client: TestClient, world: World
) -> None:
    metropol = world.location("Hotel Metropol")
    world.location("Baltic Inn")
    guest = world.customer("Анна Петрова", at=metropol)
    world.staff("irina", "Irina Sokolova", Role.AGENT, at=[metropol])
    log_in(console_client, "irina")

    card = console_client.get(f"/customers/{guest.id}")

    assert "Known at" in card.text
    assert "Link to another location" not in card.text


def test_a_receptionist_cannot_pull_a_guest_of_another_hotel_to_hers(
    console_client: TestClient, world: World
) -> None:
    metropol, baltic = world.location("Hotel Metropol"), world.location("Baltic Inn")
    guest = world.customer("Анна Петрова", at=baltic)
    world.staff("irina", "Irina Sokolova", Role.AGENT, at=[metropol])
    csrf = log_in(console_client, "irina")

    pulled = console_client.post(
        f"/customers/{guest.id}/locations", data={"csrf_token": csrf, "location_id": metropol.id}
    )

    assert pulled.status_code == 404
    assert "Анна" not in pulled.text
    with world.container.uow() as uow:
        assert load_customer(uow, SYSTEM, guest.id).location_ids == {baltic.id}


def test_a_name_with_a_direction_override_is_refused_next_to_the_field_in_ukrainian(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Metropol")
    guest = world.customer("Анна Петрова", at=hotel)
    world.staff("oksana", "Oksana", Role.AGENT, language="uk", at=[hotel])
    csrf = log_in(console_client, "oksana")

    refused = console_client.post(
        f"/customers/{guest.id}/profile",
        data={
            "csrf_token": csrf,
            "full_name": "Анна\u202eтрепов",
            "language": "uk",
            "time_zone": "Europe/Kyiv",
            "segment": "regular",
            "home_location_id": hotel.id,
            "birthday": "",
        },
    )

    assert refused.status_code == 422
    assert "невидимий символ або символ зміни напрямку тексту (U+202E)" in refused.text
    assert 'aria-invalid="true" aria-describedby="full_name-error"' in refused.text
    with world.container.uow() as uow:
        assert load_customer(uow, SYSTEM, guest.id).full_name == "Анна Петрова"


def test_a_receptionist_typing_a_phone_of_another_hotels_guest_learns_only_that_it_is_taken(
    console_client: TestClient, world: World
) -> None:
    metropol, baltic = world.location("Hotel Metropol"), world.location("Baltic Inn")
    guest = world.customer("Анна Петрова", at=baltic, phone="+7 916 123-45-67")
    world.staff("irina", "Irina Sokolova", Role.AGENT, language="ru", at=[metropol])
    csrf = log_in(console_client, "irina")

    refused = console_client.post(
        "/customers",
        data={
            "csrf_token": csrf,
            "full_name": "Анна П.",
            "phone": "+7 916 123-45-67",
            "language": "ru",
            "time_zone": "Europe/Moscow",
            "segment": "new",
            "home_location_id": metropol.id,
        },
    )

    assert refused.status_code == 422
    assert "Этот контакт уже принадлежит другому клиенту" in refused.text
    assert guest.id not in refused.text
    assert "Петрова" not in refused.text
    with world.container.uow() as uow:
        assert load_customer(uow, SYSTEM, guest.id).location_ids == {baltic.id}
