"""Customers' names and locations by the page: two queries whatever the page's size."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heedful.adapters.storage.tables import customer_locations, customers
from heedful.core.conversations.customer_names import NamedCustomer


class SqlCustomerNames:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def of(self, customer_ids: Sequence[str]) -> list[NamedCustomer]:
        ids = sorted(set(customer_ids))
        if not ids:
            return []
        names = self._conn.execute(
            sa.select(customers.c.id, customers.c.full_name).where(customers.c.id.in_(ids))
        ).all()
        places: dict[str, set[str]] = {customer_id: set() for customer_id, _ in names}
        for customer_id, location_id in self._conn.execute(
            sa.select(customer_locations.c.customer_id, customer_locations.c.location_id).where(
                customer_locations.c.customer_id.in_(ids)
            )
        ):
            places.setdefault(customer_id, set()).add(location_id)
        return [
            NamedCustomer(customer_id, full_name, frozenset(places[customer_id]))
            for customer_id, full_name in names
        ]
