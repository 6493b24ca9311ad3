"""The dry-run of a ``tonight`` playbook: each night its horizon reached, and what it would have
held back or whom it would have warned (ADR 0051, ADR 0055).

It replays the hourly pass as the live one runs it (``nights_in_view``, the same book and
conditions), takes each location's night at the first hour its horizon reached it, and writes
nothing: no hold, no task, no key. Holds and reservations are read as they stand now, like every
look-ahead dry-run (the past versions of a book are not kept).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from heedful.core.access import Actor
from heedful.core.playbooks.dry_run_report import DryRun, WouldFire
from heedful.core.playbooks.model import CreateTask, HoldCapacity, Playbook
from heedful.core.playbooks.state import STATE_SOURCE
from heedful.core.playbooks.tonight import (
    Night,
    days_in_view,
    hold_fits,
    hold_is_placed,
    nights_in_view,
    tonight_task,
)
from heedful.core.shared.phrases import Phrase, word
from heedful.core.unit_of_work import UnitOfWork


def replay_tonight(
    uow: UnitOfWork,
    actor: Actor,
    playbook: Playbook,
    report: DryRun,
    step: timedelta,
) -> None:
    """Every location's nights over the span, hour by hour; reads only.

    Each night is taken at the first hour it came into view, met or not: the book read then is
    the book read at every later hour, as the state is today's.
    """
    seen: set[tuple[str, date]] = set()
    places = uow.locations.list()
    at = report.since
    while at <= report.until:
        for place in places:
            fresh = [
                day
                for day in days_in_view(playbook, place.time_zone, at)
                if (place.id, day) not in seen
            ]
            seen.update((place.id, day) for day in fresh)
            report.events += len(fresh)
            zone = ZoneInfo(place.time_zone)
            for night in nights_in_view(uow, playbook, place.id, place.time_zone, at, fresh):
                _record(uow, actor, playbook, report, night, place.name, zone)
        at += step


def _record(
    uow: UnitOfWork,
    actor: Actor,
    playbook: Playbook,
    report: DryRun,
    night: Night,
    place_name: str,
    tz: ZoneInfo,
) -> None:
    book, at = night.book, night.event.time
    assert at is not None
    report.events_matched += 1
    location_id = book.location_id
    already = bool(uow.playbooks.taken(playbook.id, [(location_id, night.once_key(playbook))]))
    if already:
        report.repeats += 1
    done = list(_would_do(playbook, night, tz, at, report))
    if not actor.may_act_at(location_id):
        report.hidden += 1
        return
    said = Phrase(
        "dry_run.night_service" if book.service else "dry_run.night",
        {
            "location": place_name,
            "service": book.service,
            "day": book.day.isoformat(),
            "booked": book.booked,
            "capacity": book.capacity if book.capacity is not None else 0,
            "kind": word("capacity", book.kind.value),
            "held": book.held,
            "free": book.free if book.free is not None else 0,
        },
    )
    reasons = (
        said,
        *(Phrase("dry_run.condition", {"condition": why}) for why in night.reasons),
        *((Phrase("dry_run.already_fired"),) if already else ()),
    )
    report.would_fire.append(
        WouldFire(
            customer_id=location_id,
            customer_name=place_name,
            event_ref=f"{STATE_SOURCE}/{night.event.id}",
            happened_at=at,
            reasons=reasons,
            actions=tuple(done),
            location_id=location_id,
        )
    )


def _would_do(
    playbook: Playbook, night: Night, tz: ZoneInfo, at: datetime, report: DryRun
) -> Iterator[Phrase]:
    """What the live pass's ``_act`` would have written, said instead of done."""
    for action in playbook.body.actions:
        if isinstance(action, HoldCapacity):
            if not hold_fits(action, night.book):
                continue  # another service's hold: dinner's tables are not held at lunch
            values = {
                "count": action.count,
                "kind": word("capacity", action.kind),
                "starts": action.starts.strftime("%H:%M"),
                "until": action.until.strftime("%H:%M"),
            }
            if hold_is_placed(action, night.book, tz, at):
                report.holds += action.count
                yield Phrase("dry_run.hold", values)
            else:
                yield Phrase("dry_run.no_hold", values)
        elif isinstance(action, CreateTask):
            report.tasks += 1
            task = tonight_task(action, night.event, night.book.location_id, at)
            if task.assignee_role is not None:
                role = word("role", task.assignee_role.value)
                yield Phrase("dry_run.task_for_role", {"title": task.title, "role": role})
            else:
                yield Phrase(
                    "dry_run.task_for_staff", {"title": task.title, "staff": task.assignee_id or ""}
                )
