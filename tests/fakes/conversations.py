"""Fakes for conversations and their SLA clocks: threads with their messages and notes, teams,
SLA policies, clocks, a location's dated hours, canned replies and customers' names.

They answer as ``adapters/storage/conversation_rows.py``, ``sla_rows.py``,
``canned_reply_rows.py`` and ``customer_name_rows.py`` do: the inbox by what breaches first
(threads with no running clock last), then by id, a keyset cursor; clocks due in a half-open
window, earliest first.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from fakes._base import FakeIntegrityError, Repository, copy, insert, overwrite
from heedful.core.calendar import DateOverride
from heedful.core.conversations.canned_replies import CannedReply
from heedful.core.conversations.customer_names import NamedCustomer
from heedful.core.conversations.model import Direction, Note, Team, Thread, ThreadMessage
from heedful.core.conversations.ports import InboxFilter, ThreadPage
from heedful.core.customers.model import query_words, search_terms
from heedful.core.customers.spelling import sound_key
from heedful.core.sla.model import ClockFact, ClockState, SlaClock, SlaPolicy

# Where a thread with no running clock sorts in the inbox, as the stored ``due_order`` does.
NOTHING_DUE = datetime(9999, 12, 31, tzinfo=UTC)


@dataclass
class ConversationState:
    threads: dict[str, Thread] = field(default_factory=dict)
    messages: dict[str, ThreadMessage] = field(default_factory=dict)
    last_message_sequence: int = 0
    notes: dict[str, Note] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    sla_policies: dict[str, SlaPolicy] = field(default_factory=dict)
    sla_clocks: dict[str, SlaClock] = field(default_factory=dict)
    calendar_days: dict[tuple[str, date], DateOverride] = field(default_factory=dict)
    canned_replies: dict[str, CannedReply] = field(default_factory=dict)


def _due_order(thread: Thread) -> datetime:
    return thread.next_due_at or NOTHING_DUE


def _cursor(due: datetime, thread_id: str) -> str:
    raw = f"{due.astimezone(UTC).isoformat()}|{thread_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _after(cursor: str) -> tuple[datetime, str]:
    due, _, thread_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
    return datetime.fromisoformat(due), thread_id


class FakeThreadRepository(Repository):
    def add(self, thread: Thread) -> None:
        insert(self._writing().talk.threads, thread.id, thread)

    def get(self, thread_id: str, *, for_change: bool = False) -> Thread | None:  # noqa: ARG002
        return copy(self._state.talk.threads.get(thread_id))

    def update(self, thread: Thread) -> None:
        overwrite(self._writing().talk.threads, thread.id, thread)

    def inbox(
        self,
        where: InboxFilter,
        location_ids: frozenset[str] | None,
        limit: int,
        cursor: str | None,
    ) -> ThreadPage:
        rows = self._found(where, location_ids)
        if cursor is not None:
            after = _after(cursor)
            rows = [t for t in rows if (_due_order(t), t.id) > after]
        rows.sort(key=lambda t: (_due_order(t), t.id))
        items = rows[:limit]
        more = len(rows) > limit
        next_cursor = _cursor(_due_order(items[-1]), items[-1].id) if more else None
        return ThreadPage(copy(items), next_cursor)

    def count(self, where: InboxFilter, location_ids: frozenset[str] | None) -> int:
        return len(self._found(where, location_ids))

    def _found(self, where: InboxFilter, location_ids: frozenset[str] | None) -> list[Thread]:
        return [
            t
            for t in self._state.talk.threads.values()
            if t.status in where.statuses
            and (location_ids is None or t.location_id in location_ids)
            and (where.location_id is None or t.location_id == where.location_id)
            and (where.assignee_id is None or t.assignee_id == where.assignee_id)
            and (not where.unassigned or t.assignee_id is None)
            and (where.team_id is None or t.team_id == where.team_id)
            and (where.channel is None or t.channel is where.channel)
            and (where.priority is None or t.priority is where.priority)
            and (where.customer_id is None or t.customer_id == where.customer_id)
            and self._says(t, where.text)
        ]

    def _says(self, thread: Thread, text: str | None) -> bool:
        """Every word is in the subject, or starts a word of the customer's name (as SQL)."""
        customer = self._state.customers.get(thread.customer_id)
        terms = search_terms(customer.full_name) if customer is not None else set()
        return all(
            word in thread.subject.lower()
            or any(t.startswith(p) for t in terms for p in (word, sound_key(word)) if p)
            for word in query_words(text or "")
        )

    def for_customer(self, customer_id: str, limit: int) -> list[Thread]:
        rows = [t for t in self._state.talk.threads.values() if t.customer_id == customer_id]
        return copy(sorted(rows, key=lambda t: t.updated_at, reverse=True)[:limit])

    def by_visitor_token(self, token: str) -> Thread | None:
        rows = self._state.talk.threads.values()
        return copy(next((t for t in rows if t.visitor_token == token), None))

    def add_message(self, message: ThreadMessage) -> None:
        talk = self._writing().talk
        talk.last_message_sequence += 1
        message.sequence = talk.last_message_sequence  # as the identity column gives it
        insert(talk.messages, message.id, message)

    def messages(self, thread_id: str, *, after: int = 0, limit: int = 500) -> list[ThreadMessage]:
        rows = [
            m
            for m in self._state.talk.messages.values()
            if m.thread_id == thread_id and m.sequence > after
        ]
        return copy(sorted(rows, key=lambda m: m.sequence)[:limit])

    def find_message(self, message_id: str) -> ThreadMessage | None:
        if not message_id:
            return None
        rows = self._state.talk.messages.values()
        return copy(next((m for m in rows if m.message_id == message_id), None))

    def thread_of_message_ids(self, message_ids: Sequence[str]) -> Thread | None:
        holders = {m.message_id: m.thread_id for m in self._state.talk.messages.values()}
        for message_id in message_ids:  # the likeliest first, as the caller ordered them
            if message_id and message_id in holders:
                return self.get(holders[message_id], for_change=True)
        return None

    def sent_messages(self, message_ids: Sequence[str]) -> list[ThreadMessage]:
        wanted = {mid for mid in message_ids if mid}
        rows = [
            m
            for m in self._state.talk.messages.values()
            if m.message_id in wanted and m.direction is Direction.OUT
        ]
        return copy(rows[:50])

    def add_note(self, note: Note) -> None:
        insert(self._writing().talk.notes, note.id, note)

    def notes(self, thread_id: str) -> list[Note]:
        rows = [n for n in self._state.talk.notes.values() if n.thread_id == thread_id]
        return copy(sorted(rows, key=lambda n: (n.created_at, n.id)))


