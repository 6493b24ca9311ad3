"""Locations, staff members and API tokens: who works where, and with what rights."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from heedful.core.access import Actor, Role


class LocationKind(StrEnum):
    BOUTIQUE = "boutique"
    SHOP = "shop"
    HOTEL = "hotel"
    RESTAURANT = "restaurant"
    BANK_BRANCH = "bank_branch"


@dataclass
class Location:
    id: str
    name: str
    kind: LocationKind
    city: str
    country: str  # ISO 3166-1 alpha-2: holiday calendars and phone numbers follow it
    time_zone: str
    created_at: datetime
    # Business hours, as staff write them: {"mon-fri": ["09:00-18:00"], "sat": ["10:00-16:00"]}.
    # Empty: the location keeps no hours, and nothing is counted in its business time.
    opening_hours: dict[str, list[str]] = field(default_factory=dict)
    subdivision: str = ""  # the region whose public holidays apply too (e.g. "BE" in Germany)
    # The business's own short name for it ("lypky"), which its systems put in events.
    code: str | None = None
    address: str = ""  # street and number, as the business writes it
    # Where the door is, for the audit check-in distance (ADR 0039); unknown until someone says.
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class StaffMember:
    id: str
    login: str
    full_name: str
    role: Role
    language: str
    password_hash: str
    created_at: datetime
    location_ids: frozenset[str] | None = None  # None: every location (admins)
    active: bool = True
    # A console session carries the epoch it began in; logout and deactivation raise it, which
    # ends every session of this member at once (the cookies themselves hold no server state).
    session_epoch: int = 0

    def as_actor(self) -> Actor:
        return Actor(
            id=self.id, label=self.full_name, role=self.role, location_ids=self.location_ids
        )


@dataclass
class ApiToken:
    id: str
    name: str
    token_hash: str  # SHA-256 of the secret: the secret itself is shown once and never stored
    prefix: str  # the first characters, so an operator can tell tokens apart
    role: Role
    created_at: datetime
    created_by: str
    location_ids: frozenset[str] | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    expires_at: datetime | None = None  # None: until revoked

    def as_actor(self) -> Actor:
        return Actor(
            id=self.id,
            label=f"API token {self.name}",
            role=self.role,
            location_ids=self.location_ids,
        )

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def works_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


class SecurityEventKind(StrEnum):
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    LOGIN_REFUSED = "login_refused"  # throttled or locked: the password was not even checked
    ACCOUNT_LOCKED = "account_locked"
    ACCOUNT_UNLOCKED = "account_unlocked"
    LOGGED_OUT = "logged_out"
    STAFF_DEACTIVATED = "staff_deactivated"


@dataclass(frozen=True)
class SecurityEvent:
    """A login, lockout, unlock, logout or deactivation; never holds a password."""

    id: str
    at: datetime
    kind: SecurityEventKind
    login: str
    address: str
    staff_id: str | None = None
    actor_id: str | None = None  # who did it, when it is not the member themselves (an unlock)
    actor_label: str = ""
    detail: str = ""


@dataclass(frozen=True)
class LoginThrottle:
    """Recent failed logins of one login name or one client address."""

    key: str
    failures: int
    last_failure_at: datetime
    retry_after: datetime
    locked_at: datetime | None = None
