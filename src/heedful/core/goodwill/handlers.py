"""Goodwill use cases: set an allowance, give from it, and a manager's yes or no above the line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from heedful.core.access import Actor, Permission, Role, load_customer, scope_of
from heedful.core.customers import AuditEntry
from heedful.core.goodwill.model import (
    BUILT_IN_KINDS,
    GESTURE,
    MAX_REASON,
    Allowance,
    Period,
    Spend,
    SpendState,
    check_amount,
    check_kind,
    period_start,
)
from heedful.core.goodwill.ports import GoodwillWork
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase


@dataclass(frozen=True)
class SetAllowance:
    location_id: str
    kind: str
    amount: Decimal
    period: Period
    currency: str = ""
    staff_id: str | None = None
    role: Role | None = None
    approval_above: Decimal | None = None
    label: str = ""


@dataclass(frozen=True)
class GiveGoodwill:
    customer_id: str
    location_id: str
    kind: str
    amount: Decimal
    reason: str
    currency: str = ""
    task_id: str | None = None
    surprise: bool = False


@dataclass(frozen=True)
class Remaining:
    """What one allowance leaves this person this period: the card shows it beside the form."""

    allowance: Allowance
    spent: Decimal

    @property
    def left(self) -> Decimal:
        return max(Decimal(0), self.allowance.amount - self.spent)


def audit(
    uow: GoodwillWork,
    actor: Actor,
    now: datetime,
    action: str,
    *,
    customer_id: str | None,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """One audit entry, as ``customers.audit`` writes it, through the narrow unit of work."""
    entry = AuditEntry(
        new_id("aud_"),
        now,
        actor.id,
        actor.label,
        action,
        customer_id,
        entity,
        entity_id,
        before,
        after,
    )
    uow.audit.add(entry)


def _described(allowance: Allowance) -> dict[str, object]:
    return {
        "location_id": allowance.location_id,
        "holder": allowance.holder,
        "kind": allowance.kind,
        "amount": str(allowance.amount),
        "currency": allowance.currency,
        "period": allowance.period.value,
        "approval_above": None
        if allowance.approval_above is None
        else str(allowance.approval_above),
    }


def set_allowance(cmd: SetAllowance, uow: GoodwillWork, clock: Clock, actor: Actor) -> Allowance:
    """One allowance per holder, location and kind: setting it again replaces the amounts."""
    actor.require(Permission.MANAGE_GOODWILL)
    if (cmd.staff_id is None) == (cmd.role is None):
        raise InvalidInput("give it to one staff member or to a role", field="staff_id")
    if cmd.role is Role.EVALUATOR:
        raise InvalidInput("evaluators serve no customers", field="role")
    kind = check_kind(cmd.kind)
    amount, currency = check_amount(cmd.amount, kind, cmd.currency)
    if cmd.approval_above is not None:
        if cmd.approval_above < 0:
            raise InvalidInput("the approval threshold cannot be negative", field="approval_above")
        if cmd.approval_above >= amount:
            raise InvalidInput(
                "the approval threshold must be below the allowance",
                said=Phrase("refusal.approval_threshold"),
                field="approval_above",
            )
    label = " ".join(cmd.label.split())[:100]
    if kind not in BUILT_IN_KINDS and not label:
        raise InvalidInput(
            "name the new kind as staff will see it",
            said=Phrase("refusal.kind_name"),
            field="label",
        )
    now = clock.now()
    with uow:
        if uow.locations.get(cmd.location_id) is None:
            raise InvalidInput(
                f"no location {cmd.location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        if not actor.may_act_at(cmd.location_id):
            raise Forbidden(
                "you do not work at that location",
                said=Phrase("refusal.not_your_location"),
                field="location_id",
            )
        if cmd.staff_id is not None and uow.staff.get(cmd.staff_id) is None:
            raise InvalidInput(f"no staff member {cmd.staff_id}", field="staff_id")
        same = [
            a
            for a in uow.goodwill.allowances([cmd.location_id])
            if (a.staff_id, a.role, a.kind) == (cmd.staff_id, cmd.role, kind)
        ]
        before = _described(same[0]) if same else None
        allowance = Allowance(
            id=same[0].id if same else new_id("gwa_"),
            location_id=cmd.location_id,
            kind=kind,
            amount=amount,
            currency=currency,
            period=cmd.period,
            set_at=now,
            set_by_label=actor.label,
            staff_id=cmd.staff_id,
            role=cmd.role,
            approval_above=cmd.approval_above,
            label=label,
        )
        uow.goodwill.put_allowance(allowance)
        audit(
            uow,
            actor,
            now,
            "goodwill.allowance_set",
            customer_id=None,
            entity="goodwill_allowance",
            entity_id=allowance.id,
            before=before,
            after=_described(allowance),
        )
        uow.commit()
    return allowance


def remove_allowance(allowance_id: str, uow: GoodwillWork, clock: Clock, actor: Actor) -> None:
    actor.require(Permission.MANAGE_GOODWILL)
    now = clock.now()
    with uow:
        allowance = uow.goodwill.get_allowance(allowance_id)
        if allowance is None or not actor.may_act_at(allowance.location_id):
            raise NotFound(f"no allowance {allowance_id}")
        uow.goodwill.remove_allowance(allowance_id)
        audit(
            uow,
            actor,
            now,
            "goodwill.allowance_removed",
            customer_id=None,
            entity="goodwill_allowance",
            entity_id=allowance_id,
            before=_described(allowance),
        )
        uow.commit()


def list_allowances(uow: GoodwillWork, actor: Actor) -> list[Allowance]:
    actor.require(Permission.GIVE_GOODWILL)
    with uow:
        return uow.goodwill.allowances(scope_of(actor).location_ids)


def _applies_to(allowance: Allowance, actor: Actor) -> bool:
    # A person's own allowance is looked at before their role's (see `_allowance_for`).
    return allowance.staff_id == actor.id or (
        allowance.staff_id is None and allowance.role is actor.role
    )


def my_allowances(
    uow: GoodwillWork, clock: Clock, actor: Actor, location_id: str
) -> list[Remaining]:
    """What the actor may still give at the location this week or month, kind by kind."""
    actor.require(Permission.GIVE_GOODWILL)
    now = clock.now()
    with uow:
        location = uow.locations.get(location_id)
        if location is None or not actor.may_act_at(location_id):
            return []
        found: dict[str, Allowance] = {}
        for allowance in uow.goodwill.allowances([location_id]):
            if _applies_to(allowance, actor) and (
                allowance.kind not in found or allowance.staff_id is not None
            ):
                found[allowance.kind] = allowance
        return [
            Remaining(
                a,
                uow.goodwill.spent(a.id, actor.id, period_start(a.period, now, location.time_zone)),
            )
            for a in sorted(found.values(), key=lambda a: a.kind)
        ]


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(
            "say why: the reason is what the report learns from",
            said=Phrase("refusal.spend_reason"),
            field="reason",
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"a reason is at most {MAX_REASON} characters", field="reason")
    return reason


def give_goodwill(cmd: GiveGoodwill, uow: GoodwillWork, clock: Clock, actor: Actor) -> Spend:
    """Give from the actor's allowance; above its threshold the spend waits for a manager.

    The spend is refused when it would pass what the allowance has left this period, a spend
    waiting for approval holding its share, so two quick spends cannot both slip under the line.
    """
    actor.require(Permission.GIVE_GOODWILL)
    kind = check_kind(cmd.kind)
    amount, currency = check_amount(cmd.amount, kind, cmd.currency)
    reason = _reason(cmd.reason)
    now = clock.now()
    with uow:
        customer = load_customer(uow, actor, cmd.customer_id)
        location = uow.locations.get(cmd.location_id)
        if location is None:
            raise InvalidInput(
                f"no location {cmd.location_id}",
                said=Phrase("refusal.no_location"),
                field="location_id",
            )
        if not actor.may_act_at(cmd.location_id):
            raise Forbidden(
                "you do not work at that location",
                said=Phrase("refusal.not_your_location"),
                field="location_id",
            )
        if cmd.task_id is not None:
            task = uow.tasks.get(cmd.task_id)
            if task is None or not actor.may_act_at(task.location_id):
                raise InvalidInput(f"no task {cmd.task_id}", field="task_id")
            if task.customer_id not in (None, customer.id):
                raise InvalidInput("that task is about another customer", field="task_id")
        state, allowance = SpendState.GIVEN, None
        if kind != GESTURE and actor.role is not Role.ADMIN:
            allowance = _allowance_for(uow, actor, cmd.location_id, kind, currency)
            since = period_start(allowance.period, now, location.time_zone)
            # Two spends by one person at once (two tabs, a double tap): the second waits for
            # the first to commit, then counts it, so both cannot slip under the line.
            uow.goodwill.lock_spending(allowance.id, actor.id)
            left = allowance.amount - uow.goodwill.spent(allowance.id, actor.id, since)
            if amount > left:
                left = max(left, Decimal(0))
                shown = f"{left} {currency}" if currency else f"{left:.0f} × {kind}"
                raise InvalidInput(
                    f"your allowance has {shown} left this {allowance.period.value}",
                    said=Phrase(
                        "refusal.allowance_left_week"
                        if allowance.period is Period.WEEK
                        else "refusal.allowance_left_month",
                        {"left": shown},
                    ),
                    field="amount",
                )
            if allowance.approval_above is not None and amount > allowance.approval_above:
                state = SpendState.AWAITING_APPROVAL
        spend = Spend(
            id=new_id("gws_"),
            customer_id=customer.id,
            location_id=cmd.location_id,
            kind=kind,
            amount=amount,
            currency=currency,
            reason=reason,
            staff_id=actor.id,
            staff_label=actor.label,
            created_at=now,
            state=state,
            allowance_id=allowance.id if allowance else None,
            task_id=cmd.task_id,
            surprise=cmd.surprise,
        )
        uow.goodwill.add_spend(spend)
        audit(
            uow,
            actor,
            now,
            "goodwill.spent",
            customer_id=customer.id,
            entity="goodwill_spend",
            entity_id=spend.id,
            after={
                "kind": kind,
                "amount": str(amount),
                "currency": currency,
                "state": state.value,
                "surprise": cmd.surprise,
                "task_id": cmd.task_id,
            },
        )
        uow.commit()
    return spend


def _allowance_for(
    uow: GoodwillWork, actor: Actor, location_id: str, kind: str, currency: str
) -> Allowance:
    mine = [
        a
        for a in uow.goodwill.allowances([location_id])
        if a.kind == kind and _applies_to(a, actor)
    ]
    mine.sort(key=lambda a: a.staff_id is None)  # one's own before one's role's
    if not mine:
        raise InvalidInput(
            f"you have no allowance for {kind} here",
            said=Phrase("refusal.no_allowance"),
            field="kind",
        )
    allowance = mine[0]
    if allowance.currency != currency:
        raise InvalidInput(
            f"your allowance is in {allowance.currency or 'items'}", field="currency"
        )
    return allowance


def decide_spend(
    spend_id: str, approve: bool, note: str, uow: GoodwillWork, clock: Clock, actor: Actor
) -> Spend:
    """A manager approves or declines a spend above the threshold; never their own."""
    actor.require(Permission.APPROVE_GOODWILL)
    now = clock.now()
    note = " ".join(note.split())[:MAX_REASON]
    with uow:
        spend = uow.goodwill.get_spend(spend_id, for_change=True)
        if spend is None or not actor.may_act_at(spend.location_id):
            raise NotFound(f"no goodwill spend {spend_id}")
        if spend.staff_id == actor.id:
            raise Forbidden(
                "another manager approves your own spend",
                said=Phrase("refusal.own_spend"),
                field="spend_id",
            )
        spend.decide(approve, now, actor.label, note)
        uow.goodwill.update_spend(spend)
        audit(
            uow,
            actor,
            now,
            "goodwill.approved" if approve else "goodwill.declined",
            customer_id=spend.customer_id,
            entity="goodwill_spend",
            entity_id=spend.id,
            before={"state": SpendState.AWAITING_APPROVAL.value},
            after={"state": spend.state.value, "note": note},
        )
        uow.commit()
    return spend


def awaiting_approval(uow: GoodwillWork, actor: Actor, limit: int = 200) -> list[Spend]:
    actor.require(Permission.APPROVE_GOODWILL)
    with uow:
        return uow.goodwill.spends(
            scope_of(actor).location_ids, states=[SpendState.AWAITING_APPROVAL], limit=limit
        )


def customer_spends(
    uow: GoodwillWork, actor: Actor, customer_id: str, limit: int = 50
) -> list[Spend]:
    """Her goodwill, newest first, at the locations the actor works at."""
    with uow:
        customer = load_customer(uow, actor, customer_id)
        found = uow.goodwill.spends_for_customer(customer.id, limit)
    return [s for s in found if actor.may_act_at(s.location_id)]
