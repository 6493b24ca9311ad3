"""Promises a look-ahead pass makes for a whole window: built and checked first, written at once.

"Your parcel arrives by Friday" for every late order in the window: each promise is built and
checked here before any is written (an unknown location, a text too long, a deadline passed
refuse now, and only that firing is set aside), then the window's promises, their timers and
their audit entries are written by one statement per table (ADR 0055). ``make_promise`` stays
the one-at-a-time use case for staff and event playbooks; both keep the same rules.

A playbook's promise names no item (a waiting line is made by staff or the catalog) and no
owner (the system has no staff record); the customer is already known at the location, as
the record the pass read was applied there (engine/dealing_reactions.py notes it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from heedful.core.access import Actor
from heedful.core.calendar import LocationBusinessHours
from heedful.core.customers import AuditEntry
from heedful.core.promises.handlers import (
    MakePromise,
    checked_due,
    checked_words,
    described,
    new_promise,
    timers_for,
)
from heedful.core.promises.model import Promise
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.timers import Timer
from heedful.core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class NewPromise:
    """A promise built and checked, not yet written: its row, its timers, its audit entry."""

    promise: Promise
    timers: tuple[Timer, ...]
    audit: AuditEntry


def prepare_promise(cmd: MakePromise, uow: UnitOfWork, now: datetime, actor: Actor) -> NewPromise:
    """Everything ``make_promise`` checks for a promise with no item and no owner, refused now."""
    if cmd.item is not None or cmd.owner_id is not None:
        raise InvalidInput("a promise made in bulk names no item and no owner", field="item")
    text, phrase = checked_words(cmd)
    due_at = checked_due(cmd, now, LocationBusinessHours(uow))
    if uow.locations.get(cmd.location_id) is None:
        raise InvalidInput(
            f"no location {cmd.location_id}",
            said=Phrase("refusal.no_location"),
            field="location_id",
        )
    promise = new_promise(
        cmd, actor, now, customer_id=cmd.customer_id, text=(text, phrase), due_at=due_at
    )
    entry = AuditEntry(
        id=new_id("aud_"),
        at=now,
        actor_id=actor.id,
        actor_label=actor.label,
        action="promise.made",
        customer_id=cmd.customer_id,
        entity="promise",
        entity_id=promise.id,
        before=None,
        after=described(promise),
    )
    return NewPromise(promise, tuple(timers_for(promise, now)), entry)


def store_promises(uow: UnitOfWork, made: Sequence[NewPromise]) -> None:
    """The window's promises, timers and audit entries: one statement per table."""
    if not made:
        return
    uow.promises.add_many([m.promise for m in made])
    uow.timers.set_many([t for m in made for t in m.timers])
    uow.audit.add_many([m.audit for m in made])