class FakeTeamRepository(Repository):
    def add(self, team: Team) -> None:
        insert(self._writing().talk.teams, team.id, team)

    def get(self, team_id: str) -> Team | None:
        return copy(self._state.talk.teams.get(team_id))

    def update(self, team: Team) -> None:
        overwrite(self._writing().talk.teams, team.id, team)

    def list(self) -> list[Team]:
        return copy(sorted(self._state.talk.teams.values(), key=lambda t: (t.name, t.id)))


class FakeSlaPolicyRepository(Repository):
    def add(self, policy: SlaPolicy) -> None:
        insert(self._writing().talk.sla_policies, policy.id, policy)

    def get(self, policy_id: str) -> SlaPolicy | None:
        return copy(self._state.talk.sla_policies.get(policy_id))

    def update(self, policy: SlaPolicy) -> None:
        overwrite(self._writing().talk.sla_policies, policy.id, policy)

    def list(self, *, active_only: bool = False) -> list[SlaPolicy]:
        rows = [p for p in self._state.talk.sla_policies.values() if p.active or not active_only]
        return copy(sorted(rows, key=lambda p: (p.name, p.id)))


class FakeSlaClockRepository(Repository):
    def add(self, clock: SlaClock) -> None:
        insert(self._writing().talk.sla_clocks, clock.id, clock)

    def get(self, clock_id: str, *, for_change: bool = False) -> SlaClock | None:  # noqa: ARG002
        return copy(self._state.talk.sla_clocks.get(clock_id))

    def update(self, clock: SlaClock) -> None:
        overwrite(self._writing().talk.sla_clocks, clock.id, clock)

    def for_thread(self, thread_id: str) -> list[SlaClock]:
        rows = [c for c in self._state.talk.sla_clocks.values() if c.thread_id == thread_id]
        return copy(sorted(rows, key=lambda c: (c.started_at, c.id)))

    def counting_for_policy(self, policy_id: str) -> list[SlaClock]:
        rows = self._state.talk.sla_clocks.values()
        return copy([c for c in rows if c.policy_id == policy_id and c.state.is_counting])

    def counting_at_location(self, location_id: str) -> list[SlaClock]:
        rows = self._state.talk.sla_clocks.values()
        return copy([c for c in rows if c.location_id == location_id and c.state.is_counting])

    def due_between(self, since: datetime, until: datetime, limit: int) -> list[SlaClock]:
        rows = [
            c
            for c in self._state.talk.sla_clocks.values()
            if c.state is ClockState.RUNNING and c.due_at is not None and since <= c.due_at < until
        ]
        return copy(sorted(rows, key=lambda c: c.due_at or since)[:limit])

    def ended_between(
        self, since: datetime, until: datetime, location_ids: frozenset[str] | None
    ) -> list[ClockFact]:
        facts: list[ClockFact] = []
        for clock in self._state.talk.sla_clocks.values():
            thread = self._state.talk.threads.get(clock.thread_id)
            if thread is None or clock.state not in (ClockState.MET, ClockState.BREACHED):
                continue
            if not since <= clock.started_at < until:
                continue
            if location_ids is not None and clock.location_id not in location_ids:
                continue
            facts.append(
                ClockFact(
                    kind=clock.kind,
                    channel=thread.channel,
                    priority=thread.priority,
                    location_id=clock.location_id,
                    team_id=thread.team_id,
                    assignee_id=thread.assignee_id,
                    started_at=clock.started_at,
                    met_at=clock.met_at,
                    spent=clock.spent,
                    breached=clock.breached_at is not None,
                    breached_at=clock.breached_at,
                )
            )
        return facts


