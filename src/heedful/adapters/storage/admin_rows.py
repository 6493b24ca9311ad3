"""Locations, staff, tokens, the audit log, merges, erasures and idempotency records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from heedful.adapters.storage.tables import (
    api_tokens,
    audit_log,
    erasures,
    idempotency_customers,
    idempotency_keys,
    locations,
    merges,
    staff,
)
from heedful.core.access.model import Role
from heedful.core.customers.audit import AuditEntry
from heedful.core.customers.merge import FieldChange, MergeRecord
from heedful.core.privacy.ports import Erasure
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


class SqlAuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, entry: AuditEntry) -> None:
        self._conn.execute(
            audit_log.insert(),
            {
                "id": entry.id,
                "at": entry.at,
                "actor_id": entry.actor_id,
                "actor_label": entry.actor_label,
                "action": entry.action,
                "customer_id": entry.customer_id,
                "entity": entry.entity,
                "entity_id": entry.entity_id,
                "before": entry.before,
                "after": entry.after,
            },
        )

    def list_for(self, customer_id: str | None, limit: int) -> list[AuditEntry]:
        whose = (
            audit_log.c.customer_id.is_(None)
            if customer_id is None
            else audit_log.c.customer_id == customer_id
        )
        rows = self._conn.execute(
            audit_log.select()
            .where(whose)
            .order_by(audit_log.c.at.desc(), audit_log.c.id)
            .limit(limit)
        ).mappings()
        return [
            AuditEntry(
                id=r["id"],
                at=r["at"],
                actor_id=r["actor_id"],
                actor_label=r["actor_label"],
                action=r["action"],
                customer_id=r["customer_id"],
                entity=r["entity"],
                entity_id=r["entity_id"],
                before=r["before"],
                after=r["after"],
            )
            for r in rows
        ]


def _change_out(c: FieldChange) -> dict[str, Any]:
    return {
        "entity": c.entity,
        "entity_id": c.entity_id,
        "field": c.field,
        "before": c.before,
        "after": c.after,
    }


class SqlMerges:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @staticmethod
    def _record(r: RowMapping) -> MergeRecord:
        return MergeRecord(
            id=r["id"],
            survivor_id=r["survivor_id"],
            absorbed_id=r["absorbed_id"],
            merged_at=r["merged_at"],
            merged_by=r["merged_by"],
            merged_by_label=r["merged_by_label"],
            reason=r["reason"],
            changes=[FieldChange(**c) for c in r["changes"]],
            survivor_before=r["survivor_before"],
            absorbed_before=r["absorbed_before"],
            undone_at=r["undone_at"],
            undone_by=r["undone_by"],
            notes=list(r["notes"]),
        )

    def add(self, record: MergeRecord) -> None:
        self._conn.execute(
            merges.insert().values(
                id=record.id,
                survivor_id=record.survivor_id,
                absorbed_id=record.absorbed_id,
                merged_at=record.merged_at,
                merged_by=record.merged_by,
                merged_by_label=record.merged_by_label,
                reason=record.reason[:500],
                changes=[_change_out(c) for c in record.changes],
                survivor_before=record.survivor_before,
                absorbed_before=record.absorbed_before,
                undone_at=record.undone_at,
                undone_by=record.undone_by,
                notes=record.notes,
            )
        )

    def get(self, merge_id: str) -> MergeRecord | None:
        row = self._conn.execute(merges.select().where(merges.c.id == merge_id)).mappings().first()
        return self._record(row) if row else None

    def update(self, record: MergeRecord) -> None:
        self._conn.execute(
            merges.update()
            .where(merges.c.id == record.id)
            .values(undone_at=record.undone_at, undone_by=record.undone_by, notes=record.notes)
        )

    def list_for(self, customer_id: str) -> list[MergeRecord]:
        rows = self._conn.execute(
            merges.select()
            .where(sa.or_(merges.c.survivor_id == customer_id, merges.c.absorbed_id == customer_id))
            .order_by(merges.c.merged_at.desc())
        ).mappings()
        return [self._record(r) for r in rows]


class SqlErasures:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, erasure: Erasure) -> None:
        self._conn.execute(
            erasures.insert().values(
                id=erasure.id,
                customer_id=erasure.customer_id,
                erased_at=erasure.erased_at,
                erased_by=erasure.erased_by,
                erased_by_label=erasure.erased_by_label,
                reason=erasure.reason,
                removed=erasure.removed,
            )
        )

    def list(self) -> list[Erasure]:
        rows = self._conn.execute(
            erasures.select().order_by(erasures.c.erased_at.desc())
        ).mappings()
        return [
            Erasure(
                id=r["id"],
                customer_id=r["customer_id"],
                erased_at=r["erased_at"],
                erased_by=r["erased_by"],
                erased_by_label=r["erased_by_label"],
                reason=r["reason"],
                removed=dict(r["removed"]),
            )
            for r in rows
        ]


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
