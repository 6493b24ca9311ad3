"""The failure map on real storage: a small world whose every cell was counted by hand.

Now is Monday 2 March 2026, 07:00 UTC (09:00 in Kyiv); the period is the week before, 23 February
to 2 March in Kyiv. Each failure below says what the map must make of it and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from promise_world import PromiseWorld, build_world

from heedful.adapters.storage.conversation_tables import sla_clocks, threads
from heedful.adapters.storage.dealing_tables import accounts, bookings, orders
from heedful.adapters.storage.feedback_tables import recovery_loops, survey_answers
from heedful.adapters.storage.goodwill_tables import goodwill_spends
from heedful.adapters.storage.playbook_tables import playbook_firings, playbooks
from heedful.adapters.storage.promise_tables import promises
from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.failures import FailureAsk, FailureKind, FailureMap, Outcome, Touchpoint
from heedful.core.failures import failure_map as read_map
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Forbidden, InvalidInput
from heedful.core.shared.ids import new_id

WEEK = FailureAsk(since=date(2026, 2, 23), until=date(2026, 3, 2))


def at(day: int, hour: int, month: int = 2) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


class Rows:
    def __init__(self, container: Container) -> None:
        self.engine = container.engine
        self.playbook = new_id("pbk_")
        self.put(
            playbooks,
            id=self.playbook,
            name="look-ahead",
            event_type="lookahead.charges",
            enabled=True,
            version=1,
            created_at=at(1, 0),
            updated_at=at(1, 0),
            created_by_label="test",
            updated_by_label="test",
        )

    def put(self, table: sa.Table, **values: Any) -> str:
        values.setdefault("id", new_id("row_"))
        with self.engine.begin() as conn:
            conn.execute(table.insert().values(**values))
        return str(values["id"])

    def fired(self, customer_id: str, key: str, when: datetime) -> None:
        self.put(
            playbook_firings,
            playbook_id=self.playbook,
            version=1,
            customer_id=customer_id,
            once_key=key,
            event_ref=key,
            event_type="lookahead.x",
            fired_at=when,
            reasons=[],
            done=[],
        )

    def account(self, customer_id: str, location_id: str, charge_at: datetime, charge: int) -> str:
        return self.put(
            accounts,
            location_id=location_id,
            reference=new_id("ACC-"),
            customer_id=customer_id,
            currency="UAH",
            balance_minor=10_000,
            limit_minor=0,
            next_charge_at=charge_at,
            next_charge_minor=charge,
            as_of=at(20, 0),
            created_at=at(20, 0),
            updated_at=at(20, 0),
        )

    def promise(self, customer_id: str, location_id: str, kind: str, **values: Any) -> str:
        values.setdefault("made_at", at(20, 0))
        return self.put(
            promises,
            customer_id=customer_id,
            location_id=location_id,
            kind=kind,
            text=f"{kind} for a test",
            made_by="stf_test",
            made_by_label="test",
            evidence=[],
            **values,
        )

    def gift(self, customer_id: str, location_id: str, when: datetime) -> None:
        self.put(
            goodwill_spends,
            customer_id=customer_id,
            location_id=location_id,
            kind="dessert",
            amount=1,
            reason="sorry",
            staff_id="stf_test",
            staff_label="test",
            state="given",
            created_at=when,
        )

    def booking(
        self,
        customer_id: str,
        location_id: str,
        starts: datetime,
        made: datetime,
        table: str = "T5",
        *,
        ends: bool = True,
    ) -> str:
        return self.put(
            bookings,
            kind="table",
            location_id=location_id,
            reference=new_id("R-"),
            customer_id=customer_id,
            status="booked",
            starts_at=starts,
            ends_at=starts.replace(hour=starts.hour + 2) if ends else None,
            table_name=table,
            as_of=made,
            created_at=made,
            updated_at=made,
        )

    def order(self, customer_id: str, location_id: str, promised: date, **values: Any) -> str:
        return self.put(
            orders,
            location_id=location_id,
            reference=new_id("ORD-"),
            customer_id=customer_id,
            lines=[],
            promised_on=promised,
            as_of=at(20, 0),
            created_at=at(20, 0),
            updated_at=at(20, 0),
            **values,
        )

    def clock(self, customer_id: str, location_id: str, due: datetime, **values: Any) -> None:
        thread = self.put(
            threads,
            customer_id=customer_id,
            location_id=location_id,
            channel="email",
            subject="Where is my parcel?",
            status="open",
            priority="normal",
            language="uk",
            created_at=at(20, 0),
            updated_at=at(20, 0),
            due_order=due,
        )
        self.put(
            sla_clocks,
            thread_id=thread,
            location_id=location_id,
            kind="first_response",
            policy_id="pol_test",
            target_minutes=60,
            warning_minutes=15,
            state="stopped",
            started_at=at(20, 0),
            counting_since=at(20, 0),
            spent_before_seconds=0,
            due_at=due,
            **values,
        )

    def answer(
        self, customer_id: str, location_id: str, kind: str, score: int, when: datetime
    ) -> str:
        return self.put(
            survey_answers,
            invitation_id=new_id("inv_"),
            survey_id="srv_test",
            kind=kind,
            customer_id=customer_id,
            location_id=location_id,
            staff_label="",
            touchpoint="delivery",
            segment="",
            language="uk",
            score=score,
            comment="",
            choices=[],
            answered_at=when,
            emotions=[],
            themes=[],
            reading_model="",
        )


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    world = build_world(container, clock)
    rows = Rows(container)
    kyiv, lviv = world.kyiv.id, world.lviv.id
    anna, boris = world.customer("Anna Kovalenko").id, world.customer("Boris Lysenko").id
    vera, galyna = world.customer("Vera Shevchuk").id, world.customer("Galyna Marchenko").id

    # Declines: charges of 1000 UAH against a balance of 100 and no limit.
    a1 = rows.account(anna, kyiv, at(25, 6), 100_000)
    rows.fired(anna, f"state:charge:{a1}@{int(at(25, 6).timestamp())}:v1", at(24, 18))  # pre-empted
    rows.account(boris, kyiv, at(26, 6), 100_000)
    rows.gift(boris, kyiv, at(26, 10))  # rescued in 240 minutes
    rows.account(vera, kyiv, at(27, 6), 100_000)  # unhandled
    rows.account(galyna, kyiv, at(27, 6), 5_000)  # covered: no failure
    rows.account(galyna, kyiv, at(2, 12, month=3), 100_000)  # later today: open

    # Stock-outs: waiting lines.
    rows.promise(
        anna, kyiv, "tell_when_available", made_at=at(24, 10), state="kept", closed_at=at(25, 10)
    )
    rows.promise(vera, kyiv, "tell_when_available", made_at=at(25, 10), state="open")  # open
    rows.promise(
        galyna,
        kyiv,
        "tell_when_available",
        made_at=at(26, 10),
        state="broken",
        closed_at=at(28, 10),
    )

    # No table: table T5 booked first for Anna 17:00-19:00, then given to Galyna at 18:00.
    rows.booking(anna, kyiv, at(28, 17), made=at(20, 9))
    rows.booking(galyna, kyiv, at(28, 18), made=at(21, 9))  # unhandled
    rows.booking(boris, kyiv, at(28, 20), made=at(22, 9))  # after Galyna's sitting: a table
    # T6 at 12:00 and at 13:00, neither saying when it ends: a sitting is two hours.
    rows.booking(vera, kyiv, at(27, 12), made=at(20, 9), table="T6", ends=False)
    rows.booking(galyna, kyiv, at(27, 13), made=at(22, 9), table="T6", ends=False)  # unhandled
    rows.booking(boris, kyiv, at(27, 15), made=at(23, 9), table="T6", ends=False)  # after both

    # Late deliveries: the carrier's day after the promised one.
    o1 = rows.order(vera, kyiv, date(2026, 2, 26), expected_on=date(2026, 2, 28), status="shipped")
    rows.fired(vera, f"state:order:{o1}:v1", at(25, 8))  # pre-empted: she was told first
    rows.order(anna, kyiv, date(2026, 2, 27), expected_on=date(2026, 3, 1), status="delivered")
    rows.order(
        anna, kyiv, date(2026, 2, 27), expected_on=date(2026, 2, 27), status="shipped"
    )  # on time

    # Broken promises.
    rows.promise(galyna, kyiv, "call_back", due_at=at(24, 10), state="broken", closed_at=at(24, 10))
    rows.promise(
        boris, kyiv, "deliver_by", due_at=at(25, 12), state="kept_late", closed_at=at(25, 15)
    )
    rows.promise(
        vera, kyiv, "recover", due_at=at(25, 12), state="broken", closed_at=at(25, 12)
    )  # not here

    # SLA breaches.
    rows.clock(galyna, kyiv, at(24, 9), breached_at=at(24, 9), met_at=at(24, 11))  # rescued, 120
    rows.clock(anna, kyiv, at(25, 12), warned_at=at(25, 11), met_at=at(25, 11))  # pre-empted
    rows.clock(boris, lviv, at(26, 9), breached_at=at(26, 9))  # unhandled, in Lviv

    # Detractors and the next answers.
    f1 = rows.answer(vera, kyiv, "nps", 3, at(27, 12))
    rows.put(
        recovery_loops,
        answer_id=f1,
        customer_id=vera,
        location_id=kyiv,
        promise_id="prm_test",
        reasons="detractor",
        opened_at=at(27, 12),
        due_at=at(28, 12),
        state="closed",
        closed_at=at(27, 16),
    )  # rescued in 240 minutes
    rows.answer(anna, kyiv, "csat", 5, at(28, 12))  # not unhappy; Anna's next answer: 100
    rows.answer(vera, kyiv, "nps", 8, at(1, 10, month=3))  # Vera's next after her detractor: 80
    return world


def _map(world: PromiseWorld, ask: FailureAsk = WEEK) -> FailureMap:
    return read_map(world.uow, world.clock, world.admin, ask)


def _counts(found: FailureMap) -> Mapping[tuple[str, str], tuple[int, int, int, int, int]]:
    return {
        (c.touchpoint.value, c.kind.value): (c.count, c.pre_empted, c.rescued, c.unhandled, c.open)
        for c in found.cells
        if c.count
    }


def test_every_cell_of_the_failure_map_is_what_was_counted_by_hand(world: PromiseWorld) -> None:
    found = _map(world)
    # Each cell: count, then pre-empted, rescued, unhandled and open.
    assert _counts(found) == {
        ("payment", "decline"): (4, 1, 1, 1, 1),
        ("purchase", "stock_out"): (3, 0, 1, 1, 1),
        ("visit", "no_table"): (2, 0, 0, 2, 0),
        ("delivery", "late_delivery"): (2, 1, 0, 1, 0),
        ("conversation", "broken_promise"): (1, 0, 0, 1, 0),
        ("delivery", "broken_promise"): (1, 0, 1, 0, 0),
        ("conversation", "sla_breach"): (3, 1, 1, 1, 0),
        ("delivery", "detractor"): (1, 0, 1, 0, 0),
    }
    assert found.total == 17
    assert found.largest == 4


def test_a_cell_gives_its_time_to_recovery_and_the_emotion_of_the_next_answer(
    world: PromiseWorld,
) -> None:
    found = _map(world)
    declines = found.cell(Touchpoint.PAYMENT, FailureKind.DECLINE)
    assert declines.recovery_median_minutes == 240  # Boris's dessert four hours after
    # Anna's next answer (CSAT 5: 100) follows her pre-empted decline; Vera's (NPS 3: 30) her
    # unhandled one; Boris and Galyna answered nothing.
    assert (declines.with_next_feedback, declines.next_emotion_mean) == (2, 65.0)
    breaches = found.cell(Touchpoint.CONVERSATION, FailureKind.SLA_BREACH)
    assert breaches.recovery_median_minutes == 120
    detractors = found.cell(Touchpoint.DELIVERY, FailureKind.DETRACTOR)
    assert (detractors.recovery_median_minutes, detractors.next_emotion_mean) == (240, 80.0)
    late = found.cell(Touchpoint.DELIVERY, FailureKind.BROKEN_PROMISE)
    assert late.recovery_median_minutes == 180  # kept three hours late


def test_a_cell_opens_onto_its_cases_newest_first(world: PromiseWorld) -> None:
    ask = FailureAsk(
        WEEK.since, WEEK.until, touchpoint=Touchpoint.PAYMENT, kind=FailureKind.DECLINE
    )
    found = _map(world, ask)
    assert [c.outcome for c in found.cases] == [
        Outcome.OPEN,
        Outcome.UNHANDLED,
        Outcome.RESCUED,
        Outcome.PRE_EMPTED,
    ]
    assert found.cases[2].recovery_minutes == 240


def test_one_location_shows_only_its_own_failures(world: PromiseWorld) -> None:
    found = _map(world, FailureAsk(WEEK.since, WEEK.until, location_id=world.lviv.id))
    assert _counts(found) == {("conversation", "sla_breach"): (1, 0, 0, 1, 0)}


def test_a_manager_reads_the_map_of_her_own_location_only(world: PromiseWorld) -> None:
    manager = Actor(new_id("stf_"), "Taras", Role.MANAGER, frozenset({world.lviv.id}))
    found = read_map(world.uow, world.clock, manager, WEEK)
    assert found.total == 1
    with pytest.raises(Forbidden):
        read_map(world.uow, world.clock, manager, FailureAsk(location_id=world.kyiv.id))
    with pytest.raises(Forbidden):
        read_map(world.uow, world.clock, world.assistant, WEEK)


def test_a_period_whose_first_day_is_after_its_last_is_refused_naming_since(
    world: PromiseWorld,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _map(world, FailureAsk(since=date(2026, 3, 1), until=date(2026, 2, 1)))
    assert refused.value.field == "since"
