"""Conversations on SQLite and PostgreSQL: threads, replies, SLA clocks, warnings and breaches.

The shop is in Berlin, open Mon-Fri 09:00-18:00; the policy gives 2 business hours for the first
reply, 4 for each next one and 8 to resolve, with a warning 30 minutes ahead. The clock starts on
Monday 2 March 2026 at 07:00 UTC, 08:00 in Berlin, an hour before opening.
"""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from conversation_world import DOMAIN, ConversationWorld, build_conversation_world
from smtp_mailbox import Mailbox

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.inbound_smtp import InboundHandler, start_inbound_smtp
from heedful.adapters.channels.smtp import SmtpSender
from heedful.bootstrap import Container
from heedful.core.conversations.handlers import (
    ChatIn,
    InboxFilter,
    add_note,
    assign,
    chat_messages_after,
    get_thread,
    list_customer_threads,
    list_inbox,
    receive_chat,
    set_priority,
    set_status,
)
from heedful.core.conversations.model import Direction, Priority, ThreadStatus
from heedful.core.conversations.reply_templates import REPLY_TEMPLATES
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.engine.reactions import process_events
from heedful.core.engine.relay import Relay
from heedful.core.engine.timers import fire_due_timers
from heedful.core.feedback.model import SurveyKind, SurveyText, Touchpoint
from heedful.core.feedback.surveys import DefineSurvey, define_survey
from heedful.core.promises.model import PromiseKind, PromiseState
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import NotFound
from heedful.core.sla.handlers import PolicyIn, update_policy
from heedful.core.sla.model import ClockState
from heedful.core.tasks.model import TaskKind


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> ConversationWorld:
    return build_conversation_world(container, clock)


def test_an_email_opens_a_thread_on_a_new_customer_with_clocks_in_business_hours(
    world: ConversationWorld,
) -> None:
    received = world.email()

    thread = received.thread
    assert received.new_thread
    assert thread.location_id == world.berlin.id  # "berlin@..." is the location coded berlin
    with world.uow() as uow:
        found = uow.customers.get(thread.customer_id)
        promise = uow.promises.get(thread.reply_promise_id or "")
    assert found is not None
    assert found.full_name == "Anna Schmidt"
    clocks = world.clocks(thread.id)
    # Written before opening: the clock starts at 09:00 Berlin (08:00 UTC).
    assert clocks["first_response"].due_at == utc(2, 10)
    assert clocks["first_response"].warn_at == utc(2, 9, 30)
    assert clocks["resolution"].due_at == utc(2, 16)
    assert thread.next_due_at == utc(2, 10)
    assert promise is not None
    assert promise.kind is PromiseKind.REPLY_BY
    assert promise.due_at == utc(2, 10)
    assert promise.customer_id == thread.customer_id


def test_replies_are_threaded_by_message_id_and_a_repeat_delivery_is_stored_once(
    world: ConversationWorld,
) -> None:
    first = world.email(message_id="<first@mail.example.com>")
    ours = world.reply(first.thread.id)
    assert ours.message_id == f"<{ours.outbox_message_id}@{DOMAIN}>"
    assert ours.in_reply_to == "<first@mail.example.com>"

    answer = world.email(
        "Thanks, and the invoice?",
        subject="Re: Order 1042",
        in_reply_to=ours.message_id,
        references=(f"<first@mail.example.com> {ours.message_id}",),
    )
    by_references_only = world.email("One more thing", references=("<first@mail.example.com>",))
    unrelated = world.email("A new question", in_reply_to="<unknown@elsewhere>")
    again = world.email(message_id="<first@mail.example.com>")

    assert not answer.new_thread
    assert answer.thread.id == first.thread.id
    assert by_references_only.thread.id == first.thread.id
    assert unrelated.new_thread
    assert unrelated.thread.customer_id == first.thread.customer_id
    assert again.message.id == first.message.id
    view = get_thread(first.thread.id, world.uow(), world.agent)
    assert [m.direction for m in view.messages] == [
        Direction.IN,
        Direction.OUT,
        Direction.IN,
        Direction.IN,
    ]


