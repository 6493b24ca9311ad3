"""A Kyiv shop and a Lviv shop whose customers write in by e-mail and chat: the inbox tests' world.

Both shops keep no opening hours, so their SLA clocks count round the clock in Kyiv time: the
arithmetic of these tests is plain minutes (business calendars are tested elsewhere). The policy
gives an hour for the first response, with a warning 30 minutes ahead, and a day to resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from console_world import World

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.conversations.handlers import (
    ChatIn,
    InboundEmail,
    Received,
    create_team,
    receive_chat,
    receive_email,
    reply,
)
from heedful.core.conversations.model import Thread, ThreadMessage
from heedful.core.engine.timers import fire_due_timers
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.sla.handlers import PolicyIn, create_policy
from heedful.core.staff.handlers import NewLocation, create_location
from heedful.core.staff.model import Location, LocationKind, StaffMember

DOMAIN = "heedful.test"


@dataclass
class InboxWorld:
    container: Container
    clock: FrozenClock
    people: World
    kyiv: Location
    lviv: Location
    iryna: StaffMember  # agent in Kyiv
    taras: StaffMember  # agent in Kyiv
    oksana: StaffMember  # agent in Lviv only
    olena: StaffMember  # manager of both shops

    def email(
        self,
        text: str = "Де моє замовлення 1042?",
        *,
        sender: str = "anna@example.com",
        name: str = "Анна Петренко",
        subject: str = "Замовлення 1042",
        to: str = "kyiv@shop.example",
        in_reply_to: str = "",
    ) -> Received:
        return receive_email(
            InboundEmail(
                from_address=sender,
                from_name=name,
                to_addresses=(to,),
                subject=subject,
                text=text,
                message_id=f"<{new_id()}@mail.example.com>",
                in_reply_to=in_reply_to,
            ),
            self.container.uow(),
            self.clock,
        )

    def chat(self, text: str, *, language: str = "uk", at: Location | None = None) -> Received:
        return receive_chat(
            ChatIn(text=text, language=language, location_id=(at or self.kyiv).id),
            self.container.uow(),
            self.clock,
        )

    def chat_more(self, thread: Thread, text: str) -> Received:
        """The same visitor writes again (her page holds the thread's visitor token)."""
        return receive_chat(
            ChatIn(text=text, visitor_token=thread.visitor_token), self.container.uow(), self.clock
        )

    def reply(self, thread_id: str, body: str = "Відправили сьогодні.") -> ThreadMessage:
        return reply(
            thread_id,
            body,
            self.container.uow(),
            self.clock,
            self.iryna.as_actor(),
            message_id_domain=DOMAIN,
        )

    def later(self, minutes: float) -> None:
        """Time passes, and the worker fires what fell due meanwhile (warnings, breaches)."""
        self.clock.advance(timedelta(minutes=minutes))
        fire_due_timers(self.container.uow, self.clock)


def shop(container: Container, name: str, code: str) -> Location:
    return create_location(
        NewLocation(name, LocationKind.SHOP, "Kyiv", "UA", "Europe/Kyiv", code=code),
        container.uow(),
        container.clock,
        SYSTEM,
    )


def build_inbox_world(container: Container, clock: FrozenClock) -> InboxWorld:
    people = World(container)
    kyiv = shop(container, "Kyiv, Podil", "kyiv")
    lviv = shop(container, "Lviv, Rynok", "lviv")
    world = InboxWorld(
        container=container,
        clock=clock,
        people=people,
        kyiv=kyiv,
        lviv=lviv,
        iryna=people.staff("iryna", "Iryna Koval", Role.AGENT, at=[kyiv]),
        taras=people.staff("taras", "Taras Melnyk", Role.AGENT, at=[kyiv]),
        oksana=people.staff("oksana", "Oksana Hnatiuk", Role.AGENT, at=[lviv]),
        olena=people.staff("olena", "Olena Bondar", Role.MANAGER, at=[kyiv, lviv]),
    )
    create_policy(
        PolicyIn(
            name="Everyone",
            first_response_minutes=60,
            resolution_minutes=24 * 60,
            warning_minutes=30,
        ),
        container.uow(),
        clock,
        SYSTEM,
    )
    return world


def front_desk(world: InboxWorld) -> str:
    """A team in Kyiv with Iryna in it."""
    team = create_team(
        "Front desk",
        world.container.uow(),
        world.clock,
        SYSTEM,
        location_id=world.kyiv.id,
        member_ids=(world.iryna.id,),
    )
    return team.id
