"""A failed event for the admin's queues to show, as an older Heedful could have stored it."""

from __future__ import annotations

from heedful.bootstrap import Container
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent


def poison(container: Container, location_id: str, event_id: str) -> None:
    """An event an older Heedful accepted: 10**20 units overflow the stock level."""
    event = BusinessEvent(
        source="urn:shop:kyiv-stock",
        id=event_id,
        type="heedful.stock.changed",
        data={"product": "bag-noir", "location": location_id, "quantity": 10**20},
    )
    with container.uow() as uow:
        uow.events.accept([event], received_at=container.clock.now())
        uow.commit()
    process_events(container.uow, container.clock)