def test_the_first_reply_meets_the_clock_and_keeps_the_reply_by_promise(
    world: ConversationWorld,
) -> None:
    thread = world.email().thread
    world.clock.set(utc(2, 8, 30))  # 09:30 Berlin: half an hour of business time

    world.reply(thread.id)

    clocks = world.clocks(thread.id)
    assert clocks["first_response"].state is ClockState.MET
    assert clocks["first_response"].spent == timedelta(minutes=30)
    assert clocks["resolution"].state is ClockState.RUNNING
    with world.uow() as uow:
        promise = uow.promises.get(thread.reply_promise_id or "")
        outbox = uow.outbox.list_for_customer(thread.customer_id, 5)
        stored = uow.threads.get(thread.id)
    assert promise is not None
    assert promise.state is PromiseState.KEPT
    assert [m.template_key for m in outbox] == ["conversation_reply"]
    assert outbox[0].context["reply"]["to"] == "anna@example.com"
    assert stored is not None
    assert stored.assignee_id == world.agent.id
    assert stored.next_due_at == utc(2, 16)  # only the resolution runs now


def test_the_next_response_counts_from_the_oldest_unanswered_customer_message(
    world: ConversationWorld,
) -> None:
    thread = world.email().thread
    world.clock.set(utc(2, 8, 30))
    world.reply(thread.id)
    world.clock.set(utc(2, 9))  # 10:00 Berlin
    world.email("Still there?", in_reply_to=_last_out(world, thread.id))
    world.clock.set(utc(2, 10))
    world.email("Hello?", in_reply_to=_last_out(world, thread.id))

    with world.uow() as uow:
        nexts = [c for c in uow.sla_clocks.for_thread(thread.id) if c.kind.value == "next_response"]
    assert len(nexts) == 1
    assert nexts[0].started_at == utc(2, 9)
    assert nexts[0].due_at == utc(2, 13)  # four business hours from 10:00 Berlin

    world.clock.set(utc(2, 11))
    world.reply(thread.id, "Here I am.")
    assert world.clocks(thread.id)["next_response"].spent == timedelta(hours=2)


def test_waiting_on_the_customer_pauses_the_clocks_and_her_answer_resumes_them(
    world: ConversationWorld,
) -> None:
    thread = world.email().thread
    world.clock.set(utc(2, 9))  # 10:00 Berlin: one business hour spent
    set_status(thread.id, ThreadStatus.WAITING_ON_CUSTOMER, world.uow(), world.clock, world.agent)

    paused = world.clocks(thread.id)["first_response"]
    assert paused.state is ClockState.PAUSED
    assert paused.due_at is None
    with world.uow() as uow:
        promise = uow.promises.get(thread.reply_promise_id or "")
        stored = uow.threads.get(thread.id)
    assert promise is not None
    assert promise.due_at is None
    assert stored is not None
    assert stored.next_due_at is None

    world.clock.set(utc(3, 9))  # Tuesday 10:00 Berlin: she answers
    received = world.email("Here is the photo", in_reply_to="<nothing@known>")
    assert received.new_thread  # an unknown In-Reply-To: a new thread...
    set_status(thread.id, ThreadStatus.OPEN, world.uow(), world.clock, world.agent)  # ...or staff

    clocks = world.clocks(thread.id)
    assert clocks["first_response"].state is ClockState.RUNNING
    assert clocks["first_response"].due_at == utc(3, 10)  # the hour left, from Tuesday 10:00
    assert clocks["resolution"].due_at == utc(3, 16)  # seven hours left: Tuesday 17:00 Berlin
    with world.uow() as uow:
        promise = uow.promises.get(thread.reply_promise_id or "")
    assert promise is not None
    assert promise.due_at == utc(3, 10)


