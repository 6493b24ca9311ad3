"""Seed 000 end to end: the stock system says the bag is back, and she hears it first.

A CloudEvent arrives over HTTP, the worker's prompt pass reacts, the relay speaks SMTP to a real
server, her promise is kept, and the unsubscribe link in the e-mail works.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from promise_world import PromiseWorld, build_world
from smtp_mailbox import Mailbox

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import Purpose, may_contact
from heedful.core.promises.model import PromiseState
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.handlers import NewToken, create_token
from heedful.entrypoints.web import create_app
from heedful.entrypoints.worker.jobs import run_prompt_jobs


@pytest.fixture
def story_container(database_url: str, clock: FrozenClock, mailbox: Mailbox) -> Iterator[Container]:
    settings = Settings(
        database_url=database_url,
        log_format="console",
        smtp_host=mailbox.host,
        smtp_port=mailbox.port,
        mail_domain="lypky.example",
        public_url="https://care.lypky.example",
    )
    container = build(settings, clock=clock)
    yield container
    container.close()


def test_the_stock_system_says_the_bag_is_back_and_the_first_in_line_hears_it(
    story_container: Container, clock: FrozenClock, mailbox: Mailbox
) -> None:
    world: PromiseWorld = build_world(story_container, clock)
    _, secret = create_token(
        NewToken("stock system", Role.MANAGER, frozenset({world.kyiv.id})),
        story_container.uow(),
        clock,
        SYSTEM,
    )
    marta = world.customer("Марта Коваль", email="marta@example.com", language="uk")
    late = world.customer("Лев Бондар", email="lev@example.com", language="uk")
    kept = world.wait_for(marta)
    waiting = world.wait_for(late)
    client = TestClient(create_app(story_container))

    event = {
        "specversion": "1.0",
        "id": "stock-7781",
        "source": "urn:atelier-lypky:stock",
        "type": "heedful.stock.changed",
        "data": {
            "product": "bag-noir",
            "variant": "black",
            "size": "M",
            "location": world.kyiv.id,
            "quantity": 1,
        },
    }
    for _ in range(2):  # the stock system retries: the same event is one event
        answer = client.post(
            "/api/v1/events",
            content=json.dumps(event),
            headers={
                "Authorization": f"Bearer {secret}",
                "Content-Type": "application/cloudevents+json",
            },
        )
        assert answer.status_code == 202, answer.text

    assert run_prompt_jobs(story_container)["relay_messages"] == 1
    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "marta@example.com"
    assert mail["Content-Language"] == "uk"
    body = mail.get_body(("plain",))
    assert body is not None
    assert "Марта" in body.get_content()
    assert world.promise(kept.id).state is PromiseState.KEPT
    assert world.promise(waiting.id).state is PromiseState.OPEN
    assert run_prompt_jobs(story_container) == {
        "react_to_events": 0,
        "fire_timers": 0,
        "relay_messages": 0,
    }

    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://care.lypky.example/u/")
    path = link.removeprefix("https://care.lypky.example")
    page = client.get(path)
    assert page.status_code == 200
    assert "Відписатися" in page.text
    assert "сервісні повідомлення через e-mail?" in page.text  # the channel, named in Ukrainian
    with world.uow as uow:
        assert may_contact(uow.consents.list_for(marta.id), Channel.EMAIL, Purpose.SERVICE)
    clock.advance(timedelta(hours=1))  # she reads the e-mail later and has had enough
    done = client.post(path, content="List-Unsubscribe=One-Click")
    assert done.status_code == 200
    with world.uow as uow:
        assert not may_contact(uow.consents.list_for(marta.id), Channel.EMAIL, Purpose.SERVICE)
    assert client.get("/u/forged-token").status_code == 404
