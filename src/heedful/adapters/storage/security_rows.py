"""Login throttles and security events as rows."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from heedful.adapters.storage.security_tables import login_throttles, security_events
from heedful.core.staff.model import LoginThrottle, SecurityEvent, SecurityEventKind


class SqlLoginThrottles:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, key: str) -> LoginThrottle | None:
        row = (
            self._conn.execute(login_throttles.select().where(login_throttles.c.key == key))
            .mappings()
            .first()
        )
        if row is None:
            return None
        return LoginThrottle(
            key=row["key"],
            failures=row["failures"],
            last_failure_at=row["last_failure_at"],
            retry_after=row["retry_after"],
            locked_at=row["locked_at"],
        )

    def replace(self, before: LoginThrottle | None, after: LoginThrottle) -> bool:
        values = {
            "failures": after.failures,
            "last_failure_at": after.last_failure_at,
            "retry_after": after.retry_after,
            "locked_at": after.locked_at,
        }
        if before is None:
            # A savepoint, so that losing the race to insert leaves the transaction usable.
            try:
                with self._conn.begin_nested():
                    self._conn.execute(login_throttles.insert().values(key=after.key, **values))
            except IntegrityError:
                return False
            return True
        # Conditional on the count read: of two guesses racing, one updates and one sees 0 rows.
        done = self._conn.execute(
            login_throttles.update()
            .where(login_throttles.c.key == before.key)
            .where(login_throttles.c.failures == before.failures)
            .values(**values)
        )
        return done.rowcount == 1

    def clear(self, key: str) -> None:
        self._conn.execute(login_throttles.delete().where(login_throttles.c.key == key))

    def forget_unlocked_before(self, last_failure_before: datetime) -> int:
        done = self._conn.execute(
            login_throttles.delete()
            .where(login_throttles.c.locked_at.is_(None))
            .where(login_throttles.c.last_failure_at < last_failure_before)
        )
        return done.rowcount


class SqlSecurityEvents:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, event: SecurityEvent) -> None:
        self._conn.execute(
            security_events.insert().values(
                id=event.id,
                at=event.at,
                kind=event.kind.value,
                login=event.login[:100],
                staff_id=event.staff_id,
                address=event.address[:64],
                actor_id=event.actor_id,
                actor_label=event.actor_label[:200],
                detail=event.detail[:300],
            )
        )

    def list(
        self,
        *,
        since: datetime | None = None,
        limit: int = 100,
        kinds: frozenset[SecurityEventKind] = frozenset(),
        login: str = "",
    ) -> list[SecurityEvent]:
        query = security_events.select().order_by(
            security_events.c.at.desc(), security_events.c.id.desc()
        )
        if since is not None:
            query = query.where(security_events.c.at >= since)
        if kinds:
            query = query.where(security_events.c.kind.in_(sorted(k.value for k in kinds)))
        if login:
            # As typed at the login form, in any case: "Olena" and "olena" are one person's tries.
            query = query.where(sa.func.lower(security_events.c.login) == login.lower())
        rows = self._conn.execute(query.limit(limit)).mappings()
        return [_event(r) for r in rows]


def _event(row: RowMapping) -> SecurityEvent:
    return SecurityEvent(
        id=row["id"],
        at=row["at"],
        kind=SecurityEventKind(row["kind"]),
        login=row["login"],
        address=row["address"],
        staff_id=row["staff_id"],
        actor_id=row["actor_id"],
        actor_label=row["actor_label"],
        detail=row["detail"],
    )
