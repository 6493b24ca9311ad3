"""/api/v1 chat for visitors (no API token: the visitor token is the secret) and inbound e-mail.

The chat page on the business's site posts the visitor's messages and polls for the replies
after the last sequence it saw. Inbound e-mail comes from a mail provider's webhook, in the
common JSON shape, signed with the shared secret the way Heedful signs its own webhooks.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from heedful.adapters.channels.inbound_mail import from_webhook
from heedful.adapters.channels.webhook import SIGNATURE_HEADER, verify_signature
from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.conversations import handlers as conversations
from heedful.core.shared.ports import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_container
from heedful.entrypoints.api.conversation_schemas import (
    ChatIn,
    ChatMessagesOut,
    ChatStartedOut,
    InboundEmailOut,
    chat_message_out,
)
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.problems import problem

router = APIRouter(tags=["chat and inbound e-mail"])
Box = Annotated[Container, Depends(get_container)]
Token = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
# Who a visitor's or a mail provider's write is remembered under for its Idempotency-Key.
_VISITOR = Actor(id="chat-visitor", label="Chat visitor", role=Role.AGENT, location_ids=frozenset())
_MAIL = Actor(id="inbound-mail", label="Inbound e-mail", role=Role.AGENT, location_ids=frozenset())


def _default_location(container: Container) -> str | None:
    return container.settings.conversations_location or None


@router.post(
    "/conversations/chat",
    status_code=201,
    response_model=ChatStartedOut,
    summary="A visitor's chat message: starts a chat, or continues one with its visitor_token",
)
def post_chat(request: Request, container: Box, body: ChatIn) -> Response:
    def action(uow: UnitOfWork) -> ChatStartedOut:
        received = conversations.receive_chat(
            conversations.ChatIn(
                text=body.text,
                language=body.language,
                visitor_token=body.visitor_token,
                email=body.email,
                phone=body.phone,
                name=body.name,
                location_id=body.location_id,
            ),
            uow,
            container.clock,
            default_location_id=_default_location(container),
        )
        assert received.thread.visitor_token is not None
        return ChatStartedOut(
            thread_id=received.thread.id,
            visitor_token=received.thread.visitor_token,
            message=chat_message_out(received.message),
        )

    return write(request, Context(container, _VISITOR), body, 201, action)


@router.get(
    "/conversations/chat/{visitor_token}/messages",
    response_model=ChatMessagesOut,
    summary="The chat's messages after `after` (a sequence): what the chat page polls for",
)
def chat_messages(
    container: Box, visitor_token: Token, after: Annotated[int, Query(ge=0)] = 0
) -> ChatMessagesOut:
    _, found = conversations.chat_messages_after(visitor_token, after, container.uow())
    return ChatMessagesOut(
        items=[chat_message_out(m) for m in found],
        cursor=found[-1].sequence if found else after,
    )


@router.post(
    "/inbound/email",
    status_code=202,
    response_model=InboundEmailOut,
    summary="Inbound e-mail from a mail provider's webhook, signed with Heedful-Signature",
)
async def inbound_email(request: Request, container: Box) -> Response:
    raw = await request.body()
    signature = request.headers.get(SIGNATURE_HEADER, "")
    secret = container.settings.webhook_secret
    if not verify_signature(secret, signature, raw, container.clock.now()):
        return problem(401, "the Heedful-Signature does not sign this body", field=SIGNATURE_HEADER)
    try:
        payload: Any = json.loads(raw)
    except (ValueError, RecursionError):  # too deep is refused before (body_limits.py); in case
        return problem(422, "the body is not JSON", field="body")
    if not isinstance(payload, dict):
        return problem(422, "the body is a JSON object", field="body")

    def action(uow: UnitOfWork) -> InboundEmailOut:
        received = conversations.receive_email(
            from_webhook(payload),
            uow,
            container.clock,
            default_location_id=_default_location(container),
        )
        return InboundEmailOut(
            thread_id=received.thread.id,
            message_id=received.message.id,
            new_thread=received.new_thread,
        )

    return await run_in_threadpool(write, request, Context(container, _MAIL), payload, 202, action)