def test_a_customer_message_on_a_waiting_thread_reopens_it_and_resumes_the_clocks(
    world: ConversationWorld,
) -> None:
    first = world.email(message_id="<q@mail.example.com>")
    world.clock.set(utc(2, 9))
    set_status(
        first.thread.id, ThreadStatus.WAITING_ON_CUSTOMER, world.uow(), world.clock, world.agent
    )
    world.clock.set(utc(3, 9))

    answer = world.email("Photo attached", references=("<q@mail.example.com>",))

    assert answer.thread.id == first.thread.id
    assert answer.thread.status is ThreadStatus.OPEN
    assert world.clocks(first.thread.id)["first_response"].due_at == utc(3, 10)


def test_the_owner_is_warned_before_a_breach_and_the_manager_told_at_it(
    world: ConversationWorld,
) -> None:
    thread = world.email().thread
    world.clock.set(utc(2, 9, 30))

    warned = fire_due_timers(world.uow, world.clock)

    assert warned.sla == 1
    with world.uow() as uow:
        tasks = uow.tasks.list_for_customer(thread.customer_id, 10)
        stored = uow.threads.get(thread.id)
    assert [t.kind for t in tasks] == [TaskKind.SLA_WARNING]
    assert tasks[0].assignee_role is not None
    assert tasks[0].assignee_role.value == "agent"
    assert stored is not None
    assert stored.warned
    assert not stored.breached

    world.clock.set(utc(2, 10))
    breached = fire_due_timers(world.uow, world.clock)

    assert breached.sla == 1
    with world.uow() as uow:
        tasks = uow.tasks.list_for_customer(thread.customer_id, 10)
        promise = uow.promises.get(thread.reply_promise_id or "")
        stored = uow.threads.get(thread.id)
    kinds = {t.kind: t for t in tasks}
    breach_role = kinds[TaskKind.SLA_BREACH].assignee_role
    assert breach_role is not None
    assert breach_role.value == "manager"
    assert promise is not None
    assert promise.state is PromiseState.BROKEN
    assert stored is not None
    assert stored.breached
    assert world.clocks(thread.id)["first_response"].state is ClockState.BREACHED

    world.clock.set(utc(2, 10, 30))
    world.reply(thread.id)

    with world.uow() as uow:
        promise = uow.promises.get(thread.reply_promise_id or "")
        warning = uow.tasks.get(kinds[TaskKind.SLA_WARNING].id)
    assert promise is not None
    assert promise.state is PromiseState.KEPT_LATE
    assert warning is not None
    assert not warning.is_open
    first = world.clocks(thread.id)["first_response"]
    assert first.state is ClockState.BREACHED
    assert first.met_at == utc(2, 10, 30)


def test_a_reply_before_the_timers_fire_leaves_them_nothing_to_do(
    world: ConversationWorld,
) -> None:
    thread = world.email().thread
    world.clock.set(utc(2, 8, 30))
    world.reply(thread.id)
    world.clock.set(utc(2, 10, 1))

    report = fire_due_timers(world.uow, world.clock)

    assert report.sla == 0
    with world.uow() as uow:
        assert uow.tasks.list_for_customer(thread.customer_id, 10) == []


def test_a_policy_change_keeps_the_time_already_spent(world: ConversationWorld) -> None:
    thread = world.email().thread
    world.clock.set(utc(2, 9))  # an hour of business time spent

    update_policy(
        world.policy.id,
        PolicyIn(
            name="E-mail, slower",
            first_response_minutes=180,
            next_response_minutes=240,
            resolution_minutes=480,
        ),
        world.uow(),
        world.clock,
        world.manager,
    )

    first = world.clocks(thread.id)["first_response"]
    assert first.target_minutes == 180
    assert first.spent_before == timedelta(hours=1)
    assert first.due_at == utc(2, 11)  # two hours left from 10:00 Berlin


def test_a_higher_priority_takes_its_own_policy_from_now(world: ConversationWorld) -> None:
    from heedful.core.sla.handlers import create_policy

    create_policy(
        PolicyIn(name="Urgent", priority=Priority.URGENT, first_response_minutes=30),
        world.uow(),
        world.clock,
        world.manager,
    )
    thread = world.email().thread
    world.clock.set(utc(2, 8, 10))  # ten minutes after opening

    set_priority(thread.id, Priority.URGENT, world.uow(), world.clock, world.agent)

    clocks = world.clocks(thread.id)
    assert clocks["first_response"].due_at == utc(2, 8, 30)
    assert clocks["resolution"].due_at == utc(2, 16)  # the urgent policy sets no resolution


