"""Request bodies capped per route and JSON nesting bounded, before any route sees a byte.

Without a cap a client could make the server hold any body in memory: 200 MB without a valid
token drove it to 1.1 GB before the 401, because every route (and FastAPI's own body parsing)
reads the whole body before it looks at anything else. Here a plain ASGI layer, ahead of the lean
paths and of FastAPI, refuses a body whose ``Content-Length`` is over its route's limit at once,
and counts a streamed (chunked) body as it arrives, refusing it the moment it passes the limit.
Either way the answer is 413 problem+json naming the limit, with ``Connection: close`` so the
sender stops; no token is needed to be refused.

A body within its limit is read here and handed on whole, so its JSON nesting can be checked
once for every route (a body nesting 100,000 deep made the decoder's recursion fail into a 500).
Events are the exception: their bound lives with the other event rules in ``core/events/bounds``,
which also covers events that come from files and the stream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from heedful.entrypoints.api.problems import problem
from heedful.entrypoints.observability import FixedRoute, ObserveRequests

KiB = 1024
MiB = 1024 * KiB
MAX_JSON_DEPTH = 32


@dataclass(frozen=True)
class BodyLimit:
    """The largest body a route takes. ``route`` is a path, or a prefix ending in ``/``."""

    route: str
    limit: int
    why: str

    def covers(self, path: str) -> bool:
        if self.route.endswith("/"):
            return path.startswith(self.route)
        return path == self.route


# First match wins. ADR 0027 has this table; each operation's OpenAPI entry has `x-body-limit`.
LIMITS: tuple[BodyLimit, ...] = (
    BodyLimit(
        "/api/v1/events",
        4 * MiB,
        "a batch of 1,000 events of about 4 KiB each; one event's data is at most 64 KiB",
    ),
    BodyLimit(
        "/api/v1/inbound/email",
        16 * MiB,
        "a mail provider posts the whole e-mail, attachments too (Heedful keeps only its text): "
        "the inbound SMTP server's 10 MiB, base64 in JSON",
    ),
    BodyLimit(
        "/api/v1/conversations/chat",
        16 * KiB,
        "anonymous chat: a message is at most 4,000 characters",
    ),
    BodyLimit("/s/", 64 * KiB, "a survey answer: a score and a comment, anonymous"),
    BodyLimit("/u/", 16 * KiB, "an unsubscribe form, anonymous"),
    BodyLimit("/api/", 256 * KiB, "every other API write: one record as JSON"),
    BodyLimit(
        "/audits/",
        25 * MiB,
        "an evaluator's visit form with its photos: three of at most 8 MB each (ADR 0045)",
    ),
    BodyLimit("/", 1 * MiB, "console forms: a survey or playbook with all its parts"),
)
_DEFAULT = LIMITS[-1]


def limit_for(path: str) -> BodyLimit:
    for rule in LIMITS:
        if rule.covers(path):
            return rule
    return _DEFAULT


class _TooLarge(Exception):
    pass


class _HungUp(Exception):
    pass


class BodyLimits:
    """The cap and the nesting bound in front of ``app`` (which sees only bodies that pass)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = limit_for(scope["path"])
        length: int | None = None
        chunked = False
        content_type = b""
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = int(value) if value.isdigit() else -1
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"content-type":
                content_type = value.lower()
        if length == -1:
            await _refuse(rule, scope, receive, send, 400, "Content-Length is not a number")
            return
        if length is not None and length > rule.limit:
            await _refuse(rule, scope, receive, send, 413, _too_large(rule))
            return
        if not length and not chunked:
            await self.app(scope, receive, send)  # no body to read: GET, HEAD, an empty POST
            return
        try:
            body = await _read_within(receive, rule.limit)
        except _TooLarge:
            await _refuse(rule, scope, receive, send, 413, _too_large(rule))
            return
        except _HungUp:
            return  # the sender went away: nobody is waiting for an answer
        if _is_json(content_type) and rule.route != "/api/v1/events" and too_deep(body):
            detail = f"the JSON nests deeper than {MAX_JSON_DEPTH} levels"
            await _refuse(rule, scope, receive, send, 400, detail)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read_within(receive: Receive, limit: int) -> bytes:
    """The whole body, or ``_TooLarge`` as soon as more than ``limit`` bytes have come."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _HungUp
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge  # what came so far is dropped with the list: memory stays bounded
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body in one message, then the connection's own messages (its disconnect)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _too_large(rule: BodyLimit) -> str:
    return f"the body is larger than {rule.limit:,} bytes, the limit for {rule.route} ({rule.why})"


async def _refuse(
    rule: BodyLimit, scope: Scope, receive: Receive, send: Send, status: int, detail: str
) -> None:
    # Counted and logged like any answer, under the rule's route rather than the raw path.
    scope["route"] = FixedRoute.at(rule.route)
    headers = {"Connection": "close"} if status == 413 else None
    answer = problem(status, detail, field="body", headers=headers)
    await ObserveRequests(answer)(scope, receive, send)


def _is_json(content_type: bytes) -> bool:
    # FastAPI reads a body without a Content-Type as JSON, and so does the inbound e-mail route.
    return not content_type or b"json" in content_type


# A JSON string, escapes included; its brackets are text, not nesting.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text nests arrays and objects deeper than ``limit``.

    Counted on the bytes, before decoding: the stdlib decoder recurses per level and fails with a
    RecursionError long before it could be asked. A body with no more opening brackets than the
    limit cannot nest deeper, which settles nearly every request with two C-speed counts.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit
