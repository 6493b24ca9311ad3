"""The embeddable chat page, in-process: language, framing, the conversation kept by its cookie."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from inbox_world import InboxWorld, build_inbox_world

from heedful.bootstrap import Container
from heedful.core.shared.clock import FrozenClock


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> InboxWorld:
    return build_inbox_world(container, clock)


def test_the_page_speaks_the_visitors_language_from_the_browser_or_the_link(
    world: InboxWorld, console_client: TestClient
) -> None:
    russian = console_client.get("/chat/kyiv", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    english = console_client.get("/chat/kyiv?lang=en", headers={"Accept-Language": "ru"})
    ukrainian = console_client.get("/chat/kyiv", headers={"Accept-Language": "de, uk;q=0.5"})

    assert '<html lang="ru">' in russian.text
    assert "Отправить" in russian.text
    assert "Send" in english.text
    assert 'data-language="en"' in english.text
    assert "Надіслати" in ukrainian.text
    assert f'data-location-id="{world.kyiv.id}"' in russian.text


def test_any_site_may_frame_the_page_but_it_loads_nothing_from_elsewhere(
    world: InboxWorld, console_client: TestClient
) -> None:
    answer = console_client.get("/chat/kyiv")

    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors *" in policy
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "x-frame-options" not in answer.headers
    assert console_client.get("/chat/assets/chat.js").status_code == 200
    assert console_client.get("/chat/assets/secrets.txt").status_code == 404


def test_an_unknown_shop_has_no_chat(world: InboxWorld, console_client: TestClient) -> None:
    answer = console_client.get("/chat/nowhere?lang=uk")

    assert answer.status_code == 404
    assert "Цей чат недоступний." in answer.text


def test_the_cookie_brings_back_the_conversation_with_the_staff_replies(
    world: InboxWorld, console_client: TestClient
) -> None:
    sent = console_client.post(
        "/api/v1/conversations/chat",
        json={"text": "Чи є розмір M?", "language": "uk", "location_id": world.kyiv.id},
    ).json()
    world.reply(sent["thread_id"], "Так, є.")

    console_client.cookies.set("heedful_chat", sent["visitor_token"], path="/chat/kyiv")
    page = console_client.get("/chat/kyiv").text

    assert "Чи є розмір M?" in page
    assert "Так, є." in page
    assert "Iryna Koval" in page
    assert f'data-token="{sent["visitor_token"]}"' in page
    # A stranger's cookie (or an old one) starts afresh instead of failing.
    console_client.cookies.set("heedful_chat", "not-a-token", path="/chat/kyiv")
    fresh = console_client.get("/chat/kyiv").text
    assert 'data-token=""' in fresh
    assert "Чи є розмір M?" not in fresh
