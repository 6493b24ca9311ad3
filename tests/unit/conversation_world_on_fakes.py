"""A Berlin shop on the in-memory fakes that receives e-mail: the twin of
``tests/conversation_world.py`` for unit tests of the SLA clocks (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from builders import a_location, an_admin
from fakes import FakeUnitOfWork

from heedful.core.access.model import Actor, Role
from heedful.core.conversations.handlers import InboundEmail, Received, receive_email, reply
from heedful.core.conversations.model import ThreadMessage
from heedful.core.engine.timers import TimerReport, fire_due_timers
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.sla.handlers import PolicyIn, create_policy
from heedful.core.sla.model import SlaClock
from heedful.core.staff.model import Location, StaffMember

DOMAIN = "heedful.test"


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass
class ConversationWorld:
    uow: FakeUnitOfWork
    clock: FrozenClock
    berlin: Location
    admin: Actor
    manager: Actor
    agent: Actor  # Jonas, an agent in Berlin with a staff record

    def email(
        self, text: str = "Where is my order 1042?", *, message_id: str | None = None
    ) -> Received:
        cmd = InboundEmail(
            from_address="anna@example.com",
            from_name="Anna Schmidt",
            to_addresses=("berlin@shop.example",),
            subject="Order 1042",
            text=text,
            message_id=message_id or f"<{new_id()}@mail.example.com>",
            in_reply_to="",
            references=(),
        )
        return receive_email(cmd, self.uow, self.clock)

    def reply(self, thread_id: str, body: str = "It leaves today.") -> ThreadMessage:
        return reply(thread_id, body, self.uow, self.clock, self.agent, message_id_domain=DOMAIN)

    def clocks(self, thread_id: str) -> dict[str, SlaClock]:
        with self.uow as uow:
            return {c.kind.value: c for c in uow.sla_clocks.for_thread(thread_id)}

    def timers(self) -> TimerReport:
        return fire_due_timers(lambda: self.uow, self.clock)


# Monday 2 March 2026, 08:00 in Berlin, before the shop opens at 09:00.
MONDAY_BEFORE_OPENING = datetime(2026, 3, 2, 7, tzinfo=UTC)


def a_conversation_world(at: datetime = MONDAY_BEFORE_OPENING) -> ConversationWorld:
    clock = FrozenClock(at)
    berlin = a_location("Berlin Mitte", city="Berlin", country="DE", time_zone="Europe/Berlin")
    berlin.code, berlin.opening_hours = "berlin", {"mon-fri": ["09:00-18:00"]}
    jonas = StaffMember(
        id=new_id("stf_"),
        login="jonas",
        full_name="Jonas Weber",
        role=Role.AGENT,
        language="en",
        password_hash="-",
        created_at=clock.now(),
        location_ids=frozenset({berlin.id}),
    )
    uow = FakeUnitOfWork([berlin, jonas])
    admin = an_admin()
    manager = Actor(new_id("stf_"), "Petra, manager", Role.MANAGER, frozenset({berlin.id}))
    policy = PolicyIn(
        name="E-mail, everyone",
        first_response_minutes=120,
        next_response_minutes=240,
        resolution_minutes=480,
        warning_minutes=30,
    )
    create_policy(policy, uow, clock, admin)
    return ConversationWorld(uow, clock, berlin, admin, manager, jonas.as_actor())
