"""What a dry-run answers: for each object, for whom, why and what would have been done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from heedful.core.playbooks.model import Said
from heedful.core.shared.phrases import Phrase


@dataclass(frozen=True)
class WouldFire:
    """One customer the playbook would have acted for, on one event, and why."""

    customer_id: str
    customer_name: str
    event_ref: str
    happened_at: datetime
    reasons: tuple[Said, ...]  # said in the reader's language (ADR 0054)
    actions: tuple[Phrase, ...]
    # A night of a location (a ``tonight`` playbook): no customer, the host's book instead.
    location_id: str | None = None


@dataclass
class DryRun:
    playbook_id: str | None
    version: int | None
    since: datetime
    until: datetime
    subject: str | None = None  # the look-ahead state it read ("tonight"); None: events
    events: int = 0  # events of the trigger type in the window
    events_matched: int = 0  # of which the event conditions held
    customers: int = 0  # distinct customers who would have been acted for
    messages: int = 0
    tasks: int = 0
    promises_opened: int = 0
    promises_closed: int = 0
    holds: int = 0  # tables or rooms held back for walk-ins (``tonight``)
    repeats: int = 0  # held back by once_per_customer
    hidden: int = 0  # acted for customers outside the asker's locations (counted, not named)
    truncated: bool = False  # more events than a dry-run reads
    would_fire: list[WouldFire] = field(default_factory=list)
