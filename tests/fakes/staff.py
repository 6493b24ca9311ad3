"""Fakes for staff and access: locations, staff members, API tokens, idempotency records, login
throttles and security events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from fakes._base import FakeIntegrityError
from fakes._base import Repository as _Repository
from fakes._base import copy as _copy
from fakes._base import insert as _insert
from fakes._base import overwrite as _replace
from heedful.core.outreach import MessageTemplate, OwnContactRules, PurposeRules
from heedful.core.outreach.own_templates import OwnTemplate
from heedful.core.shared.ports import (
    IdempotencyRecord,
)
from heedful.core.staff.model import (
    ApiToken,
    Location,
    LoginThrottle,
    SecurityEvent,
    StaffMember,
)


class FakeLocationRepository(_Repository):
    def add(self, location: Location) -> None:
        _insert(self._writing().locations, location.id, location)

    def get(self, location_id: str) -> Location | None:
        return _copy(self._state.locations.get(location_id))

    def update(self, location: Location) -> None:
        _replace(self._writing().locations, location.id, location)

    def get_by_code(self, code: str) -> Location | None:
        found = [loc for loc in self._state.locations.values() if loc.code == code]
        return _copy(found[0]) if found else None

    def list(self) -> list[Location]:
        rows = sorted(self._state.locations.values(), key=lambda loc: (loc.name, loc.id))
        return [_copy(loc) for loc in rows]


class FakeStaffRepository(_Repository):
    def add(self, member: StaffMember) -> None:
        state = self._writing()
        if self.get_by_login(member.login) is not None:
            raise FakeIntegrityError(f"the login {member.login} is taken")
        _insert(state.staff, member.id, member)

    def get(self, staff_id: str) -> StaffMember | None:
        return _copy(self._state.staff.get(staff_id))

    def get_by_login(self, login: str) -> StaffMember | None:
        found = next((m for m in self._state.staff.values() if m.login == login), None)
        return _copy(found)

    def update(self, member: StaffMember) -> None:
        _replace(self._writing().staff, member.id, member)

    def list(self) -> list[StaffMember]:
        rows = sorted(self._state.staff.values(), key=lambda m: (m.login, m.id))
        return [_copy(m) for m in rows]


class FakeTokenRepository(_Repository):
    def add(self, token: ApiToken) -> None:
        state = self._writing()
        if self.get_by_hash(token.token_hash) is not None:
            raise FakeIntegrityError("a token with this hash exists")
        _insert(state.tokens, token.id, token)

    def get(self, token_id: str) -> ApiToken | None:
        return _copy(self._state.tokens.get(token_id))

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        found = next((t for t in self._state.tokens.values() if t.token_hash == token_hash), None)
        return _copy(found)

    def update(self, token: ApiToken) -> None:
        _replace(self._writing().tokens, token.id, token)

    def list(self) -> list[ApiToken]:
        rows = sorted(self._state.tokens.values(), key=lambda t: (t.created_at, t.id))
        return [_copy(t) for t in rows]


class FakeIdempotencyStore(_Repository):
    def get(self, scope: str, key: str) -> IdempotencyRecord | None:
        return _copy(self._state.idempotency.get((scope, key)))

    def add(self, record: IdempotencyRecord) -> None:
        table = self._writing().idempotency
        if (record.scope, record.key) in table:
            raise FakeIntegrityError(f"the idempotency key {record.key} is used")
        table[(record.scope, record.key)] = _copy(record)

    def purge_older_than(self, cutoff: datetime) -> int:
        table = self._writing().idempotency
        old = [k for k, record in table.items() if record.created_at < cutoff]
        for k in old:
            del table[k]
        return len(old)


class FakeLoginThrottles(_Repository):
    def get(self, key: str) -> LoginThrottle | None:
        return self._state.login_throttles.get(key)

    def replace(self, before: LoginThrottle | None, after: LoginThrottle) -> bool:
        if self._state.login_throttles.get(after.key) != before:
            return False  # another attempt counted first, as the conditional UPDATE sees it
        self._writing().login_throttles[after.key] = after
        return True

    def clear(self, key: str) -> None:
        self._writing().login_throttles.pop(key, None)

    def forget_unlocked_before(self, last_failure_before: datetime) -> int:
        stale = [
            key
            for key, row in self._state.login_throttles.items()
            if row.locked_at is None and row.last_failure_at < last_failure_before
        ]
        for key in stale:
            del self._writing().login_throttles[key]
        return len(stale)


class FakeSecurityEvents(_Repository):
    def add(self, event: SecurityEvent) -> None:
        self._writing().security_events.append(event)

    def list(
        self,
        *,
        since: datetime | None = None,
        limit: int = 100,
        kinds: frozenset[Any] = frozenset(),
        login: str = "",
    ) -> list[SecurityEvent]:
        rows = [
            e
            for e in self._state.security_events
            if (since is None or e.at >= since)
            and (not kinds or e.kind in kinds)
            and (not login or e.login.lower() == login.lower())
        ]
        return list(reversed(rows))[:limit]


class FakeContactSettings(_Repository):
    def business(self) -> list[PurposeRules]:
        return [_copy(r) for _, r in sorted(self._state.contact_rules.items())]

    def put_business(self, rules: PurposeRules, at: datetime) -> None:
        del at
        self._writing().contact_rules[rules.purpose.value] = _copy(rules)

    def of_customers(self, customer_ids: Sequence[str]) -> dict[str, OwnContactRules]:
        own = self._state.customer_contact_rules
        return {cid: _copy(own[cid]) for cid in customer_ids if cid in own}

    def put_customer(self, rules: OwnContactRules, at: datetime) -> None:
        del at
        self._writing().customer_contact_rules[rules.customer_id] = _copy(rules)

    def clear_customer(self, customer_id: str) -> None:
        self._writing().customer_contact_rules.pop(customer_id, None)


class FakeOwnTemplates(_Repository):
    def every(self) -> list[OwnTemplate]:
        return [_copy(t) for _, t in sorted(self._state.own_templates.items())]

    def for_key(self, key: str) -> list[MessageTemplate]:
        return [
            _copy(t.template) for (k, _), t in sorted(self._state.own_templates.items()) if k == key
        ]

    def put(self, template: MessageTemplate, at: datetime, by: str) -> None:
        key = (template.key, template.language)
        self._writing().own_templates[key] = OwnTemplate(_copy(template), at, by)

    def remove(self, key: str, language: str) -> bool:
        return self._writing().own_templates.pop((key, language), None) is not None
