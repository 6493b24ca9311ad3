"""What the console's inbox and thread page read, shaped for them: names, timelines, counts.

The rules of who sees which thread stay in the use cases called here (``list_inbox``,
``get_thread``); this module only names people, merges messages and notes into one timeline and
counts what is about to breach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from heedful.core.access import Actor, Permission, scope_of
from heedful.core.calendar import calendar_for
from heedful.core.conversations.handlers import ThreadView, get_thread, list_inbox, list_teams
from heedful.core.conversations.model import Note, Team, Thread, ThreadMessage
from heedful.core.conversations.ports import InboxFilter
from heedful.core.sla import ClockKind, ClockState, SlaClock
from heedful.core.staff import StaffMember
from heedful.core.unit_of_work import UnitOfWork

PAGE = 50
# The nav badge counts the threads about to breach among the first this many of the inbox, which
# is sorted by what breaches first: those near breach are at its top. Past it, "99+".
BADGE_WINDOW = 100


@dataclass(frozen=True)
class InboxLine:
    thread: Thread
    customer_name: str
    assignee_name: str
    team_name: str

    @property
    def near_breach(self) -> bool:
        return self.thread.warned and not self.thread.breached


@dataclass(frozen=True)
class InboxPage:
    lines: list[InboxLine]
    next_cursor: str | None


@dataclass(frozen=True)
class Entry:
    """One line of a thread's timeline: a message either way, or an internal note."""

    at: datetime
    message: ThreadMessage | None = None
    note: Note | None = None


@dataclass(frozen=True)
class ThreadPageView:
    view: ThreadView
    customer_name: str
    timeline: list[Entry]
    staff: list[StaffMember]  # whom the thread may be assigned to: active staff at its location
    teams: list[Team]
    assignee_name: str
    team_name: str
    # Years whose public holidays the location's country has not published yet: a due time in
    # one of them may move when the government publishes its calendar.
    provisional_years: frozenset[int] = frozenset()

    def is_provisional(self, clock: SlaClock) -> bool:
        return clock.due_at is not None and clock.due_at.year in self.provisional_years

    @property
    def thread(self) -> Thread:
        return self.view.thread

    @property
    def clocks(self) -> list[SlaClock]:
        """First response, next response, resolution: the order a conversation meets them."""
        order = list(ClockKind)
        return sorted(self.view.clocks, key=lambda c: (order.index(c.kind), c.started_at))


def clock_is_warned(clock: SlaClock, now: datetime) -> bool:
    return clock.state is ClockState.RUNNING and clock.warn_at is not None and clock.warn_at <= now


def clock_is_late(clock: SlaClock, now: datetime) -> bool:
    """Breached, or running past its due time (the worker marks it a moment later)."""
    if clock.state is ClockState.BREACHED:
        return True
    return clock.state is ClockState.RUNNING and clock.due_at is not None and clock.due_at <= now


def _names(uow: UnitOfWork, actor: Actor, customer_ids: set[str]) -> dict[str, str]:
    """Names of the customers this actor may see; one outside their scope has none."""
    return {
        customer.id: customer.full_name
        for customer in uow.customer_names.of(sorted(customer_ids))
        if actor.may_see_customer_at(customer.location_ids)
    }


def inbox_page(
    uow: UnitOfWork, actor: Actor, where: InboxFilter, cursor: str | None, limit: int = PAGE
) -> InboxPage:
    found = list_inbox(uow, actor, where, limit=limit, cursor=cursor)
    with uow:
        customers = _names(uow, actor, {thread.customer_id for thread in found.items})
        staff = {member.id: member.full_name for member in uow.staff.list()}
        teams = {team.id: team.name for team in uow.teams.list()}
    lines = [
        InboxLine(
            thread=thread,
            customer_name=customers.get(thread.customer_id, ""),
            assignee_name=staff.get(thread.assignee_id or "", ""),
            team_name=teams.get(thread.team_id or "", ""),
        )
        for thread in found.items
    ]
    return InboxPage(lines=lines, next_cursor=found.next_cursor)


def near_breach_count(uow: UnitOfWork, actor: Actor) -> int:
    """Open threads at the actor's locations about to breach or past it (at most BADGE_WINDOW):
    a breached thread needs an answer even more than one that is only warned."""
    found = list_inbox(uow, actor, InboxFilter(), limit=BADGE_WINDOW, cursor=None)
    return sum(1 for thread in found.items if thread.warned or thread.breached)


def inbox_counts(uow: UnitOfWork, actor: Actor, views: dict[str, InboxFilter]) -> dict[str, int]:
    """How many threads each view of the inbox holds, within the actor's locations."""
    actor.require(Permission.ANSWER_CONVERSATIONS)
    location_ids = scope_of(actor).location_ids
    with uow:
        return {name: uow.threads.count(where, location_ids) for name, where in views.items()}


def my_teams(uow: UnitOfWork, actor: Actor) -> list[Team]:
    return [team for team in list_teams(uow, actor) if actor.id in team.member_ids]


def thread_page(thread_id: str, uow: UnitOfWork, actor: Actor) -> ThreadPageView:
    view = get_thread(thread_id, uow, actor)
    thread = view.thread
    timeline = [Entry(at=m.created_at, message=m) for m in view.messages]
    timeline += [Entry(at=n.created_at, note=n) for n in view.notes]
    # Stable: a note written in the same instant as a message comes after it.
    timeline.sort(key=lambda entry: (entry.at, entry.note is not None))
    teams = [t for t in list_teams(uow, actor) if t.location_id in (None, thread.location_id)]
    with uow:
        customer = _names(uow, actor, {thread.customer_id}).get(thread.customer_id, "")
        everyone = uow.staff.list()
        location = uow.locations.get(thread.location_id)
    years = {clock.due_at.year for clock in view.clocks if clock.due_at is not None}
    calendar = calendar_for(location) if location is not None else None
    provisional = frozenset(y for y in years if calendar is not None and calendar.is_provisional(y))
    staff = [
        member
        for member in everyone
        if member.active
        and (member.location_ids is None or thread.location_id in member.location_ids)
        and member.as_actor().may(Permission.ANSWER_CONVERSATIONS)  # only who may answer
    ]
    staff.sort(key=lambda member: (member.full_name.casefold(), member.id))
    names = {member.id: member.full_name for member in everyone}
    return ThreadPageView(
        view=view,
        customer_name=customer,
        timeline=timeline,
        staff=staff,
        teams=teams,
        assignee_name=names.get(thread.assignee_id or "", ""),
        team_name=next((t.name for t in teams if t.id == thread.team_id), ""),
        provisional_years=provisional,
    )
