"""Her bookings, orders and accounts for the card, in one statement (issue 12, ADR 0063).

The card is read on every visit to a customer, and on a loaded two-core machine each statement
costs a round trip that waits for a core, so the three lists come back as one ``UNION ALL``: each
branch reads its own table by its ``customer_id`` index, takes at most ``limit`` rows, and counts
what matched with a window (``count(*) OVER ()`` runs before the ``LIMIT``). The branches share
one row shape: a column a table lacks is a typed NULL, so that the first branch gives every
column its type and its result processing (dates on SQLite, JSON lines).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.dealing_rows import _booking, _order
from heedful.adapters.storage.dealing_tables import accounts, bookings, orders
from heedful.adapters.storage.tables import UtcDateTime
from heedful.core.dealings.model import Account, BookingStatus, CustomerDealings

_WHAT, _TOTAL = "_what", "_total"
_TABLES = {"booking": bookings, "order": orders, "account": accounts}
# Every column of the three tables, once, in table order: the shape of each branch's rows.
_SHAPE: dict[str, Any] = {}
for _table in _TABLES.values():
    for _column in _table.c:
        _SHAPE.setdefault(_column.name, _column.type)
_ACCOUNT_FIELDS = tuple(f.name for f in fields(Account))


def _branch(what: str, where: Iterable[Any], order_by: Iterable[Any]) -> sa.Select[Any]:
    table = _TABLES[what]
    columns = [
        sa.literal_column(f"'{what}'").label(_WHAT),
        sa.func.count().over().label(_TOTAL),
        *(
            table.c[name] if name in table.c else sa.cast(sa.null(), kind).label(name)
            for name, kind in _SHAPE.items()
        ),
    ]
    limited = (
        sa.select(*columns)
        .where(*where)
        .order_by(*order_by)
        .limit(sa.bindparam("limit"))
        .subquery(f"her_{what}s")
    )
    return sa.select(limited)


def _statement(scoped: bool) -> sa.CompoundSelect[Any]:
    customer: sa.BindParameter[str] = sa.bindparam("customer_id")
    now = sa.bindparam("now", type_=UtcDateTime())
    since = sa.bindparam("since", type_=UtcDateTime())
    places: sa.BindParameter[list[str]] = sa.bindparam("location_ids", expanding=True)
    b, o, a = bookings.c, orders.c, accounts.c

    def hers(c: Any) -> list[Any]:
        return [c.customer_id == customer, *([c.location_id.in_(places)] if scoped else [])]

    return sa.union_all(
        _branch(
            "booking",
            [
                *hers(b),
                b.status == BookingStatus.BOOKED.value,
                sa.func.coalesce(b.ends_at, b.starts_at, now) >= since,
            ],
            [sa.func.coalesce(b.starts_at, now), b.id],
        ),
        _branch("order", hers(o), [o.as_of.desc(), o.id]),
        _branch("account", hers(a), [a.reference, a.id]),
    )


# Built once with bound parameters, as the customers' look-ups are (customer_rows.py).
_EVERYWHERE = _statement(scoped=False)
_AT_PLACES = _statement(scoped=True)


def _account(row: RowMapping) -> Account:
    # The columns are named as the fields are.
    return Account(**{name: row[name] for name in _ACCOUNT_FIELDS})


class SqlCustomerDealings:
    """Implements ``heedful.core.dealings.ports.CustomerDealingsReads``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def on_card(
        self,
        customer_id: str,
        location_ids: frozenset[str] | None,
        since: datetime,
        now: datetime,
        limit: int,
    ) -> CustomerDealings:
        values: dict[str, Any] = {"customer_id": customer_id, "now": now, "since": since}
        values["limit"] = limit
        if location_ids is None:
            statement = _EVERYWHERE
        else:
            statement, values["location_ids"] = _AT_PLACES, sorted(location_ids)
        rows: dict[str, list[RowMapping]] = {what: [] for what in _TABLES}
        for row in self._conn.execute(statement, values).mappings():
            rows[row[_WHAT]].append(row)
        counts = {what: found[0][_TOTAL] if found else 0 for what, found in rows.items()}
        # A UNION ALL keeps no order of its own: each list is put in its order again here.
        found_bookings = sorted(map(_booking, rows["booking"]), key=lambda x: x.id)
        found_bookings.sort(key=lambda x: x.starts_at or now)
        found_orders = sorted(map(_order, rows["order"]), key=lambda x: x.id)
        found_orders.sort(key=lambda x: x.as_of or now, reverse=True)
        found_accounts = sorted(map(_account, rows["account"]), key=lambda x: (x.reference, x.id))
        return CustomerDealings(
            found_bookings,
            found_orders,
            found_accounts,
            booking_count=counts["booking"],
            order_count=counts["order"],
            account_count=counts["account"],
        )
