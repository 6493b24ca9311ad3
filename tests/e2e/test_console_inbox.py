"""The inbox at the console, in-process: what breaches first on top, scope, the thread page.

Two shops (Kyiv, Lviv); an hour for the first response, warned 30 minutes ahead (inbox_world.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa
from console_world import log_in
from fastapi.testclient import TestClient
from httpx import Response
from inbox_world import InboxWorld, build_inbox_world, front_desk

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.conversations.canned_reply_handlers import CannedReplyIn, save_canned_reply
from heedful.core.conversations.handlers import create_team, get_thread
from heedful.core.conversations.model import Priority
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent
from heedful.core.engine.reactions import process_events
from heedful.core.feedback.model import SurveyKind, SurveyText, Touchpoint
from heedful.core.feedback.surveys import DefineSurvey, define_survey
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.phrases import Phrase
from heedful.core.sla.handlers import PolicyIn, create_policy
from heedful.core.sla.model import ClockKind, ClockState


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> InboxWorld:
    return build_inbox_world(container, clock)


@pytest.fixture
def client(console_client: TestClient) -> TestClient:
    return console_client


def post(client: TestClient, url: str, csrf: str, **data: str) -> Response:
    sent: Response = client.post(
        url, data={**data, "csrf_token": csrf}, headers={"HX-Request": "true"}
    )
    return sent


def threads_in_order(page: str) -> list[str]:
    return re.findall(r'data-thread="([^"]+)"', page)


def line_of(page: str, thread_id: str) -> str:
    start = page.index(f'data-thread="{thread_id}"')
    return page[start : page.index("</li>", start)]


def test_the_inbox_puts_what_breaches_first_on_top_with_its_badges(
    world: InboxWorld, client: TestClient
) -> None:
    first = world.email(subject="Перше").thread
    world.later(10)
    second = world.email(subject="Друге", sender="bohdan@example.com", name="Богдан").thread
    world.later(10)
    third = world.chat("Чи є розмір M?").thread
    answered = world.email(subject="Відповіли", sender="vira@example.com", name="Віра").thread
    world.reply(answered.id)
    # 35 minutes after the first: its warning (at 30) fired; nothing is late yet.
    world.later(15)
    log_in(client, "iryna")

    page = client.get("/console/inbox").text

    # The answered one still runs its resolution clock (a day): it comes last.
    assert threads_in_order(page) == [first.id, second.id, third.id, answered.id]
    assert "Near breach" in line_of(page, first.id)
    assert "Near breach" not in line_of(page, second.id)
    assert "Анна Петренко" in line_of(page, first.id)
    assert client.get("/console/inbox/badge").text.strip().endswith(">1</span>")

    world.later(30)  # 65 minutes: the first breached; the second (55) and third (45) are warned
    page = client.get("/console/inbox").text
    assert "Breached" in line_of(page, first.id)
    assert "Near breach" in line_of(page, second.id)
    assert "Near breach" in line_of(page, third.id)
    # The breached one needs an answer most of all: the badge counts it with the warned ones.
    assert ">3</span>" in client.get("/console/inbox/badge").text


def test_agents_see_their_shops_threads_and_filter_mine_team_unassigned_and_channel(
    world: InboxWorld, client: TestClient
) -> None:
    in_kyiv = world.email(subject="Київ").thread
    in_lviv = world.email(subject="Львів", to="lviv@shop.example", sender="o@example.com").thread
    chat = world.chat("Привіт").thread
    team_id = front_desk(world)
    csrf = log_in(client, "iryna")
    post(client, f"/console/inbox/{in_kyiv.id}/assign", csrf, assignee_id=world.iryna.id)
    post(client, f"/console/inbox/{chat.id}/assign", csrf, team_id=team_id)

    def shown(query: str = "") -> set[str]:
        return set(threads_in_order(client.get(f"/console/inbox{query}").text))

    assert shown() == {in_kyiv.id, chat.id}  # Lviv is not Iryna's shop
    assert shown("?scope=mine") == {in_kyiv.id}
    assert shown("?scope=team") == {chat.id}
    assert shown("?scope=unassigned") == {chat.id}  # a team, but no agent yet
    assert shown("?channel=chat") == {chat.id}
    # Each view says how many threads it holds.
    page = client.get("/console/inbox").text
    assert 'id="count-all" class="count">2<' in page
    assert 'id="count-mine" class="count">1<' in page
    assert 'id="count-unassigned" class="count">1<' in page
    assert 'id="count-resolved" class="count">0<' in page
    # Waiting on the customer and resolved threads have views of their own.
    post(client, f"/console/inbox/{chat.id}/status", csrf, status="waiting_on_customer")
    post(client, f"/console/inbox/{in_kyiv.id}/status", csrf, status="resolved")
    assert shown() == {chat.id}  # waiting on her is still open: it stays in "everything open"
    assert shown("?scope=waiting") == {chat.id}
    assert shown("?scope=resolved") == {in_kyiv.id}
    filtered = client.get("/console/inbox?scope=resolved", headers={"HX-Request": "true"}).text
    assert 'id="count-waiting" class="count" hx-swap-oob="true">1<' in filtered
    post(client, f"/console/inbox/{chat.id}/status", csrf, status="open")
    post(client, f"/console/inbox/{in_kyiv.id}/status", csrf, status="open")
    # The list refreshes itself with the same filters.
    assert (
        'hx-get="/console/inbox?channel=chat" hx-trigger="every 30s"'
        in client.get("/console/inbox?channel=chat").text
    )
    assert client.get(f"/console/inbox/{in_lviv.id}").status_code == 404

    log_in(client, "olena")  # the manager of both shops
    assert shown() == {in_kyiv.id, in_lviv.id, chat.id}
    assert shown(f"?location_id={world.lviv.id}") == {in_lviv.id}


def test_the_inbox_pages_by_cursor_without_losing_or_repeating_a_thread(
    world: InboxWorld, client: TestClient
) -> None:
    made = []
    for n in range(55):
        made.append(world.email(subject=f"№{n}", sender=f"c{n}@example.com").thread.id)
        world.clock.advance(timedelta(seconds=30))
    log_in(client, "iryna")

    first_page = client.get("/console/inbox").text
    next_url = re.search(r'href="(/console/inbox\?[^"]*cursor=[^"]+)"', first_page)
    assert next_url is not None
    second_page = client.get(next_url.group(1).replace("&amp;", "&")).text

    assert threads_in_order(first_page) + threads_in_order(second_page) == made
    assert "First page" in second_page


def test_an_agent_replies_notes_assigns_and_waits_on_the_customer_from_the_thread_page(
    world: InboxWorld, client: TestClient
) -> None:
    thread = world.email("Де моє замовлення?").thread
    team_id = front_desk(world)
    world.later(20)
    csrf = log_in(client, "iryna")

    page = client.get(f"/console/inbox/{thread.id}").text
    assert "Де моє замовлення?" in page
    assert 'data-kind="first_response"' in page
    assert "Анна Петренко" in page  # the customer card beside the thread

    body = post(client, f"/console/inbox/{thread.id}/reply", csrf, body="Сьогодні відправимо.").text
    assert "Сьогодні відправимо." in body
    body = post(client, f"/console/inbox/{thread.id}/note", csrf, body="Перевірити склад").text
    assert "Internal note" in body
    assert "Перевірити склад" in body
    post(
        client,
        f"/console/inbox/{thread.id}/assign",
        csrf,
        assignee_id=world.taras.id,
        team_id=team_id,
    )
    body = post(
        client, f"/console/inbox/{thread.id}/status", csrf, status="waiting_on_customer"
    ).text
    assert "Waiting on the customer" in body
    assert "Taras Melnyk" in body

    view = get_thread(thread.id, world.container.uow(), world.iryna.as_actor())
    clocks = {clock.kind: clock for clock in view.clocks}
    assert clocks[ClockKind.FIRST_RESPONSE].state is ClockState.MET
    assert clocks[ClockKind.RESOLUTION].state is ClockState.PAUSED
    assert view.thread.assignee_id == world.taras.id
    assert view.thread.team_id == team_id
    assert [n.body for n in view.notes] == ["Перевірити склад"]
    with world.container.uow() as uow:
        [sent] = list(uow.outbox.list_for_customer(thread.customer_id, 10))
    assert sent.status is MessageStatus.QUEUED  # the relay sends it; notes never go out


def test_a_chat_threads_timeline_can_be_fetched_alone_for_its_live_updates(
    world: InboxWorld, client: TestClient
) -> None:
    thread = world.chat("Чи є розмір M?").thread
    log_in(client, "iryna")
    assert 'hx-trigger="every 3s"' in client.get(f"/console/inbox/{thread.id}").text
    world.chat_more(thread, "І розмір L?")

    fragment = client.get(f"/console/inbox/{thread.id}/timeline").text

    assert "І розмір L?" in fragment
    assert fragment.lstrip().startswith("<ol")


def test_a_higher_priority_brings_its_policys_tighter_target_counting_the_time_spent(
    world: InboxWorld, client: TestClient
) -> None:
    create_policy(
        PolicyIn(name="Urgent", priority=Priority.URGENT, first_response_minutes=15),
        world.container.uow(),
        world.clock,
        SYSTEM,
    )
    thread = world.email().thread
    world.later(10)
    csrf = log_in(client, "iryna")

    body = post(client, f"/console/inbox/{thread.id}/priority", csrf, priority="urgent").text
    refused = post(client, f"/console/inbox/{thread.id}/priority", csrf, priority="sky-high")

    assert "Urgent" in body
    view = get_thread(thread.id, world.container.uow(), world.iryna.as_actor())
    [first] = [c for c in view.clocks if c.kind is ClockKind.FIRST_RESPONSE]
    assert first.due_at == thread.created_at + timedelta(minutes=15)  # 10 spent, 5 left
    assert refused.status_code == 422


def test_an_empty_reply_is_refused_next_to_the_reply_box(
    world: InboxWorld, client: TestClient
) -> None:
    thread = world.email().thread
    csrf = log_in(client, "iryna")

    answer = post(client, f"/console/inbox/{thread.id}/reply", csrf, body="   ")

    assert answer.status_code == 422
    assert 'id="body-error"' in answer.text


def test_canned_replies_come_in_the_customers_language_or_english(
    world: InboxWorld, client: TestClient
) -> None:
    canned = save_canned_reply(
        CannedReplyIn(
            title="Доставка",
            texts={"uk": "Відправимо сьогодні до 18:00.", "en": "We ship today by 6 pm."},
            location_id=world.kyiv.id,
        ),
        world.container.uow(),
        world.clock,
        world.olena.as_actor(),
    )
    in_ukrainian = world.chat("Коли доставка?", language="uk").thread
    in_russian = world.chat("Когда доставка?", language="ru").thread
    log_in(client, "iryna")

    uk = client.get(f"/console/inbox/{in_ukrainian.id}?canned={canned.id}").text
    ru = client.get(
        f"/console/inbox/{in_russian.id}?canned={canned.id}", headers={"HX-Request": "true"}
    ).text

    assert "Відправимо сьогодні до 18:00.</textarea>" in uk
    assert "We ship today by 6 pm.</textarea>" in ru  # no Russian text: English
    assert 'id="reply-box"' in ru
    assert "<html" not in ru


def test_managers_keep_canned_replies_and_agents_may_not(
    world: InboxWorld, client: TestClient
) -> None:
    csrf = log_in(client, "olena")
    client.post(
        "/console/canned-replies",
        data={
            "csrf_token": csrf,
            "title": "Вітання",
            "location_id": world.kyiv.id,
            "text_uk": "Добрий день!",
            "text_ru": "Добрый день!",
            "text_en": "",
        },
    )
    page = client.get("/console/canned-replies").text
    assert "Вітання" in page
    assert "Добрый день!" in page
    assert "/chat/kyiv" in page  # the embed snippet of the shop's chat page
    reply_id = re.search(r'href="/console/canned-replies\?edit=([^"#]+)', page)
    assert reply_id is not None
    form = client.get(f"/console/canned-replies?edit={reply_id.group(1)}").text
    assert "Добрий день!</textarea>" in form
    client.post(
        "/console/canned-replies",
        data={
            "csrf_token": csrf,
            "reply_id": reply_id.group(1),
            "title": "Вітання",
            "location_id": world.kyiv.id,
            "text_uk": "Вітаємо!",
        },
    )
    page = client.get("/console/canned-replies").text
    assert "Вітаємо!" in page
    assert "Добрий день!" not in page
    refused = client.post(
        "/console/canned-replies",
        data={"csrf_token": csrf, "title": "", "location_id": world.kyiv.id, "text_uk": "x"},
    )
    assert refused.status_code == 422
    assert 'id="title-error"' in refused.text

    log_in(client, "iryna")
    assert client.get("/console/canned-replies").status_code == 403


def test_the_customer_card_lists_her_conversations(world: InboxWorld, client: TestClient) -> None:
    thread = world.email(subject="Повернення").thread
    log_in(client, "iryna")

    card = client.get(f"/customers/{thread.customer_id}").text
    section = client.get(f"/console/customers/{thread.customer_id}/conversations").text

    assert f'hx-get="/console/customers/{thread.customer_id}/conversations"' in card
    assert "Повернення" in section
    assert f"/console/inbox/{thread.id}" in section


def test_the_nav_shows_the_inbox_to_those_who_answer(world: InboxWorld, client: TestClient) -> None:
    log_in(client, "iryna")
    assert 'id="nav-inbox"' in client.get("/customers").text


def test_a_due_time_on_a_calendar_the_country_has_not_published_is_marked_provisional(
    world: InboxWorld, client: TestClient
) -> None:
    # Ukraine publishes no public holidays under martial law: its 2026 calendar is a guess.
    with world.container.uow() as uow:
        kyiv = uow.locations.get(world.kyiv.id)
        assert kyiv is not None
        kyiv.opening_hours = {"mon-fri": ["09:00-18:00"]}
        uow.locations.update(kyiv)
        uow.commit()
    thread = world.email().thread
    log_in(client, "iryna")

    page = client.get(f"/console/inbox/{thread.id}").text

    assert "provisional calendar" in page


def test_a_page_of_the_inbox_costs_the_same_few_queries_however_many_threads_it_shows(
    world: InboxWorld, client: TestClient
) -> None:
    log_in(client, "iryna")

    def queries_for_the_inbox() -> int:
        counted: list[str] = []

        def count(*args: object) -> None:
            counted.append(str(args[2]))

        sa.event.listen(world.container.engine, "before_cursor_execute", count)
        try:
            assert client.get("/console/inbox").status_code == 200
        finally:
            sa.event.remove(world.container.engine, "before_cursor_execute", count)
        return len(counted)

    world.email(sender="one@example.com")
    one = queries_for_the_inbox()
    for n in range(30):
        world.email(sender=f"c{n}@example.com", name=f"Покупець {n}")

    assert queries_for_the_inbox() == one  # names come in one query, not one per line


def test_an_agent_in_two_teams_picks_which_teams_threads_to_see(
    world: InboxWorld, client: TestClient
) -> None:
    front = front_desk(world)
    returns = create_team(
        "Returns",
        world.container.uow(),
        world.clock,
        SYSTEM,
        location_id=world.kyiv.id,
        member_ids=(world.iryna.id,),
    ).id
    for_front = world.email(subject="Front").thread
    for_returns = world.email(subject="Return", sender="r@example.com").thread
    csrf = log_in(client, "iryna")
    post(client, f"/console/inbox/{for_front.id}/assign", csrf, team_id=front)
    post(client, f"/console/inbox/{for_returns.id}/assign", csrf, team_id=returns)

    page = client.get(f"/console/inbox?scope=team&team_id={returns}").text

    assert threads_in_order(page) == [for_returns.id]
    assert 'id="inbox-team"' in page
    assert threads_in_order(client.get("/console/inbox?scope=team&team_id=tm_not_hers").text) == [
        for_front.id  # not her team: her first team instead
    ]


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_the_pages_render_in_russian_and_ukrainian(
    world: InboxWorld, client: TestClient, language: str
) -> None:
    world.people.staff("mykola", "Mykola", Role.MANAGER, language=language, at=[world.kyiv])
    thread = world.email().thread
    world.reply(thread.id)
    world.later(90)
    log_in(client, "mykola")

    for url in (
        "/console/inbox",
        f"/console/inbox/{thread.id}",
        "/console/responsiveness",
        "/console/canned-replies",
        f"/console/customers/{thread.customer_id}/conversations",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert f'<html lang="{language}">' in answer.text or url.endswith("conversations")


@pytest.mark.parametrize(
    ("language", "badge", "button"),
    [
        ("en", "Unverified sender", "Accept sender"),
        ("ru", "Отправитель не подтверждён", "Подтвердить отправителя"),
        ("uk", "Відправника не підтверджено", "Підтвердити відправника"),
    ],
)
def test_an_unverified_sender_is_badged_everywhere_until_an_agent_accepts_it(
    world: InboxWorld, client: TestClient, language: str, badge: str, button: str
) -> None:
    world.people.staff("mykola", "Mykola", Role.AGENT, language=language, at=[world.kyiv])
    mine = world.email(subject="Замовлення").thread  # Anna, first contact: verified
    claimed = world.email(subject="Це знову я").thread  # her address again, no proof
    csrf = log_in(client, "mykola")

    inbox = client.get("/console/inbox").text
    page = client.get(f"/console/inbox/{claimed.id}").text
    card = client.get(f"/console/customers/{claimed.customer_id}/conversations").text

    assert badge in line_of(inbox, claimed.id)
    assert badge not in line_of(inbox, mine.id)
    assert badge in page
    assert button in page
    assert badge in line_of(card, claimed.id)
    assert badge not in line_of(card, mine.id)

    after = post(client, f"/console/inbox/{claimed.id}/accept-sender", csrf)

    assert after.status_code == 200
    assert badge not in after.text
    assert button not in after.text
    view = get_thread(claimed.id, world.container.uow(), world.iryna.as_actor())
    assert view.thread.sender_proof == "staff"
    assert view.promise_id is not None
    refused = client.post(f"/console/inbox/{mine.id}/accept-sender", data={})
    assert refused.status_code in (400, 403)  # no CSRF token: nothing changes


def test_an_agent_finds_a_thread_by_its_subject_or_the_customers_name(
    world: InboxWorld, client: TestClient
) -> None:
    dress = world.email(subject="Повернення сукні").thread  # from Анна Петренко
    delivery = world.email(subject="Доставка", sender="bohdan@example.com", name="Богдан").thread
    log_in(client, "iryna")

    def found(text: str) -> set[str]:
        return set(threads_in_order(client.get("/console/inbox", params={"q": text}).text))

    assert found("сукн") == {dress.id}
    assert found("petrenko") == {dress.id}  # her name typed in Latin letters
    assert found("Bohdan") == {delivery.id}
    assert found("Богдан доставка") == {delivery.id}
    assert found("сукні Богдан") == set()
    page = client.get("/console/inbox", params={"q": "сукн"}).text
    assert 'id="count-all" class="count">1<' in page


@pytest.mark.parametrize(
    ("language", "none_open"),
    [
        ("uk", "Відкритих обіцянок немає."),
        ("ru", "Открытых обещаний нет."),
        ("en", "No open promises."),
    ],
)
def test_the_customer_beside_the_thread_is_current_after_every_action(
    world: InboxWorld, client: TestClient, language: str, none_open: str
) -> None:
    thread = world.email("Де моє замовлення?").thread
    with world.container.uow() as uow:
        member = uow.staff.get(world.iryna.id)
        assert member is not None
        uow.staff.update(replace(member, language=language))
        uow.commit()
    csrf = log_in(client, "iryna")
    panel = _panel(client.get(f"/console/inbox/{thread.id}").text)
    assert 'id="thread-promises"' in panel  # the reply owed to her is an open promise

    replied = post(client, f"/console/inbox/{thread.id}/reply", csrf, body="Сьогодні.").text
    panel = _panel(replied)
    assert 'hx-swap-oob="true"' in panel  # swapped beside the thread, no reload
    assert none_open in panel  # the reply kept it
    for action, data in (
        ("note", {"body": "Перевірити склад"}),
        ("assign", {"assignee_id": world.taras.id}),
        ("status", {"status": "resolved"}),
    ):
        answer = post(client, f"/console/inbox/{thread.id}/{action}", csrf, **data).text
        assert 'hx-swap-oob="true"' in _panel(answer), action


def _panel(page: str) -> str:
    start = page.index('id="thread-customer"')
    return page[start : page.index("</aside>", start)]


def test_resolving_in_the_console_offers_the_survey_within_consent_and_the_cap(
    world: InboxWorld, client: TestClient
) -> None:
    admin = world.people.staff("root", "Root", Role.ADMIN).as_actor()
    survey = define_survey(
        DefineSurvey(
            name="Після розмови",
            kind=SurveyKind.CSAT,
            touchpoint=Touchpoint.CONVERSATION,
            texts={"uk": SurveyText("Як ми впоралися?")},
        ),
        world.container.uow(),
        world.clock,
        admin,
    )
    first = world.email("Де моє замовлення?").thread
    second = world.email("І ще питання", subject="Ще одне").thread
    silent = world.email("Години роботи?", sender="max@example.com", name="Макс").thread
    assert second.customer_id == first.customer_id
    record_consent(
        RecordConsent(first.customer_id, Channel.EMAIL, Purpose.SURVEYS, True, "web form"),
        world.container.uow(),
        world.clock,
        admin,
    )
    csrf = log_in(client, "iryna")
    for thread in (first, second, silent):
        world.reply(thread.id)
        resolved = post(client, f"/console/inbox/{thread.id}/status", csrf, status="resolved")
        assert resolved.status_code == 200

    process_events(world.container.uow, world.clock)

    with world.container.uow() as uow:
        asked = uow.feedback.invitations.list_for_customer(first.customer_id, 10)
        never_agreed = uow.feedback.invitations.list_for_customer(silent.customer_id, 10)
    # One survey for Anna though two of her conversations were resolved (the cap), none for
    # Max, who never agreed to surveys; it is credited to the agent who resolved it.
    assert [(i.survey_id, i.staff_id) for i in asked] == [(survey.id, world.iryna.id)]
    assert never_agreed == []


def test_the_promises_beside_the_thread_show_the_words_staff_typed_and_the_systems_own(
    world: InboxWorld, client: TestClient
) -> None:
    thread = world.email("Де моє замовлення?").thread
    for text in (
        "Передзвонити щодо сукні",
        Phrase("promise.call_unreachable", {"item": "Сукня", "why": "—"}),
    ):
        make_promise(
            MakePromise(
                customer_id=thread.customer_id,
                kind=PromiseKind.CALL_BACK,
                location_id=world.kyiv.id,
                text=text,
                due_at=world.clock.now() + timedelta(days=1),
            ),
            world.container.uow(),
            world.clock,
            SYSTEM,
        )
    log_in(client, "iryna")
    page = client.get(f"/console/inbox/{thread.id}")
    assert page.status_code == 200
    panel = _panel(page.text)
    assert "Передзвонити щодо сукні" in panel
    assert "Сукня" in panel
