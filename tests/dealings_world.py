"""A hotel, a restaurant, a web shop and a bank sending their records as events (ADR 0036)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from promise_world import PromiseWorld

from heedful.core.engine.reactions import EngineReport, process_events
from heedful.core.events.model import BusinessEvent


@dataclass
class Systems:
    world: PromiseWorld
    sent: int = 0
    reports: list[EngineReport] = field(default_factory=list)

    def send(self, event_type: str, stamped: datetime | None = None, **data: Any) -> BusinessEvent:
        """One event stamped by the sender's clock, stored and handled by the engine."""
        self.sent += 1
        event = BusinessEvent(
            source="pms", id=f"evt-{self.sent}", type=event_type, data=data, time=stamped
        )
        self.replay(event)
        return event

    def replay(self, event: BusinessEvent, *, as_new: bool = False) -> None:
        """The event again: the same one (a retry), or ``as_new`` under a fresh id (a re-send)."""
        if as_new:
            self.sent += 1
            event = BusinessEvent(
                event.source, f"evt-{self.sent}", event.type, event.data, time=event.time
            )
        with self.world.uow as uow:
            uow.events.accept([event], received_at=self.world.clock.now())
            uow.commit()
        self.reports.append(process_events(self.world.container.uow, self.world.clock))

    def booking(
        self,
        customer_id: str,
        number: str,
        *,
        at: datetime,
        arrival: datetime,
        nights: int = 2,
        room: str = "512",
        location: str | None = None,
    ) -> BusinessEvent:
        return self.send(
            "heedful.booking.upserted",
            stamped=at,
            customer={"id": customer_id},
            location=location or self.world.kyiv.id,
            booking=number,
            arrival=arrival.isoformat(),
            departure=(arrival + timedelta(days=nights)).isoformat(),
            room_type="Deluxe",
            room=room,
            guests=2,
        )
