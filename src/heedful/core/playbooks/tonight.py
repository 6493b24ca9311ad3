"""Tonight's book against capacity: walk-in holds and the host's overbooking warning (ADR 0051).

A playbook reading ``"state": "tonight"`` sees one object per location and local day, with no
customer: ``data.booked`` reservations, ``data.capacity``, ``data.held``, ``data.free`` and
``data.over`` (more reservations than capacity minus what is held). It fires once per location,
day and playbook version, by the same unique key in ``playbook_firings`` as every look-ahead
(its customer column holds the location: a night has nobody else). Playbooks that hold go first,
so a warning counts what they keep back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from heedful.core.access import SYSTEM, Role
from heedful.core.dealings import (
    Book,
    HoldKind,
    NewHold,
    local_span,
    place_hold,
    read_books,
)
from heedful.core.events import BusinessEvent
from heedful.core.playbooks.conditions import MISSING, event_reasons, value_at
from heedful.core.playbooks.model import (
    LOOK_AHEAD_PREFIX,
    CreateTask,
    Firing,
    HoldCapacity,
    Playbook,
    Said,
    Subject,
)
from heedful.core.playbooks.state import STATE_SOURCE, window
from heedful.core.shared.errors import HeedfulError
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.tasks import Task
from heedful.core.unit_of_work import UnitOfWork

_PLACEHOLDER = re.compile(r"\{\{\s*(data\.[A-Za-z0-9_]+)\s*\}\}")


def holds_first(playbooks: Sequence[Playbook]) -> list[Playbook]:
    def holds(p: Playbook) -> bool:
        return any(isinstance(a, HoldCapacity) for a in p.body.actions)

    return sorted(playbooks, key=lambda p: (not holds(p), p.created_at, p.id))


def _kind(playbook: Playbook) -> HoldKind:
    for action in playbook.body.actions:
        if isinstance(action, HoldCapacity):
            return HoldKind(action.kind)
    # A warning alone reads the kind its title speaks of; tables unless it says rooms.
    said = " ".join(f"{c.field} {c.value}" for c in playbook.body.where)
    return HoldKind.ROOMS if "rooms" in said else HoldKind.TABLES


def _event(book: Book, at: datetime) -> BusinessEvent:
    data = {"location": book.location_id, **book.as_data()}
    key = f"tonight:{book.location_id}:{book.day.isoformat()}"
    if book.part is not None:
        # Each service or room type is its own night: dinner may warn when lunch does not.
        key = f"{key}:{book.part.kind.value}:{book.part.name.casefold()}"
    return BusinessEvent(STATE_SOURCE, key, f"{LOOK_AHEAD_PREFIX}tonight", data, time=at)


def _fill(text: str, event: BusinessEvent) -> str:
    def one(found: re.Match[str]) -> str:
        value = value_at(event, found.group(1))
        return "" if value is MISSING else str(value)

    return " ".join(_PLACEHOLDER.sub(one, text).split())


def tonight_task(action: CreateTask, event: BusinessEvent, location_id: str, now: datetime) -> Task:
    who, _, name = action.assign_to.partition(":")
    return Task(
        id=new_id("tsk_"),
        kind=action.kind,
        title=_fill(action.title, event),
        note=_fill(action.note, event),
        location_id=location_id,
        created_at=now,
        created_by_label=SYSTEM.label,
        assignee_id=name if who == "staff" else None,
        assignee_role=Role(name) if who == "role" else None,
        due_at=now + timedelta(minutes=action.due_in_minutes) if action.due_in_minutes else None,
    )


@dataclass(frozen=True)
class Night:
    """One location's night the playbook's horizon reaches, its conditions met."""

    book: Book
    event: BusinessEvent
    reasons: tuple[Said, ...]  # the conditions that held, with the book's values

    def once_key(self, playbook: Playbook) -> str:
        return f"state:{self.event.id}:v{playbook.version}"


def days_in_view(playbook: Playbook, zone: str, now: datetime) -> list[date]:
    """The local days the playbook's horizon reaches at ``now``, on the location's clock."""
    look = playbook.body.look_ahead
    assert look is not None
    assert look.subject is Subject.TONIGHT
    tz = ZoneInfo(zone)
    start, end = window(look.horizon, tz, now)
    day = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    days = []
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    return days


def nights_in_view(
    uow: UnitOfWork,
    playbook: Playbook,
    location_id: str,
    zone: str,
    now: datetime,
    days: Iterable[date] | None = None,
) -> list[Night]:
    """The nights in the horizon (or of ``days``) whose book meets the playbook's conditions."""
    tz = ZoneInfo(zone)
    nights: list[Night] = []
    for day in days_in_view(playbook, zone, now) if days is None else days:
        for book in read_books(uow.bookings, uow.capacity, location_id, _kind(playbook), day, tz):
            if book.capacity is None:
                continue  # a shop, a bank: no tables or rooms set, no book to weigh
            event = _event(book, now)
            reasons = event_reasons(playbook.body.where, event)
            if reasons is not None:
                nights.append(Night(book, event, tuple(reasons)))
    return nights


