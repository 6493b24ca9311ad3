"""Look-ahead playbooks: act on the business's state before the customer feels the failure.

A look-ahead playbook reads bookings, reservations, orders or accounts inside a horizon instead
of waiting for an event (ADR 0040). Two paths run it, and both land on one unique key per
(playbook, customer, object and version), stored with the actions:

- the scheduled pass (``evaluate_location``): each location's window in its own time zone, read
  by an index range, so the cost is what lies inside the horizon, never every record;
- the change (``reconsider``): a booking, an order or an account the engine has just stored is
  weighed alone against the playbooks of its subject, inside the event's transaction.

Two workers, a restart, the pass and the change racing: whoever inserts the key first fires; the
other claims nothing and writes nothing (``bulk_firing.fire_many``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from heedful.core.calendar import Calendars
from heedful.core.customers import Customer
from heedful.core.playbooks import actions
from heedful.core.playbooks.bulk_firing import Chosen, fire_many
from heedful.core.playbooks.conditions import Place, customer_reasons, event_reasons
from heedful.core.playbooks.firing import PlaybookIndex, chosen_actions
from heedful.core.playbooks.model import Action, DueBy, Playbook, PlaybookBody, Said, Subject
from heedful.core.playbooks.state import (
    STATE_SOURCE,
    StateObject,
    narrowing,
    read_window,
    window,
    wishes_added,
)
from heedful.core.playbooks.tonight import evaluate_tonight, holds_first
from heedful.core.preferences import Preference
from heedful.core.shared.clock import Clock
from heedful.core.shared.phrases import Phrase, word
from heedful.core.unit_of_work import UnitOfWork

# How far back "the day before" looks for the location's last open hours (a long closure).
_CLOSED_DAYS_READ = 14


@dataclass
class LookAheadReport:
    locations: int = 0
    objects: int = 0  # inside a horizon, all playbooks together
    fired: int = 0
    already: int = 0  # their key was stored by an earlier pass, a change, or another worker
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Considered:
    """One object a playbook would act on, for whom, why, and with which actions."""

    obj: StateObject
    customer: Customer
    key: str
    reasons: tuple[Said, ...]
    context: actions.Firing
    todo: tuple[Action, ...]
    already: bool


def once_key(playbook: Playbook, obj: StateObject) -> str:
    """Once per customer (the column beside it), object and version of the playbook."""
    return f"state:{obj.key}:v{playbook.version}"


def needs_preferences(body: PlaybookBody) -> bool:
    return bool(body.customer.preferences) or any(b.customer.preferences for b in body.branches)


def day_before(calendars: Calendars, location_id: str, at: datetime) -> datetime:
    """The end of the location's last open hours before the local day of ``at``.

    "Before arrival day in business time": a hotel open until 22:00 wants the room ready by 22:00
    the evening before; closed that day (a holiday, a closure), the open day before that. Without
    hours the day starts at local midnight: that is the deadline.
    """
    calendar = calendars.of(location_id)
    zone = calendar.tz
    day = at.astimezone(zone).date()
    midnight = datetime.combine(day, time(), zone)
    for back in range(1, _CLOSED_DAYS_READ + 1):
        earlier = day - timedelta(days=back)
        ends = [
            min(interval.on(earlier)[1].replace(tzinfo=zone), midnight)
            for interval in calendar.hours_on(earlier)
        ]
        if ends:
            return max(ends).astimezone(at.tzinfo)
    return midnight.astimezone(at.tzinfo)


def _due_by(body: PlaybookBody, calendars: Calendars, obj: StateObject) -> Mapping[DueBy, datetime]:
    wanted = {
        getattr(action, "due_by", None)
        for action in (*body.actions, *(a for b in body.branches for a in b.actions))
    }
    due: dict[DueBy, datetime] = {DueBy.OBJECT_TIME: obj.at}
    if DueBy.DAY_BEFORE in wanted:
        due[DueBy.DAY_BEFORE] = day_before(calendars, obj.location_id, obj.at)
    return due


def consider(
    uow: UnitOfWork,
    playbook: Playbook,
    objects: Sequence[StateObject],
    now: datetime,
    calendars: Calendars,
    zone: str,
) -> list[Considered]:
    """The objects this playbook acts on, each with its customer, reasons and actions.

    Her customers, her standing preferences (when asked) and the keys already stored are read
    for all the objects at once: a few queries per window, not per object.
    """
    body, look = playbook.body, playbook.body.look_ahead
    assert look is not None
    if not objects:
        return []
    # The object's own conditions first: customers, preferences and keys are then read only
    # for the objects that meet them (a few queries per window, never one per object).
    met = []
    for obj in objects:
        event = obj.as_event()
        why = event_reasons(body.where, event)
        if why is not None:
            met.append((obj, event, why))
    if not met:
        return []
    keys = [(obj.customer_id, once_key(playbook, obj)) for obj, _, _ in met]
    taken = uow.playbooks.taken(playbook.id, keys)
    ids = sorted({obj.customer_id for obj, _, _ in met})
    customers = {c.id: c for c in uow.customers.get_many(ids)}
    standing: Mapping[str, list[Preference]] | None = None
    if needs_preferences(body):
        standing = uow.preferences.standing_for_many(ids)
    found: list[Considered] = []
    for (obj, event, why), (customer_id, key) in zip(met, keys, strict=True):
        customer = customers.get(customer_id)
        if customer is None or not customer.is_active:
            continue
        place = Place(obj.location_id, now)
        held = None if standing is None else standing.get(customer.id, [])
        because = customer_reasons(uow, body.customer, customer, event, place, held)
        if because is None:
            continue
        chosen = chosen_actions(uow, body, customer, event, place, held)
        if chosen is None:
            continue
        todo, branch = chosen
        seen = Phrase(
            "why.ahead",
            {
                "subject": word("subject", look.subject.value),
                "reference": str(obj.data.get("reference", "")),
                "horizon": look.horizon.phrase(),
            },
        )
        context = actions.Firing(
            uow,
            now,
            playbook,
            customer,
            event,
            f"{STATE_SOURCE}/{obj.key}",
            obj.location_id,
            due_by=_due_by(body, calendars, obj),
            zone=zone,
        )
        reasons = (seen, *why, *because, *branch)
        found.append(
            Considered(obj, customer, key, reasons, context, todo, (customer_id, key) in taken)
        )
    return found


def _fire(playbook: Playbook, considered: Iterable[Considered], report: LookAheadReport) -> None:
    """The window's firings at once: keys claimed in one statement, rows written in bulk."""
    chosen: list[Chosen] = []
    for item in considered:
        if item.already:
            report.already += 1
            continue
        label = f"playbook {playbook.id}: {item.obj.key}"
        chosen.append(Chosen(item.context, item.todo, item.key, item.reasons, label))
    outcome = fire_many(chosen)
    report.fired += outcome.fired
    report.already += outcome.already
    report.skipped.extend(outcome.set_aside)


