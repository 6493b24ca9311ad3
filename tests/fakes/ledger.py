"""Fakes for the promise ledger's storage: promises, timers, tasks, stock, outbox, dead letters,
playbooks. Each keeps rows and answers as ``adapters/storage/*_rows.py`` does: the same filters,
the same order, the same unique keys; what is due is what the SQL would find due.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from fakes._base import FakeIntegrityError, Repository, copy, insert, overwrite
from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.playbooks.liking import Asked, Liked, Member
from heedful.core.playbooks.model import Firing, Playbook, PlaybookVersion
from heedful.core.preferences.model import Category, Polarity
from heedful.core.promises.model import Promise, PromiseKind, PromiseState, WantedItem
from heedful.core.promises.ports import KeepTime, Outcome, OutcomeCount, PromiseFilter
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.tasks.model import Task

StockKey = tuple[str, str, str, str]


@dataclass
class LedgerState:
    promises: dict[str, Promise] = field(default_factory=dict)
    last_promise_sequence: int = 0
    timers: dict[str, Timer] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    stock: dict[StockKey, int] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    dead_letters: dict[tuple[LetterKind, str], DeadLetter] = field(default_factory=dict)
    playbooks: dict[str, Playbook] = field(default_factory=dict)
    playbook_versions: dict[tuple[str, int], PlaybookVersion] = field(default_factory=dict)
    firings: dict[tuple[str, str, str], Firing] = field(default_factory=dict)


class FakePromiseRepository(Repository):
    def add(self, promise: Promise) -> None:
        ledger = self._writing().ledger
        ledger.last_promise_sequence += 1
        promise.sequence = ledger.last_promise_sequence  # as the identity column gives it
        insert(ledger.promises, promise.id, promise)

    def add_many(self, added: Sequence[Promise]) -> None:
        for promise in added:
            self.add(promise)

    def get(self, promise_id: str, *, for_change: bool = False) -> Promise | None:  # noqa: ARG002
        return copy(self._state.ledger.promises.get(promise_id))

    def get_many(self, promise_ids: Sequence[str], *, for_change: bool = False) -> list[Promise]:  # noqa: ARG002
        found = (self._state.ledger.promises.get(promise_id) for promise_id in sorted(promise_ids))
        return [copy(promise) for promise in found if promise is not None]

    def update(self, promise: Promise) -> None:
        overwrite(self._writing().ledger.promises, promise.id, promise)

    def update_many(self, updated: Sequence[Promise]) -> None:
        for promise in updated:
            self.update(promise)

    def update_evidence_and_state(self, updated: Sequence[Promise]) -> None:
        # Only the columns the database's statement writes: the rest stays as stored.
        promises = self._writing().ledger.promises
        for promise in updated:
            stored = promises.get(promise.id)
            if stored is not None:
                stored = replace(stored, state=promise.state, closed_at=promise.closed_at,
                                 closed_by_label=promise.closed_by_label,
                                 evidence=list(promise.evidence))  # fmt: skip
            overwrite(promises, promise.id, stored or promise)  # a missing row: refused

    def update_notices(self, told: Sequence[Promise]) -> None:
        # Only the two columns the database's statement writes: the rest stays as stored.
        promises = self._writing().ledger.promises
        for promise in told:
            stored = promises.get(promise.id)
            if stored is not None:
                stored = replace(stored, notice_message_id=promise.notice_message_id,
                                 evidence=list(promise.evidence))  # fmt: skip
            overwrite(promises, promise.id, stored or promise)  # a missing row: refused

    def find(self, where: PromiseFilter, limit: int) -> list[Promise]:
        """Newest first; with ``due_before``, earliest deadline first (none has no deadline)."""
        rows = [
            p
            for p in self._state.ledger.promises.values()
            if (where.customer_id is None or p.customer_id == where.customer_id)
            and (where.location_ids is None or p.location_id in where.location_ids)
            and (where.states is None or p.state in where.states)
            and (where.kinds is None or p.kind in where.kinds)
            and (
                where.item_products is None
                or (p.item is not None and p.item.product in where.item_products)
            )
            and (
                where.due_before is None or (p.due_at is not None and p.due_at <= where.due_before)
            )
        ]
        if where.due_before is not None:
            rows.sort(key=lambda p: (p.due_at or where.due_before or p.made_at, p.sequence))
        else:
            rows.sort(key=lambda p: p.sequence, reverse=True)
        return copy(rows[:limit])

    def waiting_in(self, lines: Mapping[tuple[str, str], int]) -> list[Promise]:
        asked = set(lines)
        rows = sorted(
            (
                p
                for p in self._state.ledger.promises.values()
                if self._still_waiting(p)
                and p.item is not None
                and (p.item.product, p.item.location_id) in asked
            ),
            key=lambda p: p.sequence,
        )
        places: dict[tuple[str, str], int] = {}
        found = []
        for p in rows:
            assert p.item is not None
            line = (p.item.product, p.item.location_id)
            places[line] = places.get(line, 0) + 1
            if places[line] <= lines[line]:
                found.append(p)
        return copy(found)

    def claim_waiting(self, promise_ids: Sequence[str]) -> set[str]:
        ledger = self._state.ledger.promises
        return {i for i in promise_ids if i in ledger and self._still_waiting(ledger[i])}

    @staticmethod
    def _still_waiting(p: Promise) -> bool:
        return (
            p.kind is PromiseKind.TELL_WHEN_AVAILABLE
            and p.state is PromiseState.OPEN
            and p.notice_message_id is None
        )

    def waiting_for(self, item: WantedItem, limit: int) -> list[Promise]:
        rows = [
            p
            for p in self._state.ledger.promises.values()
            if p.kind is PromiseKind.TELL_WHEN_AVAILABLE
            and p.state is PromiseState.OPEN
            and p.notice_message_id is None
            and p.item is not None
            and p.item.product == item.product
            and p.item.location_id == item.location_id
            and p.item.variant in ("", item.variant)
            and p.item.size in ("", item.size)
        ]
        rows.sort(key=lambda p: p.sequence)
        return copy(rows[:limit])

    def keep_times(
        self,
        since: datetime,
        until: datetime,
        location_ids: frozenset[str] | None,
        limit: int,
    ) -> list[KeepTime]:
        kept = (PromiseState.KEPT, PromiseState.KEPT_LATE)
        found = sorted(
            (
                p
                for p in self._state.ledger.promises.values()
                if since <= p.made_at < until
                and p.state in kept
                and p.closed_at is not None
                and (location_ids is None or p.location_id in location_ids)
            ),
            key=lambda p: p.made_at,
        )[:limit]
        return [
            KeepTime(
                p.kind.value,
                p.location_id,
                p.made_by,
                max(0.0, (p.closed_at - p.made_at).total_seconds()) if p.closed_at else 0.0,
            )
            for p in found
        ]

    def count_outcomes(
        self,
        week_starts: Sequence[datetime],
        until: datetime,
        now: datetime,
        location_ids: frozenset[str] | None,
    ) -> list[OutcomeCount]:
        counts: dict[tuple[str, str, str, Outcome, int], list[str]] = {}
        for p in self._state.ledger.promises.values():
            if not week_starts[0] <= p.made_at < until:
                continue
            if location_ids is not None and p.location_id not in location_ids:
                continue
            if p.state is PromiseState.OPEN:
                overdue = p.due_at is not None and p.due_at < now
                outcome = Outcome.OVERDUE if overdue else Outcome.WAITING
            else:
                outcome = Outcome(p.state.value)
            week = max(i for i, start in enumerate(week_starts) if start <= p.made_at)
            key = (p.kind.value, p.location_id, p.made_by, outcome, week)
            counts.setdefault(key, []).append(p.made_by_label)
        return [
            OutcomeCount(kind, location, by, max(labels), outcome, week, len(labels))
            for (kind, location, by, outcome, week), labels in counts.items()
        ]


class FakeTimerRepository(Repository):
    """A timer row exists while pending; firing removes it."""

    def set(self, timer: Timer) -> None:
        insert(self._writing().ledger.timers, timer.id, timer)

    def set_many(self, timers: Sequence[Timer]) -> None:
        for timer in timers:
            self.set(timer)

    def due(self, now: datetime, limit: int) -> list[Timer]:
        rows = [t for t in self._state.ledger.timers.values() if t.due_at <= now]
        return sorted(rows, key=lambda t: t.due_at)[:limit]

    def remove(self, timer_id: str) -> None:
        self._writing().ledger.timers.pop(timer_id, None)

    def cancel_many(self, subject_ids: Sequence[str]) -> int:
        return sum(self.cancel(subject_id) for subject_id in subject_ids)

    def cancel(self, subject_id: str, kinds: Sequence[TimerKind] = ()) -> int:
        timers = self._writing().ledger.timers
        gone = [
            t.id
            for t in timers.values()
            if t.subject_id == subject_id and (not kinds or t.kind in kinds)
        ]
        for timer_id in gone:
            del timers[timer_id]
        return len(gone)

    def postpone(self, timer_id: str, due_at: datetime) -> None:
        timers = self._writing().ledger.timers
        if timer_id in timers:
            timers[timer_id] = replace(timers[timer_id], due_at=due_at)


class FakeTaskRepository(Repository):
    def add(self, task: Task) -> None:
        insert(self._writing().ledger.tasks, task.id, task)

    def add_many(self, added: Sequence[Task]) -> None:
        for task in added:
            self.add(task)

    def get(self, task_id: str) -> Task | None:
        return copy(self._state.ledger.tasks.get(task_id))

    def update(self, task: Task) -> None:
        overwrite(self._writing().ledger.tasks, task.id, task)

    def open_for(
        self, *, assignee_id: str | None, location_ids: frozenset[str] | None, limit: int
    ) -> list[Task]:
        """Open tasks, earliest deadline first, those without one last; a person's own and
        the unassigned ones of her locations."""
        rows = [
            t
            for t in self._state.ledger.tasks.values()
            if t.done_at is None
            and (location_ids is None or t.location_id in location_ids)
            and (assignee_id is None or t.assignee_id in (assignee_id, None))
        ]
        rows.sort(key=lambda t: (t.due_at is None, t.due_at or t.created_at, t.created_at))
        return copy(rows[:limit])

    def list_for_customer(self, customer_id: str, limit: int) -> list[Task]:
        rows = [t for t in self._state.ledger.tasks.values() if t.customer_id == customer_id]
        rows.sort(key=lambda t: t.created_at, reverse=True)
        return copy(rows[:limit])

    def done_since(
        self, *, since: datetime, location_ids: frozenset[str] | None, limit: int
    ) -> list[Task]:
        rows = [
            t
            for t in self._state.ledger.tasks.values()
            if t.done_at is not None
            and t.done_at >= since
            and (location_ids is None or t.location_id in location_ids)
        ]
        rows.sort(key=lambda t: (t.done_at, t.id), reverse=True)
        return copy(rows[:limit])

    def open_for_promises(self, promise_ids: Sequence[str]) -> list[Task]:
        return [task for promise_id in promise_ids for task in self.open_for_promise(promise_id)]

    def ended_promises_with_open_tasks(self, limit: int) -> list[str]:
        promises = self._state.ledger.promises
        ended = {
            t.promise_id
            for t in self._state.ledger.tasks.values()
            if t.done_at is None and t.promise_id in promises and not promises[t.promise_id].is_open
        }
        return sorted(ended)[:limit]

    def open_for_promise(self, promise_id: str) -> list[Task]:
        rows = self._state.ledger.tasks.values()
        return copy([t for t in rows if t.promise_id == promise_id and t.done_at is None])


def _stock_key(item: WantedItem) -> StockKey:
    return (item.product, item.location_id, item.variant, item.size)


class FakeStockLevels(Repository):
    def get(self, item: WantedItem) -> int | None:
        return self._state.ledger.stock.get(_stock_key(item))

    def lock(self, items: Sequence[WantedItem]) -> None:
        pass  # locking is the database's

    def set(self, item: WantedItem, quantity: int, at: datetime) -> int | None:  # noqa: ARG002
        stock = self._writing().ledger.stock
        before = stock.get(_stock_key(item))
        stock[_stock_key(item)] = quantity
        return before

    def get_many(self, items: Sequence[WantedItem]) -> dict[WantedItem, int]:
        stock = self._state.ledger.stock
        return {item: stock[_stock_key(item)] for item in items if _stock_key(item) in stock}

    def put_many(self, levels: Sequence[tuple[WantedItem, int, datetime]], *, new: bool) -> None:
        stock = self._writing().ledger.stock
        for item, quantity, _at in levels:
            if (_stock_key(item) in stock) is new:
                raise FakeIntegrityError("stock_levels: the level exists" if new else "no level")
            stock[_stock_key(item)] = quantity


class FakeOutbox(Repository):
    def add(self, message: Message) -> None:
        insert(self._writing().ledger.messages, message.id, message)

    def add_many(self, added: Sequence[Message]) -> None:
        for message in added:
            self.add(message)

    def get(self, message_id: str) -> Message | None:
        return copy(self._state.ledger.messages.get(message_id))

    def update(self, message: Message) -> None:
        overwrite(self._writing().ledger.messages, message.id, message)

    def update_many(self, updated: Sequence[Message]) -> None:
        for message in updated:
            self.update(message)

    def ready(self, now: datetime, limit: int) -> list[Message]:
        """Waiting messages (queued, held, retrying) whose time has come, oldest first."""
        rows = [
            m
            for m in self._state.ledger.messages.values()
            if m.status.is_waiting and m.ready_at <= now
        ]
        return copy(sorted(rows, key=lambda m: m.ready_at)[:limit])

    def claim(self, message_id: str, now: datetime) -> Message | None:
        message = self._state.ledger.messages.get(message_id)
        if message is None or not message.status.is_waiting or message.ready_at > now:
            return None
        return copy(message)

    def list_for_customer(self, customer_id: str, limit: int) -> list[Message]:
        rows = [m for m in self._state.ledger.messages.values() if m.customer_id == customer_id]
        rows.sort(key=lambda m: m.id)
        rows.sort(key=lambda m: m.created_at, reverse=True)
        return copy(rows[:limit])

    def list_by_status(self, statuses: frozenset[MessageStatus], limit: int) -> list[Message]:
        rows = [m for m in self._state.ledger.messages.values() if m.status in statuses]
        return copy(sorted(rows, key=lambda m: m.created_at, reverse=True)[:limit])

    def sent_count(self, customer_id: str, purpose: str, since: datetime) -> int:
        return sum(
            1
            for m in self._state.ledger.messages.values()
            if m.customer_id == customer_id
            and m.purpose == purpose
            and m.status is MessageStatus.SENT
            and m.sent_at is not None
            and m.sent_at >= since
        )


class FakeDeadLetters(Repository):
    """One letter per (kind, ref); a discarded letter outlives ``forget``."""

    def get(self, kind: LetterKind, ref: str) -> DeadLetter | None:
        return copy(self._state.ledger.dead_letters.get((kind, ref)))

    def save(self, letter: DeadLetter) -> None:
        self._writing().ledger.dead_letters[(letter.kind, letter.ref)] = copy(letter)

    def forget(self, kind: LetterKind, refs: Sequence[str]) -> None:
        if not refs:
            return
        letters = self._writing().ledger.dead_letters
        for ref in refs:
            letter = letters.get((kind, ref))
            if letter is not None and letter.state is not LetterState.DISCARDED:
                del letters[(kind, ref)]

    def list(
        self, kind: LetterKind | None, states: frozenset[LetterState], limit: int
    ) -> list[DeadLetter]:
        rows = [
            letter
            for letter in self._state.ledger.dead_letters.values()
            if letter.state in states and (kind is None or letter.kind is kind)
        ]
        rows.sort(key=lambda letter: (letter.kind.value, letter.ref))
        rows.sort(key=lambda letter: letter.last_failed_at, reverse=True)
        return copy(rows[:limit])

    def count_dead(self) -> dict[LetterKind, int]:
        counts = dict.fromkeys(LetterKind, 0)
        for letter in self._state.ledger.dead_letters.values():
            if letter.state is LetterState.DEAD:
                counts[letter.kind] += 1
        return counts

    def purge_discarded(self, closed_before: datetime) -> dict[LetterKind, tuple[str, ...]]:
        letters = self._writing().ledger.dead_letters
        refs: dict[LetterKind, tuple[str, ...]] = {}
        for (kind, ref), letter in list(letters.items()):
            closed = letter.closed_at
            if (
                letter.state is LetterState.DISCARDED
                and closed is not None
                and closed < closed_before
            ):
                refs[kind] = (*refs.get(kind, ()), ref)
                del letters[(kind, ref)]
        return refs


class FakePlaybookRepository(Repository):
    def add(self, playbook: Playbook, version: PlaybookVersion) -> None:
        ledger = self._writing().ledger
        insert(ledger.playbooks, playbook.id, playbook)
        ledger.playbook_versions[(version.playbook_id, version.version)] = copy(version)

    def add_version(self, playbook: Playbook, version: PlaybookVersion) -> None:
        ledger = self._writing().ledger
        key = (version.playbook_id, version.version)
        if key in ledger.playbook_versions:
            raise FakeIntegrityError(f"version {version.version} of {playbook.id} exists")
        ledger.playbook_versions[key] = copy(version)
        overwrite(ledger.playbooks, playbook.id, playbook)

    def update(self, playbook: Playbook) -> None:
        playbooks = self._writing().ledger.playbooks
        stored = playbooks.get(playbook.id)
        if stored is None:
            raise FakeIntegrityError(f"update of a missing row {playbook.id}")
        playbooks[playbook.id] = replace(stored, enabled=playbook.enabled)

    def get(self, playbook_id: str) -> Playbook | None:
        return copy(self._state.ledger.playbooks.get(playbook_id))

    def every(self) -> list[Playbook]:
        rows = sorted(self._state.ledger.playbooks.values(), key=lambda p: (p.name, p.id))
        return copy(rows)

    def enabled(self) -> list[Playbook]:
        rows = [p for p in self._state.ledger.playbooks.values() if p.enabled]
        return copy(sorted(rows, key=lambda p: p.created_at))

    def versions(self, playbook_id: str) -> list[PlaybookVersion]:
        rows = [
            v for (pid, _), v in self._state.ledger.playbook_versions.items() if pid == playbook_id
        ]
        return copy(sorted(rows, key=lambda v: v.version, reverse=True))

    def version(self, playbook_id: str, number: int) -> PlaybookVersion | None:
        return copy(self._state.ledger.playbook_versions.get((playbook_id, number)))

    def claim(self, firing: Firing) -> bool:
        key = (firing.playbook_id, firing.customer_id, firing.once_key)
        if key in self._state.ledger.firings:
            return False  # the unique key decides, as ON CONFLICT DO NOTHING does
        self._writing().ledger.firings[key] = copy(firing)
        return True

    def claim_many(self, wanted: Sequence[Firing]) -> set[str]:
        return {firing.id for firing in wanted if self.claim(firing)}

    def take_firing_turn(self) -> None:
        pass  # one thread at a time in memory

    def firings(self, playbook_id: str, limit: int) -> list[Firing]:
        rows = [f for f in self._state.ledger.firings.values() if f.playbook_id == playbook_id]
        return copy(sorted(rows, key=lambda f: f.fired_at, reverse=True)[:limit])

    def taken(self, playbook_id: str, keys: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
        stored = self._state.ledger.firings
        return {(customer, key) for customer, key in keys if (playbook_id, customer, key) in stored}

    def customers_with_history_at(
        self, location_id: str, since: datetime, after: str | None, limit: int
    ) -> list[str]:
        latest: dict[str, datetime] = {}
        for entry in self._state.history.values():
            if entry.location_id == location_id and entry.occurred_at >= since:
                latest[entry.customer_id] = max(
                    entry.occurred_at, latest.get(entry.customer_id, since)
                )
        ordered = sorted(latest, key=lambda c: (-latest[c].timestamp(), c))
        start = ordered.index(after) + 1 if after in latest else 0
        return ordered[start : start + limit]

    def members_liking(
        self,
        audience: Asked,
        checks: Sequence[Asked],
        after: str | None,
        limit: int,
        once: tuple[str, str] | None = None,
    ) -> list[Member]:
        # The store's rough folding (SQLite's ASCII lower()) is not faked: casefold throughout.
        ids = self.customers_with_preference(
            audience.polarity, audience.category, audience.subject or "", after, limit
        )
        members = []
        for i in ids:
            newest = self._newest(i, audience)
            if newest is None:
                continue
            held = tuple(self._newest(i, asked) for asked in checks)
            fired = once is not None and bool(self.taken(once[0], [(i, once[1])]))
            kept = all(h is not None for h in held) and not fired
            customer = copy(self._state.customers.get(i)) if kept else None
            members.append(Member(i, newest, held, customer))
        return members

    def _newest(self, customer_id: str, asked: Asked) -> Liked | None:
        held = sorted(
            (
                p
                for p in self._state.preferences.values()
                if p.customer_id == customer_id
                and p.retracted_at is None
                and p.polarity is asked.polarity
                and (asked.category is None or p.category is asked.category)
                and (asked.subject is None or p.subject.casefold() == asked.subject.casefold())
            ),
            key=lambda p: p.id,
        )
        held.sort(key=lambda p: p.recorded_at, reverse=True)
        return Liked(held[0].polarity, held[0].category, held[0].subject) if held else None

    def customers_with_preference(
        self,
        polarity: Polarity,
        category: Category | None,
        subject: str,
        after: str | None,
        limit: int,
    ) -> list[str]:
        found = sorted(
            {
                p.customer_id
                for p in self._state.preferences.values()
                if p.retracted_at is None
                and p.polarity is polarity
                and (category is None or p.category is category)
                and p.subject.casefold() == subject.casefold()
                and (after is None or p.customer_id > after)
            }
        )
        return found[:limit]
