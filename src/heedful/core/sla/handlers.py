"""SLA policy use cases: managers write them; a change re-targets the clocks already counting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from heedful.core.access import Actor, Permission
from heedful.core.calendar import BusinessCalendar, Calendars
from heedful.core.customers import audit
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import NotFound
from heedful.core.shared.ids import new_id
from heedful.core.sla.clocks import ThreadClocks
from heedful.core.sla.kinds import Channel, Priority
from heedful.core.sla.model import SlaPolicy
from heedful.core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PolicyIn:
    name: str
    channel: Channel | None = None
    priority: Priority | None = None
    segment: str | None = None
    first_response_minutes: int | None = None
    next_response_minutes: int | None = None
    resolution_minutes: int | None = None
    warning_minutes: int = 30
    active: bool = True


def _policy(policy_id: str, cmd: PolicyIn, created_at: datetime, now: datetime) -> SlaPolicy:
    return SlaPolicy(
        id=policy_id,
        name=" ".join(cmd.name.split()),
        created_at=created_at,
        updated_at=now,
        channel=cmd.channel,
        priority=cmd.priority,
        segment=(cmd.segment or "").strip() or None,
        first_response_minutes=cmd.first_response_minutes,
        next_response_minutes=cmd.next_response_minutes,
        resolution_minutes=cmd.resolution_minutes,
        warning_minutes=cmd.warning_minutes,
        active=cmd.active,
    )


def create_policy(cmd: PolicyIn, uow: UnitOfWork, clock: Clock, actor: Actor) -> SlaPolicy:
    actor.require(Permission.MANAGE_SLA)
    now = clock.now()
    policy = _policy(new_id("sla_"), cmd, now, now)
    with uow:
        uow.sla_policies.add(policy)
        _audit(uow, actor, now, "sla_policy.created", policy)
        uow.commit()
    # Threads already open keep the clocks they have; the new policy applies to what comes.
    return policy


def update_policy(
    policy_id: str, cmd: PolicyIn, uow: UnitOfWork, clock: Clock, actor: Actor
) -> SlaPolicy:
    actor.require(Permission.MANAGE_SLA)
    now = clock.now()
    with uow:
        old = _get(uow, policy_id)
        policy = _policy(old.id, cmd, old.created_at, now)
        uow.sla_policies.update(policy)
        _retarget_counting_clocks(uow, policy_id, now)
        _audit(uow, actor, now, "sla_policy.changed", policy)
        uow.commit()
    return policy


def deactivate_policy(policy_id: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> SlaPolicy:
    actor.require(Permission.MANAGE_SLA)
    now = clock.now()
    with uow:
        policy = _get(uow, policy_id)
        policy.active, policy.updated_at = False, now
        uow.sla_policies.update(policy)
        # Clocks already counting keep this policy's targets (or the next fitting one's): a
        # promise made to a customer is not withdrawn by a change of rules.
        _retarget_counting_clocks(uow, policy_id, now)
        _audit(uow, actor, now, "sla_policy.deactivated", policy)
        uow.commit()
    return policy


def list_policies(uow: UnitOfWork, actor: Actor) -> list[SlaPolicy]:
    actor.require(Permission.ANSWER_CONVERSATIONS)
    with uow:
        return uow.sla_policies.list()


def get_policy(policy_id: str, uow: UnitOfWork, actor: Actor) -> SlaPolicy:
    actor.require(Permission.ANSWER_CONVERSATIONS)
    with uow:
        return _get(uow, policy_id)


def location_hours_changed(
    uow: UnitOfWork, location_id: str, old_calendar: BusinessCalendar, now: datetime
) -> int:
    """After a location's hours change (in the same unit of work, the new hours stored): the
    clocks counting there keep what they spent in the old hours and count the rest in the new."""
    calendars = Calendars(uow)
    thread_ids = sorted({c.thread_id for c in uow.sla_clocks.counting_at_location(location_id)})
    for thread_id in thread_ids:
        thread = uow.threads.get(thread_id, for_change=True)
        if thread is not None:
            ThreadClocks(uow, thread, calendars).hours_changed(old_calendar, now)
    return len(thread_ids)


def _get(uow: UnitOfWork, policy_id: str) -> SlaPolicy:
    policy = uow.sla_policies.get(policy_id)
    if policy is None:
        raise NotFound(f"no SLA policy {policy_id}")
    return policy


def _retarget_counting_clocks(uow: UnitOfWork, policy_id: str, now: datetime) -> None:
    calendars = Calendars(uow)
    thread_ids = sorted({c.thread_id for c in uow.sla_clocks.counting_for_policy(policy_id)})
    for thread_id in thread_ids:
        thread = uow.threads.get(thread_id, for_change=True)
        if thread is not None:
            ThreadClocks(uow, thread, calendars).retarget(now)


def _audit(uow: UnitOfWork, actor: Actor, now: datetime, action: str, policy: SlaPolicy) -> None:
    audit(
        uow,
        actor,
        now,
        action,
        customer_id=None,
        entity="sla_policy",
        entity_id=policy.id,
        after={
            "name": policy.name,
            "channel": policy.channel.value if policy.channel else None,
            "priority": policy.priority.value if policy.priority else None,
            "first_response_minutes": policy.first_response_minutes,
            "next_response_minutes": policy.next_response_minutes,
            "resolution_minutes": policy.resolution_minutes,
            "active": policy.active,
        },
    )
