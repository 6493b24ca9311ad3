"""Load the demo through the core's own use cases, as if eighteen months had really happened.

Every row is written by a handler (``create_location``, ``create_customer``, ``record_preference``,
``record_history``...) acting as ``SYSTEM``, never by SQL, so the demo obeys every rule a real
integration obeys. Handlers read a ``FrozenClock`` that the loader sets to the moment each step
happened: a preference said at a stay four months ago is recorded four months ago.

The whole demo is one transaction. Each handler opens its own unit of work inside the loader's
outer block, so a handler's commit only releases a savepoint: the disk sees one commit instead of
thousands, and an interrupted load leaves an empty database rather than half a demo that
``is_loaded()`` would then refuse to complete.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.customers.commands import CreateCustomer, RecordConsent
from heedful.core.customers.handlers import create_customer, record_consent
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.playbooks.demo import DEMO_PLAYBOOKS
from heedful.core.playbooks.handlers import create_playbook, set_enabled
from heedful.core.preferences.handlers import (
    RecordPreference,
    record_preference,
    retract_preference,
)
from heedful.core.shared.clock import FrozenClock
from heedful.core.sla.calendar_days import set_opening_hours
from heedful.core.staff.handlers import (
    NewLocation,
    NewStaffMember,
    authenticate_staff,
    create_location,
    create_staff_member,
)
from heedful.core.unit_of_work import UnitOfWork

from .anticipation import play_anticipation
from .audits import play_audits
from .conversations import play_conversations
from .crowd import plan_crowd
from .data import HISTORY_SPAN, LOCATION_CODES, LOCATIONS, STAFF
from .failures import play_past_failures
from .feedback import play_feedback
from .names import Registry
from .plan import (
    CustomerPlan,
    GiveConsent,
    NotePreference,
    Receipts,
    RecordVisit,
    RetractPreference,
    Timeline,
)
from .promises import play_promises
from .stories import plan_stories
from .tonight import play_tonight


@dataclass(frozen=True)
class DemoLogin:
    login: str
    password: str
    role: str
    language: str
    note: str


def demo_logins() -> list[DemoLogin]:
    return [DemoLogin(s.login, s.password, s.role.value, s.language, s.note) for s in STAFF]


def is_loaded(container: Container) -> bool:
    """True once any location exists: the demo is only ever loaded into an empty database."""
    with container.uow() as uow:
        return bool(uow.locations.list())


def load_demo(
    container: Container,
    *,
    customers: int = 300,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
) -> list[DemoLogin]:
    """Create the demo's locations, staff and ``customers`` customers; return the staff logins.

    The named customers of the seeds' stories (see ``stories.py``) are always loaded and count
    towards ``customers``. The same seed and the same ``container.clock.now()`` give the same demo.
    ``progress`` is called once per customer loaded, with how many are loaded so far.

    Loading twice is safe: when the database already has locations nothing is written, and only
    the demo logins whose printed password still works are returned.
    """
    if is_loaded(container):
        return _existing_logins(container)
    now = container.clock.now()
    opened_at = now - HISTORY_SPAN
    clock = FrozenClock(opened_at)
    rng = random.Random(seed)
    tl, registry, receipts = Timeline(now), Registry(), Receipts()
    plans = plan_stories(rng, tl, registry, receipts)
    plans += plan_crowd(rng, max(customers - len(plans), 0), tl, registry, receipts)
    plans.sort(key=lambda plan: plan.created_at)

    uow = container.uow()
    with uow:
        locations = _open_locations(uow, clock)
        _hire_staff(uow, clock, locations)
        for done, plan in enumerate(plans, start=1):
            _play(plan, uow, clock, locations, now)
            if progress is not None:
                progress(done)
        play_promises(uow, clock, locations, now, seed)
        play_feedback(uow, clock, locations, now, seed, container.comment_reader)
        play_conversations(uow, clock, locations, now, container.settings.mail_domain)
        for source in DEMO_PLAYBOOKS:
            playbook = create_playbook(source, uow, clock, SYSTEM)
            set_enabled(playbook.id, True, uow, clock, SYSTEM)
        play_audits(uow, clock, locations, now)
        uow.commit()
    # Tomorrow's state arrives as events through the inbox and the engine, after the past is in.
    play_anticipation(container)
    # Last week's state, handled at its own moments: the failure map's declines, table, parcel.
    play_past_failures(container)
    # Tonight's book with its walk-in hold, and a parcel waiting at a pick-up point (ADR 0051).
    play_tonight(container)
    return demo_logins()


def _existing_logins(container: Container) -> list[DemoLogin]:
    # Only the logins whose demo password still works: never print a password that fails.
    return [
        login
        for login in demo_logins()
        if authenticate_staff(login.login, login.password, container.uow()) is not None
    ]


def _open_locations(uow: UnitOfWork, clock: FrozenClock) -> dict[str, str]:
    ids: dict[str, str] = {}
    for spec in LOCATIONS:
        location = create_location(
            NewLocation(
                spec.name,
                spec.kind,
                spec.city,
                spec.country,
                spec.time_zone,
                code=LOCATION_CODES[spec.key],
            ),
            uow,
            clock,
            SYSTEM,
        )
        if spec.opening_hours:
            set_opening_hours(location.id, spec.opening_hours, "", uow, clock, SYSTEM)
        ids[spec.key] = location.id
    return ids


def _hire_staff(uow: UnitOfWork, clock: FrozenClock, locations: dict[str, str]) -> None:
    for spec in STAFF:
        where = frozenset(locations[key] for key in spec.locations) or None
        create_staff_member(
            NewStaffMember(
                spec.login, spec.full_name, spec.role, spec.password, spec.language, where
            ),
            uow,
            clock,
            SYSTEM,
        )


def _play(
    plan: CustomerPlan,
    uow: UnitOfWork,
    clock: FrozenClock,
    locations: dict[str, str],
    now: datetime,
) -> None:
    """One customer's story, step by step, each at the moment it happened (never after ``now``)."""
    clock.set(min(plan.created_at, now))
    customer = create_customer(
        CreateCustomer(
            full_name=plan.full_name,
            language=plan.language,
            time_zone=plan.time_zone,
            segment=plan.segment,
            home_location_id=locations[plan.home],
            birthday=plan.birthday,
            identities=plan.identities,
        ),
        uow,
        clock,
        SYSTEM,
    )
    tagged: dict[str, str] = {}
    for at, step in plan.ordered_steps():
        clock.set(min(max(at, plan.created_at), now))
        if isinstance(step, GiveConsent):
            record_consent(
                RecordConsent(customer.id, step.channel, step.purpose, step.granted, step.how),
                uow,
                clock,
                SYSTEM,
            )
        elif isinstance(step, NotePreference):
            preference = record_preference(
                RecordPreference(
                    customer.id,
                    step.polarity,
                    step.subject,
                    step.category,
                    step.note,
                    step.source,
                    step.confidence,
                    locations[step.location],
                ),
                uow,
                clock,
                SYSTEM,
            )
            if step.tag:
                tagged[step.tag] = preference.id
        elif isinstance(step, RetractPreference):
            retract_preference(customer.id, tagged[step.tag], uow, clock, SYSTEM)
        elif isinstance(step, RecordVisit):
            record_history(
                RecordHistory(
                    customer.id,
                    step.kind,
                    step.occurred_at,
                    locations[step.location],
                    step.items,
                    step.amount_minor,
                    step.currency,
                    step.external_ref,
                    step.note,
                ),
                uow,
                clock,
                SYSTEM,
            )
