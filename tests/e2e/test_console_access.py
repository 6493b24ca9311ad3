"""The console's doors and guards, checked in-process (no browser needed): who sees what, in which
language, and that a form cannot be posted from another site."""

from __future__ import annotations

from datetime import timedelta

from console_world import World, csrf_of, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import Role
from heedful.core.shared.clock import FrozenClock


def test_an_evaluator_logs_in_but_sees_no_customer_data(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Metropol")
    guest = world.customer("Анна Петрова", at=hotel, phone="+7 916 123-45-67")
    world.staff("shopper", "Olga Mystery", Role.EVALUATOR)

    log_in(console_client, "shopper")
    home = console_client.get("/")
    search = console_client.get("/customers", params={"q": "Петрова"})
    card = console_client.get(f"/customers/{guest.id}")

    assert home.status_code == 200  # a page of her own, never a 403
    assert "No audits are assigned to you yet" in home.text
    assert search.status_code == 403
    assert card.status_code == 403
    for page in (home, search, card):
        assert "Петрова" not in page.text
        assert "+79161234567" not in page.text


def test_an_agent_of_one_hotel_cannot_open_the_card_of_a_guest_known_only_at_another(
    console_client: TestClient, world: World
) -> None:
    moscow = world.location("Hotel Moscow")
    kazan = world.location("Hotel Kazan", city="Kazan")
    guest = world.customer("Boris Kazansky", at=kazan)
    world.staff("maria", "Maria Ivanova", Role.AGENT, at=[moscow])

    log_in(console_client, "maria")
    card = console_client.get(f"/customers/{guest.id}")
    search = console_client.get("/customers", params={"q": "Kazansky"})

    assert card.status_code == 404
    assert "Boris" not in card.text
    assert "Nobody found" in search.text
    assert "Boris" not in search.text


def test_switching_the_language_menu_to_ukrainian_turns_the_console_ukrainian(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Odesa", city="Odesa", country="UA", time_zone="Europe/Kyiv")
    world.staff("taras", "Taras Shevchuk", Role.AGENT, language="en", at=[hotel])
    csrf = log_in(console_client, "taras")
    assert "Find a customer" in console_client.get("/customers").text

    switched = console_client.post(
        "/language", data={"language": "uk", "next": "/customers", "csrf_token": csrf}
    )

    assert switched.status_code == 200
    assert "Знайти клієнта" in switched.text
    assert "Новий клієнт" in switched.text
    assert "Find a customer" not in switched.text
    # The choice belongs to the staff member, not the browser: it survives logging in again.
    console_client.post("/logout", data={"csrf_token": csrf})
    log_in(console_client, "taras")
    assert "Знайти клієнта" in console_client.get("/customers").text


def test_a_visitor_reads_the_login_page_in_the_language_asked_for(
    console_client: TestClient,
) -> None:
    by_browser = console_client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    by_link = console_client.get("/login?lang=uk")

    assert "Войти в Heedful" in by_browser.text
    assert "Увійти до Heedful" in by_link.text


def test_a_wrong_password_does_not_log_in(console_client: TestClient, world: World) -> None:
    hotel = world.location("Hotel Moscow")
    world.staff("maria", "Maria Ivanova", Role.AGENT, at=[hotel])

    log_in(console_client, "maria", password="not her password")
    customers = console_client.get("/customers", follow_redirects=False)

    form = console_client.get("/login")
    refused = console_client.post(
        "/login", data={"login": "maria", "password": "guess", "csrf_token": csrf_of(form.text)}
    )
    assert refused.status_code == 401
    assert "Wrong login or password." in refused.text
    assert customers.status_code == 303
    assert customers.headers["location"].startswith("/login")


def test_a_post_without_the_csrf_token_is_refused_and_records_nothing(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Moscow")
    guest = world.customer("Anna Petrova", at=hotel)
    world.staff("maria", "Maria Ivanova", Role.AGENT, at=[hotel])
    log_in(console_client, "maria")
    wish = {
        "polarity": "never",
        "subject": "tonic water",
        "category": "drink",
        "source": "said",
    }

    forged = console_client.post(f"/customers/{guest.id}/preferences", data=wish)
    wrong = console_client.post(
        f"/customers/{guest.id}/preferences", data={**wish, "csrf_token": "guessed"}
    )

    assert forged.status_code == 403
    assert wrong.status_code == 403
    assert "This form has expired" in forged.text
    assert "tonic water" not in console_client.get(f"/customers/{guest.id}").text


def test_a_preference_without_a_subject_is_refused_next_to_the_field_and_nothing_is_written(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Moscow")
    guest = world.customer("Anna Petrova", at=hotel)
    world.staff("maria", "Мария Иванова", Role.AGENT, language="ru", at=[hotel])
    csrf = log_in(console_client, "maria")

    response = console_client.post(
        f"/customers/{guest.id}/preferences",
        data={
            "polarity": "never",
            "subject": "  ",
            "note": "в мини-баре",
            "category": "drink",
            "source": "said",
            "location_id": hotel.id,
            "csrf_token": csrf,
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert '<section class="panel" id="preferences"' in response.text
    assert 'id="subject-error"' in response.text
    assert "Укажите, о чём это предпочтение." in response.text
    assert 'value="в мини-баре"' in response.text  # what was typed is kept
    assert "в мини-баре</p>" not in console_client.get(f"/customers/{guest.id}").text


def test_the_card_shows_the_usual_with_its_evidence_after_four_visits_with_the_same_drink(
    console_client: TestClient, world: World, clock: FrozenClock
) -> None:
    cafe = world.location("Café Pushkin lobby bar")
    guest = world.customer("Anna Petrova", at=cafe)
    world.staff("john", "John Smith", Role.AGENT, at=[cafe])
    for _ in range(4):
        world.visit(guest, cafe, items=[{"drink": "cappuccino"}])
        clock.advance(timedelta(days=7))

    log_in(console_client, "john")
    card = console_client.get(f"/customers/{guest.id}").text
    usual = card[card.index('id="usual"') : card.index("</section>", card.index('id="usual"'))]

    assert "Drink: cappuccino" in usual
    assert "4 of 4 visits" in usual
    assert "last chosen 23 March 2026, 10:00" in usual
    for day in ("2 March 2026", "9 March 2026", "16 March 2026", "23 March 2026"):
        assert f"Visit, {day}, 10:00, Café Pushkin lobby bar" in usual
