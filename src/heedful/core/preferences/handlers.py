"""Preference use cases: record one from the card or the API, retract one that no longer holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from heedful.core.access import Actor, Permission, load_customer
from heedful.core.customers import audit, note_location
from heedful.core.preferences.model import (
    Category,
    Polarity,
    Preference,
    Source,
    check_attributes,
    check_confidence,
    check_subject,
)
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RecordPreference:
    customer_id: str
    polarity: Polarity
    subject: str
    category: Category = Category.OTHER
    note: str = ""
    source: Source = Source.SAID
    confidence: float | None = None
    location_id: str | None = None
    attributes: Mapping[str, str] | None = None  # "brand X in size M" (ADR 0049)


def _as_record(pref: Preference) -> dict[str, object]:
    return {
        "polarity": pref.polarity.value,
        "category": pref.category.value,
        "subject": pref.subject,
        "note": pref.note,
        "source": pref.source.value,
        "confidence": pref.confidence,
        "location_id": pref.location_id,
        "attributes": dict(pref.attributes),
    }


def record_preference(
    cmd: RecordPreference, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Preference:
    actor.require(Permission.EDIT_CUSTOMERS)
    subject = check_subject(cmd.subject)
    attributes = check_attributes(cmd.attributes)
    note = " ".join(cmd.note.split())
    if len(note) > 1000:
        raise InvalidInput(
            "a note is at most 1000 characters", said=Phrase("refusal.note_length"), field="note"
        )
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, cmd.customer_id, for_change=True)
        if cmd.location_id is not None:
            if uow.locations.get(cmd.location_id) is None:
                raise InvalidInput(
                    f"no location {cmd.location_id}",
                    said=Phrase("refusal.no_location"),
                    field="location_id",
                )
            if not actor.may_act_at(cmd.location_id):
                raise Forbidden(
                    "you do not work at that location",
                    said=Phrase("refusal.not_your_location"),
                    field="location_id",
                )
        # The same standing wish said twice is one wish: return it rather than show it twice.
        for existing in uow.preferences.list_for(customer.id):
            if (
                existing.polarity is cmd.polarity
                and existing.subject.casefold() == subject.casefold()
                and existing.attributes == attributes
            ):
                return existing
        preference = Preference(
            id=new_id("prf_"),
            customer_id=customer.id,
            polarity=cmd.polarity,
            category=cmd.category,
            subject=subject,
            note=note,
            source=cmd.source,
            confidence=check_confidence(cmd.confidence, cmd.source),
            recorded_at=now,
            recorded_by=actor.id,
            recorded_by_label=actor.label,
            location_id=cmd.location_id,
            attributes=attributes,
        )
        uow.preferences.add(preference)
        note_location(uow, actor, now, customer, cmd.location_id)
        audit(
            uow,
            actor,
            now,
            "preference.recorded",
            customer_id=customer.id,
            entity="preference",
            entity_id=preference.id,
            after=_as_record(preference),
        )
        uow.commit()
    return preference


def retract_preference(
    customer_id: str, preference_id: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Preference:
    """A preference that no longer holds is retracted, not deleted: the card's history keeps it."""
    actor.require(Permission.EDIT_CUSTOMERS)
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id, for_change=True)
        preference = uow.preferences.get(preference_id)
        if preference is None or preference.customer_id != customer.id:
            raise NotFound(
                f"no preference {preference_id} on this customer",
                said=Phrase("refusal.preference_gone"),
            )
        if not preference.is_standing:
            raise Conflict(
                "this preference was already retracted",
                said=Phrase("refusal.preference_retracted"),
                field="preference_id",
            )
        preference.retracted_at, preference.retracted_by = now, actor.id
        uow.preferences.update(preference)
        audit(
            uow,
            actor,
            now,
            "preference.retracted",
            customer_id=customer.id,
            entity="preference",
            entity_id=preference.id,
            before=_as_record(preference),
        )
        uow.commit()
    return preference
