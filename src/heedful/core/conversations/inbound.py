"""Customers writing in: an e-mail or a chat message lands in its thread, on its customer.

An e-mail joins the thread that holds a message it answers (In-Reply-To, References), our own
replies included; otherwise it opens a thread. The customer is found by the address (or phone)
she wrote from, and created when unknown; the location is the one whose code is the local part
of the address she wrote to ("podil@shop.example" reaches the location coded "podil"), else the
configured default, else the first location. Whether the sender is who that customer's card
says is decided in senders.py: a chat, or a mail naming a known address without proof, is
filed as an unverified sender.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from heedful.core.access import SYSTEM
from heedful.core.conversations import threading
from heedful.core.conversations.model import (
    MAX_BODY,
    MAX_SUBJECT,
    Channel,
    Direction,
    Priority,
    Thread,
    ThreadMessage,
    ThreadStatus,
    preview,
)
from heedful.core.conversations.senders import (
    SenderProof,
    answers_our_mail,
    check_mail,
    verify,
)
from heedful.core.customers import (
    CreateCustomer,
    Customer,
    CustomerStatus,
    IdentifyCustomer,
    IdentityKind,
    NewIdentity,
    create_customer,
    identify_customer,
    normalise_identity,
)
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.language import language_written_in
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.text import without_hidden_characters
from heedful.core.sla import ThreadClocks
from heedful.core.staff import Location
from heedful.core.unit_of_work import UnitOfWork

LANGUAGES = ("uk", "ru", "en")
# What a later e-mail in an unverified thread can show; a first contact is only for new threads.
SHOWN_BY_MAIL = frozenset({SenderProof.REPLY, SenderProof.DKIM, SenderProof.SPF})
MAX_CHAT_TEXT = 4000


@dataclass(frozen=True)
class InboundEmail:
    from_address: str
    to_addresses: tuple[str, ...]
    subject: str
    text: str
    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    from_name: str = ""
    # Every Authentication-Results header, as received; only the trusted server's is believed.
    authentication_results: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChatIn:
    text: str
    language: str | None = None  # the browser's language: a hint that what she writes outranks
    visitor_token: str | None = None
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    location_id: str | None = None


@dataclass(frozen=True)
class Received:
    thread: Thread
    message: ThreadMessage
    new_thread: bool


def receive_email(
    cmd: InboundEmail,
    uow: UnitOfWork,
    clock: Clock,
    *,
    default_location_id: str | None = None,
    trusted_authserv_id: str = "",
) -> Received:
    now = clock.now()
    body = _body(cmd.text, "text")
    message_id = threading.normalise(cmd.message_id)
    with uow:
        repeat = uow.threads.find_message(message_id) if message_id else None
        if repeat is not None:
            # A mail server that did not hear our "250" delivers again: same message, once.
            thread = uow.threads.get(repeat.thread_id)
            assert thread is not None
            return Received(thread, repeat, new_thread=False)
        named = threading.candidates(cmd.in_reply_to, tuple(cmd.references))
        known = uow.threads.thread_of_message_ids(named)
        location = known_location(uow, known) or pick_location(
            uow, cmd.to_addresses, default_location_id
        )
        # A stranger's display name cannot be refused with her mail; what staff read must not
        # lie either, so hidden characters go (ADR 0024), and it is cut to what a name holds.
        sender_name = without_hidden_characters(" ".join(cmd.from_name.split()))[:200].strip()
        check = check_mail(cmd.from_address, cmd.authentication_results, trusted_authserv_id)
        proof = check.proof
        if answers_our_mail(cmd.from_address, uow.threads.sent_messages(named)):
            proof = SenderProof.REPLY
        owner = _owner(uow, IdentityKind.EMAIL, cmd.from_address)
        if proof is None and owner is None:
            proof = SenderProof.FIRST_CONTACT
        another_voice = owner is None or (known is not None and owner.id != known.customer_id)
        if known is not None and proof not in SHOWN_BY_MAIL and another_voice:
            # Someone else wrote into her thread (knowing one of its Message-IDs), not shown to
            # be her: staff see the badge again before trusting what it says.
            known.sender_verified, known.sender_proof = False, ""
        customer = identify_customer(
            IdentifyCustomer(
                identities=(NewIdentity(IdentityKind.EMAIL, cmd.from_address),),
                full_name=sender_name or None,
                # Used only when she is new: a known customer keeps the language on her card.
                language=language_written_in(f"{cmd.subject}\n{body}"),
                location_id=location.id,
            ),
            uow,
            clock,
            SYSTEM,
        )
        thread = known
        new_thread = thread is None
        if thread is None:
            subject = " ".join(cmd.subject.split())[:MAX_SUBJECT] or preview(body)[:80]
            thread = _open_thread(uow, customer, location.id, Channel.EMAIL, subject, now)
            thread.sender_verified = proof is not None
            thread.sender_proof = proof.value if proof is not None else ""
        message = ThreadMessage(
            id=new_id("tmg_"),
            thread_id=thread.id,
            direction=Direction.IN,
            channel=Channel.EMAIL,
            author_id=None,
            author_label=sender_name or cmd.from_address,
            body=body,
            created_at=now,
            message_id=message_id,
            in_reply_to=threading.normalise(cmd.in_reply_to),
            address=cmd.from_address.strip(),
            authentication=check.authentication,
        )
        _record(uow, thread, message, now)
        if not thread.sender_verified and proof in SHOWN_BY_MAIL:
            verify(uow, thread, proof, now)  # a later message of the thread proved the sender
        uow.commit()
    return Received(thread, message, new_thread)


def receive_chat(
    cmd: ChatIn, uow: UnitOfWork, clock: Clock, *, default_location_id: str | None = None
) -> Received:
    now = clock.now()
    body = _body(cmd.text, "text", limit=MAX_CHAT_TEXT)
    hint = cmd.language.split("-")[0].lower() if cmd.language else "en"
    language = language_written_in(body, otherwise=hint if hint in LANGUAGES else "en")
    with uow:
        if cmd.visitor_token:
            thread = uow.threads.by_visitor_token(cmd.visitor_token)
            if thread is None:
                raise NotFound("this chat is not known; start a new one", field="visitor_token")
            thread = uow.threads.get(thread.id, for_change=True) or thread
            new_thread = False
        else:
            location = pick_location(uow, (), cmd.location_id or default_location_id)
            customer = _chat_customer(uow, clock, cmd, language, location.id)
            subject = preview(body)[:80]
            thread = _open_thread(uow, customer, location.id, Channel.CHAT, subject, now)
            thread.language = language
            thread.visitor_token = secrets.token_urlsafe(32)
            # A chat proves nothing about who is typing (core/conversations/senders.py).
            thread.sender_verified = False
            uow.threads.update(thread)
            new_thread = True
        message = ThreadMessage(
            id=new_id("tmg_"),
            thread_id=thread.id,
            direction=Direction.IN,
            channel=Channel.CHAT,
            author_id=None,
            author_label=(cmd.name or "").strip()[:200] or "Visitor",
            body=body,
            created_at=now,
        )
        _record(uow, thread, message, now)
        uow.commit()
    return Received(thread, message, new_thread)


def chat_messages_after(
    visitor_token: str, after: int, uow: UnitOfWork, limit: int = 100
) -> tuple[Thread, list[ThreadMessage]]:
    """What the chat page shows: the thread's messages after the cursor it last saw."""
    with uow:
        thread = uow.threads.by_visitor_token(visitor_token)
        if thread is None:
            raise NotFound("this chat is not known", field="visitor_token")
        return thread, uow.threads.messages(thread.id, after=max(after, 0), limit=limit)


