"""Playbooks: "when this business event happens, for these customers, do this", as stored data.

A playbook is written as JSON (docs/decisions/0016-playbooks.md shows the format) and read here
into frozen dataclasses. Reading is validation: anything the engine could not run is refused
with the JSON path at fault (``actions[0].assign_to``), so a playbook that was stored will run.
Every edit is a new version; firings name the version that fired.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from heedful.core.customers import Channel, Purpose, Segment
from heedful.core.outreach import DEFAULT_TEMPLATES
from heedful.core.playbooks.message_templates import PLAYBOOK_TEMPLATES
from heedful.core.preferences import Category, Polarity
from heedful.core.promises import PromiseKind
from heedful.core.shared.phrases import Phrase
from heedful.core.tasks import TaskKind

KNOWN_TEMPLATES = frozenset(t.key for t in (*DEFAULT_TEMPLATES, *PLAYBOOK_TEMPLATES))
MAX_NAME = 200
MAX_TITLE = 1000
MAX_CONDITIONS = 50
MAX_ACTIONS = 20
# A playbook without a customer in its event writes to a chosen set of customers: all of them,
# read a page at a time, unless the playbook states a cap (at most MAX_AUDIENCE); then those left
# out are reported with the event's outcome, never dropped silently (ADR 34).
MAX_AUDIENCE = 5000
AUDIENCE_PAGE = 500
# A line of a firing or a dry-run: a phrase, or words with nothing to translate (ADR 0054).
Said = Phrase | str
FIELD_PATTERN = re.compile(r"^(data(\.[A-Za-z0-9_\-]+)+|subject|source|type)$")
_DURATION = re.compile(r"^P(?:(\d+)W|(\d+)D|T(\d+)H)$")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")


class Op(StrEnum):
    EQUALS = "="
    NOT_EQUALS = "!="
    BELOW = "<"
    AT_MOST = "<="
    ABOVE = ">"
    AT_LEAST = ">="
    IN = "in"
    EXISTS = "exists"


COMPARISONS = frozenset({Op.BELOW, Op.AT_MOST, Op.ABOVE, Op.AT_LEAST})


@dataclass(frozen=True)
class Condition:
    """One test of the event: ``data.amount > data.balance``, ``data.brand in [...]``."""

    field: str
    op: Op
    value: Any = None  # a constant, a list for "in", a bool for "exists"
    value_of: str | None = None  # another field of the same event, instead of a constant


@dataclass(frozen=True)
class PreferenceRule:
    """A standing preference the customer must have: "likes brand X", "size M"."""

    polarity: Polarity = Polarity.LIKE
    category: Category | None = None
    subject: str = ""  # equal, ignoring case
    subject_contains: str = ""
    subject_of: str | None = None  # equal to this event field, ignoring case
    # The event field naming an item (a variant's code): the preference's attributes ("brand X
    # in size M") fit that item as the catalog describes it (ADR 0049, ADR 0056).
    fits_item_of: str | None = None


@dataclass(frozen=True)
class HistoryRule:
    purchases_at_least: int = 0
    visits_at_least: int = 0
    within_days: int | None = None
    at_event_location: bool = False


@dataclass(frozen=True)
class CustomerRule:
    segments: frozenset[Segment] = frozenset()
    languages: frozenset[str] = frozenset()
    consent: tuple[Channel, Purpose] | None = None
    preferences: tuple[PreferenceRule, ...] = ()
    history: HistoryRule | None = None


@dataclass(frozen=True)
class Audience:
    """For events that name no customer (an offer, a delivery): whom to consider.

    ``history_at`` names the event field holding a location: customers who bought or stayed
    there. ``preference``: customers with that standing preference. Every one of them, unless
    ``limit`` states a cap: then the first ``limit`` (most recent guests; by customer id for a
    preference), and the rest are reported as left out.
    """

    history_at: str | None = None
    within_days: int = 730
    preference: PreferenceRule | None = None
    limit: int | None = None


class DueBy(StrEnum):
    """A look-ahead task's deadline, told by the object it is about (ADR 0040)."""

    # The end of the location's last open hours before the object's own day (the arrival
    # day, the charge's day): housekeeping prepares the room the day before, in business time.
    DAY_BEFORE = "day_before"
    OBJECT_TIME = "object_time"  # the arrival, the reservation, the charge itself


@dataclass(frozen=True)
class CreateTask:
    title: str
    assign_to: str  # relationship_manager, owner, role:manager, role:agent or staff:<id>
    kind: TaskKind = TaskKind.FOLLOW_UP
    due_in_minutes: int | None = None
    due_by: DueBy | None = None  # look-ahead playbooks only
    goodwill_amount: Decimal | None = None
    goodwill_currency: str = ""
    note: str = ""


@dataclass(frozen=True)
class SendMessage:
    template: str
    purpose: Purpose = Purpose.SERVICE


