"""Hotels, staff, guests and stays for the console tests, made through the core's use cases.

The system actor builds the world a test starts from, so no test begins in a state the product
could not have produced. Fixtures that hand these out are in conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from fastapi.testclient import TestClient

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.customers.commands import CreateCustomer, NewIdentity
from heedful.core.customers.handlers import create_customer
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryEntry, HistoryKind, Item
from heedful.core.staff.handlers import (
    NewLocation,
    NewStaffMember,
    create_location,
    create_staff_member,
)
from heedful.core.staff.model import Location, LocationKind, StaffMember

PASSWORD = "correct horse battery"


@dataclass
class World:
    container: Container

    def location(
        self,
        name: str,
        *,
        city: str = "Moscow",
        country: str = "RU",
        time_zone: str = "Europe/Moscow",
        kind: LocationKind = LocationKind.HOTEL,
    ) -> Location:
        return create_location(
            NewLocation(name, kind, city, country, time_zone),
            self.container.uow(),
            self.container.clock,
            SYSTEM,
        )

    def staff(
        self,
        login: str,
        full_name: str,
        role: Role,
        *,
        language: str = "en",
        at: Sequence[Location] = (),
    ) -> StaffMember:
        locations = frozenset(location.id for location in at) or None
        return create_staff_member(
            NewStaffMember(
                login=login,
                full_name=full_name,
                role=role,
                password=PASSWORD,
                language=language,
                location_ids=locations,
            ),
            self.container.uow(),
            self.container.clock,
            SYSTEM,
        )

    def customer(
        self,
        full_name: str,
        *,
        at: Location,
        phone: str | None = None,
        email: str | None = None,
        language: str = "ru",
    ) -> Customer:
        identities = ((NewIdentity(IdentityKind.PHONE, phone),) if phone else ()) + (
            (NewIdentity(IdentityKind.EMAIL, email),) if email else ()
        )
        return create_customer(
            CreateCustomer(
                full_name=full_name,
                language=language,
                time_zone=at.time_zone,
                home_location_id=at.id,
                identities=identities,
            ),
            self.container.uow(),
            self.container.clock,
            SYSTEM,
        )

    def visit(
        self,
        customer: Customer,
        at: Location,
        *,
        items: Sequence[Mapping[str, str]] = (),
        occurred_at: datetime | None = None,
    ) -> HistoryEntry:
        """A stay or a table, as the hotel's PMS or the restaurant's till would report it."""
        entry, _ = record_history(
            RecordHistory(
                customer_id=customer.id,
                kind=HistoryKind.VISIT,
                occurred_at=occurred_at or self.container.clock.now(),
                location_id=at.id,
                items=tuple(Item(attributes=dict(item)) for item in items),
            ),
            self.container.uow(),
            self.container.clock,
            SYSTEM,
        )
        return entry


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def log_in(client: TestClient, login: str, password: str = PASSWORD) -> str:
    """Log in through the form, as a person would; returns the CSRF token of the session."""
    form = client.get("/login")
    client.post(
        "/login", data={"login": login, "password": password, "csrf_token": csrf_of(form.text)}
    )
    return csrf_of(client.get("/logout").text)
