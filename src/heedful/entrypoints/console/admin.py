"""/admin/tokens: API tokens for integrations, each secret shown once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from heedful.core.access.model import Role
from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.staff.handlers import NewToken, create_token, revoke_token
from heedful.core.staff.model import ApiToken
from heedful.core.staff.queries import all_locations, list_tokens
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice

router = APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)


def _tokens_page(
    console: Console,
    form: FormState,
    *,
    created: ApiToken | None = None,
    secret: str = "",
    chosen: list[str] | None = None,
    status: int = 200,
) -> Response:
    tokens = list_tokens(console.container.uow(read_only=True), console.actor)
    return console.render(
        "admin/tokens.html",
        status=status,
        tokens=tokens,
        form=form,
        created=created,
        secret=secret,
        chosen=chosen or [],
        locations=all_locations(console.container.uow(read_only=True)),
        roles=list(Role),
    )


@router.get("/tokens")
def tokens(console: Staff) -> Response:
    return _tokens_page(console, _blank())


def _blank() -> FormState:
    return blank_form(name="", role=Role.AGENT.value, location_ids="", expires_on="")


def _expiry(expires_on: str) -> datetime | None:
    if not expires_on.strip():
        return None
    try:
        day = date.fromisoformat(expires_on.strip())
    except ValueError as exc:
        raise InvalidInput(
            "give the date as YYYY-MM-DD", said=Phrase("refusal.date"), field="expires_at"
        ) from exc
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@router.post("/tokens")
def create(
    console: Staff,
    name: Text = "",
    role: Text = "",
    location_ids: Annotated[list[str] | None, Form()] = None,
    expires_on: Text = "",
) -> Response:
    chosen = [location_id for location_id in location_ids or [] if location_id]
    form = blank_form(name=name, role=role, location_ids="", expires_on=expires_on)
    try:
        token, secret = create_token(
            NewToken(
                name=name,
                role=choice(Role, role, "role"),
                location_ids=frozenset(chosen) if chosen else None,
                expires_at=_expiry(expires_on),
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        failed = console.failed(exc, form, rename={"expires_at": "expires_on"})
        return _tokens_page(console, failed, chosen=chosen, status=422)
    # The secret is in this one response and nowhere else: only its hash is stored.
    return _tokens_page(console, _blank(), created=token, secret=secret)


@router.post("/tokens/{token_id}/revoke")
def revoke(console: Staff, token_id: str) -> Response:
    revoke_token(token_id, console.container.uow(), console.container.clock, console.actor)
    console.request.app.state.token_cache.forget(token_id)
    return console.redirect("/admin/tokens")
