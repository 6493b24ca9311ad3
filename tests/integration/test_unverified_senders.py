"""Senders who only claim to be a customer are filed as unverified, on SQLite and PostgreSQL.

A chat, or an e-mail naming a known customer's address, proves nothing: its thread is marked, it
opens no reply promise (so a flood cannot drag the promise-kept rate down), and nothing it says is
written onto her record, until a reply to our mail, a DKIM/SPF pass said by the trusted receiving
mail server, or a staff member shows who wrote.
"""

from __future__ import annotations

import pytest
from conversation_world import ConversationWorld, build_conversation_world

from heedful.bootstrap import Container
from heedful.core.conversations.handlers import (
    ChatIn,
    InboundEmail,
    Received,
    accept_sender,
    get_thread,
    receive_chat,
    receive_email,
)
from heedful.core.customers.identities import IdentityKind
from heedful.core.engine.timers import fire_due_timers
from heedful.core.promises.model import PromiseState
from heedful.core.promises.report import ReportAsk, promise_report
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import NotFound
from heedful.core.shared.ids import new_id

MX = "mx.shop.example"


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> ConversationWorld:
    built = build_conversation_world(container, clock)
    # Anna wrote before, from her own address: she has a card and her first thread is verified.
    first = built.email(sender="anna@example.com")
    assert first.thread.sender_verified
    assert first.thread.sender_proof == "first_contact"
    return built


def _mail(world: ConversationWorld, *, results: tuple[str, ...] = (), **extra: str) -> Received:
    return receive_email(
        InboundEmail(
            from_address=extra.get("sender", "anna@example.com"),
            from_name=extra.get("name", "Anna Schmidt"),
            to_addresses=("berlin@shop.example",),
            subject="About my order",
            text=extra.get("text", "Please change my delivery address"),
            message_id=f"<{new_id()}@mail.example.com>",
            in_reply_to=extra.get("in_reply_to", ""),
            authentication_results=results,
        ),
        world.uow(),
        world.clock,
        trusted_authserv_id=MX,
    )


def _chat(world: ConversationWorld, **claims: str) -> Received:
    return receive_chat(
        ChatIn(text="Hi, it is me", location_id=world.berlin.id, **claims),
        world.uow(),
        world.clock,
    )


def _anna_id(world: ConversationWorld) -> str:
    with world.uow() as uow:
        anna = uow.customers.find_by_identity(IdentityKind.EMAIL, "anna@example.com")
    assert anna is not None
    return anna.id


def test_an_email_naming_her_address_without_proof_is_unverified_and_promises_nothing(
    world: ConversationWorld,
) -> None:
    forged = _mail(world)

    assert forged.thread.customer_id == _anna_id(world)  # filed on her card, marked
    assert not forged.thread.sender_verified
    assert forged.thread.reply_promise_id is None
    assert "first_response" in world.clocks(forged.thread.id)  # the inbox still sorts it by due


def test_a_dkim_or_spf_pass_said_by_our_mail_server_verifies_the_sender(
    world: ConversationWorld,
) -> None:
    dkim = _mail(world, results=(f"{MX}; dkim=pass header.d=example.com header.s=s1",))
    spf = _mail(world, results=(f"{MX} 1; spf=pass (sender ok) smtp.mailfrom=bounce@example.com",))
    failed = _mail(world, results=(f"{MX}; dkim=fail header.d=example.com; spf=softfail",))
    other_domain = _mail(world, results=(f"{MX}; dkim=pass header.d=attacker.example",))
    # The sender can write any header; only our own server's name is believed.
    self_made = _mail(world, results=("mx.attacker.example; dkim=pass header.d=example.com",))

    assert (dkim.thread.sender_verified, dkim.thread.sender_proof) == (True, "dkim")
    assert (spf.thread.sender_verified, spf.thread.sender_proof) == (True, "spf")
    assert dkim.thread.reply_promise_id is not None
    assert dkim.message.authentication.startswith(f"{MX}; dkim=pass")  # kept as the server said
    assert not failed.thread.sender_verified
    assert not other_domain.thread.sender_verified
    assert not self_made.thread.sender_verified
    assert self_made.message.authentication == ""  # a header we do not believe is not kept


