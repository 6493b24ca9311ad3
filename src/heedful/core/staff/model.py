"""Locations, staff members and API tokens: who works where, and with what rights."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from heedful.core.access.model import Actor, Role


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
