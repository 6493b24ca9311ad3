"""Small helpers that build the world a test starts from: a shop, its staff, customers, history.

Customers, purchases and preferences are made through the use cases themselves, so a test never
starts from a state the product could not have produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from fakes import FakeUnitOfWork

from heedful.core.access.model import Actor, Role
from heedful.core.customers.commands import CreateCustomer, NewIdentity
from heedful.core.customers.handlers import create_customer
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryEntry, HistoryKind, Item
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Category, Polarity, Preference, Source
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.staff.model import Location, LocationKind

# A Monday morning in Kyiv; nothing depends on the date except that it is fixed.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def a_clock(at: datetime = T0) -> FrozenClock:
    return FrozenClock(at)


def a_location(
    name: str = "Podil boutique",
    *,
    city: str = "Kyiv",
    country: str = "UA",
    time_zone: str = "Europe/Kyiv",
    kind: LocationKind = LocationKind.BOUTIQUE,
) -> Location:
    return Location(
        id=new_id("loc_"),
        name=name,
        kind=kind,
        city=city,
        country=country,
        time_zone=time_zone,
        created_at=T0,
    )


def an_admin(label: str = "Olena, admin") -> Actor:
    return Actor(id=new_id("stf_"), label=label, role=Role.ADMIN)


def a_manager(*locations: Location, label: str = "Taras, manager") -> Actor:
    return Actor(
        id=new_id("stf_"),
        label=label,
        role=Role.MANAGER,
        location_ids=frozenset(loc.id for loc in locations),
    )


def an_agent(*locations: Location, label: str = "Iryna, shop assistant") -> Actor:
    return Actor(
        id=new_id("stf_"),
        label=label,
        role=Role.AGENT,
        location_ids=frozenset(loc.id for loc in locations),
    )


def an_evaluator(label: str = "Mystery shopper 7") -> Actor:
    return Actor(id=new_id("stf_"), label=label, role=Role.EVALUATOR, location_ids=frozenset())


@dataclass
class Shop:
    """One business with two locations, an admin and a frozen clock: where most tests start."""

    uow: FakeUnitOfWork
    clock: FrozenClock
    kyiv: Location
    lviv: Location
    admin: Actor

    def customer(
        self,
        name: str = "Anna Kovalenko",
        *,
        phone: str | None = None,
        email: str | None = None,
        at: Location | None = None,
        birthday: date | None = None,
        by: Actor | None = None,
    ) -> Customer:
        identities = tuple(
            NewIdentity(kind, value)
            for kind, value in ((IdentityKind.PHONE, phone), (IdentityKind.EMAIL, email))
            if value is not None
        )
        cmd = CreateCustomer(
            full_name=name,
            home_location_id=at.id if at else None,
            birthday=birthday,
            identities=identities,
        )
        return create_customer(cmd, self.uow, self.clock, by or self.admin)

    def purchase(
        self,
        customer: Customer,
        *,
        days_ago: float = 0,
        at: Location | None = None,
        ref: str | None = None,
        amount_minor: int | None = None,
        by: Actor | None = None,
        **attributes: str,
    ) -> HistoryEntry:
        """A purchase of one item with the given attributes (drink="flat white", size="38")."""
        cmd = RecordHistory(
            customer_id=customer.id,
            kind=HistoryKind.PURCHASE,
            occurred_at=self.clock.now() - timedelta(days=days_ago),
            location_id=at.id if at else None,
            items=(Item(dict(attributes)),),
            amount_minor=amount_minor,
            currency="UAH" if amount_minor is not None else None,
            external_ref=ref,
        )
        entry, _ = record_history(cmd, self.uow, self.clock, by or self.admin)
        return entry

    def preference(
        self,
        customer: Customer,
        polarity: Polarity,
        subject: str,
        *,
        category: Category = Category.OTHER,
        by: Actor | None = None,
    ) -> Preference:
        cmd = RecordPreference(
            customer_id=customer.id, polarity=polarity, subject=subject, category=category
        )
        return record_preference(cmd, self.uow, self.clock, by or self.admin)


def a_shop(at: datetime = T0) -> Shop:
    kyiv = a_location("Podil boutique")
    lviv = a_location("Rynok square", city="Lviv")
    return Shop(
        uow=FakeUnitOfWork([kyiv, lviv]), clock=a_clock(at), kyiv=kyiv, lviv=lviv, admin=an_admin()
    )


def a_history_entry(
    occurred_at: datetime,
    *,
    customer_id: str = "cus_anna",
    location_id: str | None = None,
    **attributes: str,
) -> HistoryEntry:
    """A stored entry, for the pure rules that read history without a unit of work."""
    return HistoryEntry(
        id=new_id("his_"),
        customer_id=customer_id,
        kind=HistoryKind.PURCHASE,
        occurred_at=occurred_at,
        recorded_at=occurred_at,
        location_id=location_id,
        items=[Item(dict(attributes))],
    )


def a_stated_preference(
    polarity: Polarity, subject: str, *, customer_id: str = "cus_anna", at: datetime = T0
) -> Preference:
    return Preference(
        id=new_id("prf_"),
        customer_id=customer_id,
        polarity=polarity,
        category=Category.OTHER,
        subject=subject,
        note="",
        source=Source.SAID,
        confidence=1.0,
        recorded_at=at,
        recorded_by="stf_test",
        recorded_by_label="Test",
    )


def a_stock_report(
    event_id: str, product: str = "bag-noir", location: str = "lypky", **data: object
) -> dict[str, object]:
    """A stock system's CloudEvent that one unit of `product` is back at `location`."""
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "urn:shop:stock",
        "type": "heedful.stock.changed",
        "data": {"product": product, "location": location, "quantity": 1, **data},
    }
