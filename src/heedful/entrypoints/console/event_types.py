"""/admin/event-types: the vocabulary, and the types the business registers itself (admins)."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.access import Permission
from heedful.core.events import registering
from heedful.core.events.described import STATE_TYPES
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text

router = APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)
PAGE = "/admin/event-types"
_STARTER = '{\n  "type": "object",\n  "required": [],\n  "properties": {}\n}'


def _page(console: Console, form: FormState | None = None, status: int = 200) -> Response:
    console.actor.require(Permission.MANAGE_EVENT_TYPES)
    entries = registering.vocabulary(console.container.uow(read_only=True))
    return console.render(
        "admin/event_types.html",
        status=status,
        own=[e for e in entries if not e.built_in],
        built_in=[e for e in entries if e.built_in],
        state_types=STATE_TYPES,
        form=form or blank_form(editing="", name="", description="", schema=_STARTER, acts_as=""),
    )


@router.get("/event-types")
def event_types(console: Staff, edit: str = "") -> Response:
    """The list and the form; ``edit`` puts that type in the form to change it."""
    chosen = next(
        (
            e
            for e in registering.vocabulary(console.container.uow(read_only=True))
            if e.name == edit
        ),
        None,
    )
    if chosen is None or chosen.built_in:
        return _page(console)
    form = blank_form(
        editing=chosen.name,
        name=chosen.name,
        description=chosen.description,
        schema=json.dumps(chosen.schema, ensure_ascii=False, indent=2),
        acts_as=chosen.acts_as or "",
    )
    return _page(console, form)


@router.post("/event-types")
def save(
    console: Staff,
    editing: Text = "",
    name: Text = "",
    description: Text = "",
    data_schema: Text = "",
    acts_as: Text = "",
) -> Response:
    form = blank_form(
        editing=editing, name=name, description=description, schema=data_schema, acts_as=acts_as
    )
    uow, clock = console.container.uow(), console.container.clock
    try:
        try:
            parsed = json.loads(data_schema)
        except ValueError as exc:
            raise InvalidInput(f"the schema is not JSON: {exc}", field="schema") from None
        command = registering.EventTypeIn(description, parsed, acts_as or None)
        if editing:
            registering.change_event_type(editing, command, uow, clock, console.actor)
        else:
            registering.register_event_type(name.strip(), command, uow, clock, console.actor)
    except InvalidInput as exc:
        if (exc.field or "").startswith("schema."):
            # The place inside the schema is named in the message, next to the whole schema.
            exc = InvalidInput(f"{exc.field}: {exc.message}", field="schema")
        return _page(console, console.failed(exc, form), status=422)
    except (Conflict, Forbidden, NotFound) as exc:
        return _page(console, console.failed(exc, form), status=422)
    return console.redirect(PAGE)


@router.post("/event-types/{name}/remove")
def remove(console: Staff, name: str) -> Response:
    registering.remove_event_type(name, console.container.uow(), console.actor)
    return console.redirect(PAGE)
