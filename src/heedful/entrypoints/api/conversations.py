"""/api/v1 conversations: the inbox, a thread with its clocks, replies, notes and assignment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from heedful.core.calendar.locations import Calendars
from heedful.core.conversations import handlers as conversations
from heedful.core.conversations.model import Channel, Priority, ThreadStatus
from heedful.core.conversations.ports import OPEN_STATUSES, InboxFilter
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.conversation_schemas import (
    AssignIn,
    MessageOut,
    NoteIn,
    NoteOut,
    PriorityIn,
    ReplyIn,
    StatusIn,
    ThreadDetailOut,
    ThreadOut,
    ThreadPageOut,
    clock_out,
    message_out,
    note_out,
    thread_out,
)
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.schemas import NO_NUL

router = APIRouter(tags=["conversations"])
Ctx = Annotated[Context, Depends(get_context)]
AnId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


@router.get(
    "/conversations",
    response_model=ThreadPageOut,
    summary="The inbox: open threads of your locations, what breaches first on top",
)
def inbox(
    ctx: Ctx,
    status: Annotated[list[ThreadStatus] | None, Query(description="Repeat for several")] = None,
    assignee: Annotated[
        str | None, Query(max_length=40, pattern=NO_NUL, description="me, none or a staff id")
    ] = None,
    team_id: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    channel: Channel | None = None,
    priority: Priority | None = None,
    location_id: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
) -> ThreadPageOut:
    where = InboxFilter(
        statuses=frozenset(status) if status else OPEN_STATUSES,
        location_id=location_id,
        assignee_id=ctx.actor.id
        if assignee == "me"
        else (None if assignee in (None, "none") else assignee),
        unassigned=assignee == "none",
        team_id=team_id,
        channel=channel,
        priority=priority,
    )
    page = conversations.list_inbox(
        ctx.container.uow(read_only=True), ctx.actor, where, limit=limit, cursor=cursor
    )
    return ThreadPageOut(items=[thread_out(t) for t in page.items], next_cursor=page.next_cursor)


@router.get("/conversations/{thread_id}", response_model=ThreadDetailOut)
def detail(ctx: Ctx, thread_id: AnId) -> ThreadDetailOut:
    uow = ctx.container.uow(read_only=True)
    view = conversations.get_thread(thread_id, uow, ctx.actor)
    now = ctx.container.clock.now()
    with uow:
        calendar = Calendars(uow).of(view.thread.location_id)
    return ThreadDetailOut(
        **thread_out(view.thread).model_dump(),
        messages=[message_out(m) for m in view.messages],
        notes=[note_out(n) for n in view.notes],
        clocks=[clock_out(c, c.spent_by(calendar, now)) for c in view.clocks],
        promise_id=view.promise_id,
    )


@router.post(
    "/conversations/{thread_id}/replies",
    status_code=201,
    response_model=MessageOut,
    summary="Answer the customer: by e-mail with threading headers, or back to the chat",
)
def post_reply(request: Request, ctx: Ctx, thread_id: AnId, body: ReplyIn) -> Response:
    def action(uow: UnitOfWork) -> MessageOut:
        sent = conversations.reply(
            thread_id,
            body.body,
            uow,
            ctx.container.clock,
            ctx.actor,
            message_id_domain=ctx.container.settings.mail_domain,
        )
        return message_out(sent)

    return write(request, ctx, body, 201, action)


@router.post(
    "/conversations/{thread_id}/notes",
    status_code=201,
    response_model=NoteOut,
    summary="An internal note: for staff only, never sent",
)
def post_note(request: Request, ctx: Ctx, thread_id: AnId, body: NoteIn) -> Response:
    def action(uow: UnitOfWork) -> NoteOut:
        note = conversations.add_note(thread_id, body.body, uow, ctx.container.clock, ctx.actor)
        return note_out(note)

    return write(request, ctx, body, 201, action)


@router.post("/conversations/{thread_id}/assignment", response_model=ThreadOut)
def post_assignment(request: Request, ctx: Ctx, thread_id: AnId, body: AssignIn) -> Response:
    def action(uow: UnitOfWork) -> ThreadOut:
        thread = conversations.assign(
            thread_id,
            uow,
            ctx.container.clock,
            ctx.actor,
            assignee_id=body.assignee_id,
            team_id=body.team_id,
        )
        return thread_out(thread)

    return write(request, ctx, body, 200, action)


@router.post(
    "/conversations/{thread_id}/status",
    response_model=ThreadOut,
    summary="Waiting on the customer pauses the clocks; resolved meets the resolution clock",
)
def post_status(request: Request, ctx: Ctx, thread_id: AnId, body: StatusIn) -> Response:
    def action(uow: UnitOfWork) -> ThreadOut:
        thread = conversations.set_status(
            thread_id, body.status, uow, ctx.container.clock, ctx.actor
        )
        return thread_out(thread)

    return write(request, ctx, body, 200, action)


@router.post(
    "/conversations/{thread_id}/priority",
    response_model=ThreadOut,
    summary="Another priority may bring another policy: its targets apply, time spent is kept",
)
def post_priority(request: Request, ctx: Ctx, thread_id: AnId, body: PriorityIn) -> Response:
    def action(uow: UnitOfWork) -> ThreadOut:
        thread = conversations.set_priority(
            thread_id, body.priority, uow, ctx.container.clock, ctx.actor
        )
        return thread_out(thread)

    return write(request, ctx, body, 200, action)


@router.post(
    "/conversations/{thread_id}/accept-sender",
    response_model=ThreadOut,
    summary="Vouch for an unverified sender: the thread counts like any other from now on, "
    "and the reply still owed becomes a promise (audited)",
)
def post_accept_sender(request: Request, ctx: Ctx, thread_id: AnId) -> Response:
    def action(uow: UnitOfWork) -> ThreadOut:
        thread = conversations.accept_sender(thread_id, uow, ctx.container.clock, ctx.actor)
        return thread_out(thread)

    return write(request, ctx, {}, 200, action)


@router.get("/customers/{customer_id}/conversations", response_model=list[ThreadOut])
def customer_threads(
    ctx: Ctx, customer_id: AnId, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[ThreadOut]:
    found = conversations.list_customer_threads(
        customer_id, ctx.container.uow(read_only=True), ctx.actor, limit
    )
    return [thread_out(t) for t in found]
