"""The public faces (chat, chat page, survey pages) are rate-limited per address, per visitor and
per survey link, on SQLite and PostgreSQL; time moves by a FrozenClock, never by sleeping."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from inbox_world import InboxWorld, build_inbox_world

from heedful.bootstrap import Container
from heedful.config import Settings
from heedful.core.conversations.handlers import InboxFilter
from heedful.core.shared.clock import FrozenClock
from heedful.entrypoints.web import create_app
from heedful.entrypoints.worker.jobs import forget_rate_limit_windows

CHAT = "/api/v1/conversations/chat"


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> InboxWorld:
    return build_inbox_world(container, clock)


def _start(client: TestClient, world: InboxWorld, **extra: Any) -> Any:
    return client.post(CHAT, json={"text": "Hello", "location_id": world.kyiv.id, **extra})


def test_a_flood_of_new_chats_from_one_address_is_refused_with_retry_after(
    world: InboxWorld, console_client: TestClient, container: Container, clock: FrozenClock
) -> None:
    container.settings.chats_per_address_per_hour = 3

    answers = [_start(console_client, world) for _ in range(5)]

    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    refused = answers[3]
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "3600"
    assert refused.json()["status"] == 429
    with container.uow() as uow:
        # Only the chats let through made anything.
        assert len(uow.threads.inbox(InboxFilter(), None, 50, None).items) == 3
    clock.advance(timedelta(minutes=30))
    assert _start(console_client, world).headers["retry-after"] == "1800"
    clock.advance(timedelta(minutes=30))
    assert _start(console_client, world).status_code == 201


def test_a_visitor_writing_too_fast_is_slowed_but_others_at_her_address_are_not(
    world: InboxWorld, console_client: TestClient, container: Container, clock: FrozenClock
) -> None:
    container.settings.chat_messages_per_visitor_per_minute = 3
    mine = _start(console_client, world).json()["visitor_token"]
    other = _start(console_client, world).json()["visitor_token"]

    more = [
        console_client.post(CHAT, json={"text": f"and {n}", "visitor_token": mine})
        for n in range(4)
    ]
    theirs = console_client.post(CHAT, json={"text": "me too", "visitor_token": other})

    # Her first message started the chat; three more pass in the minute, the fourth waits.
    assert [a.status_code for a in more] == [201, 201, 201, 429]
    assert theirs.status_code == 201
    clock.advance(timedelta(minutes=1))
    assert console_client.post(CHAT, json={"text": "ok", "visitor_token": mine}).status_code == 201


def test_chats_naming_one_customers_address_are_limited_whatever_the_address(
    world: InboxWorld, console_client: TestClient, container: Container
) -> None:
    container.settings.chats_per_identity_per_hour = 2

    answers = [_start(console_client, world, email=" Anna@Example.com ") for _ in range(3)]
    someone_else = _start(console_client, world, email="boris@example.com")

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert someone_else.status_code == 201


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(
    world: InboxWorld, container: Container, request: pytest.FixtureRequest
) -> None:
    container.settings.chats_per_address_per_hour = 1
    proxy = TestClient(create_app(container), client=("10.0.0.5", 40000))
    proxy.__enter__()
    request.addfinalizer(lambda: proxy.__exit__(None, None, None))

    def start_from(address: str) -> int:
        headers = {"X-Forwarded-For": f"198.51.100.9, {address}"}
        body = {"text": "Hi", "location_id": world.kyiv.id}
        return int(proxy.post(CHAT, json=body, headers=headers).status_code)

    # Not trusted: a made-up header does not make a new visitor; the peer is the one counted.
    assert [start_from("203.0.113.1"), start_from("203.0.113.2")] == [201, 429]

    container.settings.trusted_proxies = "10.0.0.0/8, ::1"
    assert start_from("203.0.113.3") == 201  # the address the trusted proxy saw is counted
    assert start_from("203.0.113.4") == 201
    assert start_from("203.0.113.3") == 429


def test_a_trusted_proxy_that_is_not_an_address_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="HEEDFUL_TRUSTED_PROXIES"):
        Settings(trusted_proxies="10.0.0.0/8, proxy.local")


def test_polling_and_the_chat_page_share_a_per_address_allowance(
    world: InboxWorld, console_client: TestClient, container: Container
) -> None:
    container.settings.chat_reads_per_address_per_minute = 3
    token = _start(console_client, world).json()["visitor_token"]

    polls = [console_client.get(f"{CHAT}/{token}/messages").status_code for _ in range(2)]
    page = console_client.get("/chat/kyiv", headers={"Accept-Language": "uk"})
    refused = console_client.get("/chat/kyiv", headers={"Accept-Language": "uk"})

    assert polls == [200, 200]
    assert page.status_code == 200
    assert refused.status_code == 429
    assert "Забагато запитів" in refused.text
    assert int(refused.headers["retry-after"]) == 60
    assert console_client.get(f"{CHAT}/{token}/messages").status_code == 429


def test_survey_pages_are_limited_per_address_and_answers_per_link(
    world: InboxWorld, console_client: TestClient, container: Container, clock: FrozenClock
) -> None:
    container.settings.survey_answers_per_link_per_hour = 2
    container.settings.survey_pages_per_address_per_minute = 100

    tries = [console_client.post("/s/guessed-token", data={"score": "9"}) for _ in range(3)]
    another = console_client.post("/s/another-token", data={"score": "9"})

    assert [t.status_code for t in tries] == [404, 404, 429]
    assert tries[2].headers["retry-after"] == "3600"
    assert another.status_code == 404

    container.settings.survey_pages_per_address_per_minute = 5
    clock.advance(timedelta(minutes=1))
    russian = {"Accept-Language": "ru"}
    pages = [console_client.get(f"/s/guess-{n}", headers=russian) for n in range(6)]
    assert [p.status_code for p in pages] == [404] * 5 + [429]
    assert "Слишком много попыток" in pages[-1].text


def test_the_worker_forgets_windows_that_ended(
    world: InboxWorld, console_client: TestClient, container: Container, clock: FrozenClock
) -> None:
    _start(console_client, world)
    limits = container.rate_limits()

    assert limits.forget_ended(clock.now()) == 0
    clock.advance(timedelta(hours=2))
    assert forget_rate_limit_windows(container) == 2  # the start and the message, per address
    assert limits.forget_ended(clock.now()) == 0


@pytest.mark.parametrize("after", [str(2**63), str(2**64), "9" * 40, "-1", "x"])
def test_a_cursor_out_of_range_is_refused_by_name_not_a_500(
    world: InboxWorld, console_client: TestClient, after: str
) -> None:
    token = _start(console_client, world).json()["visitor_token"]

    answer = console_client.get(f"{CHAT}/{token}/messages", params={"after": after})

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "after"
    largest = console_client.get(f"{CHAT}/{token}/messages", params={"after": str(2**63 - 1)})
    assert largest.status_code == 200
    assert largest.json()["items"] == []


def test_a_visitor_reusing_another_visitors_idempotency_key_gets_her_own_chat(
    world: InboxWorld, container: Container, request: pytest.FixtureRequest
) -> None:
    body = {"text": "Hello", "location_id": world.kyiv.id}
    key = {"Idempotency-Key": "chat-1"}
    clients = []
    for address in ("203.0.113.10", "203.0.113.11"):
        client = TestClient(create_app(container), client=(address, 40000))
        client.__enter__()
        request.addfinalizer(functools.partial(client.__exit__, None, None, None))
        clients.append(client)

    first = clients[0].post(CHAT, json=body, headers=key).json()
    retried = clients[0].post(CHAT, json=body, headers=key).json()
    stranger = clients[1].post(CHAT, json=body, headers=key).json()

    assert retried["visitor_token"] == first["visitor_token"]  # her own retry: the same chat
    assert stranger["visitor_token"] != first["visitor_token"]


def test_the_reported_flood_of_a_hundred_chats_makes_twenty_threads_and_no_promise(
    world: InboxWorld, console_client: TestClient, container: Container
) -> None:
    # The defaults, as shipped: 20 new chats an hour from one address.
    answers = [_start(console_client, world, text=f"spam {n}") for n in range(100)]

    assert sum(a.status_code == 201 for a in answers) == 20
    assert sum(a.status_code == 429 for a in answers) == 80
    with container.uow() as uow:
        threads = uow.threads.inbox(InboxFilter(), None, 200, None).items
    assert len(threads) == 20
    assert all(not t.sender_verified and t.reply_promise_id is None for t in threads)