def test_an_answer_to_our_mail_from_her_address_verifies_the_thread_and_opens_the_promise(
    world: ConversationWorld,
) -> None:
    forged = _mail(world)
    ours = world.reply(forged.thread.id)  # the reply went to anna@example.com
    world.later(minutes=5)

    # Whoever typed the first mail, the one who answers ours from her address got our mail.
    answer = _mail(world, in_reply_to=ours.message_id, text="Yes, that was me")
    spoofed = _mail(world, sender="boris@example.com", in_reply_to=ours.message_id)

    assert answer.thread.id == forged.thread.id
    assert (answer.thread.sender_verified, answer.thread.sender_proof) == (True, "reply")
    # Our reply already answered; nothing more is owed, so no promise is made after the fact.
    assert answer.thread.reply_promise_id is None
    assert not spoofed.thread.sender_verified  # our Message-ID, but not the address we sent it to


def test_a_chat_naming_customers_is_filed_on_her_card_but_changes_nothing_on_it(
    world: ConversationWorld,
) -> None:
    boris = _mail(world, sender="boris@example.com", name="Boris Brandt")
    anna_id = _anna_id(world)

    chat = _chat(world, email="ANNA@example.com", phone="+4915112345678", name="Mallory")
    both = _chat(world, email="anna@example.com", phone="", name="X")
    two_people = _chat(world, email="boris@example.com", phone="+4915112345678")

    assert chat.thread.customer_id == anna_id
    assert not chat.thread.sender_verified
    assert chat.thread.reply_promise_id is None
    assert both.thread.customer_id == anna_id
    with world.uow() as uow:
        anna = uow.customers.get(anna_id)
        phone_owner = uow.customers.find_by_identity(IdentityKind.PHONE, "+4915112345678")
        boris_now = uow.customers.get(boris.thread.customer_id)
    assert anna is not None
    assert anna.full_name == "Anna Schmidt"  # not renamed by the visitor
    assert phone_owner is None  # the claimed phone was not added to her card
    assert boris_now is not None
    assert boris_now.status.value == "active"  # two claimed people were not merged
    assert two_people.thread.customer_id == boris.thread.customer_id


def test_a_flood_of_anonymous_chats_leaves_the_promise_kept_rate_alone(
    world: ConversationWorld,
) -> None:
    before = promise_report(ReportAsk(), world.uow(), world.clock, world.admin).total
    chats = [_chat(world) for _ in range(30)]
    world.later(days=2)
    fire_due_timers(world.uow, world.clock)

    after = promise_report(ReportAsk(), world.uow(), world.clock, world.admin).total

    assert all(not c.thread.sender_verified for c in chats)
    assert all(c.thread.reply_promise_id is None for c in chats)
    assert after.made == before.made == 1  # Anna's own first thread, nothing from the flood
    assert after.counted == 1  # hers, broken after two days; thirty chats counted nowhere


def test_staff_accept_a_sender_once_audited_and_the_reply_owed_becomes_a_promise(
    world: ConversationWorld,
) -> None:
    chat = _chat(world, email="new.visitor@example.com")
    assert chat.thread.reply_promise_id is None
    world.later(minutes=10)

    accepted = accept_sender(chat.thread.id, world.uow(), world.clock, world.agent)
    again = accept_sender(chat.thread.id, world.uow(), world.clock, world.agent)

    assert (accepted.sender_verified, accepted.sender_proof) == (True, "staff")
    assert again.reply_promise_id == accepted.reply_promise_id
    with world.uow() as uow:
        promise = uow.promises.get(accepted.reply_promise_id or "")
        trail = uow.audit.list_for(chat.thread.customer_id, 50)
    assert promise is not None
    assert promise.state is PromiseState.OPEN
    assert promise.due_at == world.clocks(chat.thread.id)["first_response"].due_at
    accepted_entries = [e for e in trail if e.action == "conversation.sender_accepted"]
    assert len(accepted_entries) == 1
    assert accepted_entries[0].actor_id == world.agent.id
    # The first reply keeps it, like any other thread's.
    world.reply(chat.thread.id)
    with world.uow() as uow:
        kept = uow.promises.get(accepted.reply_promise_id or "")
    assert kept is not None
    assert kept.state is PromiseState.KEPT


def test_staff_of_another_location_cannot_accept_a_sender(world: ConversationWorld) -> None:
    chat = _chat(world)

    with pytest.raises(NotFound):
        accept_sender(chat.thread.id, world.uow(), world.clock, world.other_agent)
    view = get_thread(chat.thread.id, world.uow(), world.agent)
    assert not view.thread.sender_verified