def pick_location(
    uow: UnitOfWork, to_addresses: tuple[str, ...], default_location_id: str | None
) -> Location:
    for address in to_addresses:
        local = address.strip().split("@")[0].strip().lower()
        if local:
            found = uow.locations.get_by_code(local)
            if found is not None:
                return found
    if default_location_id:
        found = uow.locations.get(default_location_id) or uow.locations.get_by_code(
            default_location_id
        )
        if found is None:
            raise InvalidInput(
                f"no location {default_location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        return found
    every = uow.locations.list()
    if not every:
        raise InvalidInput("there is no location to receive conversations", field="location_id")
    return min(every, key=lambda location: (location.created_at, location.id))


def known_location(uow: UnitOfWork, thread: Thread | None) -> Location | None:
    return uow.locations.get(thread.location_id) if thread is not None else None


def _chat_customer(
    uow: UnitOfWork, clock: Clock, cmd: ChatIn, language: str, location_id: str
) -> Customer:
    """Whose card a new chat is filed on; nothing the visitor claims is written onto anyone's.

    A visitor who names an address or phone of a customer is filed on her card as an unverified
    sender: her record is not renamed, given the visitor's other identities, or merged with
    another (two claimed identities of two customers prove nothing about either). A visitor
    who names nobody known gets a card of her own with what she gave.
    """
    claimed = tuple(
        NewIdentity(kind, value.strip())
        for kind, value in ((IdentityKind.EMAIL, cmd.email), (IdentityKind.PHONE, cmd.phone))
        if value and value.strip()
    )
    for identity in claimed:
        owner = _owner(uow, identity.kind, identity.value)
        if owner is not None:
            return owner
    name = without_hidden_characters(" ".join((cmd.name or "").split()))[:200] or None
    if claimed:
        return identify_customer(
            IdentifyCustomer(
                identities=claimed,
                full_name=name,
                language=language,
                location_id=location_id,
            ),
            uow,
            clock,
            SYSTEM,
        )
    # A visitor who gives no address is still someone: a customer with no identity, whom
    # staff can later merge with the record that has her e-mail. The rate limits bound how
    # many a flood can make; none of them has a counted reply promise (senders.py).
    return create_customer(
        CreateCustomer(
            full_name=name or "Chat visitor",
            language=language,
            home_location_id=location_id,
        ),
        uow,
        clock,
        SYSTEM,
    )


def _owner(uow: UnitOfWork, kind: IdentityKind, value: str) -> Customer | None:
    """The active customer holding this identity, if any; a malformed one belongs to nobody."""
    try:
        normalised = normalise_identity(kind, value)
    except InvalidInput:
        return None
    found = uow.customers.find_by_identity(kind, normalised)
    return found if found is not None and found.status is CustomerStatus.ACTIVE else None


def _open_thread(
    uow: UnitOfWork,
    customer: Customer,
    location_id: str,
    channel: Channel,
    subject: str,
    now: datetime,
) -> Thread:
    thread = Thread(
        id=new_id("thr_"),
        customer_id=customer.id,
        location_id=location_id,
        channel=channel,
        subject=subject,
        status=ThreadStatus.OPEN,
        priority=Priority.NORMAL,
        language=customer.language,
        created_at=now,
        updated_at=now,
        segment=customer.segment.value,
    )
    uow.threads.add(thread)
    return thread


def _record(uow: UnitOfWork, thread: Thread, message: ThreadMessage, now: datetime) -> None:
    uow.threads.add_message(message)
    thread.last_message_preview = preview(message.body)
    ThreadClocks(uow, thread).customer_wrote(now)


def _body(text: str, field: str, limit: int = MAX_BODY) -> str:
    body = text.replace("\x00", "").strip()
    if not body:
        raise InvalidInput("the message has no text", field=field)
    return body[:limit]
