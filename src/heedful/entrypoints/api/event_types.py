"""/api/v1/event-types: the event vocabulary, and the types a business registers itself.

Heedful's own types are listed with their JSON Schema, the state each updates and an example;
admins register their own (a name, a JSON Schema, the state it updates or none), so that an
event Heedful had no word for becomes a configuration step (ADR 0042).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field

from heedful.core.events import registering
from heedful.core.events.described import STATE_TYPES
from heedful.core.events.vocabulary import MAX_DESCRIPTION, MAX_NAME
from heedful.core.unit_of_work import UnitOfWork
from heedful.entrypoints.api.auth import Context, get_context
from heedful.entrypoints.api.idempotency import write

router = APIRouter(tags=["event types"])
Ctx = Annotated[Context, Depends(get_context)]
TypeName = Annotated[str, Path(min_length=3, max_length=MAX_NAME, pattern=r"^[a-z0-9_.-]+$")]

_EXAMPLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["customer", "location", "table"],
    "properties": {
        "customer": {"type": "object"},
        "location": {"type": "string"},
        "table": {"type": "string", "maxLength": 10},
        "minutes": {"type": "integer", "minimum": 0},
    },
}


class EventTypeIn(BaseModel):
    description: str = Field("", max_length=MAX_DESCRIPTION)
    schema_: dict[str, Any] = Field(
        alias="schema",
        description="A JSON Schema (draft 2020-12) for the event's `data`, with "
        '`"type": "object"`; at most 32 KB, references only inside it (`#/...`).',
        examples=[_EXAMPLE_SCHEMA],
    )
    acts_as: str | None = Field(
        None,
        description="Heedful's own type whose state an event of this type updates (its data then "
        f"carries that type's fields too), or null for none: {', '.join(STATE_TYPES)}",
    )

    model_config = {"populate_by_name": True}


class NewEventTypeIn(EventTypeIn):
    name: str = Field(
        min_length=3,
        max_length=MAX_NAME,
        description="Lowercase dotted words; `heedful.` is Heedful's own",
        json_schema_extra={"example": "acme.table.turned"},
    )


class EventTypeOut(BaseModel):
    name: str
    description: str
    schema_: dict[str, Any] = Field(alias="schema")
    updates: str | None = Field(
        description="The state an event of this type changes (stock, catalog, bookings, "
        "reservations, orders, accounts, history, promises); null: it reaches playbooks only"
    )
    acts_as: str | None
    example: dict[str, Any] | None = Field(description="An example of `data`")
    built_in: bool

    model_config = {"populate_by_name": True}


def _out(entry: registering.VocabularyEntry) -> EventTypeOut:
    return EventTypeOut(
        name=entry.name,
        description=entry.description,
        schema_=entry.schema,
        updates=entry.updates,
        acts_as=entry.acts_as,
        example=entry.example,
        built_in=entry.built_in,
    )


def _command(body: EventTypeIn) -> registering.EventTypeIn:
    return registering.EventTypeIn(body.description, body.schema_, body.acts_as)


@router.get(
    "/event-types",
    response_model=list[EventTypeOut],
    response_model_by_alias=True,
    summary="Every event type Heedful reads: its own, then the business's, with their schemas",
)
def list_types(ctx: Ctx) -> list[EventTypeOut]:
    return [_out(entry) for entry in registering.vocabulary(ctx.container.uow(read_only=True))]


@router.get("/event-types/{name}", response_model=EventTypeOut, response_model_by_alias=True)
def get_type(ctx: Ctx, name: TypeName) -> EventTypeOut:
    return _out(registering.event_type(name, ctx.container.uow(read_only=True)))


@router.post(
    "/event-types",
    status_code=201,
    response_model=EventTypeOut,
    response_model_by_alias=True,
    summary="Register a type of your own (admins): events of it are then accepted and checked",
)
def register(request: Request, ctx: Ctx, body: NewEventTypeIn) -> Response:
    def action(uow: UnitOfWork) -> dict[str, Any]:
        made = registering.register_event_type(
            body.name, _command(body), uow, ctx.container.clock, ctx.actor
        )
        return _out(made).model_dump(by_alias=True)

    return write(request, ctx, body, 201, action)


@router.put(
    "/event-types/{name}",
    response_model=EventTypeOut,
    response_model_by_alias=True,
    summary="Change a type of your own: the new schema checks events read from now on",
)
def change(request: Request, ctx: Ctx, name: TypeName, body: EventTypeIn) -> Response:
    def action(uow: UnitOfWork) -> dict[str, Any]:
        changed = registering.change_event_type(
            name, _command(body), uow, ctx.container.clock, ctx.actor
        )
        return _out(changed).model_dump(by_alias=True)

    return write(request, ctx, body, 200, action)


@router.delete(
    "/event-types/{name}",
    status_code=204,
    summary="Remove a type of your own: events of it already stored are still processed",
)
def remove(request: Request, ctx: Ctx, name: TypeName) -> Response:
    def action(uow: UnitOfWork) -> tuple[int, None]:
        registering.remove_event_type(name, uow, ctx.actor)
        return 204, None

    return write(request, ctx, None, 204, action)
