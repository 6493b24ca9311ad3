"""Tonight's book at the restaurant and a parcel at a pick-up point (ADR 0051), in the demo.

The restaurant keeps 12 tables; the seed's playbooks hold two for walk-ins from 19:00 to 20:30
and warn the host when the book is over; the web shop's parcel waiting at a pick-up point is
reminded two days before it goes back. Tonight's first reservations arrive as the restaurant's
system sends them (through the inbox and the engine), so ``/console/tonight`` shows the book with
its hold as soon as the demo is up, and the feeds (``feeds.py``) keep filling it. A demo loaded
after 20:30 in Kyiv holds nothing tonight: a hold whose end has passed holds nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.dealings.holds import NewCapacity, set_capacity
from heedful.core.engine.reactions import process_events
from heedful.core.events.handlers import accept_events
from heedful.core.playbooks.handlers import create_playbook, set_enabled
from heedful.core.playbooks.look_ahead_demo import (
    HOLD_TABLES_AT_PEAK,
    PARCEL_WAITING_AT_PICKUP,
    WARN_THE_HOST_OVERBOOKED,
)

from .anticipation import VIKTORIIA_PHONE
from .data import BOUTIQUE, LOCATION_CODES, RESTAURANT
from .feeds import local_at, local_day

TABLES = 12
# Tonight's first parties: (phone, local time, party size). Invented regulars' numbers are not
# needed: a phone the restaurant has not seen before is a new customer, as at any door.
FIRST_PARTIES = (
    ("+380 67 215 40 88", time(19, 0), 2),  # Соломія Кравчук, the "as usual" regular
    ("+380 50 611 20 31", time(19, 30), 4),
    ("+380 63 118 09 42", time(20, 0), 3),
    ("+380 97 402 77 15", time(20, 30), 2),
)


def play_tonight(container: Container) -> int:
    """Set the restaurant's tables, enable the seed's playbooks, send tonight's first book."""
    clock = container.clock
    now = clock.now()
    with container.uow() as uow:
        places = {location.code: location.id for location in uow.locations.list()}
    set_capacity(
        places[LOCATION_CODES[RESTAURANT]],
        NewCapacity(tables=TABLES, covers=TABLES * 4),
        container.uow(),
        clock,
        SYSTEM,
    )
    for source in (HOLD_TABLES_AT_PEAK, WARN_THE_HOST_OVERBOOKED, PARCEL_WAITING_AT_PICKUP):
        playbook = create_playbook(source, container.uow(), clock, SYSTEM)
        set_enabled(playbook.id, True, container.uow(), clock, SYSTEM)
    accepted = accept_events(container.uow(), clock, _events(now)).accepted
    process_events(container.uow, clock)
    return accepted


def _event(number: int, event_type: str, now: datetime, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"demo-tonight-{number}",
        "source": "urn:demo:tonight",
        "type": event_type,
        "time": now.isoformat(),
        "data": data,
    }


def _events(now: datetime) -> list[dict[str, Any]]:
    day = local_day(now, RESTAURANT)
    today = local_day(now, BOUTIQUE)
    parties = [
        _event(
            n,
            "heedful.reservation.upserted",
            now,
            customer={"phone": phone},
            location=LOCATION_CODES[RESTAURANT],
            reservation=f"KV-T{n}",
            at=local_at(day, RESTAURANT, at).isoformat(),
            party_size=size,
        )
        for n, (phone, at, size) in enumerate(FIRST_PARTIES, start=1)
    ]
    parcel = _event(
        len(parties) + 1,
        "heedful.order.upserted",
        now,
        customer={"phone": VIKTORIIA_PHONE},
        location=LOCATION_CODES[BOUTIQUE],
        order="LY-1061",
        status="at_pickup",
        promised=(today - timedelta(days=1)).isoformat(),
        pickup_until=(today + timedelta(days=2)).isoformat(),
        carrier="Nova Poshta",
        tracking_number="20450123461061",
    )
    return [*parties, parcel]
