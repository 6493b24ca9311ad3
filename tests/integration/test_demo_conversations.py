"""The demo's inbox: a dozen threads whose clocks, promises and timers the product produced."""

from __future__ import annotations

from datetime import timedelta

import pytest

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.conversations.handlers import get_thread, list_customer_threads, list_inbox
from heedful.core.conversations.model import Channel, Thread, ThreadStatus
from heedful.core.conversations.ports import InboxFilter
from heedful.core.conversations.replies import REPLY_TEMPLATE
from heedful.core.customers.handlers import look_up
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.promises.model import PromiseState
from heedful.core.sla.model import ClockKind, ClockState
from heedful.core.tasks.model import TaskKind
from heedful.entrypoints.demo import load_demo
from heedful.entrypoints.demo.stories import BANK_VIP

EVERY_STATUS = frozenset(ThreadStatus)


@pytest.fixture
def threads(container: Container) -> dict[str, Thread]:
    load_demo(container, customers=40)
    page = list_inbox(container.uow(), SYSTEM, InboxFilter(statuses=EVERY_STATUS), limit=100)
    return {thread.subject: thread for thread in page.items}


def _about(threads: dict[str, Thread], words: str) -> Thread:
    """A chat is named by its first words, an e-mail by its subject."""
    return next(thread for subject, thread in threads.items() if words in subject)


def test_a_dozen_threads_in_three_languages_at_every_location_by_mail_and_chat(
    container: Container, threads: dict[str, Thread]
) -> None:
    assert len(threads) == 12
    with container.uow() as uow:
        locations = {location.id for location in uow.locations.list()}
    assert {t.location_id for t in threads.values()} == locations
    assert {t.channel for t in threads.values()} == {Channel.EMAIL, Channel.CHAT}
    assert {t.language for t in threads.values()} == {"uk", "ru", "en"}
    assert {t.status for t in threads.values()} == EVERY_STATUS
    inbox = list_inbox(container.uow(), SYSTEM).items
    assert 6 <= len(inbox) < 12  # the resolved ones leave the inbox
    # What breaches first is on top: the one about to breach leads the not-yet-breached.
    running = [t for t in inbox if t.next_due_at is not None and not t.breached]
    assert running[0].subject == "Трансфер из Шереметьево"


def test_one_is_about_to_breach_and_one_breached_with_their_warning_and_promise(
    container: Container, threads: dict[str, Thread]
) -> None:
    now = container.clock.now()
    near = threads["Трансфер из Шереметьево"]
    assert near.warned
    assert not near.breached
    assert near.next_due_at is not None
    assert now < near.next_due_at <= now + timedelta(minutes=12)

    late = threads["Картку заблоковано за кордоном"]
    assert late.breached
    view = get_thread(late.id, container.uow(), SYSTEM)
    first = next(c for c in view.clocks if c.kind is ClockKind.FIRST_RESPONSE)
    assert first.state is ClockState.BREACHED
    assert first.breached_at is not None
    assert first.breached_at < now
    with container.uow() as uow:
        promise = uow.promises.get(view.promise_id or "")
        warned = uow.tasks.list_for_customer(near.customer_id, 50)
        told = uow.tasks.list_for_customer(late.customer_id, 50)
    assert promise is not None
    assert promise.state is PromiseState.BROKEN
    assert TaskKind.SLA_WARNING in {task.kind for task in warned}  # the agents are told
    assert TaskKind.SLA_BREACH in {task.kind for task in told}  # the manager is told


def test_waiting_paused_resolved_met_and_the_others_count_in_business_time(
    container: Container, threads: dict[str, Thread]
) -> None:
    now = container.clock.now()
    waiting = get_thread(threads["Сукня Amaro, розмір 38"].id, container.uow(), SYSTEM)
    assert waiting.thread.status is ThreadStatus.WAITING_ON_CUSTOMER
    assert {c.state for c in waiting.clocks} == {ClockState.MET, ClockState.PAUSED}

    resolved = get_thread(_about(threads, "table for four tonight").id, container.uow(), SYSTEM)
    assert resolved.thread.resolved_at is not None
    assert {c.state for c in resolved.clocks} == {ClockState.MET}

    again = get_thread(threads["Late check-out on Sunday"].id, container.uow(), SYSTEM)
    next_response = next(c for c in again.clocks if c.kind is ClockKind.NEXT_RESPONSE)
    assert next_response.state is ClockState.RUNNING
    assert [m.direction.value for m in again.messages] == ["in", "out", "in"]  # one thread

    with container.uow() as uow:
        ahead = uow.sla_clocks.due_between(now, now + timedelta(days=30), 100)
        stale = uow.outbox.list_by_status(
            frozenset({MessageStatus.QUEUED, MessageStatus.RETRYING}), 1000
        )
    assert len(ahead) >= 5
    assert all(clock.due_at is not None and clock.due_at > now for clock in ahead)
    # The past's e-mail answers went out at the time: none waits for the relay.
    assert not [m for m in stale if m.template_key == REPLY_TEMPLATE]


def test_the_vip_thread_has_a_note_an_agent_and_a_team_and_is_on_his_card(
    container: Container, threads: dict[str, Thread]
) -> None:
    thread = threads["Ліміт на картці перед поїздкою"]
    view = get_thread(thread.id, container.uow(), SYSTEM)
    assert thread.segment == "vip"
    assert [note.author_label for note in view.notes] == ["Ірина Ткаченко"]
    with container.uow() as uow:
        agent = uow.staff.get(thread.assignee_id or "")
        team = uow.teams.get(thread.team_id or "")
    assert agent is not None
    assert agent.login == "yurii.bondar"
    assert team is not None
    assert team.name == "Private banking"
    andrii = look_up(BANK_VIP.find_by.kind, BANK_VIP.find_by.value, container.uow(), SYSTEM)
    on_card = list_customer_threads(andrii.id, container.uow(), SYSTEM)
    assert thread.id in {t.id for t in on_card}
