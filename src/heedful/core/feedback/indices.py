"""Use cases of the CX index and of churn risk: compute, store, recompute, list for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from heedful.core.access import Actor, Permission, load_customer, scope_of
from heedful.core.customers import Customer
from heedful.core.feedback import churn, cx_index
from heedful.core.feedback.cx_index import ALL, Cell, CxValue, Inputs
from heedful.core.feedback.model import SurveyAnswer, Touchpoint
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Forbidden, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

_MOST_ANSWERS = 1_000_000


def _answers(uow: UnitOfWork, cell: Cell) -> list[SurveyAnswer]:
    where = AnswerFilter(
        since=cell.period_start,
        until=cell.period_end,
        location_ids=frozenset({cell.location_id}) if cell.location_id else None,
        touchpoint=Touchpoint(cell.touchpoint) if cell.touchpoint else None,
        segment=cell.segment or None,
    )
    return uow.feedback.answers.find(where, _MOST_ANSWERS)


def _purchase_inputs(uow: UnitOfWork, cell: Cell) -> Inputs:
    """cx-1: purchases at the location; a buyer repeats with a purchase anywhere before."""
    purchases = uow.feedback.facts.purchases(
        cell.period_start,
        cell.period_end,
        location_id=cell.location_id or None,
        segment=cell.segment or None,
    )
    buyers = sorted({p.customer_id for p in purchases if p.quantity > 0})
    earlier = uow.feedback.facts.buyers_between(
        buyers, cell.period_start - cx_index.REPEAT_LOOKBACK, cell.period_start
    )
    return cx_index.gather(_answers(uow, cell), purchases, earlier)


def _history_inputs(uow: UnitOfWork, cell: Cell) -> Inputs:
    """cx-2: the purchases and visits the touchpoint reads; coming back means to the same place."""
    kinds = cx_index.history_read(cell.touchpoint)
    location_id = cell.location_id or None
    lines = uow.feedback.facts.history_lines(
        cell.period_start,
        cell.period_end,
        kinds,
        location_id=location_id,
        segment=cell.segment or None,
    )
    earlier = uow.feedback.facts.seen_between(
        sorted(cx_index.entries_of(lines)),
        cell.period_start - cx_index.REPEAT_LOOKBACK,
        cell.period_start,
        kinds,
        location_id=location_id,
    )
    return cx_index.gather_history(_answers(uow, cell), lines, earlier)


_GATHER = {cx_index.CX_1: _purchase_inputs, cx_index.CX_2: _history_inputs}


def _inputs(uow: UnitOfWork, cell: Cell, version: str = cx_index.FORMULA_VERSION) -> Inputs:
    return _GATHER[version](uow, cell)


def _value(uow: UnitOfWork, cell: Cell, now: datetime) -> CxValue:
    inputs = _inputs(uow, cell)
    value, emotion, product = cx_index.from_inputs(inputs)
    previous, _, _ = cx_index.from_inputs(_inputs(uow, cx_index.previous_cell(cell)))
    return CxValue(
        id=new_id("cxv_"),
        cell=cell,
        value=value,
        emotion=emotion,
        product_value=product,
        formula_version=cx_index.FORMULA_VERSION,
        inputs=inputs.as_json(),
        computed_at=now,
        previous_value=previous,
    )


_EARLIEST_YEAR, _LATEST_YEAR = 2000, 2199


def _check_cell(actor: Actor, cell: Cell) -> None:
    if cell.period_end <= cell.period_start:
        raise InvalidInput("the period ends after it starts", field="period_end")
    # The trend reads the period before and repeat purchases half a year back: a period near the
    # ends of the calendar would run off it, and no business has feedback from then.
    for name, at in (("period_start", cell.period_start), ("period_end", cell.period_end)):
        if not _EARLIEST_YEAR <= at.year <= _LATEST_YEAR:
            raise InvalidInput(
                f"a period lies between {_EARLIEST_YEAR} and {_LATEST_YEAR}", field=name
            )
    if cell.touchpoint and cell.touchpoint not in {t.value for t in Touchpoint}:
        raise InvalidInput(f"no touchpoint {cell.touchpoint}", field="touchpoint")
    if cell.location_id == ALL and not actor.sees_every_location:
        raise Forbidden("the index of every location is an admin's", field="location_id")
    if cell.location_id and not actor.may_act_at(cell.location_id):
        raise Forbidden(
            "you do not work at that location",
            said=Phrase("refusal.not_your_location"),
            field="location_id",
        )


def compute_cx_index(
    cells: list[Cell], uow: UnitOfWork, clock: Clock, actor: Actor
) -> list[CxValue]:
    """Computes and stores the index of each cell with its inputs and its trend."""
    actor.require(Permission.VIEW_REPORTS)
    for cell in cells:
        _check_cell(actor, cell)
    now = clock.now()
    with uow:
        values = [_value(uow, cell, now) for cell in cells]
        for value in values:
            uow.feedback.cx_values.put(value)
        uow.commit()
    return values


@dataclass(frozen=True)
class Recomputed:
    stored: CxValue
    from_inputs: float | None  # the formula over the stored inputs
    from_data: float | None  # its formula over the answers and history as they are now
    same_inputs: bool


def recompute_cx_value(value_id: str, uow: UnitOfWork, actor: Actor) -> Recomputed:
    """Shows that a stored value is reproducible: from its inputs, and from the data again."""
    actor.require(Permission.VIEW_REPORTS)
    with uow:
        stored = uow.feedback.cx_values.get(value_id)
        if stored is None:
            raise NotFound(f"no CX index value {value_id}")
        _check_cell(actor, stored.cell)
        version = stored.formula_version
        if version not in cx_index.FORMULAS:
            raise InvalidInput(
                f"computed with {version}; this knows {', '.join(cx_index.FORMULAS)}",
                field="formula_version",
            )
        # Each value with its own formula: a cx-1 value read purchases only, and still does.
        again = _inputs(uow, stored.cell, version)
    by_inputs, _, _ = cx_index.from_inputs(Inputs.from_json(stored.inputs, version))
    by_data, _, _ = cx_index.from_inputs(again)
    return Recomputed(stored, by_inputs, by_data, again.as_json() == stored.inputs)


def list_cx_values(
    uow: UnitOfWork,
    actor: Actor,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    location_id: str | None = None,
    touchpoint: str | None = None,
    segment: str | None = None,
    limit: int = 500,
) -> list[CxValue]:
    actor.require(Permission.VIEW_REPORTS)
    with uow:
        found = uow.feedback.cx_values.find(
            since=since,
            until=until,
            location_id=location_id,
            touchpoint=touchpoint,
            segment=segment,
            limit=limit,
        )
    if actor.sees_every_location:
        return found
    return [v for v in found if v.cell.location_id and actor.may_act_at(v.cell.location_id)]


def assess_churn(uow: UnitOfWork, clock: Clock, actor: Actor) -> int:
    """Scores every customer with a purchase or visit; returns how many were scored."""
    actor.require(Permission.VIEW_REPORTS)
    now = clock.now()
    with uow:
        activity = uow.feedback.facts.activity(now, None)
        spenders = [a.spend_365_minor for a in activity if a.spend_365_minor > 0]
        median = churn.median(spenders)
        for one in activity:
            uow.feedback.churn.put(churn.assess(one, median, now))
        uow.commit()
    return len(activity)


@dataclass(frozen=True)
class AtRisk:
    customer: Customer
    risk: churn.ChurnRisk


def list_churn_risks(uow: UnitOfWork, actor: Actor, limit: int = 50) -> list[AtRisk]:
    """Customers most at risk first, those the actor may see."""
    actor.require(Permission.VIEW_CUSTOMERS)
    found: list[AtRisk] = []
    with uow:
        ids = None
        if scope_of(actor).location_ids is not None:
            page = uow.customers.list(scope_of(actor), 10_000, None)
            ids = [c.id for c in page.items]
        for risk in uow.feedback.churn.highest(ids, limit * 2):
            try:
                customer = load_customer(uow, actor, risk.customer_id, follow_merge=False)
            except NotFound:
                continue
            if customer.status.value == "active":
                found.append(AtRisk(customer, risk))
            if len(found) >= limit:
                break
    return found