def evaluate_location(
    uow: UnitOfWork,
    playbooks: Sequence[Playbook],
    location_id: str,
    zone: str,
    now: datetime,
    report: LookAheadReport,
) -> None:
    """Every look-ahead playbook over one location's window; call inside a unit of work."""
    calendars = Calendars(uow)
    tz = ZoneInfo(zone)
    for playbook in holds_first(playbooks):
        look = playbook.body.look_ahead
        assert look is not None
        if look.subject is Subject.TONIGHT:
            fired, already, set_aside = evaluate_tonight(uow, playbook, location_id, zone, now)
            report.objects += fired + already
            report.fired, report.already = report.fired + fired, report.already + already
            report.skipped.extend(set_aside)
            continue
        span = window(look.horizon, tz, now)
        objects = read_window(uow, look.subject, location_id, tz, span, narrowing(playbook.body))
        report.objects += len(objects)
        _fire(playbook, consider(uow, playbook, objects, now, calendars, zone), report)


def next_local_hour(now: datetime, zone: str) -> datetime:
    """The top of the next hour on the location's own clock (a +05:30 zone at :30 UTC)."""
    local = now.astimezone(ZoneInfo(zone))
    top = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return top.astimezone(now.tzinfo)


def evaluate_all(
    uow_factory: Callable[[], UnitOfWork], clock: Clock, *, only_when_due: bool = False
) -> LookAheadReport:
    """The scheduled pass: each location in its own transaction and its own time zone.

    ``only_when_due`` (the worker's beat): a location is taken when its run is due, at the top
    of each of its local hours, and claimed by one worker of many (a conditional UPDATE); the
    keys make a second pass harmless anyway, the claim only spares the work.
    """
    report = LookAheadReport()
    now = clock.now()
    with uow_factory() as uow:
        playbooks = [p for p in uow.playbooks.enabled() if p.body.look_ahead is not None]
        places = [(place.id, place.time_zone) for place in uow.locations.list()]
    if not playbooks:
        return report
    for location_id, zone in places:
        name = f"{RUN_PREFIX}{location_id}"
        with uow_factory() as uow:
            if only_when_due:
                if not uow.feedback.schedule.claim(name, now, now + RUN_LEASE):
                    uow.commit()
                    continue
                uow.commit()
            before = report.fired
            evaluate_location(uow, playbooks, location_id, zone, now, report)
            if only_when_due:
                result = {"fired": report.fired - before}
                uow.feedback.schedule.finish(name, now, next_local_hour(now, zone), result)
            uow.commit()
        report.locations += 1
    return report


RUN_PREFIX = "lookahead:"
RUN_LEASE = timedelta(minutes=15)


def reconsider_tonight(
    uow: UnitOfWork, index: PlaybookIndex, location_id: str, now: datetime
) -> int:
    """A reservation or a stay changed: the location's night is weighed again at once.

    One book read per playbook (the night's reservations and holds by index ranges); its key
    keeps the warning to one per night and version, however many reservations arrive.
    """
    playbooks = index.looking_ahead(Subject.TONIGHT)
    zone = index.zone_of(uow, location_id) if playbooks else None
    if zone is None:
        return 0
    fired = 0
    for playbook in holds_first(playbooks):
        fired += evaluate_tonight(uow, playbook, location_id, zone, now)[0]
    return fired


def reconsider(
    uow: UnitOfWork,
    index: PlaybookIndex,
    obj_of: Callable[[ZoneInfo], StateObject | None],
    subject: Subject,
    location_id: str,
    now: datetime,
) -> int:
    """One record the engine just stored, weighed alone: touches only that record's keys.

    ``obj_of`` turns the record into its object in the location's zone (None: nothing to weigh,
    a cancelled booking or an account without a next charge).
    """
    playbooks = index.looking_ahead(subject)
    if not playbooks:
        return 0
    zone = index.zone_of(uow, location_id)
    if zone is None:
        return 0
    tz = ZoneInfo(zone)
    obj = obj_of(tz)
    if obj is None:
        return 0
    report = LookAheadReport()
    calendars = Calendars(uow)
    for playbook in playbooks:
        look = playbook.body.look_ahead
        assert look is not None
        start, end = window(look.horizon, tz, now)
        if not start <= obj.at < end:
            continue
        objects = [obj]
        if subject in (Subject.STAYS, Subject.TABLES):
            objects = wishes_added(uow, objects)
        chosen = consider(uow, playbook, objects, now, calendars, zone)
        _fire(playbook, chosen, report)
    return report.fired