def test_resolving_meets_the_resolution_clock_and_a_new_message_reopens(
    world: ConversationWorld,
) -> None:
    first = world.email(message_id="<r@mail.example.com>")
    world.clock.set(utc(2, 8, 30))
    world.reply(first.thread.id)
    world.clock.set(utc(2, 9))
    set_status(first.thread.id, ThreadStatus.RESOLVED, world.uow(), world.clock, world.agent)

    assert world.clocks(first.thread.id)["resolution"].state is ClockState.MET
    world.clock.set(utc(2, 12))
    again = world.email("It broke again", references=("<r@mail.example.com>",))

    assert again.thread.status is ThreadStatus.OPEN
    resolutions = [
        c
        for c in get_thread(first.thread.id, world.uow(), world.agent).clocks
        if c.kind.value == "resolution"
    ]
    assert [c.state for c in resolutions] == [ClockState.MET, ClockState.RUNNING]


def test_the_inbox_puts_what_breaches_first_on_top_and_pages_by_keyset(
    world: ConversationWorld,
) -> None:
    late = world.email("first", sender="a@example.com").thread
    world.later(minutes=20)
    middle = world.email("second", sender="b@example.com").thread
    world.clock.set(utc(2, 8, 15))
    early = world.email("third", sender="c@example.com").thread
    world.clock.set(utc(2, 8, 20))
    set_priority(early.id, Priority.HIGH, world.uow(), world.clock, world.agent)
    world.email("munich", sender="d@example.com", to="munich@shop.example")

    page = list_inbox(world.uow(), world.agent, limit=2)
    rest = list_inbox(world.uow(), world.agent, limit=2, cursor=page.next_cursor)

    ids = [t.id for t in page.items + rest.items]
    # a and b were written before opening: both due at 11:00 Berlin; c at 11:15.
    assert set(ids[:2]) == {late.id, middle.id}
    assert ids[2] == early.id
    assert rest.next_cursor is None
    assert list_inbox(world.uow(), world.other_agent).items[0].location_id == world.munich.id
    assert len(list_inbox(world.uow(), world.admin, limit=10).items) == 4
    assert list_inbox(world.uow(), world.agent, InboxFilter(unassigned=True)).items


def test_staff_of_another_location_cannot_see_or_answer_a_thread(world: ConversationWorld) -> None:
    thread = world.email().thread
    with pytest.raises(NotFound):
        get_thread(thread.id, world.uow(), world.other_agent)
    with pytest.raises(NotFound):
        add_note(thread.id, "peek", world.uow(), world.clock, world.other_agent)


def test_notes_stay_inside_and_assignment_moves_the_reply_promise(
    world: ConversationWorld,
) -> None:
    thread = world.email().thread
    add_note(thread.id, "VIP, be gentle", world.uow(), world.clock, world.agent)
    assign(
        thread.id,
        world.uow(),
        world.clock,
        world.manager,
        assignee_id=world.agent.id,
        team_id=None,
    )

    view = get_thread(thread.id, world.uow(), world.agent)
    assert [n.body for n in view.notes] == ["VIP, be gentle"]
    with world.uow() as uow:
        assert uow.outbox.list_for_customer(thread.customer_id, 5) == []
        promise = uow.promises.get(thread.reply_promise_id or "")
    assert promise is not None
    assert promise.owner_id == world.agent.id
    assert [t.id for t in list_customer_threads(thread.customer_id, world.uow(), world.agent)] == [
        thread.id
    ]


