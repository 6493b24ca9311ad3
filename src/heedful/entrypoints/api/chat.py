"""/api/v1 chat for visitors (no API token: the visitor token is the secret) and inbound e-mail.

The chat page on the business's site posts the visitor's messages and polls for the replies
after the last sequence it saw. Inbound e-mail comes from a mail provider's webhook, in the
common JSON shape, signed with the shared secret the way Heedful signs its own webhooks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from heedful.adapters.channels.inbound_mail import from_webhook
from heedful.adapters.channels.webhook import SIGNATURE_HEADER, verify_signature
from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.conversations import handlers as conversations
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_container
from heedful.entrypoints.api.conversation_schemas import (
    ChatIn,
    ChatMessagesOut,
    ChatStartedOut,
    InboundEmailOut,
    chat_message_out,
)
from heedful.entrypoints.api.idempotency import write
from heedful.entrypoints.api.problems import TOO_MANY_RESPONSES, problem
from heedful.entrypoints.public.throttling import (
    chat_message_rules,
    chat_read_rule,
    chat_start_rules,
    check,
    client_address,
    too_many,
)

router = APIRouter(tags=["chat and inbound e-mail"])
Box = Annotated[Container, Depends(get_container)]
Token = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
# Who a visitor's or a mail provider's write is remembered under for its Idempotency-Key.
_VISITOR = Actor(id="chat-visitor", label="Chat visitor", role=Role.AGENT, location_ids=frozenset())
_MAIL = Actor(id="inbound-mail", label="Inbound e-mail", role=Role.AGENT, location_ids=frozenset())


# A message's sequence is a 64-bit column: a larger cursor is refused by name, not a 500.
After = Annotated[int, Query(ge=0, le=2**63 - 1, description="The last sequence seen")]


def _claims(body: ChatIn) -> list[tuple[str, str]]:
    claims = (("email", body.email), ("phone", body.phone))
    return [(kind, value) for kind, value in claims if value]


def _default_location(container: Container) -> str | None:
    return container.settings.conversations_location or None


@router.post(
    "/conversations/chat",
    status_code=201,
    response_model=ChatStartedOut,
    responses=TOO_MANY_RESPONSES,
    summary="A visitor's chat message: starts a chat, or continues one with its visitor_token",
)
def post_chat(request: Request, container: Box, body: ChatIn) -> Response:
    address = client_address(request, container.settings.trusted_proxies)
    by_address, by_visitor = chat_message_rules(container.settings)
    asks = [(by_address, address)]
    if body.visitor_token:
        asks.append((by_visitor, body.visitor_token))
    else:
        starts, naming = chat_start_rules(container.settings)
        asks.insert(0, (starts, address))
        asks += [(naming, f"{kind}:{value.strip().lower()}") for kind, value in _claims(body)]
    verdict = check(container, asks)
    if not verdict.allowed:
        return too_many(verdict)

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

    # Idempotency-Keys are remembered per visitor (her token, or her address before she has
    # one): another visitor reusing a key must not be handed this chat's visitor_token.
    scope = hashlib.sha256((body.visitor_token or address).encode()).hexdigest()[:32]
    visitor = replace(_VISITOR, id=f"chv_{scope}")
    return write(request, Context(container, visitor), body, 201, action)


@router.get(
    "/conversations/chat/{visitor_token}/messages",
    response_model=ChatMessagesOut,
    responses=TOO_MANY_RESPONSES,
    summary="The chat's messages after `after` (a sequence): what the chat page polls for",
)
def chat_messages(
    request: Request, container: Box, visitor_token: Token, after: After = 0
) -> Response | ChatMessagesOut:
    address = client_address(request, container.settings.trusted_proxies)
    verdict = check(container, [(chat_read_rule(container.settings), address)])
    if not verdict.allowed:
        return too_many(verdict)
    _, found = conversations.chat_messages_after(
        visitor_token, after, container.uow(read_only=True)
    )
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
            trusted_authserv_id=container.settings.inbound_authserv_id,
        )
        return InboundEmailOut(
            thread_id=received.thread.id,
            message_id=received.message.id,
            new_thread=received.new_thread,
        )

    return await run_in_threadpool(write, request, Context(container, _MAIL), payload, 202, action)
