"""The demo's conversations: SLA policies, two teams and a dozen threads, played through the core.

Every message comes in through ``receive_email`` / ``receive_chat`` and every answer goes out
through ``reply`` at the moment it happened, with the worker's timers fired as the clock moves, so
the clocks, the reply-by promises, the warnings and the breach in the inbox are the product's own.

A business day in a policy is eight business hours: a policy counts business minutes, the same
at every location, and eight is the working day of most of the demo's staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from heedful.core.access.model import SYSTEM, Actor
from heedful.core.calendar import add_business_time
from heedful.core.calendar.locations import Calendars
from heedful.core.conversations.handlers import accept_sender, add_note, assign, set_status
from heedful.core.conversations.inbound import ChatIn, InboundEmail, receive_chat, receive_email
from heedful.core.conversations.model import Channel, Direction, Priority
from heedful.core.conversations.replies import reply
from heedful.core.conversations.teams import create_team
from heedful.core.customers.commands import NewIdentity
from heedful.core.customers.handlers import add_identity
from heedful.core.customers.identities import IdentityKind, normalise_identity
from heedful.core.customers.model import Customer, Segment
from heedful.core.engine.timers import fire_due_timers
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.scope import CustomerScope
from heedful.core.sla.calendar_days import calendar_year, set_calendar_day
from heedful.core.sla.handlers import PolicyIn, create_policy
from heedful.core.sla.model import ClockKind, policy_for
from heedful.core.unit_of_work import UnitOfWork

from .conversation_scripts import (
    SCRIPTS,
    TEAMS,
    Answer,
    Assign,
    Note,
    Script,
    SetStatus,
    Step,
    Write,
)
from .data import HOTEL, LOCATION_CODES
from .stories import StoryCustomer

DEMO_MX = "mx.demo.heedful"  # the demo shop's receiving mail server, for its Authentication-Results

BUSINESS_DAY = 8 * 60  # business minutes
# fmt: off
POLICIES = (
    PolicyIn("E-mail", channel=Channel.EMAIL, first_response_minutes=4 * 60,
             next_response_minutes=8 * 60, resolution_minutes=3 * BUSINESS_DAY,
             warning_minutes=30),
    PolicyIn("Chat", channel=Channel.CHAT, first_response_minutes=5, next_response_minutes=10,
             resolution_minutes=BUSINESS_DAY, warning_minutes=2),
    PolicyIn("E-mail, VIP", channel=Channel.EMAIL, segment=Segment.VIP.value,
             first_response_minutes=60, next_response_minutes=2 * 60,
             resolution_minutes=BUSINESS_DAY, warning_minutes=15),
    PolicyIn("Chat, VIP", channel=Channel.CHAT, segment=Segment.VIP.value,
             first_response_minutes=2, next_response_minutes=5, resolution_minutes=4 * 60,
             warning_minutes=1),
)
# fmt: on
RULES_SINCE = timedelta(days=30)  # the policies and teams were set up a month before now


@dataclass
class _Thread:
    """What one script has become so far: its thread and how to write into it again."""

    script: Script
    customer: Customer | None
    address: str
    phone: str
    thread_id: str = ""
    visitor_token: str = ""
    message_ids: list[str] = field(default_factory=list)  # the e-mail ids, ours and hers


def play_conversations(
    uow: UnitOfWork,
    clock: FrozenClock,
    locations: dict[str, str],
    now: datetime,
    mail_domain: str,
) -> None:
    clock.set(now - RULES_SINCE)
    _front_desk_works_on_holidays(uow, clock, locations[HOTEL], now.year)
    for policy in POLICIES:
        create_policy(policy, uow, clock, SYSTEM)
    staff = {m.login: m.as_actor() for m in uow.staff.list()}
    teams = {
        spec.key: create_team(
            spec.name,
            uow,
            clock,
            SYSTEM,
            location_id=locations[spec.location],
            member_ids=[staff[login].id for login in spec.members],
        ).id
        for spec in TEAMS
    }
    player = _Player(uow, clock, locations, staff, teams, mail_domain)
    steps: list[tuple[datetime, int, int, Step | None]] = []
    for index, script in enumerate(SCRIPTS):
        started = player.cast(script, now)
        steps.append((started, index, -1, None))
        steps += [(started + after, index, n, step) for n, (after, step) in enumerate(script.steps)]
    for at, index, _, step in sorted(steps, key=lambda s: (s[0], s[1], s[2])):
        clock.set(min(at, now))
        fire_due_timers(lambda: uow, clock)
        player.play(index, step)
    clock.set(now)
    fire_due_timers(lambda: uow, clock)


class _Player:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: FrozenClock,
        locations: dict[str, str],
        staff: dict[str, Actor],
        teams: dict[str, str],
        mail_domain: str,
    ) -> None:
        self.uow, self.clock, self.locations = uow, clock, locations
        self.staff, self.teams, self.mail_domain = staff, teams, mail_domain
        self.threads: list[_Thread] = []
        self._taken: set[str] = set()

    def cast(self, script: Script, now: datetime) -> datetime:
        """Choose who writes, give them an address if they have none; return the first
        message's time."""
        customer = self._writer(script)
        address, phone = self._contacts(script, customer, now)
        self.threads.append(_Thread(script, customer, address, phone))
        if script.start.due_in is None:
            return now - (script.start.ago or timedelta())
        return min(self._start_for_due(script, customer, now + script.start.due_in), now)

    def play(self, index: int, step: Step | None) -> None:
        thread = self.threads[index]
        location = self.locations[thread.script.location]
        if step is None:
            self._customer_writes(thread, thread.script.first, location)
        elif isinstance(step, Write):
            self._customer_writes(thread, step.text, location)
        elif isinstance(step, Answer):
            self._answer(thread, step)
        elif isinstance(step, Note):
            add_note(thread.thread_id, step.text, self.uow, self.clock, self.staff[step.login])
        elif isinstance(step, Assign):
            assignee = self.staff[step.assignee].id if step.assignee else None
            team = self.teams[step.team] if step.team else None
            actor = self.staff[step.login]
            assign(
                thread.thread_id, self.uow, self.clock, actor, assignee_id=assignee, team_id=team
            )
        elif isinstance(step, SetStatus):
            set_status(thread.thread_id, step.status, self.uow, self.clock, self.staff[step.login])

    def _customer_writes(self, thread: _Thread, text: str, location_id: str) -> None:
        script = thread.script
        if script.channel is Channel.CHAT:
            received = receive_chat(
                ChatIn(
                    text,
                    language=script.language,
                    visitor_token=thread.visitor_token or None,
                    email=thread.address or None,
                    phone=thread.phone or None,
                    name=thread.customer.full_name if thread.customer else None,
                    location_id=location_id,
                ),
                self.uow,
                self.clock,
            )
            thread.visitor_token = received.thread.visitor_token or thread.visitor_token
            if received.new_thread:
                # The demo's visitors are who they say: the shop accepted each chat at once, so
                # its reply promise counts (an unverified chat shows its badge until then).
                accept_sender(received.thread.id, self.uow, self.clock, SYSTEM)
        else:
            message_id = f"<demo.{script.key}.{len(thread.message_ids)}@mail.example.net>"
            code = LOCATION_CODES[script.location]
            received = receive_email(
                InboundEmail(
                    from_address=thread.address,
                    to_addresses=(f"{code}@{self.mail_domain}",),
                    subject=script.subject if not thread.message_ids else f"Re: {script.subject}",
                    text=text,
                    message_id=message_id,
                    in_reply_to=thread.message_ids[-1] if thread.message_ids else "",
                    references=tuple(thread.message_ids),
                    from_name=thread.customer.full_name if thread.customer else "",
                    # What the shop's mail server says of the demo's mail: DKIM passed.
                    authentication_results=(
                        f"{DEMO_MX}; dkim=pass header.d={thread.address.rpartition('@')[2]}",
                    ),
                ),
                self.uow,
                self.clock,
                trusted_authserv_id=DEMO_MX,
            )
            thread.message_ids.append(message_id)
        thread.thread_id = received.thread.id

    def _answer(self, thread: _Thread, step: Answer) -> None:
        message = reply(
            thread.thread_id,
            step.text,
            self.uow,
            self.clock,
            self.staff[step.login],
            message_id_domain=self.mail_domain,
        )
        if message.direction is Direction.OUT and message.message_id:
            thread.message_ids.append(message.message_id)
        # The demo replays the past: the answer left at the time, so the relay does not send
        # yesterday's replies to the demo mailbox when the demo starts.
        with self.uow as uow:
            sent = uow.outbox.get(message.outbox_message_id) if message.outbox_message_id else None
            if sent is not None:
                sent.sent(self.clock.now() + timedelta(seconds=20), "demo")
                uow.outbox.update(sent)
                uow.commit()

    def _writer(self, script: Script) -> Customer | None:
        if script.story is not None:
            return _story_customer(self.uow, script.story)
        location = self.locations[script.location]
        known = self.uow.customers.list(CustomerScope(frozenset({location})), 200, None).items
        fits = [
            c for c in known if c.id not in self._taken and (c.segment is Segment.VIP) == script.vip
        ]
        fits.sort(key=lambda c: c.home_location_id != location)  # her own place first
        chosen = next((c for c in fits if c.language == script.language), None)
        chosen = chosen or (fits[0] if fits else None)
        if chosen is not None:
            self._taken.add(chosen.id)
        return chosen

    def _contacts(
        self, script: Script, customer: Customer | None, now: datetime
    ) -> tuple[str, str]:
        """Her e-mail and phone; one who writes by e-mail without a known address gave it
        at her last visit (recorded then, through the handler)."""
        if customer is None:
            return f"{script.key}@example.net", ""
        identities = self.uow.identities.list_for(customer.id)
        email = next((i.value for i in identities if i.kind is IdentityKind.EMAIL), "")
        phone = next((i.value for i in identities if i.kind is IdentityKind.PHONE), "")
        if email or (phone and script.channel is Channel.CHAT):
            return email, phone
        email = f"client.{customer.id[-8:].lower()}@example.net"
        self.clock.set(now - timedelta(days=7))
        add_identity(
            customer.id, NewIdentity(IdentityKind.EMAIL, email), self.uow, self.clock, SYSTEM
        )
        return email, phone

    def _start_for_due(self, script: Script, customer: Customer | None, due: datetime) -> datetime:
        """The latest first-message time whose first-response clock is due by ``due``, in the
        location's business calendar (binary search: later starts are never due earlier)."""
        segment = customer.segment.value if customer is not None else Segment.NEW.value
        policy = policy_for(self.uow.sla_policies.list(), script.channel, Priority.NORMAL, segment)
        minutes = policy.target(ClockKind.FIRST_RESPONSE) if policy is not None else None
        if not minutes:
            return due
        calendar = Calendars(self.uow).of(self.locations[script.location])
        target = timedelta(minutes=minutes)
        early, late = due - timedelta(days=30), due
        while late - early > timedelta(seconds=30):
            middle = early + (late - early) / 2
            if add_business_time(calendar, middle, target) <= due:
                early = middle
            else:
                late = middle
        return early


def _front_desk_works_on_holidays(
    uow: UnitOfWork, clock: FrozenClock, hotel: str, year: int
) -> None:
    """A hotel's front desk answers on public holidays too: its own dates say so, as a manager
    would set them, so its clocks do not stop for a holiday."""
    for shown in (year - 1, year, year + 1):
        for day, name in calendar_year(hotel, shown, uow, SYSTEM).holidays:
            set_calendar_day(
                hotel, day, ["00:00-24:00"], f"Front desk open: {name}"[:200], uow, clock, SYSTEM
            )


def _story_customer(uow: UnitOfWork, story: StoryCustomer) -> Customer | None:
    kind = story.find_by.kind
    return uow.customers.find_by_identity(kind, normalise_identity(kind, story.find_by.value))
