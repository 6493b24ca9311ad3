"""A customer's story as a plan: who they are, and what happened when, before anything is stored.

Planning is pure (a seeded ``random.Random`` and the time the demo is loaded); ``load.py`` then
plays each plan through the core's handlers with a clock set to the moment each step happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity
from heedful.core.customers.consent import Purpose
from heedful.core.customers.model import Segment
from heedful.core.history.model import HistoryKind, Item
from heedful.core.preferences.model import Category, Polarity, Source

from .data import LOCATIONS


@dataclass(frozen=True)
class GiveConsent:
    channel: Channel
    purpose: Purpose
    granted: bool
    how: str


@dataclass(frozen=True)
class NotePreference:
    polarity: Polarity
    category: Category
    subject: str
    note: str
    source: Source
    location: str
    confidence: float | None = None
    tag: str = ""  # lets a later RetractPreference name this one


@dataclass(frozen=True)
class RetractPreference:
    tag: str


@dataclass(frozen=True)
class RecordVisit:
    kind: HistoryKind
    location: str
    occurred_at: datetime
    items: tuple[Item, ...]
    amount_minor: int | None
    currency: str | None
    external_ref: str | None
    note: str = ""


Step = GiveConsent | NotePreference | RetractPreference | RecordVisit


@dataclass
class CustomerPlan:
    full_name: str
    language: str
    time_zone: str
    segment: Segment
    home: str  # a location key from data.LOCATIONS
    created_at: datetime
    identities: tuple[NewIdentity, ...]
    birthday: date | None = None
    steps: list[tuple[datetime, Step]] = field(default_factory=list)

    def add(self, at: datetime, step: Step) -> None:
        self.steps.append((at, step))

    def add_visits(self, visits: list[tuple[datetime, RecordVisit]]) -> None:
        for recorded_at, visit in visits:
            self.add(recorded_at, visit)

    def consent(self, how: str, *decisions: tuple[Channel, Purpose, bool]) -> None:
        """Decisions taken when the customer was first met."""
        at = self.created_at + timedelta(minutes=1)
        for channel, purpose, granted in decisions:
            self.add(at, GiveConsent(channel, purpose, granted, how))

    def wish(
        self,
        at: datetime,
        polarity: Polarity,
        category: Category,
        subject: str,
        note: str = "",
        source: Source = Source.SAID,
    ) -> None:
        """A preference noted at the customer's home location."""
        self.add(at, NotePreference(polarity, category, subject, note, source, self.home))

    def remark(self, occurred: datetime, note: str, reference: str) -> None:
        """A visit that bought nothing and is remembered for what was said."""
        visit = RecordVisit(HistoryKind.VISIT, self.home, occurred, (), None, None, reference, note)
        self.add(occurred + timedelta(minutes=25), visit)

    def ordered_steps(self) -> list[tuple[datetime, Step]]:
        # Stable: steps planned for the same instant keep the order they were planned in.
        return sorted(self.steps, key=lambda pair: pair[0])


class Timeline:
    """Local business hours turned into UTC instants, never later than the moment of loading."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def at(self, days_ago: float, hour: int, minute: int, zone: str) -> datetime:
        tz = ZoneInfo(zone)
        day = (self.now - timedelta(days=days_ago)).astimezone(tz).date()
        moment = datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(self.now.tzinfo)
        while moment > self.now:
            moment -= timedelta(days=1)
        return moment

    def days_ago(self, moment: datetime) -> float:
        return (self.now - moment).total_seconds() / 86400


class Receipts:
    """Reference numbers per location, as the source systems would number them."""

    def __init__(self) -> None:
        self._next = {spec.key: 104_000 + 137 * index for index, spec in enumerate(LOCATIONS)}
        self._prefix = {spec.key: spec.receipt_prefix for spec in LOCATIONS}

    def next(self, location: str) -> str:
        self._next[location] += 1
        return f"{self._prefix[location]}-{self._next[location]}"
