"""Locations, staff, tokens and idempotency records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.tables import (
    api_tokens,
    idempotency_customers,
    idempotency_keys,
    locations,
    staff,
)
from heedful.core.access.model import Role
from heedful.core.shared.ports import IdempotencyRecord
from heedful.core.staff.model import ApiToken, Location, LocationKind, StaffMember


def _ids_out(ids: frozenset[str] | None) -> list[str] | None:
    return None if ids is None else sorted(ids)


def _ids_in(ids: list[str] | None) -> frozenset[str] | None:
    return None if ids is None else frozenset(ids)


# Built once: every customer write checks its location (see customer_rows._BY_ID).
_LOCATION = locations.select().where(locations.c.id == sa.bindparam("location_id"))


class SqlLocations:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @staticmethod
    def _location(r: RowMapping) -> Location:
        return Location(
            id=r["id"],
            name=r["name"],
            kind=LocationKind(r["kind"]),
            city=r["city"],
            country=r["country"],
            time_zone=r["time_zone"],
            created_at=r["created_at"],
            opening_hours=r["opening_hours"] or {},
            subdivision=r["subdivision"],
            code=r["code"],
            address=r["address"],
            latitude=r["latitude"],
            longitude=r["longitude"],
        )

    def add(self, location: Location) -> None:
        self._conn.execute(
            locations.insert().values(
                id=location.id,
                name=location.name,
                kind=location.kind.value,
                city=location.city,
                country=location.country,
                time_zone=location.time_zone,
                created_at=location.created_at,
                opening_hours=location.opening_hours or None,
                subdivision=location.subdivision,
                code=location.code,
                address=location.address,
                latitude=location.latitude,
                longitude=location.longitude,
            )
        )

    def get_by_code(self, code: str) -> Location | None:
        row = self._conn.execute(locations.select().where(locations.c.code == code)).mappings()
        first = row.first()
        return self._location(first) if first else None

    def update(self, location: Location) -> None:
        self._conn.execute(
            locations.update()
            .where(locations.c.id == location.id)
            .values(
                name=location.name,
                city=location.city,
                address=location.address,
                country=location.country,
                time_zone=location.time_zone,
                opening_hours=location.opening_hours or None,
                subdivision=location.subdivision,
                latitude=location.latitude,
                longitude=location.longitude,
            )
        )

    def get(self, location_id: str) -> Location | None:
        row = self._conn.execute(_LOCATION, {"location_id": location_id}).mappings().first()
        return self._location(row) if row else None

    def list(self) -> list[Location]:
        rows = self._conn.execute(locations.select().order_by(locations.c.name)).mappings()
        return [self._location(r) for r in rows]


class SqlStaff:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @staticmethod
    def _member(r: RowMapping) -> StaffMember:
        return StaffMember(
            id=r["id"],
            login=r["login"],
            full_name=r["full_name"],
            role=Role(r["role"]),
            language=r["language"],
            password_hash=r["password_hash"],
            created_at=r["created_at"],
            location_ids=_ids_in(r["location_ids"]),
            active=r["active"],
            session_epoch=r["session_epoch"],
        )

    @staticmethod
    def _values(m: StaffMember) -> dict[str, Any]:
        return {
            "login": m.login,
            "full_name": m.full_name,
            "role": m.role.value,
            "language": m.language,
            "password_hash": m.password_hash,
            "location_ids": _ids_out(m.location_ids),
            "active": m.active,
            "created_at": m.created_at,
            "session_epoch": m.session_epoch,
        }

    def add(self, member: StaffMember) -> None:
        self._conn.execute(staff.insert().values(id=member.id, **self._values(member)))

    def get(self, staff_id: str) -> StaffMember | None:
        row = self._conn.execute(staff.select().where(staff.c.id == staff_id)).mappings().first()
        return self._member(row) if row else None

    def get_by_login(self, login: str) -> StaffMember | None:
        row = self._conn.execute(staff.select().where(staff.c.login == login)).mappings().first()
        return self._member(row) if row else None

    def update(self, member: StaffMember) -> None:
        self._conn.execute(
            staff.update().where(staff.c.id == member.id).values(**self._values(member))
        )

    def list(self) -> list[StaffMember]:
        return [
            self._member(r)
            for r in self._conn.execute(staff.select().order_by(staff.c.login)).mappings()
        ]


class SqlTokens:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @staticmethod
    def _token(r: RowMapping) -> ApiToken:
        return ApiToken(
            id=r["id"],
            name=r["name"],
            token_hash=r["token_hash"],
            prefix=r["prefix"],
            role=Role(r["role"]),
            created_at=r["created_at"],
            created_by=r["created_by"],
            location_ids=_ids_in(r["location_ids"]),
            last_used_at=r["last_used_at"],
            revoked_at=r["revoked_at"],
            expires_at=r["expires_at"],
        )

    def add(self, token: ApiToken) -> None:
        self._conn.execute(
            api_tokens.insert().values(
                id=token.id,
                name=token.name,
                token_hash=token.token_hash,
                prefix=token.prefix,
                role=token.role.value,
                location_ids=_ids_out(token.location_ids),
                created_by=token.created_by,
                created_at=token.created_at,
                last_used_at=token.last_used_at,
                revoked_at=token.revoked_at,
                expires_at=token.expires_at,
            )
        )

    def get(self, token_id: str) -> ApiToken | None:
        row = (
            self._conn.execute(api_tokens.select().where(api_tokens.c.id == token_id))
            .mappings()
            .first()
        )
        return self._token(row) if row else None

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        row = (
            self._conn.execute(api_tokens.select().where(api_tokens.c.token_hash == token_hash))
            .mappings()
            .first()
        )
        return self._token(row) if row else None

    def update(self, token: ApiToken) -> None:
        self._conn.execute(
            api_tokens.update()
            .where(api_tokens.c.id == token.id)
            .values(name=token.name, last_used_at=token.last_used_at, revoked_at=token.revoked_at)
        )

    def list(self) -> list[ApiToken]:
        rows = self._conn.execute(api_tokens.select().order_by(api_tokens.c.created_at)).mappings()
        return [self._token(r) for r in rows]


class SqlIdempotency:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, scope: str, key: str) -> IdempotencyRecord | None:
        r = (
            self._conn.execute(
                idempotency_keys.select().where(
                    idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
                )
            )
            .mappings()
            .first()
        )
        if r is None:
            return None
        return IdempotencyRecord(
            scope=r["scope"],
            key=r["key"],
            fingerprint=r["fingerprint"],
            status_code=r["status_code"],
            response=r["response"],
            created_at=r["created_at"],
        )

    def add(self, record: IdempotencyRecord) -> None:
        self._conn.execute(
            idempotency_keys.insert().values(
                scope=record.scope,
                key=record.key,
                fingerprint=record.fingerprint,
                status_code=record.status_code,
                response=record.response,
                created_at=record.created_at,
            )
        )
        _record_customers(self._conn, record)

    def purge_older_than(self, cutoff: datetime) -> int:
        self._conn.execute(
            idempotency_customers.delete().where(idempotency_customers.c.created_at < cutoff)
        )
        return int(
            self._conn.execute(
                idempotency_keys.delete().where(idempotency_keys.c.created_at < cutoff)
            ).rowcount
        )


def _record_customers(conn: Connection, record: IdempotencyRecord) -> None:
    """Which customers the answer names, so an erasure finds it by index (ADR 0026)."""
    if record.customer_ids:
        conn.execute(
            idempotency_customers.insert(),
            [
                {
                    "scope": record.scope,
                    "key": record.key,
                    "customer_id": customer_id,
                    "created_at": record.created_at,
                }
                for customer_id in sorted(record.customer_ids)
            ],
        )
