"""Customers and their identities, with the search terms and locations kept beside them."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.driver_statements import read_each_on_driver
from heedful.adapters.storage.key_lists import one_of
from heedful.adapters.storage.tables import customer_locations, customers, identities, name_terms
from heedful.core.customers.identities import Identity, IdentityKind
from heedful.core.customers.model import (
    Customer,
    CustomerStatus,
    Segment,
    query_words,
    search_terms,
)
from heedful.core.customers.spelling import identity_prefix, sound_key
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.ports import Page
from heedful.core.shared.scope import CustomerScope

_PREFIX_END = "\U0010ffff"

# The look-ups every use case (and an import, once per row) makes, built once with bound
# parameters: building a statement with its values inside costs about three times as much CPU
# as running it on SQLite, and imports run these a few times per row.
# The customer and her locations in one round trip (a row per location, or one with none): the
# card and every access check load her this way (ADR 0063).
_BY_ID = (
    sa.select(customers, customer_locations.c.location_id.label("_location_id"))
    .outerjoin(customer_locations, customer_locations.c.customer_id == customers.c.id)
    .where(customers.c.id == sa.bindparam("customer_id"))
)
_BY_IDS = customers.select().where(one_of(customers.c.id, "customer_ids"))
_IDENTITY_MATCH = (
    identities.c.kind == sa.bindparam("identity_kind"),
    identities.c.value == sa.bindparam("identity_value"),
)
# With her locations joined in: one round trip for the look-up a till makes per receipt (a row
# per location, or one with no location).
_BY_IDENTITY = (
    sa.select(customers, customer_locations.c.location_id.label("_location_id"))
    .join(identities, identities.c.customer_id == customers.c.id)
    .outerjoin(customer_locations, customer_locations.c.customer_id == customers.c.id)
    .where(*_IDENTITY_MATCH)
)
_IDENTITY = identities.select().where(*_IDENTITY_MATCH)
_IDENTITIES_OF = (
    identities.select()
    .where(one_of(identities.c.customer_id, "customer_ids"))
    .order_by(identities.c.customer_id, identities.c.added_at, identities.c.id)
)
# SQLite (ADR 80): one customer's, looked up by her key on the driver's cursor.
_IDENTITIES_OF_ONE = (
    identities.select()
    .where(identities.c.customer_id == sa.bindparam("customer_id"))
    .order_by(identities.c.added_at, identities.c.id)
)
_LOCATIONS_OF = sa.select(customer_locations.c.customer_id, customer_locations.c.location_id).where(
    one_of(customer_locations.c.customer_id, "customer_ids")
)


def customer_of(row: RowMapping | Mapping[str, Any], location_ids: set[str]) -> Customer:
    """Her row (as the customers table names its columns) and her locations, as a Customer."""
    return Customer(
        id=row["id"],
        full_name=row["full_name"],
        language=row["language"],
        time_zone=row["time_zone"],
        segment=Segment(row["segment"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        home_location_id=row["home_location_id"],
        birthday=row["birthday"],
        status=CustomerStatus(row["status"]),
        merged_into_id=row["merged_into_id"],
        erased_at=row["erased_at"],
        location_ids=location_ids,
    )


def _values(c: Customer) -> dict[str, Any]:
    return {
        "id": c.id,
        "full_name": c.full_name,
        "language": c.language,
        "time_zone": c.time_zone,
        "segment": c.segment.value,
        "home_location_id": c.home_location_id,
        "birthday": c.birthday,
        "status": c.status.value,
        "merged_into_id": c.merged_into_id,
        "erased_at": c.erased_at,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _scoped(query: sa.Select[Any], scope: CustomerScope) -> sa.Select[Any]:
    if scope.location_ids is None:
        return query
    return query.where(
        sa.exists().where(
            customer_locations.c.customer_id == customers.c.id,
            customer_locations.c.location_id.in_(sorted(scope.location_ids)),
        )
    )


class SqlCustomers:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _with_locations(self, rows: list[RowMapping]) -> list[Customer]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        found: dict[str, set[str]] = {i: set() for i in ids}
        for cid, lid in self._conn.execute(_LOCATIONS_OF, {"customer_ids": ids}):
            found[cid].add(lid)
        return [customer_of(r, found[r["id"]]) for r in rows]

    def add(self, customer: Customer) -> None:
        self._conn.execute(customers.insert(), _values(customer))
        self._sync_terms(customer.id, customer.full_name, set())
        self._sync_locations(customer.id, customer.location_ids, set())

    def get(self, customer_id: str) -> Customer | None:
        rows = self._conn.execute(_BY_ID, {"customer_id": customer_id}).mappings().all()
        if not rows:
            return None
        return customer_of(rows[0], {r["_location_id"] for r in rows if r["_location_id"]})

    def get_many(self, customer_ids: Sequence[str]) -> list[Customer]:
        if not customer_ids:
            return []
        rows = self._conn.execute(_BY_IDS, {"customer_ids": list(customer_ids)}).mappings().all()
        by_id = {c.id: c for c in self._with_locations(list(rows))}
        return [by_id[i] for i in customer_ids if i in by_id]

    def update(self, customer: Customer) -> None:
        old = self.get(customer.id)
        values = _values(customer)
        del values["id"]
        self._conn.execute(customers.update().where(customers.c.id == customer.id).values(**values))
        if old is None:
            return
        if old.full_name != customer.full_name or customer.status is CustomerStatus.ERASED:
            name = "" if customer.status is CustomerStatus.ERASED else customer.full_name
            self._sync_terms(customer.id, name, search_terms(old.full_name))
        self._sync_locations(customer.id, customer.location_ids, old.location_ids)

    def _sync_terms(self, customer_id: str, full_name: str, old_terms: set[str]) -> None:
        new_terms = {t[:100] for t in search_terms(full_name)}
        gone = old_terms - new_terms
        if gone:
            self._conn.execute(
                name_terms.delete().where(
                    name_terms.c.customer_id == customer_id, name_terms.c.term.in_(gone)
                )
            )
        added = new_terms - old_terms
        if added:
            self._conn.execute(
                name_terms.insert(), [{"term": t, "customer_id": customer_id} for t in added]
            )

    def _sync_locations(self, customer_id: str, new: set[str], old: set[str]) -> None:
        if old - new:
            self._conn.execute(
                customer_locations.delete().where(
                    customer_locations.c.customer_id == customer_id,
                    customer_locations.c.location_id.in_(old - new),
                )
            )
        if new - old:
            self._conn.execute(
                customer_locations.insert(),
                [{"customer_id": customer_id, "location_id": lid} for lid in sorted(new - old)],
            )

    def find_by_identity(self, kind: IdentityKind, value: str) -> Customer | None:
        params = {"identity_kind": kind.value, "identity_value": value}
        rows = list(self._conn.execute(_BY_IDENTITY, params).mappings())
        if not rows:
            return None
        return customer_of(rows[0], {r["_location_id"] for r in rows if r["_location_id"]})

    def search(self, text: str, scope: CustomerScope, limit: int) -> list[Customer]:
        """Every word starts a word of the name (as typed or as it sounds), or the whole query
        starts an e-mail address or a card number she gave."""
        words = sorted({w[:100] for w in query_words(text)}, key=len, reverse=True)[:4]
        if not words:
            return []
        query = sa.select(customers).where(customers.c.status == CustomerStatus.ACTIVE.value)
        for word in words:
            prefixes = [prefix for prefix in (word, sound_key(word)) if prefix]
            query = query.where(
                customers.c.id.in_(
                    sa.select(name_terms.c.customer_id).where(
                        sa.or_(
                            *(
                                sa.and_(
                                    name_terms.c.term >= prefix,
                                    name_terms.c.term < prefix + _PREFIX_END,
                                )
                                for prefix in prefixes
                            )
                        )
                    )
                )
            )
        starts = identity_prefix(text)
        if starts:
            by_identity = sa.select(identities.c.customer_id).where(
                sa.or_(
                    *(
                        sa.and_(
                            identities.c.kind == kind.value,
                            identities.c.value >= start,
                            identities.c.value < start + _PREFIX_END,
                        )
                        for kind, start in starts
                    )
                )
            )
            query = sa.select(customers).where(
                customers.c.status == CustomerStatus.ACTIVE.value,
                sa.or_(
                    customers.c.id.in_(query.with_only_columns(customers.c.id)),
                    customers.c.id.in_(by_identity),
                ),
            )
        query = _scoped(query, scope).order_by(customers.c.full_name, customers.c.id).limit(limit)
        return self._with_locations(list(self._conn.execute(query).mappings().all()))

    def list(self, scope: CustomerScope, limit: int, cursor: str | None) -> Page[Customer]:
        query = sa.select(customers).where(customers.c.status == CustomerStatus.ACTIVE.value)
        if cursor:
            at, last_id = _decode_cursor(cursor)
            query = query.where(
                sa.tuple_(customers.c.created_at, customers.c.id)
                > sa.tuple_(sa.literal(at, customers.c.created_at.type), sa.literal(last_id))
            )
        query = (
            _scoped(query, scope).order_by(customers.c.created_at, customers.c.id).limit(limit + 1)
        )
        rows = self._with_locations(list(self._conn.execute(query).mappings().all()))
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(
            rows, _encode_cursor(rows[-1].created_at, rows[-1].id) if more and rows else None
        )


def _encode_cursor(at: datetime, last_id: str) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{last_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, last_id = raw.split("|", 1)
        parsed = datetime.fromisoformat(at)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("this cursor was not given by us", field="cursor") from exc
    if parsed.tzinfo is None or "\x00" in last_id:  # PostgreSQL text cannot hold NUL
        raise InvalidInput("this cursor was not given by us", field="cursor")
    return parsed, last_id


def _identity(row: Mapping[Any, Any]) -> Identity:
    return Identity(
        id=row["id"],
        customer_id=row["customer_id"],
        kind=IdentityKind(row["kind"]),
        value=row["value"],
        added_at=row["added_at"],
        added_by=row["added_by"],
        label=row["label"],
    )


class SqlIdentities:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, identity: Identity) -> None:
        self._conn.execute(
            identities.insert(),
            {
                "id": identity.id,
                "customer_id": identity.customer_id,
                "kind": identity.kind.value,
                "value": identity.value,
                "label": identity.label,
                "added_at": identity.added_at,
                "added_by": identity.added_by,
            },
        )

    def find(self, kind: IdentityKind, value: str) -> Identity | None:
        params = {"identity_kind": kind.value, "identity_value": value}
        row = self._conn.execute(_IDENTITY, params).mappings().first()
        return _identity(row) if row else None

    def list_for(self, customer_id: str) -> list[Identity]:
        rows = self._conn.execute(
            identities.select()
            .where(identities.c.customer_id == customer_id)
            .order_by(identities.c.added_at, identities.c.id)
        ).mappings()
        return [_identity(r) for r in rows]

    def list_for_many(self, customer_ids: Sequence[str]) -> dict[str, list[Identity]]:
        found: dict[str, list[Identity]] = {}
        if customer_ids and self._conn.dialect.name == "sqlite":
            each = [{"customer_id": customer_id} for customer_id in sorted(set(customer_ids))]
            for stored in read_each_on_driver(self._conn, _IDENTITIES_OF_ONE, each):
                found.setdefault(stored["customer_id"], []).append(_identity(stored))
        elif customer_ids:
            rows = self._conn.execute(_IDENTITIES_OF, {"customer_ids": list(customer_ids)})
            for row in rows.mappings():
                found.setdefault(row["customer_id"], []).append(_identity(row))
        return found

    def remove(self, identity_id: str) -> None:
        self._conn.execute(identities.delete().where(identities.c.id == identity_id))
