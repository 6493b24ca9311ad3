"""Goodwill on real storage: allowances, limits, a manager's approval, and what it did after."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from feedback_world import FeedbackWorld, WordReader
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.customers.model import Customer
from heedful.core.goodwill import (
    GiveGoodwill,
    Period,
    SetAllowance,
    SpendState,
    awaiting_approval,
    customer_spends,
    decide_spend,
    give_goodwill,
    goodwill_report,
    my_allowances,
    set_allowance,
)
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Forbidden, InvalidInput
from heedful.core.shared.ids import new_id


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


def _manager(world: PromiseWorld) -> Actor:
    return Actor(new_id("stf_"), "Taras, manager", Role.MANAGER, frozenset({world.kyiv.id}))


def _desserts(world: PromiseWorld, *, per_month: int = 5, approval_above: int = 2) -> None:
    set_allowance(
        SetAllowance(
            location_id=world.kyiv.id,
            kind="dessert",
            amount=Decimal(per_month),
            period=Period.MONTH,
            role=Role.AGENT,
            approval_above=Decimal(approval_above),
        ),
        world.uow,
        world.clock,
        _manager(world),
    )


def _give(world: PromiseWorld, customer: Customer, amount: int, **kw: object) -> object:
    cmd = GiveGoodwill(
        customer_id=customer.id,
        location_id=world.kyiv.id,
        kind=str(kw.pop("kind", "dessert")),
        amount=Decimal(amount),
        reason=str(kw.pop("reason", "first visit, waited for a table")),
        **kw,  # type: ignore[arg-type]
    )
    return give_goodwill(cmd, world.uow, world.clock, world.assistant)


def test_a_spend_above_the_threshold_waits_for_a_manager_who_approves_it(
    world: PromiseWorld,
) -> None:
    _desserts(world)
    anna = world.customer("Anna Kovalenko")
    small = _give(world, anna, 1)
    world.later(minutes=1)
    big = _give(world, anna, 3, reason="birthday table of four")
    assert small.state is SpendState.GIVEN  # type: ignore[attr-defined]
    assert big.state is SpendState.AWAITING_APPROVAL  # type: ignore[attr-defined]
    manager = _manager(world)
    [waiting] = awaiting_approval(world.uow, manager)
    assert waiting.id == big.id  # type: ignore[attr-defined]

    world.later(minutes=4)
    approved = decide_spend(waiting.id, True, "of course", world.uow, world.clock, manager)

    assert approved.state is SpendState.GIVEN
    assert approved.decided_by_label == "Taras, manager"
    assert approved.decided_at == world.clock.now()
    assert awaiting_approval(world.uow, manager) == []
    on_card = customer_spends(world.uow, world.assistant, anna.id)
    assert [(s.amount, s.state) for s in on_card] == [
        (Decimal(3), SpendState.GIVEN),
        (Decimal(1), SpendState.GIVEN),
    ]
    with world.uow as uow:
        actions = [e.action for e in uow.audit.list_for(anna.id, 50)]
    assert actions.count("goodwill.spent") == 2
    assert "goodwill.approved" in actions


def test_beyond_what_is_left_is_refused_naming_the_amount_and_a_new_month_starts_afresh(
    world: PromiseWorld,
) -> None:
    _desserts(world, per_month=3)
    anna = world.customer("Anna Kovalenko")
    _give(world, anna, 2)
    with pytest.raises(InvalidInput) as refused:
        _give(world, anna, 2)
    assert refused.value.field == "amount"
    assert "1" in refused.value.message
    [left] = my_allowances(world.uow, world.clock, world.assistant, world.kyiv.id)
    assert left.left == Decimal(1)

    world.later(days=31)  # 2 March -> 2 April: April's allowance
    assert _give(world, anna, 2).state is SpendState.GIVEN  # type: ignore[attr-defined]


def test_a_declined_spend_frees_its_share_and_nobody_approves_their_own(
    world: PromiseWorld,
) -> None:
    _desserts(world, per_month=4, approval_above=1)
    anna = world.customer("Anna Kovalenko")
    waiting = _give(world, anna, 4)
    with pytest.raises(InvalidInput):
        _give(world, anna, 1)  # the waiting four hold the whole month
    boss = _manager(world)
    decide_spend(waiting.id, False, "too much", world.uow, world.clock, boss)  # type: ignore[attr-defined]
    assert _give(world, anna, 1).state is SpendState.GIVEN  # type: ignore[attr-defined]

    manager_id = boss.id
    set_allowance(
        SetAllowance(
            location_id=world.kyiv.id,
            kind="money",
            amount=Decimal(500),
            currency="uah",
            period=Period.WEEK,
            staff_id=world.assistant.id,
            approval_above=Decimal(100),
        ),
        world.uow,
        world.clock,
        world.admin,
    )
    refund = give_goodwill(
        GiveGoodwill(anna.id, world.kyiv.id, "money", Decimal("150.50"), "cold soup", "UAH"),
        world.uow,
        world.clock,
        world.assistant,
    )
    assert refund.state is SpendState.AWAITING_APPROVAL
    assert refund.staff_id != manager_id
    with pytest.raises(Forbidden):
        decide_spend(refund.id, True, "", world.uow, world.clock, world.assistant)


def test_a_kind_nobody_gave_an_allowance_for_is_refused_naming_the_kind(
    world: PromiseWorld,
) -> None:
    anna = world.customer("Anna Kovalenko")
    with pytest.raises(InvalidInput) as refused:
        _give(world, anna, 1, kind="upgrade")
    assert refused.value.field == "kind"
    # A gesture that costs nothing needs no allowance: a surprise is recorded all the same.
    card = _give(world, anna, 1, kind="gesture", reason="a hand-written card", surprise=True)
    assert card.surprise  # type: ignore[attr-defined]


def _visit(world: PromiseWorld, customer: Customer) -> None:
    record_history(
        RecordHistory(
            customer_id=customer.id,
            kind=HistoryKind.VISIT,
            occurred_at=world.clock.now(),
            location_id=world.kyiv.id,
            external_ref=new_id("chk_"),
        ),
        world.uow,
        world.clock,
        world.admin,
    )


def test_the_report_compares_the_next_feedback_and_return_of_those_given_goodwill(
    world: PromiseWorld,
) -> None:
    feedback = FeedbackWorld(world, WordReader())
    survey = feedback.survey()
    start = world.clock.now()
    _desserts(world, per_month=10, approval_above=5)
    anna, boris, vera = (feedback.guest(n) for n in ("Anna K", "Boris O", "Vera P"))
    for guest in (anna, boris, vera):
        _visit(world, guest)
    _give(world, anna, 1)  # Anna had a dessert on the house, Boris and Vera did not
    world.later(days=1)
    for guest, score in ((anna, 10), (boris, 6)):
        invitation = feedback.invite(survey, guest)
        assert invitation is not None
        feedback.answer(invitation, score)
    world.later(days=6)
    _visit(world, anna)  # she came back within the week; nobody else did

    report = goodwill_report(
        world.uow, world.admin, start, start + timedelta(days=1), within_days=30
    )

    assert (report.given, report.items) == (1, {"dessert": Decimal(1)})
    assert report.with_goodwill.customers == 1
    assert report.with_goodwill.feedback_mean == 100.0
    assert report.with_goodwill.return_share == 1.0
    assert (report.without.customers, report.without.with_feedback) == (2, 1)
    assert report.without.feedback_mean == 60.0
    assert report.without.returned == 0


def test_two_spends_by_one_person_at_once_cannot_both_pass_the_allowance(
    world: PromiseWorld, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two transactions on PostgreSQL: the first has drawn 2 of 3 desserts and not committed;
    the second, by the same person, waits on her lock, then reads the first and is refused.
    (SQLite lets one writer in at a time: BEGIN IMMEDIATE queues the second already.)"""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers itself")
    from sqlalchemy import create_engine, text

    from heedful.adapters.storage.goodwill_rows import SqlGoodwill

    _desserts(world, per_month=3)
    anna = world.customer("Anna Kovalenko")
    inside, go_on = threading.Event(), threading.Event()
    drawn = SqlGoodwill.add_spend

    def add_spend_and_hold(self: SqlGoodwill, spend: object) -> None:
        drawn(self, spend)  # type: ignore[arg-type]
        if threading.current_thread().name == "first":
            inside.set()  # drawn, not committed: the transaction stays open until told
            assert go_on.wait(timeout=60)

    monkeypatch.setattr(SqlGoodwill, "add_spend", add_spend_and_hold)
    outcomes: dict[str, object] = {}

    def spend(name: str) -> None:
        try:
            outcomes[name] = _give(world, anna, 2)
        except InvalidInput as refused:
            outcomes[name] = refused

    first = threading.Thread(target=spend, args=("first",), name="first")
    second = threading.Thread(target=spend, args=("second",), name="second")
    first.start()
    assert inside.wait(timeout=60)
    second.start()
    # Until the second is queued on her lock (asked of the server, no sleep), or done: without
    # the lock it would read the first's uncommitted spend as nothing, and pass too.
    monitor = create_engine(database_url)
    try:
        with monitor.connect() as conn:
            for _ in range(100_000):
                waiting = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                        " AND database = (SELECT oid FROM pg_database"
                        " WHERE datname = current_database())"
                    )
                ).scalar_one()
                if waiting or not second.is_alive():
                    break
    finally:
        monitor.dispose()
        go_on.set()
        first.join(timeout=60)
        second.join(timeout=60)

    assert outcomes["first"].state is SpendState.GIVEN  # type: ignore[attr-defined]
    refused = outcomes["second"]
    assert isinstance(refused, InvalidInput)
    assert refused.field == "amount"
    assert "1" in refused.message  # one dessert left, as the first one drew two
    [left] = my_allowances(world.uow, world.clock, world.assistant, world.kyiv.id)
    assert left.left == Decimal(1)
