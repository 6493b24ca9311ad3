"""Operators' use cases: see what was set aside, put it back in its queue, or close it.

Only admins: a dead letter can be any location's event, message, timer or job, and putting one
back acts for the whole installation. Both actions are audited.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from heedful.core.access import Actor, Permission
from heedful.core.customers import audit
from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, NotFound
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.unit_of_work import UnitOfWork

OPEN_STATES = frozenset({LetterState.DEAD, LetterState.RETRYING})

# retry_dead_letter or discard_dead_letter: what the entry points' two buttons differ by.
LetterAction = Callable[[LetterKind, str, UnitOfWork, Clock, Actor], DeadLetter]


def list_dead_letters(
    uow: UnitOfWork,
    actor: Actor,
    kind: LetterKind | None = None,
    states: frozenset[LetterState] = frozenset({LetterState.DEAD}),
    limit: int = 100,
) -> list[DeadLetter]:
    """Newest failure first; by default only what waits for an operator."""
    actor.require(Permission.MANAGE_DEAD_LETTERS)
    with uow:
        return uow.dead_letters.list(kind, states, limit)


def _dead(uow: UnitOfWork, kind: LetterKind, ref: str) -> DeadLetter:
    letter = uow.dead_letters.get(kind, ref)
    if letter is None:
        raise NotFound(f"no dead letter {kind.value}/{ref}")
    if letter.state is not LetterState.DEAD:
        raise Conflict(
            f"only a dead letter can be retried or discarded; this one is {letter.state.value}",
            field="state",
        )
    return letter


def retry_dead_letter(
    kind: LetterKind, ref: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> DeadLetter:
    """Put the record back in its queue, due now, its tries counted from zero again."""
    actor.require(Permission.MANAGE_DEAD_LETTERS)
    now = clock.now()
    with uow:
        letter = _dead(uow, kind, ref)
        _put_back(uow, letter, now)
        # Forgotten: if it fails again it starts a fresh count, as if it were new.
        letter.state, letter.attempts, letter.next_try_at = LetterState.RETRYING, 0, now
        uow.dead_letters.forget(kind, [ref])
        _audit(uow, actor, now, "dead_letter.retried", letter)
        uow.commit()
    return letter


def _put_back(uow: UnitOfWork, letter: DeadLetter, now: datetime) -> None:
    try:
        _put_back_readable(uow, letter, now)
    except (KeyError, TypeError, ValueError) as error:
        # A record another version of Heedful wrote (a timer kind, a purpose this one does not
        # know): putting it back would only set it aside again. After an upgrade it works.
        raise Conflict(
            f"this version of Heedful cannot read {letter.kind.value} {letter.ref} ({error}); "
            "discard it, or retry after upgrading",
            said=Phrase("refusal.unreadable_record"),
            field="ref",
        ) from error


def _put_back_readable(uow: UnitOfWork, letter: DeadLetter, now: datetime) -> None:
    if letter.kind is LetterKind.EVENT:
        if not uow.events.put_back(int(letter.ref), now):
            raise NotFound(f"no event {letter.ref}")
    elif letter.kind is LetterKind.MESSAGE:
        message = uow.outbox.get(letter.ref)
        if message is None:
            raise NotFound(f"no message {letter.ref}")
        if message.is_dead:
            message.requeue(now)
            uow.outbox.update(message)
    elif letter.kind is LetterKind.TIMER:
        payload = letter.payload
        uow.timers.set(
            Timer(letter.ref, TimerKind(str(payload["kind"])), str(payload["subject_id"]), now)
        )
    # A job needs nothing more: with its letter gone, its next claim runs it.


def discard_dead_letter(
    kind: LetterKind, ref: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> DeadLetter:
    """Close it for good: the record stays set aside, the letter is kept for the record."""
    actor.require(Permission.MANAGE_DEAD_LETTERS)
    now = clock.now()
    with uow:
        letter = _dead(uow, kind, ref)
        letter.state, letter.closed_at, letter.closed_by = LetterState.DISCARDED, now, actor.label
        uow.dead_letters.save(letter)
        _audit(uow, actor, now, "dead_letter.discarded", letter)
        uow.commit()
    return letter


def _audit(uow: UnitOfWork, actor: Actor, now: datetime, action: str, letter: DeadLetter) -> None:
    audit(
        uow,
        actor,
        now,
        action,
        customer_id=None,
        entity=f"dead_letter.{letter.kind.value}",
        entity_id=letter.ref,
        before={"error": letter.error},
    )


def purge_discarded(uow: UnitOfWork, clock: Clock, retention_days: int) -> int:
    """Drop letters discarded more than ``retention_days`` ago, with the events they set aside.

    A discarded event is never processed, so the events' own purge (by ``processed_at``) never
    takes it; counted from the discard instead, it goes after the same kind of wait. Messages
    stay (they are the customer's history); a dead timer's row is gone already.
    """
    with uow:
        refs = uow.dead_letters.purge_discarded(clock.now() - timedelta(days=retention_days))
        events = [int(ref) for ref in refs.get(LetterKind.EVENT, ()) if ref.isdigit()]
        uow.events.purge_set_aside(events)
        uow.commit()
    return sum(len(r) for r in refs.values())