@dataclass(frozen=True)
class OpenPromise:
    kind: PromiseKind
    text: str = ""
    due_in_minutes: int | None = None
    reference_from: str | None = None
    # A field holding the promise's new day (``data.expected_on``: the carrier's day): the
    # promise is due at the end of that day in the location's zone.
    due_on_from: str | None = None


@dataclass(frozen=True)
class ClosePromise:
    kind: PromiseKind
    reference_from: str


@dataclass(frozen=True)
class SendSurvey:
    """Invite the customer to a survey (core/feedback), within consent and the survey cap."""

    survey_id: str
    staff_from: str | None = None  # the event field naming who served her, e.g. "data.staff_id"


@dataclass(frozen=True)
class HoldCapacity:
    """Keep tables (or rooms) back for walk-ins tonight, released at ``until`` (ADR 0051)."""

    count: int
    starts: time
    until: time
    kind: str = "tables"  # or "rooms"
    service: str = ""  # a service or room type by name; "": the service "from" falls in


Action = CreateTask | SendMessage | OpenPromise | ClosePromise | SendSurvey | HoldCapacity


@dataclass(frozen=True)
class Branch:
    """One way a playbook may go: its conditions and what it then does (the first that holds)."""

    name: str
    where: tuple[Condition, ...]
    customer: CustomerRule
    actions: tuple[Action, ...]


class Subject(StrEnum):
    """What a look-ahead playbook reads instead of an event (ADR 0040)."""

    STAYS = "stays"  # hotel bookings, by arrival
    TABLES = "tables"  # restaurant reservations, by their time
    ORDERS = "orders"  # orders on their way, by the promised day
    CHARGES = "charges"  # accounts, by the next scheduled charge
    # Parcels waiting at a pick-up point, by the day it sends them back (ADR 0051).
    PICKUPS = "pickups"
    # Each location's book for the day against its capacity: no customer, one per night.
    TONIGHT = "tonight"


@dataclass(frozen=True)
class Horizon:
    """How far ahead, in each location's own calendar.

    ``within``: from now on for that long ("arrivals within 36 h"). ``days_ahead`` alone: the
    whole local day that many days on ("tomorrow's arrivals"). ``days_ahead`` with ``before``:
    from now until that local time of that day ("charges before 08:00 tomorrow").
    """

    within: timedelta | None = None
    days_ahead: int | None = None
    before: time | None = None

    def words(self) -> str:
        return self.phrase().english()

    def phrase(self) -> Phrase:
        if self.within is not None:
            return Phrase("horizon.within", {"hours": int(self.within.total_seconds() // 3600)})
        days = self.days_ahead or 0
        day = {0: Phrase("horizon.today"), 1: Phrase("horizon.tomorrow")}.get(
            days, Phrase("horizon.in_days", {"days": days})
        )
        if self.before is None:
            return day
        return Phrase("horizon.before", {"time": f"{self.before:%H:%M}", "day": day})


@dataclass(frozen=True)
class LookAhead:
    subject: Subject
    horizon: Horizon


LOOK_AHEAD_PREFIX = "lookahead."  # the stored event_type of a look-ahead playbook


@dataclass(frozen=True)
class PlaybookBody:
    name: str
    event_type: str
    where: tuple[Condition, ...]
    customer: CustomerRule
    audience: Audience | None
    actions: tuple[Action, ...]
    once_per_customer: str | None  # "ever", an ISO 8601 span ("P30D"), or None: once per event
    source: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # The first branch whose conditions hold does its actions; when none does, ``actions``.
    branches: tuple[Branch, ...] = ()
    # Reads the business's state instead of an event: fires once per customer, object, version.
    look_ahead: LookAhead | None = None

    @property
    def once_span(self) -> timedelta | None:
        return duration(self.once_per_customer) if self.once_per_customer else None


@dataclass
class Playbook:
    id: str
    name: str
    event_type: str
    enabled: bool
    version: int  # the current one
    body: PlaybookBody
    created_at: datetime
    updated_at: datetime
    created_by_label: str
    updated_by_label: str


@dataclass(frozen=True)
class PlaybookVersion:
    playbook_id: str
    version: int
    source: Mapping[str, Any]  # the JSON as written
    created_at: datetime
    created_by_label: str


@dataclass(frozen=True)
class Firing:
    """A playbook did its actions for one customer: the once-per-customer key is stored with it."""

    id: str
    playbook_id: str
    version: int
    customer_id: str
    once_key: str
    event_ref: str  # "source/id" of the event
    event_type: str
    fired_at: datetime
    # The conditions that held and what was done ("task tsk_… for …"): phrases said in the
    # reader's language (ADR 0054); plain words for a comparison, or a row kept from before.
    reasons: tuple[Said, ...]
    done: tuple[Said, ...]


def duration(text: str) -> timedelta | None:
    """``P30D``, ``P2W``, ``PT12H``; None for anything else."""
    found = _DURATION.match(text)
    if found is None:
        return None
    weeks, days, hours = (int(part) if part else 0 for part in found.groups())
    span = timedelta(weeks=weeks, days=days, hours=hours)
    return span if span > timedelta(0) else None
