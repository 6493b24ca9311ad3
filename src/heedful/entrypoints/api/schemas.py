"""The API's documented shapes. Input is strict: no silent coercion of `false` into 0."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    field_validator,
)

from heedful.core.access.model import Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import Purpose
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import CustomerStatus, Segment
from heedful.core.history.model import HistoryKind
from heedful.core.preferences.model import Category, Polarity, Source
from heedful.core.staff.model import LocationKind

# PostgreSQL text cannot hold NUL; SQLite would keep it. Refusing it at the edge gives a 422 naming
# the field, the same on both, instead of a database error.
NO_NUL = r"^[^\x00]*$"

Text200 = Annotated[str, Field(min_length=1, max_length=200)]
Id = Annotated[str, Field(min_length=1, max_length=40)]


class In(BaseModel):
    # Numbers and booleans are strict (no `false` for 0, no "12" for 12); enums, dates and times
    # arrive as JSON strings and are parsed.
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        if _holds_nul(value):
            raise ValueError("text may not contain NUL (\\x00) characters")
        return value


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False  # nested models check their own fields


class IdentityIn(In):
    kind: IdentityKind
    value: Annotated[str, Field(min_length=1, max_length=254)]
    label: Annotated[str, Field(max_length=60)] = ""


class CustomerIn(In):
    full_name: Text200
    language: Annotated[str, Field(pattern="^(ru|uk|en)$")] = "en"
    # Left out: the home location's time zone, else UTC.
    time_zone: (
        Annotated[str, Field(min_length=1, max_length=64, examples=["Europe/Kyiv"])] | None
    ) = None
    segment: Segment = Segment.NEW
    home_location_id: Id | None = None
    birthday: date | None = None
    identities: Annotated[list[IdentityIn], Field(max_length=20)] = []


class CustomerPatch(In):
    full_name: Text200 | None = None
    language: Annotated[str, Field(pattern="^(ru|uk|en)$")] | None = None
    time_zone: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    segment: Segment | None = None
    home_location_id: Id | None = None
    birthday: date | None = None


class LocationLinkIn(In):
    location_id: Id
    reason: Annotated[str, Field(max_length=200)] = ""


class IdentifyIn(In):
    identities: Annotated[list[IdentityIn], Field(min_length=1, max_length=20)]
    full_name: Text200 | None = None
    language: Annotated[str, Field(pattern="^(ru|uk|en)$")] | None = None
    time_zone: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    location_id: Id | None = None


class PreferenceIn(In):
    polarity: Polarity
    subject: Text200
    category: Category = Category.OTHER
    note: Annotated[str, Field(max_length=1000)] = ""
    source: Source = Source.SAID
    confidence: Annotated[StrictFloat | StrictInt, Field(ge=0, le=1)] | None = None
    location_id: Id | None = None
    # "brand X in size M": fits every catalog variant that has them all (ADR 0049).
    attributes: Annotated[
        dict[Annotated[str, Field(max_length=100)], Annotated[str, Field(max_length=100)]],
        Field(max_length=6),
    ] = Field(default_factory=dict)


class ConsentIn(In):
    channel: Channel
    purpose: Purpose
    granted: StrictBool
    how: Text200


class ItemIn(In):
    attributes: Annotated[
        dict[
            Annotated[str, Field(min_length=1, max_length=40)],
            Annotated[str, Field(max_length=200)],
        ],
        Field(max_length=30),
    ]
    quantity: Annotated[StrictInt, Field(ge=1, le=100000)] = 1
    amount_minor: Annotated[StrictInt, Field(ge=-(10**12), le=10**12)] | None = None


class HistoryIn(In):
    occurred_at: datetime = Field(description="With its UTC offset, e.g. 2026-03-02T09:15:00+02:00")
    location_id: Id | None = None
    items: Annotated[list[ItemIn], Field(max_length=500)] = []
    amount_minor: Annotated[StrictInt, Field(ge=-(10**12), le=10**12)] | None = None
    currency: Annotated[str, Field(pattern="^[A-Za-z]{3}$")] | None = None
    external_ref: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="The receipt or booking number: the same one twice is stored once"
    )
    note: Annotated[str, Field(max_length=1000)] = ""


class MergeIn(In):
    survivor_id: Id
    absorbed_id: Id
    reason: Annotated[str, Field(max_length=500)] = ""


class ErasureIn(In):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class LocationIn(In):
    name: Text200
    kind: LocationKind
    city: Annotated[str, Field(max_length=100)] = ""
    country: Annotated[str, Field(pattern="^[A-Za-z]{2}$")]
    time_zone: Annotated[str, Field(min_length=1, max_length=64)]
    code: Annotated[str, Field(max_length=40)] | None = None


class TokenIn(In):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    role: Role
    location_ids: Annotated[list[Id], Field(max_length=100)] | None = None
    expires_at: AwareDatetime | None = Field(
        None, description="When the token stops working (with its zone); none: until revoked"
    )


# ---- what the API answers ----


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class IdentityOut(Out):
    id: str
    kind: IdentityKind
    value: str
    label: str
    added_at: datetime


class CustomerOut(Out):
    id: str
    full_name: str
    language: str
    time_zone: str
    segment: Segment
    status: CustomerStatus
    home_location_id: str | None
    birthday: date | None
    merged_into_id: str | None
    location_ids: list[str]
    created_at: datetime
    updated_at: datetime
    identities: list[IdentityOut] = []


class CustomerPage(Out):
    items: list[CustomerOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last"
    )


class PreferenceOut(Out):
    id: str
    customer_id: str
    polarity: Polarity
    category: Category
    subject: str
    note: str
    source: Source
    confidence: float
    location_id: str | None
    recorded_at: datetime
    recorded_by: str
    recorded_by_label: str
    retracted_at: datetime | None
    attributes: dict[str, str] = Field(default_factory=dict)


class ConsentOut(Out):
    id: str
    channel: Channel
    purpose: Purpose
    granted: bool
    decided_at: datetime
    how: str
    recorded_by: str
    recorded_by_label: str


class ItemOut(Out):
    attributes: dict[str, str]
    quantity: int
    amount_minor: int | None


class HistoryOut(Out):
    id: str
    customer_id: str
    kind: HistoryKind
    occurred_at: datetime
    recorded_at: datetime
    location_id: str | None
    items: list[ItemOut]
    amount_minor: int | None
    currency: str | None
    external_ref: str | None
    note: str


class UsualOut(Out):
    attribute: str
    value: str
    confidence: float
    times: int
    out_of: int
    last_chosen_at: datetime
    evidence: list[str] = Field(
        description="Ids of the purchases or visits behind it, newest first"
    )
    location_id: str | None
    conflicts_with_dislike: bool


class PreferenceGroups(Out):
    never: list[PreferenceOut]
    dislike: list[PreferenceOut]
    like: list[PreferenceOut]


class CardOut(Out):
    customer: CustomerOut
    consent: list[ConsentOut] = Field(description="The standing decision per channel and purpose")
    preferences: PreferenceGroups
    usual: list[UsualOut]
    recent_history: list[HistoryOut]
    history_count: int


class FieldChangeOut(Out):
    entity: str
    entity_id: str
    field: str
    before: Any
    after: Any


class MergeOut(Out):
    id: str
    survivor_id: str
    absorbed_id: str
    merged_at: datetime
    merged_by: str
    merged_by_label: str
    reason: str
    changes: list[FieldChangeOut]
    undone_at: datetime | None
    undone_by: str | None
    notes: list[str]


class AuditOut(Out):
    id: str
    at: datetime
    actor_id: str
    actor_label: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ErasureOut(Out):
    id: str
    customer_id: str
    erased_at: datetime
    erased_by: str
    reason: str
    removed: dict[str, int]


class LocationOut(Out):
    id: str
    name: str
    kind: LocationKind
    city: str
    country: str
    time_zone: str
    opening_hours: dict[str, list[str]]
    subdivision: str
    code: str | None


class OpeningHoursIn(In):
    opening_hours: Annotated[
        dict[Annotated[str, Field(max_length=20)], Annotated[list[Text200], Field(max_length=6)]],
        Field(
            max_length=7,
            description='Weekday ranges to "HH:MM-HH:MM" spans, e.g. {"mon-fri": ["09:00-18:00"]}',
        ),
    ]
    subdivision: Annotated[str, Field(max_length=10)] = ""


class TokenOut(Out):
    id: str
    name: str
    prefix: str
    role: Role
    location_ids: list[str] | None
    created_at: datetime
    last_used_at: datetime | None = Field(
        description="Last request made with it, to the minute (written at most once a minute)"
    )
    revoked_at: datetime | None
    expires_at: datetime | None = None


class NewTokenOut(TokenOut):
    secret: str | None = Field(
        description=(
            "Shown once; only its hash is kept. Null when the answer is replayed for a repeated "
            "Idempotency-Key (header `Heedful-Withheld: secret`): make a new token if it was lost"
        )
    )


class StaffOut(Out):
    id: str
    login: str
    full_name: str
    role: Role
    language: str
    location_ids: list[str] | None
    active: bool
    locked: bool = Field(description="Locked after too many failed logins; an admin unlocks")
    created_at: datetime


class SecurityEventOut(Out):
    id: str
    at: datetime
    kind: str = Field(
        description="login_succeeded, login_failed, login_refused, account_locked, "
        "account_unlocked, logged_out or staff_deactivated"
    )
    login: str
    address: str
    staff_id: str | None
    actor_id: str | None
    actor_label: str
    detail: str


class MeOut(Out):
    id: str
    label: str
    role: Role
    location_ids: list[str] | None
