"""What staff and integrators ask the customer room to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import Purpose
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Segment


@dataclass(frozen=True)
class NewIdentity:
    kind: IdentityKind
    value: str
    label: str = ""


@dataclass(frozen=True)
class CreateCustomer:
    full_name: str
    language: str = "en"
    time_zone: str | None = None  # None: her home location's, else UTC
    segment: Segment = Segment.NEW
    home_location_id: str | None = None
    birthday: date | None = None
    identities: tuple[NewIdentity, ...] = ()


@dataclass(frozen=True)
class UpdateCustomer:
    customer_id: str
    # Only the fields present are changed; None means "leave as is" except where ``clear`` names it.
    full_name: str | None = None
    language: str | None = None
    time_zone: str | None = None
    segment: Segment | None = None
    home_location_id: str | None = None
    birthday: date | None = None
    clear: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class RecordConsent:
    customer_id: str
    channel: Channel
    purpose: Purpose
    granted: bool
    how: str


@dataclass(frozen=True)
class IdentifyCustomer:
    """Identities arriving together from one channel: find the person, or create them.

    When the identities belong to two existing records, they are one person: the records merge.
    """

    identities: tuple[NewIdentity, ...]
    full_name: str | None = None
    language: str | None = None
    time_zone: str | None = None
    location_id: str | None = None
