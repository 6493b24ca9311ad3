"""Recovery use cases: open one for an unhappy answer, close it with a root cause, count them.

The deadline is one business day (8 business hours) in the location's calendar, so an answer
on Friday evening is due on Monday, not on Saturday when nobody is there. A location that keeps
no hours gets two calendar days, said in the promise's evidence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from heedful.core.access import SYSTEM, Actor, Permission, Role, load_customer, scope_of
from heedful.core.calendar import LocationBusinessHours
from heedful.core.customers import audit
from heedful.core.feedback.loop import LoopReason, LoopState, RecoveryLoop
from heedful.core.feedback.model import SurveyAnswer
from heedful.core.promises import Evidence, EvidenceKind, Promise, PromiseKind, PromiseState
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Forbidden, HeedfulError, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.tasks import Task, TaskKind
from heedful.core.unit_of_work import UnitOfWork

RECOVERY_SPAN = timedelta(hours=8)  # business time: one working day
WITHOUT_HOURS = timedelta(days=2)
_REMIND_BEFORE = timedelta(hours=2)

_WHY = {
    LoopReason.DETRACTOR: "recovery.detractor",
    LoopReason.LOW_CSAT: "recovery.low_csat",
    LoopReason.NEGATIVE_COMMENT: "recovery.negative_comment",
}


def _why(reasons: tuple[LoopReason, ...]) -> Phrase:
    """ "a detractor and a strongly negative comment", as one phrase each language can say."""
    said = Phrase(_WHY[reasons[0]])
    for reason in reasons[1:]:
        said = Phrase("recovery.and", {"first": said, "second": Phrase(_WHY[reason])})
    return said


def _due(uow: UnitOfWork, location_id: str, now: datetime) -> tuple[datetime, int | None]:
    try:
        due = LocationBusinessHours(uow).add(location_id, now, RECOVERY_SPAN)
    except HeedfulError:
        return now + WITHOUT_HOURS, None
    return due, int(RECOVERY_SPAN.total_seconds() // 60)


def _manager_of(uow: UnitOfWork, location_id: str) -> str | None:
    for member in uow.staff.list():
        if (
            member.active
            and member.role is Role.MANAGER
            and member.location_ids is not None
            and location_id in member.location_ids
        ):
            return member.id
    return None


def open_recovery(
    uow: UnitOfWork, answer: SurveyAnswer, reasons: tuple[LoopReason, ...], now: datetime
) -> RecoveryLoop | None:
    """Within the answer's transaction: a promise to win her back, a task, a loop row."""
    customer = uow.customers.get(answer.customer_id)
    location_id = answer.location_id or (customer.home_location_id if customer else None)
    if location_id is None:
        return None  # nobody's manager to ask; the answer still counts in every figure
    said = Phrase(
        "promise.win_back",
        {"why": _why(reasons), "kind": answer.kind.value.upper(), "score": answer.score},
    )
    return _open(
        uow,
        _Opening(answer.customer_id, location_id, answer.id, reasons, said, answer.comment),
        _manager_of(uow, location_id),
        SYSTEM,
        now,
    )


@dataclass(frozen=True)
class _Opening:
    customer_id: str
    location_id: str
    answer_id: str | None
    reasons: tuple[LoopReason, ...]
    said: Phrase
    note: str = ""


def _open(
    uow: UnitOfWork, opening: _Opening, owner_id: str | None, by: Actor, now: datetime
) -> RecoveryLoop:
    """The promise (kind "recover", due in a business day), its task and the loop row."""
    due_at, business_minutes = _due(uow, opening.location_id, now)
    text = opening.said.english()
    promise = Promise(
        id=new_id("prm_"),
        customer_id=opening.customer_id,
        location_id=opening.location_id,
        kind=PromiseKind.RECOVER,
        text=text,
        text_phrase=opening.said,
        made_by=by.id,
        made_by_label=by.label,
        made_at=now,
        due_at=due_at,
        owner_id=owner_id,
        reference=opening.answer_id or "",
        due_in_business_minutes=business_minutes,
    )
    promise.note(Evidence(now, EvidenceKind.MADE, text, by.label, opening.answer_id or ""))
    uow.promises.add(promise)
    if due_at - _REMIND_BEFORE > now:
        remind = Timer(
            new_id("tmr_"), TimerKind.PROMISE_REMINDER, promise.id, due_at - _REMIND_BEFORE
        )
        uow.timers.set(remind)
    uow.timers.set(Timer(new_id("tmr_"), TimerKind.PROMISE_DEADLINE, promise.id, due_at))
    uow.tasks.add(
        Task(
            id=new_id("tsk_"),
            kind=TaskKind.FOLLOW_UP,
            title=text,
            title_phrase=opening.said,
            location_id=opening.location_id,
            created_at=now,
            created_by_label=by.label,
            note=opening.note[:1000],
            customer_id=opening.customer_id,
            promise_id=promise.id,
            assignee_id=owner_id,
            assignee_role=None if owner_id else Role.MANAGER,
            due_at=due_at,
        )
    )
    loop = RecoveryLoop(
        id=new_id("rcv_"),
        answer_id=opening.answer_id,
        customer_id=opening.customer_id,
        location_id=opening.location_id,
        promise_id=promise.id,
        reasons=opening.reasons,
        opened_at=now,
        due_at=due_at,
    )
    uow.feedback.loops.add(loop)
    uow.feedback.rollups.loop_opened(loop)  # the closed-loop board counts it
    return loop


