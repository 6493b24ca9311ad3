"""Who arrives, and what to have ready: tomorrow's guests with what they never want (seed 004).

"I don't drink sparkling water: don't put it in my minibar" is worth something only if
housekeeping reads it before the guest arrives. The list of arrivals (or tonight's tables)
carries each guest's "never" and "dislike", so the room is made up right the first time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from heedful.core.access import Actor
from heedful.core.dealings import Booking, BookingKind, bookings_starting
from heedful.core.preferences import Polarity
from heedful.core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Arrival:
    booking: Booking
    name: str
    never: list[str]
    dislikes: list[str]


def arrivals(
    uow: UnitOfWork,
    actor: Actor,
    kind: BookingKind,
    day: str | date,
    now: datetime,
    location_id: str | None = None,
) -> list[Arrival]:
    """Bookings starting that day at the reader's locations, with each guest's name and no's."""
    found = bookings_starting(uow, actor, kind, day, now, location_id)
    listed: list[Arrival] = []
    with uow:
        for booking in found:
            customer = uow.customers.get(booking.customer_id) if booking.customer_id else None
            preferences = uow.preferences.list_for(customer.id) if customer else []
            listed.append(
                Arrival(
                    booking=booking,
                    name=customer.full_name if customer else "",
                    never=[p.subject for p in preferences if p.polarity is Polarity.NEVER],
                    dislikes=[p.subject for p in preferences if p.polarity is Polarity.DISLIKE],
                )
            )
    return listed