class FakeCalendarDays(Repository):
    def for_location(self, location_id: str) -> list[DateOverride]:
        rows = [o for (loc, _), o in self._state.talk.calendar_days.items() if loc == location_id]
        return sorted(rows, key=lambda o: o.day)

    def put(self, location_id: str, override: DateOverride) -> None:
        self._writing().talk.calendar_days[(location_id, override.day)] = override

    def remove(self, location_id: str, day: date) -> bool:
        return self._writing().talk.calendar_days.pop((location_id, day), None) is not None


class FakeCannedReplies(Repository):
    def add(self, reply: CannedReply) -> None:
        insert(self._writing().talk.canned_replies, reply.id, reply)

    def get(self, reply_id: str) -> CannedReply | None:
        return copy(self._state.talk.canned_replies.get(reply_id))

    def update(self, reply: CannedReply) -> None:
        overwrite(self._writing().talk.canned_replies, reply.id, reply)

    def list(self, *, active_only: bool = True) -> list[CannedReply]:
        rows = [r for r in self._state.talk.canned_replies.values() if r.active or not active_only]
        return copy(sorted(rows, key=lambda r: (r.title, r.id)))


class FakeCustomerNames(Repository):
    def of(self, customer_ids: Sequence[str]) -> list[NamedCustomer]:
        found = []
        for customer_id in dict.fromkeys(customer_ids):
            customer = self._state.customers.get(customer_id)
            if customer is not None:
                found.append(
                    NamedCustomer(customer.id, customer.full_name, frozenset(customer.location_ids))
                )
        return found


__all__ = ["FakeIntegrityError"]