def open_churn_recovery(
    customer_id: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> RecoveryLoop:
    """From the churn list: a recovery owned by whoever opened it, due in a business day.

    At her home location when the actor works there, else at another of her locations that the
    actor works at. A customer with a churn recovery still open gets that one back, not a second.
    """
    actor.require(Permission.MAKE_PROMISES)
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, customer_id)
        risk = uow.feedback.churn.get(customer.id)
        if risk is None:
            raise NotFound(f"no churn risk assessed for {customer.id}", field="customer_id")
        for loop in uow.feedback.loops.find(
            location_ids=None, open_only=True, limit=100, customer_id=customer.id
        ):
            if LoopReason.CHURN_RISK in loop.reasons:
                return loop
        places = [customer.home_location_id, *sorted(customer.location_ids)]
        location_id = next((p for p in places if p and actor.may_act_at(p)), None)
        if location_id is None:
            raise Forbidden("you do not work at any of her locations", field="customer_id")
        said = Phrase("promise.win_back_churn", {"score": risk.score})
        opening = _Opening(customer.id, location_id, None, (LoopReason.CHURN_RISK,), said)
        loop = _open(uow, opening, actor.id, actor, now)
        audit(
            uow,
            actor,
            now,
            "recovery.opened",
            customer_id=customer.id,
            entity="recovery",
            entity_id=loop.id,
            after={"reason": LoopReason.CHURN_RISK.value, "score": risk.score},
        )
        uow.commit()
    return loop


@dataclass(frozen=True)
class CloseRecovery:
    loop_id: str
    root_cause: str
    root_cause_note: str = ""
    action_taken: str = ""


def close_recovery(cmd: CloseRecovery, uow: UnitOfWork, clock: Clock, actor: Actor) -> RecoveryLoop:
    actor.require(Permission.MAKE_PROMISES)
    now = clock.now()
    with uow:
        loop = uow.feedback.loops.get(cmd.loop_id, for_change=True)
        if loop is None:
            raise NotFound(f"no recovery {cmd.loop_id}")
        load_customer(uow, actor, loop.customer_id)
        if not actor.may_act_at(loop.location_id):
            raise Forbidden(
                "you do not work at that location",
                said=Phrase("refusal.not_your_location"),
                field="loop_id",
            )
        loop.close(now, actor.label, cmd.root_cause, cmd.root_cause_note, cmd.action_taken)
        uow.feedback.loops.update(loop)
        uow.feedback.rollups.loop_closed(loop)
        promise = uow.promises.get(loop.promise_id, for_change=True)
        if promise is not None and (promise.is_open or promise.state is PromiseState.BROKEN):
            note = f"{loop.root_cause}: {loop.action_taken}"
            promise.note(Evidence(now, EvidenceKind.STAFF_ACTION, note, actor.label))
            promise.keep(now, actor.label, note)  # kept late when the deadline had passed
            uow.promises.update(promise)
            uow.timers.cancel(promise.id)
            for task in uow.tasks.open_for_promise(promise.id):
                task.complete(now, actor.label)
                uow.tasks.update(task)
        audit(
            uow,
            actor,
            now,
            "recovery.closed",
            customer_id=loop.customer_id,
            entity="recovery",
            entity_id=loop.id,
            after={"root_cause": loop.root_cause, "action_taken": loop.action_taken},
        )
        uow.commit()
    return loop


def list_recoveries(
    uow: UnitOfWork,
    actor: Actor,
    *,
    open_only: bool = False,
    customer_id: str | None = None,
    limit: int = 100,
) -> list[RecoveryLoop]:
    actor.require(Permission.VIEW_CUSTOMERS)
    with uow:
        if customer_id is not None:
            customer_id = load_customer(uow, actor, customer_id).id
        return uow.feedback.loops.find(
            location_ids=scope_of(actor).location_ids,
            open_only=open_only,
            limit=limit,
            customer_id=customer_id,
        )


@dataclass(frozen=True)
class LoopReport:
    opened: int
    closed_in_time: int
    closed_late: int
    open_in_time: int
    open_overdue: int
    # (Monday of the ISO week, root cause) -> loops closed with it that week
    root_causes_by_week: dict[tuple[str, str], int]


def report_recoveries(
    since: datetime, until: datetime, uow: UnitOfWork, clock: Clock, actor: Actor
) -> LoopReport:
    actor.require(Permission.VIEW_REPORTS)
    now = clock.now()
    with uow:
        loops = uow.feedback.loops.in_period(since, until, scope_of(actor).location_ids)
    themes: Counter[tuple[str, str]] = Counter()
    for loop in loops:
        if loop.state is LoopState.CLOSED and loop.closed_at is not None:
            monday = (loop.closed_at - timedelta(days=loop.closed_at.weekday())).date()
            themes[(monday.isoformat(), loop.root_cause)] += 1
    closed = [lp for lp in loops if lp.state is LoopState.CLOSED]
    still = [lp for lp in loops if lp.state is LoopState.OPEN]
    return LoopReport(
        opened=len(loops),
        closed_in_time=sum(1 for lp in closed if lp.closed_in_time),
        closed_late=sum(1 for lp in closed if not lp.closed_in_time),
        open_in_time=sum(1 for lp in still if not lp.is_overdue(now)),
        open_overdue=sum(1 for lp in still if lp.is_overdue(now)),
        root_causes_by_week=dict(sorted(themes.items())),
    )
