"""A boutique on real storage where promises are made: the world the ledger's tests start from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from builders import Shop, a_location, an_admin

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import CreateCustomer, NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import create_customer, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer
from heedful.core.promises.back_in_stock import Restock, stock_changed
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import Promise, PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.staff.model import Location, StaffMember
from heedful.core.unit_of_work import UnitOfWork

BAG = "bag-noir"


@dataclass
class PromiseWorld:
    container: Container
    shop: Shop
    clock: FrozenClock
    kyiv: Location
    lviv: Location
    admin: Actor
    assistant: Actor  # Iryna, a shop assistant in Kyiv with a staff record (she owns promises)

    @property
    def uow(self) -> UnitOfWork:
        return self.container.uow()

    def customer(
        self,
        name: str,
        *,
        email: str | None = None,
        language: str = "uk",
        time_zone: str = "Europe/Kyiv",
    ) -> Customer:
        identities = (NewIdentity(IdentityKind.EMAIL, email),) if email else ()
        customer = create_customer(
            CreateCustomer(
                full_name=name,
                language=language,
                time_zone=time_zone,
                home_location_id=self.kyiv.id,
                identities=identities,
            ),
            self.uow,
            self.clock,
            self.admin,
        )
        if email:
            record_consent(
                RecordConsent(
                    customer_id=customer.id,
                    channel=Channel.EMAIL,
                    purpose=Purpose.SERVICE,
                    granted=True,
                    how="in person",
                ),
                self.uow,
                self.clock,
                self.admin,
            )
        return customer

    def wait_for(
        self, customer: Customer, size: str = "M", *, until: datetime | None = None
    ) -> Promise:
        item = WantedItem(product=BAG, location_id=self.kyiv.id, variant="black", size=size)
        cmd = MakePromise(
            customer_id=customer.id,
            kind=PromiseKind.TELL_WHEN_AVAILABLE,
            location_id=self.kyiv.id,
            item=item,
            due_at=until,
        )
        return make_promise(cmd, self.uow, self.clock, self.assistant)

    def restock(self, quantity: int, size: str = "M", *, per_unit: int = 1) -> Restock:
        item = WantedItem(product=BAG, location_id=self.kyiv.id, variant="black", size=size)
        with self.uow as uow:
            restock = stock_changed(uow, self.clock.now(), item, quantity, tell_per_unit=per_unit)
            uow.commit()
        return restock

    def promise(self, promise_id: str) -> Promise:
        with self.uow as uow:
            promise = uow.promises.get(promise_id)
        assert promise is not None
        return promise

    def later(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))


def build_world(container: Container, clock: FrozenClock) -> PromiseWorld:
    kyiv, lviv = a_location("Atelier Lypky"), a_location("Rynok square", city="Lviv")
    iryna = StaffMember(
        id=new_id("stf_"),
        login=f"iryna-{new_id()[:6]}",
        full_name="Iryna Melnyk",
        role=Role.AGENT,
        language="uk",
        password_hash="-",
        created_at=clock.now(),
        location_ids=frozenset({kyiv.id}),
    )
    with container.uow() as uow:
        uow.locations.add(kyiv)
        uow.locations.add(lviv)
        uow.staff.add(iryna)
        uow.commit()
    assistant = Actor(iryna.id, iryna.full_name, Role.AGENT, frozenset({kyiv.id}))
    admin = an_admin()
    shop = Shop(uow=container.uow(), clock=clock, kyiv=kyiv, lviv=lviv, admin=admin)  # type: ignore[arg-type]
    return PromiseWorld(container, shop, clock, kyiv, lviv, admin, assistant)


def refund_states(container: Container) -> dict[str, str]:
    """Each refund promise's state by its reference, read straight from the database."""
    with container.engine.connect() as conn:
        rows: Any = conn.execute(
            sa.text("SELECT reference, state FROM promises WHERE kind = 'refund_by'")
        ).all()
    return dict(rows)
