"""Conversation use cases: the inbox, a thread, assignment, status and priority.

Receiving (inbound.py) and answering (replies.py) live in their own modules and are named here
too, so the entry points find every use case in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from heedful.core.access import SYSTEM, Actor, Permission, load_customer, scope_of
from heedful.core.conversations.access import load_thread
from heedful.core.conversations.inbound import (
    ChatIn,
    InboundEmail,
    Received,
    chat_messages_after,
    receive_chat,
    receive_email,
)
from heedful.core.conversations.model import (
    Note,
    Priority,
    Thread,
    ThreadMessage,
    ThreadStatus,
)
from heedful.core.conversations.ports import InboxFilter, ThreadPage
from heedful.core.conversations.replies import add_note, reply
from heedful.core.conversations.senders import accept_sender
from heedful.core.conversations.teams import create_team, list_teams, set_team_members
from heedful.core.customers import audit
from heedful.core.events import CONVERSATION_RESOLVED, BusinessEvent
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Forbidden, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.sla import SlaClock, ThreadClocks
from heedful.core.unit_of_work import UnitOfWork

__all__ = [
    "ChatIn",
    "InboundEmail",
    "InboxFilter",
    "Received",
    "ThreadView",
    "accept_sender",
    "add_note",
    "assign",
    "chat_messages_after",
    "create_team",
    "get_thread",
    "list_customer_threads",
    "list_inbox",
    "list_teams",
    "receive_chat",
    "receive_email",
    "reply",
    "set_priority",
    "set_status",
    "set_team_members",
]

MAX_PAGE = 200


@dataclass(frozen=True)
class ThreadView:
    thread: Thread
    messages: list[ThreadMessage]
    notes: list[Note]
    clocks: list[SlaClock]
    promise_id: str | None


def list_inbox(
    uow: UnitOfWork,
    actor: Actor,
    where: InboxFilter | None = None,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> ThreadPage:
    """Open threads of the actor's locations, what breaches first at the top."""
    actor.require(Permission.ANSWER_CONVERSATIONS)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"a page is 1 to {MAX_PAGE} threads", field="limit")
    where = where or InboxFilter()
    if where.location_id is not None and not actor.may_act_at(where.location_id):
        raise Forbidden(
            "you do not work at that location",
            said=Phrase("refusal.not_your_location"),
            field="location_id",
        )
    with uow:
        return uow.threads.inbox(where, scope_of(actor).location_ids, limit, cursor)


def get_thread(thread_id: str, uow: UnitOfWork, actor: Actor) -> ThreadView:
    actor.require(Permission.ANSWER_CONVERSATIONS)
    with uow:
        thread = load_thread(uow, actor, thread_id)
        return ThreadView(
            thread=thread,
            messages=uow.threads.messages(thread.id),
            notes=uow.threads.notes(thread.id),
            clocks=uow.sla_clocks.for_thread(thread.id),
            promise_id=thread.reply_promise_id,
        )


def list_customer_threads(
    customer_id: str, uow: UnitOfWork, actor: Actor, limit: int = 50
) -> list[Thread]:
    """The customer card's conversations, latest first, at the actor's locations."""
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        customer = load_customer(uow, actor, customer_id)
        found = uow.threads.for_customer(customer.id, min(max(limit, 1), MAX_PAGE))
    return [thread for thread in found if actor.may_act_at(thread.location_id)]


def assign(
    thread_id: str,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    assignee_id: str | None,
    team_id: str | None,
) -> Thread:
    actor.require(Permission.ANSWER_CONVERSATIONS)
    now = clock.now()
    with uow:
        thread = load_thread(uow, actor, thread_id, for_change=True)
        if assignee_id is not None:
            member = uow.staff.get(assignee_id)
            if member is None or not member.active:
                raise InvalidInput(f"no staff member {assignee_id}", field="assignee_id")
            if not member.as_actor().may_act_at(thread.location_id):
                raise InvalidInput(
                    f"{member.full_name} does not work at this location", field="assignee_id"
                )
        if team_id is not None and uow.teams.get(team_id) is None:
            raise InvalidInput(f"no team {team_id}", field="team_id")
        before = {"assignee_id": thread.assignee_id, "team_id": thread.team_id}
        thread.assignee_id, thread.team_id, thread.updated_at = assignee_id, team_id, now
        uow.threads.update(thread)
        if thread.reply_promise_id is not None:
            promise = uow.promises.get(thread.reply_promise_id, for_change=True)
            if promise is not None and promise.is_open:
                promise.owner_id = assignee_id  # who holds the thread keeps its promise
                uow.promises.update(promise)
        _audit(uow, actor, thread, "conversation.assigned", before, now)
        uow.commit()
    return thread


def set_status(
    thread_id: str, status: ThreadStatus, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Thread:
    actor.require(Permission.ANSWER_CONVERSATIONS)
    now = clock.now()
    with uow:
        thread = load_thread(uow, actor, thread_id, for_change=True)
        old = thread.status
        if old is status:
            return thread
        thread.status = status
        thread.resolved_at = now if status is ThreadStatus.RESOLVED else None
        ThreadClocks(uow, thread).status_changed(old, status, now, actor.label)
        _audit(uow, actor, thread, "conversation.status", {"status": old.value}, now)
        if status is ThreadStatus.RESOLVED:
            _tell_the_engine(uow, thread, actor, now)
        uow.commit()
    return thread


def _tell_the_engine(uow: UnitOfWork, thread: Thread, actor: Actor, now: datetime) -> None:
    """A resolved conversation is an event like a stay or a purchase: playbooks and the survey
    that follows a conversation see it through the same inbox, in order, exactly once."""
    data: dict[str, Any] = {
        "customer": {"id": thread.customer_id},
        "location": thread.location_id,
        "thread_id": thread.id,
    }
    if actor.id != SYSTEM.id:
        data["staff_id"] = actor.id
    resolved = BusinessEvent(
        source="heedful/conversations",
        id=f"{thread.id}/resolved/{now.isoformat()}",
        type=CONVERSATION_RESOLVED,
        data=data,
        subject=thread.id,
        time=now,
    )
    uow.events.accept([resolved], received_at=now)


def set_priority(
    thread_id: str, priority: Priority, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Thread:
    actor.require(Permission.ANSWER_CONVERSATIONS)
    now = clock.now()
    with uow:
        thread = load_thread(uow, actor, thread_id, for_change=True)
        old = thread.priority
        if old is priority:
            return thread
        thread.priority = priority
        # Another policy may fit now; its targets apply from here, the time spent is kept.
        ThreadClocks(uow, thread).retarget(now)
        thread.updated_at = now
        uow.threads.update(thread)
        _audit(uow, actor, thread, "conversation.priority", {"priority": old.value}, now)
        uow.commit()
    return thread


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    thread: Thread,
    action: str,
    before: dict[str, Any],
    now: datetime,
) -> None:
    audit(
        uow,
        actor,
        now,
        action,
        customer_id=thread.customer_id,
        entity="conversation",
        entity_id=thread.id,
        before=before,
        after={
            "status": thread.status.value,
            "priority": thread.priority.value,
            "assignee_id": thread.assignee_id,
            "team_id": thread.team_id,
        },
    )