def test_a_chat_visitor_writes_and_polls_for_the_agents_reply(world: ConversationWorld) -> None:
    started = receive_chat(
        ChatIn(text="Чи є вона у розмірі 38?", language="uk", name="Olha"),
        world.uow(),
        world.clock,
        default_location_id=world.berlin.id,
    )
    token = started.thread.visitor_token
    assert token
    world.later(minutes=3)
    world.reply(started.thread.id, "Yes, two pairs.")

    _, new = chat_messages_after(token, started.message.sequence, world.uow())

    assert [(m.direction, m.body) for m in new] == [(Direction.OUT, "Yes, two pairs.")]
    follow_up = receive_chat(
        ChatIn(text="Great, I'll come", visitor_token=token), world.uow(), world.clock
    )
    assert follow_up.thread.id == started.thread.id
    assert started.thread.language == "uk"
    with pytest.raises(NotFound):
        chat_messages_after("not-a-token", 0, world.uow())


def test_an_email_over_smtp_is_answered_with_the_right_threading_headers(
    world: ConversationWorld, mailbox: Mailbox
) -> None:
    listener = start_inbound_smtp(InboundHandler(world.uow, world.clock), "127.0.0.1", 0)
    try:
        mail = EmailMessage()
        mail["From"] = "Marta Nowak <marta@example.com>"
        mail["To"] = "berlin@shop.example"
        mail["Subject"] = "Rückgabe"
        mail["Message-ID"] = "<marta-1@mail.example.com>"
        mail.set_content("Kann ich die Schuhe zurückgeben?", charset="utf-8")
        with smtplib.SMTP(listener.hostname, listener.port) as client:
            client.send_message(mail)
    finally:
        listener.stop()
    with world.uow() as uow:
        customer = uow.customers.find_by_identity(_email_kind(), "marta@example.com")
    assert customer is not None
    [thread] = list_customer_threads(customer.id, world.uow(), world.agent)
    assert thread.subject == "Rückgabe"
    world.reply(thread.id, "Ja, innerhalb von 30 Tagen.")

    relay = Relay(
        senders={
            "email": SmtpSender(
                mailbox.host, mailbox.port, "Shop <shop@shop.example>", DOMAIN, clock=world.clock
            )
        },
        composer=JinjaComposer(REPLY_TEMPLATES),
    )
    assert relay.run(world.uow, world.clock).sent == 1

    [sent] = mailbox.wait_for(1)
    assert sent["To"] == "marta@example.com"
    assert sent["Subject"] == "Re: Rückgabe"
    assert sent["In-Reply-To"] == "<marta-1@mail.example.com>"
    assert sent["References"] == "<marta-1@mail.example.com>"
    assert sent["Auto-Submitted"] is None
    assert "Ja, innerhalb von 30 Tagen." in sent.get_content()
    view = get_thread(thread.id, world.uow(), world.agent)
    assert sent["Message-ID"] == view.messages[-1].message_id


def _email_kind() -> IdentityKind:
    return IdentityKind.EMAIL


def _last_out(world: ConversationWorld, thread_id: str) -> str:
    view = get_thread(thread_id, world.uow(), world.agent)
    return next(m.message_id for m in reversed(view.messages) if m.direction is Direction.OUT)


def test_a_merge_brings_her_threads_and_an_erasure_keeps_them_without_her_words(
    world: ConversationWorld,
) -> None:
    from heedful.core.customers.merging import merge_customers
    from heedful.core.privacy import erase_customer

    by_mail = world.email(sender="anna@example.com").thread
    by_other_mail = world.email("Me again", sender="anna.work@example.com").thread
    assert by_mail.customer_id != by_other_mail.customer_id

    merge_customers(
        by_mail.customer_id, by_other_mail.customer_id, "one person", world.uow(), world.clock,
        world.admin,
    )  # fmt: skip

    threads = list_customer_threads(by_mail.customer_id, world.uow(), world.admin)
    assert {t.id for t in threads} == {by_mail.id, by_other_mail.id}

    erase_customer(
        by_mail.customer_id, "asked to be forgotten", world.uow(), world.clock, world.admin
    )

    view = get_thread(by_other_mail.id, world.uow(), world.admin)
    assert view.thread.subject == ""
    assert [m.body for m in view.messages] == [""]
    assert len(world.clocks(by_other_mail.id)) == 2  # the clocks still count in the report


