"""Ресторан «Кручі» in Kyiv and tonight's reservations from its booking widget.

The dealings stories (holds, capacity per service, the host's warning and its dry-run) all start
from a restaurant whose widget has sent tonight's book; the reservations arrive as the widget
sends them, through the inbox, and the engine files them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from console_world import World

from heedful.bootstrap import Container
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.model import Location, LocationKind


def kruchi(world: World) -> Location:
    return world.location(
        "Ресторан «Кручі»",
        city="Kyiv",
        country="UA",
        time_zone="Europe/Kyiv",
        kind=LocationKind.RESTAURANT,
    )


def book(
    container: Container,
    clock: FrozenClock,
    restaurant: Location,
    customer_id: str,
    times: Sequence[datetime],
    *,
    tables: bool = False,
) -> None:
    """Parties of two at each of ``times`` (the nth at table n+1 when ``tables``), filed."""
    reservations = [
        BusinessEvent(
            "urn:booking-widget",
            f"r-{n}",
            "heedful.reservation.upserted",
            {
                "customer": {"id": customer_id},
                "location": restaurant.id,
                "reservation": f"R-{n}",
                "at": at.isoformat(),
                "party_size": 2,
                **({"table": str(n + 1)} if tables else {}),
            },
            time=clock.now(),
        )
        for n, at in enumerate(times)
    ]
    with container.uow() as uow:
        uow.events.accept(reservations, received_at=clock.now())
        uow.commit()
    process_events(container.uow, clock)
