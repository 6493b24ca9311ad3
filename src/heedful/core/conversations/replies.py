"""Staff answering: a reply goes back the way the customer wrote; a note stays inside Heedful.

An e-mail reply is written to the outbox in the same transaction as the thread message, with its
Message-ID decided now (it derives from the outbox id, as the SMTP sender writes it), so the
customer's answer to it finds the thread. A chat reply is the thread message itself: the chat
page picks it up at its next poll.
"""

from __future__ import annotations

from heedful.core.access import Actor, Permission
from heedful.core.conversations import threading
from heedful.core.conversations.access import load_thread
from heedful.core.conversations.model import (
    MAX_BODY,
    Channel,
    Direction,
    Note,
    Thread,
    ThreadMessage,
    preview,
)
from heedful.core.customers import Purpose
from heedful.core.outreach import Message
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.ids import new_id
from heedful.core.sla import ThreadClocks
from heedful.core.unit_of_work import UnitOfWork

# The outbox template of an e-mail reply (core/conversations/reply_templates.py).
REPLY_TEMPLATE = "conversation_reply"
MAX_NOTE = 5000


def reply(
    thread_id: str,
    body: str,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    message_id_domain: str,
) -> ThreadMessage:
    actor.require(Permission.ANSWER_CONVERSATIONS)
    text = body.replace("\x00", "").strip()
    if not text:
        raise InvalidInput("write the reply", field="body")
    if len(text) > MAX_BODY:
        raise InvalidInput(f"a reply is at most {MAX_BODY} characters", field="body")
    now = clock.now()
    with uow:
        thread = load_thread(uow, actor, thread_id, for_change=True)
        message = ThreadMessage(
            id=new_id("tmg_"),
            thread_id=thread.id,
            direction=Direction.OUT,
            channel=thread.channel,
            author_id=actor.id,
            author_label=actor.label,
            body=text,
            created_at=now,
        )
        if thread.channel is Channel.EMAIL:
            _queue_email(uow, thread, message, message_id_domain)
        uow.threads.add_message(message)
        thread.last_message_preview = preview(text)
        if thread.assignee_id is None and uow.staff.get(actor.id) is not None:
            thread.assignee_id = actor.id  # whoever answers an unowned thread holds it
        ThreadClocks(uow, thread).staff_answered(now, actor.label, message.id)
        uow.commit()
    return message


def _queue_email(
    uow: UnitOfWork, thread: Thread, message: ThreadMessage, message_id_domain: str
) -> None:
    history = uow.threads.messages(thread.id)
    answered = next(
        (m for m in reversed(history) if m.direction is Direction.IN and m.address), None
    )
    if answered is None:
        raise InvalidInput("this conversation has no address to reply to", field="thread_id")
    outbox_id = new_id("msg_")
    message.message_id = f"<{outbox_id}@{message_id_domain}>"
    message.in_reply_to = answered.message_id
    message.outbox_message_id = outbox_id
    # Where it went: an answer naming this Message-ID from this address proves the sender.
    message.address = answered.address
    references = threading.references_for_reply(
        [m.message_id for m in history if m.message_id], answered.message_id
    )
    uow.outbox.add(
        Message(
            id=outbox_id,
            customer_id=thread.customer_id,
            template_key=REPLY_TEMPLATE,
            purpose=Purpose.SERVICE,
            created_at=message.created_at,
            ready_at=message.created_at,
            location_id=thread.location_id,
            context={
                "reply": {
                    "to": answered.address,
                    "subject": threading.reply_subject(thread.subject),
                    "body": message.body,
                    "author": message.author_label,
                },
                "threading": {"in_reply_to": answered.message_id, "references": references},
            },
        )
    )


def add_note(thread_id: str, body: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> Note:
    actor.require(Permission.ANSWER_CONVERSATIONS)
    text = body.replace("\x00", "").strip()
    if not text:
        raise InvalidInput("write the note", field="body")
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"a note is at most {MAX_NOTE} characters", field="body")
    now = clock.now()
    with uow:
        thread = load_thread(uow, actor, thread_id, for_change=True)
        note = Note(new_id("nte_"), thread.id, actor.id, actor.label, text, now)
        uow.threads.add_note(note)
        thread.updated_at = now
        uow.threads.update(thread)
        uow.commit()
    return note