def test_new_opening_hours_keep_the_time_a_running_clock_has_spent(
    world: ConversationWorld,
) -> None:
    from heedful.core.sla.calendar_days import set_opening_hours

    thread = world.email().thread
    world.clock.set(utc(2, 9))  # 10:00 Berlin: one of the two hours spent

    set_opening_hours(
        world.berlin.id, {"mon-fri": ["12:00-20:00"]}, "", world.uow(), world.clock, world.admin
    )

    first = world.clocks(thread.id)["first_response"]
    assert first.spent_before == timedelta(hours=1)
    assert first.due_at == utc(2, 12)  # the hour left, from the new opening at 12:00 Berlin
    with world.uow() as uow:
        promise = uow.promises.get(thread.reply_promise_id or "")
    assert promise is not None
    assert promise.due_at == utc(2, 12)


def test_a_shortened_day_moves_the_due_time_and_keeps_what_was_spent(
    world: ConversationWorld,
) -> None:
    from datetime import date

    from heedful.core.sla.calendar_days import calendar_year, set_calendar_day

    thread = world.email().thread
    world.clock.set(utc(2, 8, 30))  # 09:30 Berlin: half an hour spent

    set_calendar_day(
        world.berlin.id,
        date(2026, 3, 2),
        ["09:00-10:00"],
        "inventory",
        world.uow(),
        world.clock,
        world.manager,
    )

    # Half an hour more on Monday (to 10:00), the last hour on Tuesday from 09:00 Berlin.
    assert world.clocks(thread.id)["first_response"].due_at == utc(3, 9)
    year = calendar_year(world.berlin.id, 2026, world.uow(), world.agent)
    assert [(d.day, d.reason) for d in year.days] == [(date(2026, 3, 2), "inventory")]
    assert (date(2026, 4, 3), "Karfreitag") in year.holidays or any(
        day == date(2026, 4, 3) for day, _ in year.holidays
    )
    assert not year.provisional


def _conversation_survey(world: ConversationWorld) -> str:
    survey = define_survey(
        DefineSurvey(
            name="After a conversation",
            kind=SurveyKind.CSAT,
            touchpoint=Touchpoint.CONVERSATION,
            texts={"en": SurveyText("How did we do?", "What could we do better?")},
            location_id=world.berlin.id,
        ),
        world.uow(),
        world.clock,
        world.admin,
    )
    return survey.id


def test_resolving_a_conversation_offers_its_survey_within_her_consent(
    world: ConversationWorld,
) -> None:
    survey_id = _conversation_survey(world)
    asked = world.email(message_id="<s1@mail.example.com>")
    record_consent(
        RecordConsent(asked.thread.customer_id, Channel.EMAIL, Purpose.SURVEYS, True, "web form"),
        world.uow(),
        world.clock,
        world.admin,
    )
    world.reply(asked.thread.id)
    set_status(asked.thread.id, ThreadStatus.RESOLVED, world.uow(), world.clock, world.agent)
    # Resolving twice in a row changes nothing and offers nothing more.
    set_status(asked.thread.id, ThreadStatus.RESOLVED, world.uow(), world.clock, world.agent)

    # Another customer, who never agreed to surveys, is not asked.
    world.clock.set(utc(2, 9, 30))
    silent = world.email("Opening hours?", sender="max@example.com", subject="Hours")
    set_status(silent.thread.id, ThreadStatus.RESOLVED, world.uow(), world.clock, world.agent)

    report = process_events(world.uow, world.clock)

    assert report.events == 2
    with world.uow() as uow:
        [invitation] = uow.feedback.invitations.list_for_customer(asked.thread.customer_id, 10)
        assert uow.feedback.invitations.list_for_customer(silent.thread.customer_id, 10) == []
    assert invitation.survey_id == survey_id
    assert invitation.staff_id == world.agent.id  # the answer is credited to who resolved it
    assert any("no survey" in skipped for skipped in report.skipped)
