"""A Berlin shop on real storage that receives e-mail and chat: where conversation tests start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from builders import a_location, an_admin

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.conversations.handlers import InboundEmail, Received, receive_email, reply
from heedful.core.conversations.model import ThreadMessage
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.sla.handlers import PolicyIn, create_policy
from heedful.core.sla.model import SlaClock, SlaPolicy
from heedful.core.staff.model import Location, StaffMember
from heedful.core.unit_of_work import UnitOfWork

DOMAIN = "heedful.test"


@dataclass
class ConversationWorld:
    container: Container
    clock: FrozenClock
    berlin: Location
    munich: Location
    admin: Actor
    manager: Actor
    agent: Actor  # Jonas, an agent in Berlin with a staff record
    other_agent: Actor  # Lea, an agent in Munich only
    policy: SlaPolicy

    def uow(self) -> UnitOfWork:
        return self.container.uow()

    def email(
        self,
        text: str = "Where is my order 1042?",
        *,
        sender: str = "anna@example.com",
        subject: str = "Order 1042",
        message_id: str | None = None,
        in_reply_to: str = "",
        references: tuple[str, ...] = (),
        to: str = "berlin@shop.example",
    ) -> Received:
        return receive_email(
            InboundEmail(
                from_address=sender,
                from_name="Anna Schmidt",
                to_addresses=(to,),
                subject=subject,
                text=text,
                message_id=message_id or f"<{new_id()}@mail.example.com>",
                in_reply_to=in_reply_to,
                references=references,
            ),
            self.uow(),
            self.clock,
        )

    def reply(self, thread_id: str, body: str = "It leaves today.") -> ThreadMessage:
        return reply(thread_id, body, self.uow(), self.clock, self.agent, message_id_domain=DOMAIN)

    def clocks(self, thread_id: str) -> dict[str, SlaClock]:
        with self.uow() as uow:
            return {c.kind.value: c for c in uow.sla_clocks.for_thread(thread_id)}

    def later(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))


def build_conversation_world(container: Container, clock: FrozenClock) -> ConversationWorld:
    berlin = a_location("Berlin Mitte", city="Berlin", country="DE", time_zone="Europe/Berlin")
    berlin.code, berlin.opening_hours = "berlin", {"mon-fri": ["09:00-18:00"]}
    munich = a_location("Munich", city="Munich", country="DE", time_zone="Europe/Berlin")
    munich.code, munich.opening_hours = "munich", {"mon-fri": ["09:00-18:00"]}
    jonas = _staff("Jonas Weber", Role.AGENT, berlin, clock)
    lea = _staff("Lea Braun", Role.AGENT, munich, clock)
    with container.uow() as uow:
        uow.locations.add(berlin)
        uow.locations.add(munich)
        uow.staff.add(jonas)
        uow.staff.add(lea)
        uow.commit()
    admin = an_admin()
    manager = Actor(new_id("stf_"), "Petra, manager", Role.MANAGER, frozenset({berlin.id}))
    policy = create_policy(
        PolicyIn(
            name="E-mail, everyone",
            first_response_minutes=120,
            next_response_minutes=240,
            resolution_minutes=480,
            warning_minutes=30,
        ),
        container.uow(),
        clock,
        admin,
    )
    return ConversationWorld(
        container,
        clock,
        berlin,
        munich,
        admin,
        manager,
        jonas.as_actor(),
        lea.as_actor(),
        policy,
    )


def _staff(name: str, role: Role, location: Location, clock: FrozenClock) -> StaffMember:
    return StaffMember(
        id=new_id("stf_"),
        login=f"{name.split(maxsplit=1)[0].lower()}-{new_id()[:6]}",
        full_name=name,
        role=role,
        language="en",
        password_hash="-",
        created_at=clock.now(),
        location_ids=frozenset({location.id}),
    )
