"""Playbook use cases: write one, change it (a new version), switch it on and off, read it, and
ask what it would have done over past events (the dry-run)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from heedful.core.access import Actor, Permission
from heedful.core.calendar import Calendars
from heedful.core.customers import audit
from heedful.core.playbooks import actions
from heedful.core.playbooks.conditions import event_reasons
from heedful.core.playbooks.dry_run_report import DryRun, WouldFire
from heedful.core.playbooks.dry_run_words import describe
from heedful.core.playbooks.firing import (
    action_location,
    chosen_actions,
    concerned,
    happened_at,
    once_key,
)
from heedful.core.playbooks.lookahead import consider
from heedful.core.playbooks.model import (
    Action,
    ClosePromise,
    CreateTask,
    Firing,
    OpenPromise,
    Playbook,
    PlaybookVersion,
    SendMessage,
    Subject,
)
from heedful.core.playbooks.reading import read_playbook
from heedful.core.playbooks.state import narrowing, read_window, window
from heedful.core.playbooks.texts import check_texts
from heedful.core.playbooks.tonight_dry_run import replay_tonight
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

# A dry-run reads at most this many past events: enough for a month of a busy shop's charges,
# and an answer within seconds rather than a report that never comes back.
DRY_RUN_EVENTS = 5000
DRY_RUN_LONGEST = timedelta(days=366)
# A look-ahead dry-run replays the hourly pass: a month is 744 passes per location.
LOOK_AHEAD_DRY_RUN_LONGEST = timedelta(days=31)
LOOK_AHEAD_DRY_RUN_STEP = timedelta(hours=1)


def _describe(playbook: Playbook) -> dict[str, object]:
    return {"name": playbook.name, "version": playbook.version, "enabled": playbook.enabled}


def create_playbook(
    source: Mapping[str, Any], uow: UnitOfWork, clock: Clock, actor: Actor
) -> Playbook:
    """A new playbook, switched off: dry-run it, then enable it."""
    actor.require(Permission.MANAGE_PLAYBOOKS)
    body = read_playbook(source)
    check_texts(body)  # a quoted name nothing provides is refused, named (ADR 0049)
    now = clock.now()
    playbook = Playbook(
        id=new_id("pbk_"),
        name=body.name,
        event_type=body.event_type,
        enabled=False,
        version=1,
        body=body,
        created_at=now,
        updated_at=now,
        created_by_label=actor.label,
        updated_by_label=actor.label,
    )
    with uow:
        uow.playbooks.add(playbook, PlaybookVersion(playbook.id, 1, body.source, now, actor.label))
        _audit(uow, actor, now, "playbook.created", playbook)
        uow.commit()
    return playbook


def _load(uow: UnitOfWork, playbook_id: str) -> Playbook:
    playbook = uow.playbooks.get(playbook_id)
    if playbook is None:
        raise NotFound(f"no playbook {playbook_id}")
    return playbook


def _audit(uow: UnitOfWork, actor: Actor, now: datetime, action: str, playbook: Playbook) -> None:
    audit(
        uow,
        actor,
        now,
        action,
        customer_id=None,
        entity="playbook",
        entity_id=playbook.id,
        after=_describe(playbook),
    )


def update_playbook(
    playbook_id: str, source: Mapping[str, Any], uow: UnitOfWork, clock: Clock, actor: Actor
) -> Playbook:
    """A new version; the old ones stay readable and their firings keep naming them."""
    actor.require(Permission.MANAGE_PLAYBOOKS)
    body = read_playbook(source)
    check_texts(body)  # a quoted name nothing provides is refused, named (ADR 0049)
    now = clock.now()
    with uow:
        playbook = _load(uow, playbook_id)
        playbook.version += 1
        playbook.body, playbook.name, playbook.event_type = body, body.name, body.event_type
        playbook.updated_at, playbook.updated_by_label = now, actor.label
        version = PlaybookVersion(playbook.id, playbook.version, body.source, now, actor.label)
        uow.playbooks.add_version(playbook, version)
        _audit(uow, actor, now, "playbook.changed", playbook)
        uow.commit()
    return playbook


def set_enabled(
    playbook_id: str, enabled: bool, uow: UnitOfWork, clock: Clock, actor: Actor
) -> Playbook:
    actor.require(Permission.MANAGE_PLAYBOOKS)
    now = clock.now()
    with uow:
        playbook = _load(uow, playbook_id)
        if playbook.enabled != enabled:
            playbook.enabled, playbook.updated_at = enabled, now
            playbook.updated_by_label = actor.label
            uow.playbooks.update(playbook)
            action = "playbook.enabled" if enabled else "playbook.disabled"
            _audit(uow, actor, now, action, playbook)
        uow.commit()
    return playbook


def get_playbook(
    playbook_id: str, uow: UnitOfWork, actor: Actor
) -> tuple[Playbook, list[PlaybookVersion]]:
    actor.require(Permission.MANAGE_PLAYBOOKS)
    with uow:
        playbook = _load(uow, playbook_id)
        return playbook, uow.playbooks.versions(playbook_id)


def get_version(playbook_id: str, number: int, uow: UnitOfWork, actor: Actor) -> PlaybookVersion:
    actor.require(Permission.MANAGE_PLAYBOOKS)
    with uow:
        version = uow.playbooks.version(playbook_id, number)
    if version is None:
        raise NotFound(f"playbook {playbook_id} has no version {number}")
    return version


def list_playbooks(uow: UnitOfWork, actor: Actor) -> list[Playbook]:
    actor.require(Permission.MANAGE_PLAYBOOKS)
    with uow:
        return uow.playbooks.every()


def list_firings(playbook_id: str, uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[Firing]:
    actor.require(Permission.MANAGE_PLAYBOOKS)
    with uow:
        _load(uow, playbook_id)
        return uow.playbooks.firings(playbook_id, limit)


def dry_run(
    target: str | Mapping[str, Any],
    since: datetime,
    until: datetime,
    uow: UnitOfWork,
    actor: Actor,
) -> DryRun:
    """What the playbook (stored, by id, or a draft) would have done on the stored events.

    Reads only: nothing is performed, and the unit of work is never committed.
    """
    actor.require(Permission.MANAGE_PLAYBOOKS)
    if since.tzinfo is None or until.tzinfo is None:
        raise InvalidInput("give since and until with their offsets", field="since")
    if until <= since:
        raise InvalidInput("until must be after since", field="until")
    if until - since > DRY_RUN_LONGEST:
        raise InvalidInput("a dry-run covers at most 366 days", field="until")
    with uow:
        playbook = _draft(target, since) if not isinstance(target, str) else _load(uow, target)
        report = DryRun(
            playbook_id=playbook.id if isinstance(target, str) else None,
            version=playbook.version if isinstance(target, str) else None,
            since=since,
            until=until,
        )
        _replay(uow, actor, playbook, report)
        uow.rollback()
    return report


def _draft(source: Mapping[str, Any], at: datetime) -> Playbook:
    try:
        body = read_playbook(source)
    except InvalidInput as wrong:
        # The draft sits under "playbook" in the dry-run's body: name the path from there.
        raise InvalidInput(
            wrong.message, field=f"playbook.{wrong.field}", said=wrong.said
        ) from wrong
    return Playbook("draft", body.name, body.event_type, False, 0, body, at, at, "", "")


def _replay(uow: UnitOfWork, actor: Actor, playbook: Playbook, report: DryRun) -> None:
    body = playbook.body
    if body.look_ahead is not None:
        _replay_state(uow, actor, playbook, report)
        return
    stored_events = uow.events.between(
        body.event_type, report.since, report.until, DRY_RUN_EVENTS + 1
    )
    report.truncated = len(stored_events) > DRY_RUN_EVENTS
    seen_keys: set[tuple[str, str]] = set()
    customers: set[str] = set()
    for stored in stored_events[:DRY_RUN_EVENTS]:
        report.events += 1
        why = event_reasons(body.where, stored.event)
        if why is None:
            continue
        report.events_matched += 1
        at = happened_at(stored)
        event = stored.event
        cause = f"{event.source}/{event.id}"
        for customer, place, because in concerned(uow, body, event, at):
            key = (customer.id, once_key(body, stored))
            if key in seen_keys:
                report.repeats += 1
                continue
            seen_keys.add(key)
            chosen = chosen_actions(uow, body, customer, event, place)
            if chosen is None:
                continue
            todo, branch = chosen
            customers.add(customer.id)
            _count_actions(todo, report)
            if not actor.may_see_customer_at(customer.location_ids):
                report.hidden += 1
                continue
            where = action_location(customer, place, event.sender_locations)
            firing = actions.Firing(uow, at, playbook, customer, event, cause, where)
            report.would_fire.append(
                WouldFire(
                    customer_id=customer.id,
                    customer_name=customer.full_name,
                    event_ref=cause,
                    happened_at=at,
                    reasons=(*why, *because, *branch),
                    actions=tuple(describe(action, firing) for action in todo),
                )
            )
    report.customers = len(customers)


def _replay_state(uow: UnitOfWork, actor: Actor, playbook: Playbook, report: DryRun) -> None:
    """The scheduled pass replayed hour by hour over the span, on the state as it stands.

    Each object is taken at the first hour its horizon reached it, as the live pass would have
    (ADR 0040). The records' past versions are not kept, so this is today's state looked at
    from each past hour: a booking cancelled since is not there.
    """
    look = playbook.body.look_ahead
    assert look is not None
    if report.until - report.since > LOOK_AHEAD_DRY_RUN_LONGEST:
        raise InvalidInput("a look-ahead dry-run covers at most 31 days", field="until")
    report.subject = look.subject.value
    if look.subject is Subject.TONIGHT:
        replay_tonight(uow, actor, playbook, report, LOOK_AHEAD_DRY_RUN_STEP)
        return
    calendars = Calendars(uow)
    places = [(place.id, place.time_zone) for place in uow.locations.list()]
    read: set[str] = set()
    customers: set[str] = set()
    narrowed = narrowing(playbook.body)
    at = report.since
    while at <= report.until and not report.truncated:
        for location_id, zone in places:
            tz = ZoneInfo(zone)
            span = window(look.horizon, tz, at)
            found = read_window(uow, look.subject, location_id, tz, span, narrowed)
            fresh = [obj for obj in found if obj.key not in read]
            read.update(obj.key for obj in fresh)
            report.events += len(fresh)
            for item in consider(uow, playbook, fresh, at, calendars, zone):
                report.events_matched += 1
                customers.add(item.customer.id)
                if item.already:
                    report.repeats += 1
                _count_actions(item.todo, report)
                if not actor.may_see_customer_at(item.customer.location_ids):
                    report.hidden += 1
                    continue
                said = (Phrase("why.already_fired"),) if item.already else ()
                report.would_fire.append(
                    WouldFire(
                        customer_id=item.customer.id,
                        customer_name=item.customer.full_name,
                        event_ref=item.context.cause,
                        happened_at=at,
                        reasons=(*item.reasons, *said),
                        actions=tuple(describe(a, item.context) for a in item.todo),
                    )
                )
            report.truncated = report.events > DRY_RUN_EVENTS
        at += LOOK_AHEAD_DRY_RUN_STEP
    report.customers = len(customers)


def _count_actions(todo: Iterable[Action], report: DryRun) -> None:
    for action in todo:
        if isinstance(action, SendMessage):
            report.messages += 1
        elif isinstance(action, CreateTask):
            report.tasks += 1
        elif isinstance(action, OpenPromise):
            report.promises_opened += 1
        elif isinstance(action, ClosePromise):
            report.promises_closed += 1
