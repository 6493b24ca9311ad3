"""Use cases: list the event vocabulary, and register, change or remove a business's own type.

Admins only: a type changes what every sender may send. The types are read from the table by
every process (``vocabulary.use_custom_types``); the one that changed them refreshes at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from heedful.core.access import Actor, Permission
from heedful.core.events.described import STATE_TYPES, described, json_schema
from heedful.core.events.types import EVENT_TYPES
from heedful.core.events.vocabulary import (
    MAX_CUSTOM_TYPES,
    MAX_DESCRIPTION,
    CustomEventType,
    EventTypeRepository,
    check_name,
    check_schema,
    held_fingerprint,
    use_custom_types,
)
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound
from heedful.core.shared.ports import UnitOfWorkShape


class VocabularyWork(UnitOfWorkShape, Protocol):
    event_types: EventTypeRepository


@dataclass(frozen=True, slots=True)
class EventTypeIn:
    description: str
    schema: object
    acts_as: str | None = None


@dataclass(frozen=True, slots=True)
class VocabularyEntry:
    """One type as the API and the console list it."""

    name: str
    description: str
    schema: dict[str, Any]
    updates: str | None  # the state it changes, in Heedful's words (stock, bookings...)
    acts_as: str | None  # for a business's type: Heedful's type it is applied as
    example: dict[str, Any] | None
    built_in: bool


def _built_in(name: str) -> VocabularyEntry:
    about = described(name)
    return VocabularyEntry(
        name=name,
        description=about.description,
        schema=json_schema(EVENT_TYPES[name]),
        updates=about.updates,
        acts_as=None,
        example=dict(about.example),
        built_in=True,
    )


def _custom(event_type: CustomEventType) -> VocabularyEntry:
    return VocabularyEntry(
        name=event_type.name,
        description=event_type.description,
        schema=dict(event_type.schema),
        updates=described(event_type.acts_as).updates if event_type.acts_as else None,
        acts_as=event_type.acts_as,
        example=None,
        built_in=False,
    )


def vocabulary(uow: VocabularyWork) -> list[VocabularyEntry]:
    """Every type an event may have: Heedful's own first, then the business's, by name."""
    with uow:
        custom = uow.event_types.all()
    return [_built_in(name) for name in sorted(EVENT_TYPES)] + [_custom(t) for t in custom]


def trigger_names(uow: VocabularyWork) -> list[str]:
    """Every type a playbook may wait for: Heedful's own, then the business's, each by name.

    Read from the table, not the process's memory: a type registered a moment ago in another
    process is offered at once (ADR 0055).
    """
    with uow:
        custom = sorted(t.name for t in uow.event_types.all())
    return [*sorted(EVENT_TYPES), *custom]


def event_type(name: str, uow: VocabularyWork) -> VocabularyEntry:
    if name in EVENT_TYPES:
        return _built_in(name)
    with uow:
        found = uow.event_types.get(name)
    if found is None:
        raise NotFound("Heedful knows no such event type")
    return _custom(found)


def _checked(cmd: EventTypeIn) -> tuple[str, dict[str, Any], str | None]:
    description = cmd.description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(f"at most {MAX_DESCRIPTION} characters, please", field="description")
    schema = dict(check_schema(cmd.schema))
    if cmd.acts_as is not None and cmd.acts_as not in STATE_TYPES:
        raise InvalidInput(
            f"a type updates the state of one of: {', '.join(STATE_TYPES)}", field="acts_as"
        )
    return description, schema, cmd.acts_as


def _refresh(uow: VocabularyWork) -> None:
    # This process sees the change at once; the others within their refresh interval.
    with uow:
        use_custom_types(uow.event_types.all())


def register_event_type(
    name: str, cmd: EventTypeIn, uow: VocabularyWork, clock: Clock, actor: Actor
) -> VocabularyEntry:
    actor.require(Permission.MANAGE_EVENT_TYPES)
    check_name(name)
    description, schema, acts_as = _checked(cmd)
    now = clock.now()
    with uow:
        if uow.event_types.get(name) is not None:
            raise Conflict(
                "this event type is registered already; change it with PUT", field="name"
            )
        if uow.event_types.last_changed()[0] >= MAX_CUSTOM_TYPES:
            raise InvalidInput(f"at most {MAX_CUSTOM_TYPES} types of your own", field="name")
        made = CustomEventType(name, description, schema, acts_as, now, now, actor.label)
        uow.event_types.add(made)
        uow.commit()
    _refresh(uow)
    return _custom(made)


def change_event_type(
    name: str, cmd: EventTypeIn, uow: VocabularyWork, clock: Clock, actor: Actor
) -> VocabularyEntry:
    """A new schema applies to events read from now on; events stored already stay stored."""
    actor.require(Permission.MANAGE_EVENT_TYPES)
    if name in EVENT_TYPES:
        raise InvalidInput("Heedful's own types cannot be changed", field="name")
    description, schema, acts_as = _checked(cmd)
    with uow:
        found = uow.event_types.get(name)
        if found is None:
            raise NotFound("Heedful knows no such event type of yours")
        changed = replace(
            found,
            description=description,
            schema=schema,
            acts_as=acts_as,
            changed_at=clock.now(),
            changed_by=actor.label,
        )
        uow.event_types.update(changed)
        uow.commit()
    _refresh(uow)
    return _custom(changed)


def remove_event_type(name: str, uow: VocabularyWork, actor: Actor) -> None:
    """Events of the type stored already are still processed; new ones are refused."""
    actor.require(Permission.MANAGE_EVENT_TYPES)
    if name in EVENT_TYPES:
        raise InvalidInput("Heedful's own types cannot be removed", field="name")
    with uow:
        if not uow.event_types.remove(name):
            raise NotFound("Heedful knows no such event type of yours")
        uow.commit()
    _refresh(uow)


def refresh_custom_types(uow: VocabularyWork) -> bool:
    """Load the business's types when the table differs from what this process holds.

    One small query when nothing changed; True when the types were loaded again.
    """
    with uow:
        if uow.event_types.last_changed() == held_fingerprint():
            return False
        use_custom_types(uow.event_types.all())
    return True
