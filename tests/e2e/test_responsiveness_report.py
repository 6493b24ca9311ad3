"""The responsiveness report at the console and in the API, on answers timed by hand.

The Kyiv shop counts round the clock (inbox_world.py), so waited and business times agree:

- Anna's e-mail, answered after 30 minutes, resolved after 120;
- Bohdan's e-mail, answered after 90 minutes, 30 minutes past the hour it had (breached);
- a chat, answered after 10 minutes.

First responses: e-mail 30 and 90 (median 60, p90 90), chat 10; all: 10, 30, 90 (median 30, p90
90 by nearest rank: ceil(0.9 x 3) = the 3rd). Clocks ended: three first responses (two on time)
and one resolution (on time): 3 of 4 inside SLA. The other resolutions still run: not counted.
"""

from __future__ import annotations

import csv
import io

import pytest
from console_world import log_in
from fastapi.testclient import TestClient
from inbox_world import InboxWorld, build_inbox_world

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.conversations.handlers import set_status
from heedful.core.conversations.model import ThreadStatus
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.handlers import NewToken, create_token


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> InboxWorld:
    built = build_inbox_world(container, clock)
    anna = built.email(subject="Anna").thread
    bohdan = built.email(subject="Bohdan", sender="bohdan@example.com", name="Богдан").thread
    chat = built.chat("Є розмір M?").thread
    built.later(10)
    built.reply(chat.id, "Так, є.")
    built.later(20)
    built.reply(anna.id)
    built.later(60)  # 90 minutes: Bohdan's hour ran out at 60
    built.reply(bohdan.id)
    built.later(30)
    set_status(anna.id, ThreadStatus.RESOLVED, container.uow(), clock, built.iryna.as_actor())
    return built


def test_the_console_shows_medians_p90_and_the_share_inside_sla_beside_the_benchmarks(
    world: InboxWorld, console_client: TestClient
) -> None:
    log_in(console_client, "olena")

    page = console_client.get("/console/responsiveness").text

    assert 'id="first-response-median">30 min<' in page
    assert 'id="first-response-p90">1 hr 30 min<' in page
    assert 'id="inside-sla">75%<' in page
    by_channel = page[page.index('id="by-channel"') :]
    email = by_channel[by_channel.index('data-key="email"') :]
    assert 'class="first-median">1 hr<' in email
    assert 'class="first-p90">1 hr 30 min<' in email
    assert 'class="resolution-median">2 hr<' in email
    chat = by_channel[by_channel.index('data-key="chat"') :]
    assert 'class="first-median">10 min<' in chat
    for benchmark in ("email_24h", "live_chat_12_07_min", "amazon_6_min"):
        assert f'data-key="{benchmark}"' in page
    assert 'id="definitions"' in page
    assert "nearest rank" in page


def test_the_csv_download_has_a_byte_order_mark_and_the_same_numbers(
    world: InboxWorld, console_client: TestClient
) -> None:
    log_in(console_client, "olena")

    answer = console_client.get("/console/responsiveness?format=csv")

    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    email = next(
        r
        for r in rows
        if r["group_by"] == "channel" and r["key"] == "email" and r["clock"] == "first_response"
    )
    assert (email["ended"], email["inside_sla"], email["waited_median_minutes"]) == (
        "2",
        "1",
        "60.00",
    )


def test_agents_may_not_read_the_report(world: InboxWorld, console_client: TestClient) -> None:
    log_in(console_client, "iryna")

    assert console_client.get("/console/responsiveness").status_code == 403


def test_the_api_answers_the_same_report_by_channel(
    world: InboxWorld, container: Container, console_client: TestClient
) -> None:
    _, secret = create_token(
        NewToken("reports", Role.MANAGER, frozenset({world.kyiv.id})),
        container.uow(),
        container.clock,
        SYSTEM,
    )
    headers = {"Authorization": f"Bearer {secret}"}

    found = console_client.get(
        "/api/v1/reports/responsiveness", params={"group_by": "channel"}, headers=headers
    ).json()

    assert found["total"]["ended"] == 4
    assert found["total"]["inside_sla_share"] == pytest.approx(0.75)
    first = found["total"]["first_response"]
    assert (first["waited_median_minutes"], first["waited_p90_minutes"]) == (30.0, 90.0)
    email, chat = found["groups"]
    assert email["key"] == "email"
    assert email["first_response"]["waited_median_minutes"] == 60.0
    assert email["first_response"]["unanswered"] == 0
    assert chat["first_response"]["business_median_minutes"] == 10.0
    benchmarks = {b["key"]: b for b in found["benchmarks"]}
    assert benchmarks["live_chat_12_07_min"]["minutes"] == 12.07
    assert benchmarks["live_chat_12_07_min"]["first_response_median_minutes"] == 10.0
    assert "nearest rank" in found["definition"]

    as_csv = console_client.get(
        "/api/v1/reports/responsiveness", params={"format": "csv"}, headers=headers
    )
    assert as_csv.content.startswith(b"\xef\xbb\xbf")
    assert as_csv.headers["content-type"].startswith("text/csv")

    refused = console_client.get(
        "/api/v1/reports/responsiveness", params={"channel": "fax"}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