def hold_is_placed(action: HoldCapacity, book: Book, tz: ZoneInfo, now: datetime) -> bool:
    """A hold is set on its own day, while its time is still to come."""
    today = now.astimezone(tz).date()
    return book.day == today and local_span(today, action.starts, action.until, tz)[1] > now


def hold_fits(action: HoldCapacity, book: Book) -> bool:
    """Whether the hold is this service's: the one it names, else the service its start falls
    in ("from 19:00" is dinner's, not lunch's); a room type only when named."""
    if book.part is None:
        return True
    if action.service:
        return book.part.same(action.service)
    return book.part.at(action.starts)


def _tonight(uow: UnitOfWork, day: str, location_id: str) -> Phrase:
    place = uow.locations.get(location_id)
    return Phrase(
        "why.tonight", {"day": day, "location": location_id if place is None else place.name}
    )


def evaluate_tonight(
    uow: UnitOfWork,
    playbook: Playbook,
    location_id: str,
    zone: str,
    now: datetime,
) -> tuple[int, int, list[str]]:
    """(fired, already, set aside) for one playbook over the location's night(s) in its horizon."""
    tz = ZoneInfo(zone)
    fired = already = 0
    set_aside: list[str] = []
    for night in nights_in_view(uow, playbook, location_id, zone, now):
        book, event = night.book, night.event
        firing = Firing(
            id=new_id("fir_"),
            playbook_id=playbook.id,
            version=playbook.version,
            customer_id=location_id,
            once_key=night.once_key(playbook),
            event_ref=f"{STATE_SOURCE}/{event.id}",
            event_type=event.type,
            fired_at=now,
            reasons=(_tonight(uow, book.day.isoformat(), location_id), *night.reasons),
            done=(Phrase("did.tonight"),),
        )
        # A savepoint: an action that refuses undoes its claim too, so the next pass may fire.
        with uow:
            if firing.id not in uow.playbooks.claim_many([firing]):
                already += 1
                continue
            try:
                _act(uow, playbook, event, book, location_id, tz, now)
            except HeedfulError as refused:
                set_aside.append(f"playbook {playbook.id}: {event.id}: {refused}")
                continue
            uow.commit()
        fired += 1
    return fired, already, set_aside


def _act(
    uow: UnitOfWork,
    playbook: Playbook,
    event: BusinessEvent,
    book: Book,
    location_id: str,
    tz: ZoneInfo,
    now: datetime,
) -> None:
    """The firing's actions, written once its key is claimed."""
    for action in playbook.body.actions:
        if isinstance(action, HoldCapacity):
            if not hold_fits(action, book) or not hold_is_placed(action, book, tz, now):
                continue
            new = NewHold(
                location_id,
                action.count,
                action.starts,
                action.until,
                HoldKind(action.kind),
                playbook.name,
                book.service,
            )
            place_hold(uow, new, now, tz, SYSTEM.label, playbook.id)
        elif isinstance(action, CreateTask):
            uow.tasks.add(tonight_task(action, event, location_id, now))
