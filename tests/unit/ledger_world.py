"""A boutique on the in-memory fakes where promises are made, events arrive and messages go out.

The fake-storage twin of ``tests/promise_world.py``: the same use cases, no database, so the
engine's, the ledger's and the relay's rules run in milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from builders import Shop, a_shop

from heedful.core.access.model import Actor, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import CreateCustomer, NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import create_customer, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer
from heedful.core.engine.reactions import EngineReport, process_events
from heedful.core.engine.relay import Relay, RelayReport
from heedful.core.engine.timers import TimerReport, fire_due_timers
from heedful.core.events.model import BusinessEvent
from heedful.core.outreach.envelope import Composed, Envelope, SendFailed
from heedful.core.outreach.outbox import Message
from heedful.core.outreach.policy import ContactRules
from heedful.core.outreach.templates import MessageTemplate
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import Promise, PromiseKind, WantedItem
from heedful.core.shared.ids import new_id
from heedful.core.staff.model import StaffMember
from heedful.core.unit_of_work import UnitOfWork

BAG = "bag-noir"


class PlainComposer:
    """Fills in nothing: the relay's decisions, not the templates, are under test here."""

    def compose(
        self,
        template_key: str,
        languages: Sequence[str],
        context: Mapping[str, object],
        own: Sequence[MessageTemplate] = (),
    ) -> Composed:
        del own
        return Composed(
            languages[0], template_key, f"{template_key} for {context['customer']}", None
        )


@dataclass
class Mailbox:
    """A channel that takes every message, or refuses the next ones as told."""

    received: list[Envelope] = field(default_factory=list)
    refusals: list[SendFailed] = field(default_factory=list)

    def send(self, envelope: Envelope) -> str:
        if self.refusals:
            raise self.refusals.pop(0)
        self.received.append(envelope)
        return f"ref-{len(self.received)}"


@dataclass
class LedgerWorld:
    shop: Shop
    assistant: Actor  # Iryna, a Kyiv shop assistant with a staff record: she owns promises
    mailbox: Mailbox = field(default_factory=Mailbox)
    sms: Mailbox = field(default_factory=Mailbox)
    rules: ContactRules = field(default_factory=ContactRules)
    events_sent: int = 0

    @property
    def uow(self) -> UnitOfWork:
        return self.shop.uow

    def customer(
        self,
        name: str,
        *,
        email: str | None = None,
        consent: Purpose | None = Purpose.SERVICE,
        time_zone: str = "Europe/Kyiv",
        phone: str | None = None,
    ) -> Customer:
        identities = tuple(
            NewIdentity(kind, value)
            for kind, value in ((IdentityKind.EMAIL, email), (IdentityKind.PHONE, phone))
            if value
        )
        cmd = CreateCustomer(
            full_name=name,
            language="uk",
            time_zone=time_zone,
            home_location_id=self.shop.kyiv.id,
            identities=identities,
        )
        customer = create_customer(cmd, self.uow, self.shop.clock, self.shop.admin)
        if email and consent is not None:
            self.consent(customer, consent)
        if phone and consent is not None:
            self.consent(customer, consent, channel=Channel.SMS)
        return customer

    def consent(
        self,
        customer: Customer,
        purpose: Purpose,
        *,
        granted: bool = True,
        channel: Channel = Channel.EMAIL,
    ) -> None:
        cmd = RecordConsent(
            customer_id=customer.id,
            channel=channel,
            purpose=purpose,
            granted=granted,
            how="in person",
        )
        record_consent(cmd, self.uow, self.shop.clock, self.shop.admin)

    def item(self, size: str = "M") -> WantedItem:
        return WantedItem(product=BAG, location_id=self.shop.kyiv.id, variant="black", size=size)

    def wait_for(
        self, customer: Customer, size: str = "M", *, until: datetime | None = None
    ) -> Promise:
        cmd = MakePromise(
            customer_id=customer.id,
            kind=PromiseKind.TELL_WHEN_AVAILABLE,
            location_id=self.shop.kyiv.id,
            item=self.item(size),
            due_at=until,
        )
        return make_promise(cmd, self.uow, self.shop.clock, self.assistant)

    def promise_to(
        self, customer: Customer, kind: PromiseKind, *, due_in: timedelta, reference: str = ""
    ) -> Promise:
        cmd = MakePromise(
            customer_id=customer.id,
            kind=kind,
            location_id=self.shop.kyiv.id,
            due_at=self.shop.clock.now() + due_in,
            reference=reference,
        )
        return make_promise(cmd, self.uow, self.shop.clock, self.assistant)

    def event(self, type: str, **data: Any) -> None:
        """A business system's event, stored in the inbox as ingest stores it."""
        self.events_sent += 1
        event = BusinessEvent("urn:shop:kyiv", f"evt-{self.events_sent}", type, data)
        with self.uow as uow:
            uow.events.accept([event], received_at=self.shop.clock.now())
            uow.commit()

    def stock(self, quantity: int, size: str = "M", *, location: str | None = None) -> None:
        where = location or self.shop.kyiv.id
        self.event(
            "heedful.stock.changed",
            product=BAG,
            variant="black",
            size=size,
            location=where,
            quantity=quantity,
        )

    def engine(self) -> EngineReport:
        return process_events(lambda: self.uow, self.shop.clock)

    def timers(self) -> TimerReport:
        return fire_due_timers(lambda: self.uow, self.shop.clock)

    def relay(self) -> RelayReport:
        senders = {"email": self.mailbox, "sms": self.sms}
        relay = Relay(senders=senders, composer=PlainComposer(), rules=self.rules)
        return relay.run(lambda: self.uow, self.shop.clock)

    def promise(self, promise_id: str) -> Promise:
        with self.uow as uow:
            promise = uow.promises.get(promise_id)
        assert promise is not None
        return promise

    def messages(self, customer: Customer) -> list[Message]:
        """Her messages, oldest first."""
        with self.uow as uow:
            return list(reversed(uow.outbox.list_for_customer(customer.id, 100)))

    def later(self, **delta: float) -> None:
        self.shop.clock.advance(timedelta(**delta))


def a_ledger_world() -> LedgerWorld:
    shop = a_shop()
    iryna = StaffMember(
        id=new_id("stf_"),
        login="iryna",
        full_name="Iryna Melnyk",
        role=Role.AGENT,
        language="uk",
        password_hash="-",
        created_at=shop.clock.now(),
        location_ids=frozenset({shop.kyiv.id}),
    )
    shop.uow.seed(iryna)
    assistant = Actor(iryna.id, iryna.full_name, Role.AGENT, frozenset({shop.kyiv.id}))
    return LedgerWorld(shop, assistant)
