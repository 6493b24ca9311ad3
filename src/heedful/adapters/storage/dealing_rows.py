"""Bookings, orders and accounts on SQLAlchemy; rows mapped to the dealings room's objects."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.dealing_tables import accounts, bookings, customer_owners, orders
from heedful.adapters.storage.tables import staff
from heedful.core.dealings.model import (
    OPEN_ORDER_STATUSES,
    Account,
    Booking,
    BookingKind,
    BookingStatus,
    Order,
    OrderLine,
    OrderStatus,
)
from heedful.core.staff import Owner


def _booking_values(b: Booking) -> dict[str, Any]:
    return {
        "id": b.id,
        "kind": b.kind.value,
        "location_id": b.location_id,
        "reference": b.reference,
        "customer_id": b.customer_id,
        "status": b.status.value,
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "room_type": b.room_type,
        "room": b.room,
        "table_name": b.table,
        "guests": b.guests,
        "as_of": b.as_of,
        "created_at": b.created_at,
        "updated_at": b.updated_at,
    }


def _booking(row: RowMapping) -> Booking:
    return Booking(
        id=row["id"],
        kind=BookingKind(row["kind"]),
        location_id=row["location_id"],
        reference=row["reference"],
        customer_id=row["customer_id"],
        status=BookingStatus(row["status"]),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        room_type=row["room_type"],
        room=row["room"],
        table=row["table_name"],
        guests=row["guests"],
        as_of=row["as_of"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class SqlBookings:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get_by_reference(
        self, kind: BookingKind, location_id: str, reference: str
    ) -> Booking | None:
        c = bookings.c
        row = (
            self._conn.execute(
                bookings.select().where(
                    c.kind == kind.value, c.location_id == location_id, c.reference == reference
                )
            )
            .mappings()
            .first()
        )
        return _booking(row) if row else None

    def add(self, booking: Booking) -> None:
        self._conn.execute(bookings.insert().values(**_booking_values(booking)))

    def update(self, booking: Booking) -> None:
        values = _booking_values(booking)
        del values["id"]
        self._conn.execute(bookings.update().where(bookings.c.id == booking.id).values(**values))

    def list_for_customer(self, customer_id: str, limit: int) -> list[Booking]:
        c = bookings.c
        rows = self._conn.execute(
            bookings.select()
            .where(c.customer_id == customer_id)
            .order_by(c.starts_at.desc().nulls_last(), c.id)
            .limit(limit)
        ).mappings()
        return [_booking(row) for row in rows]

    def starting_between(
        self, kind: BookingKind, location_ids: Collection[str], start: datetime, end: datetime
    ) -> list[Booking]:
        c = bookings.c
        rows = self._conn.execute(
            bookings.select()
            .where(
                c.kind == kind.value,
                c.location_id.in_(list(location_ids)),
                c.starts_at >= start,
                c.starts_at < end,
                c.status == BookingStatus.BOOKED.value,
            )
            .order_by(c.starts_at, c.id)
        ).mappings()
        return [_booking(row) for row in rows]


def _order_values(o: Order) -> dict[str, Any]:
    return {
        "id": o.id,
        "location_id": o.location_id,
        "reference": o.reference,
        "customer_id": o.customer_id,
        "status": o.status.value,
        "lines": [
            {"attributes": line.attributes, "quantity": line.quantity, "amount": line.amount_minor}
            for line in o.lines
        ],
        "promised_on": o.promised_on,
        "expected_on": o.expected_on,
        "pickup_until": o.pickup_until,
        "carrier": o.carrier,
        "tracking_number": o.tracking_number,
        "total_minor": o.total_minor,
        "currency": o.currency,
        "as_of": o.as_of,
        "created_at": o.created_at,
        "updated_at": o.updated_at,
    }


def _order(row: RowMapping) -> Order:
    return Order(
        id=row["id"],
        location_id=row["location_id"],
        reference=row["reference"],
        customer_id=row["customer_id"],
        status=OrderStatus(row["status"]),
        lines=[
            OrderLine(dict(line["attributes"]), int(line["quantity"]), line.get("amount"))
            for line in row["lines"] or []
        ],
        promised_on=row["promised_on"],
        expected_on=row["expected_on"],
        pickup_until=row["pickup_until"],
        carrier=row["carrier"],
        tracking_number=row["tracking_number"],
        total_minor=row["total_minor"],
        currency=row["currency"],
        as_of=row["as_of"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class SqlOrders:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get_by_reference(self, location_id: str, reference: str) -> Order | None:
        c = orders.c
        row = (
            self._conn.execute(
                orders.select().where(c.location_id == location_id, c.reference == reference)
            )
            .mappings()
            .first()
        )
        return _order(row) if row else None

    def add(self, order: Order) -> None:
        self._conn.execute(orders.insert().values(**_order_values(order)))

    def update(self, order: Order) -> None:
        values = _order_values(order)
        del values["id"]
        self._conn.execute(orders.update().where(orders.c.id == order.id).values(**values))

    def list_for_customer(self, customer_id: str, limit: int) -> list[Order]:
        c = orders.c
        rows = self._conn.execute(
            orders.select()
            .where(c.customer_id == customer_id)
            .order_by(c.as_of.desc(), c.id)
            .limit(limit)
        ).mappings()
        return [_order(row) for row in rows]

    def open_with_promise(self, location_ids: Collection[str] | None, limit: int) -> list[Order]:
        c = orders.c
        query = orders.select().where(
            c.status.in_(sorted(status.value for status in OPEN_ORDER_STATUSES)),
            c.promised_on.is_not(None),
        )
        if location_ids is not None:
            query = query.where(c.location_id.in_(list(location_ids)))
        rows = self._conn.execute(query.order_by(c.promised_on, c.id).limit(limit)).mappings()
        return [_order(row) for row in rows]

    def promised_between(
        self, location_id: str, first: date, last: date, *, late_only: bool = False
    ) -> list[Order]:
        c = orders.c
        query = orders.select().where(
            c.location_id == location_id,
            c.promised_on >= first,
            c.promised_on <= last,
            c.status.in_(sorted(status.value for status in OPEN_ORDER_STATUSES)),
        )
        if late_only:
            query = query.where(c.expected_on > c.promised_on)
        rows = self._conn.execute(query.order_by(c.promised_on, c.id)).mappings()
        return [_order(row) for row in rows]

    def waiting_between(self, location_id: str, first: date, last: date) -> list[Order]:
        c = orders.c
        query = orders.select().where(
            c.location_id == location_id,
            c.pickup_until >= first,
            c.pickup_until <= last,
            c.status == OrderStatus.AT_PICKUP.value,
        )
        rows = self._conn.execute(query.order_by(c.pickup_until, c.id)).mappings()
        return [_order(row) for row in rows]


def _account_values(a: Account) -> dict[str, Any]:
    return {
        "id": a.id,
        "location_id": a.location_id,
        "reference": a.reference,
        "customer_id": a.customer_id,
        "currency": a.currency,
        "balance_minor": a.balance_minor,
        "limit_minor": a.limit_minor,
        "next_charge_at": a.next_charge_at,
        "next_charge_minor": a.next_charge_minor,
        "card_expires_on": a.card_expires_on,
        "as_of": a.as_of,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def _account(row: RowMapping) -> Account:
    # The columns are named as the fields are.
    return Account(**{str(key): row[key] for key in row.keys()})  # noqa: SIM118


class SqlAccounts:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get_by_reference(self, location_id: str, reference: str) -> Account | None:
        c = accounts.c
        row = (
            self._conn.execute(
                accounts.select().where(c.location_id == location_id, c.reference == reference)
            )
            .mappings()
            .first()
        )
        return _account(row) if row else None

    def add(self, account: Account) -> None:
        self._conn.execute(accounts.insert().values(**_account_values(account)))

    def update(self, account: Account) -> None:
        values = _account_values(account)
        del values["id"]
        self._conn.execute(accounts.update().where(accounts.c.id == account.id).values(**values))

    def charging_between(
        self,
        location_id: str,
        start: datetime,
        end: datetime,
        *,
        uncovered_only: bool = False,
        card_expiring_by: date | None = None,
    ) -> list[Account]:
        c = accounts.c
        query = accounts.select().where(
            c.location_id == location_id, c.next_charge_at >= start, c.next_charge_at < end
        )
        if uncovered_only:
            available = c.balance_minor + sa.func.coalesce(c.limit_minor, 0)
            query = query.where(c.next_charge_minor > available)
        if card_expiring_by is not None:
            query = query.where(c.card_expires_on <= card_expiring_by)
        rows = self._conn.execute(query.order_by(c.next_charge_at, c.id)).mappings()
        return [_account(row) for row in rows]

    def list_for_customer(self, customer_id: str, limit: int) -> list[Account]:
        c = accounts.c
        rows = self._conn.execute(
            accounts.select().where(c.customer_id == customer_id).order_by(c.reference).limit(limit)
        ).mappings()
        return [_account(row) for row in rows]


class SqlOwners:
    """Implements ``heedful.core.staff.OwnerRepository``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _select(self) -> Any:
        c = customer_owners.c
        return sa.select(
            c.customer_id, c.location_id, c.staff_id, staff.c.full_name, c.set_at, c.set_by_label
        ).join(staff, staff.c.id == c.staff_id)

    @staticmethod
    def _owner(row: RowMapping) -> Owner:
        return Owner(
            row["customer_id"],
            row["location_id"],
            row["staff_id"],
            row["full_name"],
            row["set_at"],
            row["set_by_label"],
        )

    def get(self, customer_id: str, location_id: str) -> Owner | None:
        c = customer_owners.c
        row = (
            self._conn.execute(
                self._select().where(c.customer_id == customer_id, c.location_id == location_id)
            )
            .mappings()
            .first()
        )
        return self._owner(row) if row else None

    def put(self, owner: Owner) -> None:
        self.remove(owner.customer_id, owner.location_id)
        self._conn.execute(
            customer_owners.insert().values(
                customer_id=owner.customer_id,
                location_id=owner.location_id,
                staff_id=owner.staff_id,
                set_at=owner.set_at,
                set_by_label=owner.set_by_label,
            )
        )

    def remove(self, customer_id: str, location_id: str) -> bool:
        c = customer_owners.c
        done = self._conn.execute(
            customer_owners.delete().where(
                c.customer_id == customer_id, c.location_id == location_id
            )
        )
        return done.rowcount > 0

    def list_for(self, customer_id: str) -> list[Owner]:
        c = customer_owners.c
        rows = self._conn.execute(
            self._select().where(c.customer_id == customer_id).order_by(c.location_id)
        ).mappings()
        return [self._owner(row) for row in rows]
