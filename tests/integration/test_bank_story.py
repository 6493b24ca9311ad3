"""Seed 002 on state: the bank calls before the card is declined, from the account Heedful keeps.

The core banking system sends each account's state; when the version that stands shows the next
charge above the balance and the limit, or the card about to expire, Heedful tells itself
(``heedful.account.at_risk``, once per charge or expiry) and the playbook asks a manager to call.
A late, older version of the account sets nothing off (ADR 0036).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dealings_world import Systems
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.customers.commands import UpdateCustomer
from heedful.core.customers.handlers import update_customer
from heedful.core.customers.model import Customer, Segment
from heedful.core.engine.reactions import process_events
from heedful.core.playbooks import handlers as playbooks
from heedful.core.shared.clock import FrozenClock
from heedful.core.tasks.model import Task, TaskKind

CALL_BEFORE_THE_DECLINE: dict[str, Any] = {
    "name": "Call before the decline",
    "trigger": {
        "event": "heedful.account.at_risk",
        "where": [{"field": "data.reason", "op": "=", "value": "charge_uncovered"}],
    },
    "customer": {"segment": ["vip"]},
    "actions": [
        {
            "do": "create_task",
            "kind": "call_customer",
            "title": "Call {{customer.name}}: the charge of {{data.amount}} {{data.currency}} "
            "is above her balance of {{data.balance}}",
            "assign_to": "role:manager",
        }
    ],
}
NEW_CARD: dict[str, Any] = {
    "name": "Send a new card before the old one expires",
    "trigger": {
        "event": "heedful.account.at_risk",
        "where": [{"field": "data.reason", "op": "=", "value": "card_expiring"}],
    },
    "actions": [
        {
            "do": "create_task",
            "kind": "call_customer",
            "title": "Card of {{customer.name}} expires {{data.card_expires}}: send a new one",
            "assign_to": "role:manager",
        }
    ],
}


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> PromiseWorld:
    return build_world(container, clock)


@pytest.fixture
def core_banking(world: PromiseWorld) -> Systems:
    return Systems(world)


def _vip(world: PromiseWorld, name: str) -> Customer:
    customer = world.customer(name)
    return update_customer(
        UpdateCustomer(customer.id, segment=Segment.VIP), world.uow, world.clock, world.admin
    )


def _account(
    systems: Systems, customer: Customer, at: datetime, balance: float, **more: Any
) -> None:
    systems.send(
        "heedful.account.upserted",
        at,
        customer={"id": customer.id},
        location=systems.world.kyiv.id,
        account="UA-0001",
        balance=balance,
        currency="UAH",
        limit=0,
        **more,
    )


def _tasks(world: PromiseWorld, customer: Customer) -> list[Task]:
    with world.uow as uow:
        return list(uow.tasks.list_for_customer(customer.id, 50))


def _playbook(world: PromiseWorld, source: dict[str, Any]) -> None:
    made = playbooks.create_playbook(source, world.uow, world.clock, world.admin)
    playbooks.set_enabled(made.id, True, world.uow, world.clock, world.admin)


def test_the_bank_calls_before_the_charge_is_declined_once_per_charge(
    world: PromiseWorld, core_banking: Systems
) -> None:
    _playbook(world, CALL_BEFORE_THE_DECLINE)
    anna = _vip(world, "Anna Kovalenko")
    tomorrow = (world.clock.now() + timedelta(days=1)).isoformat()
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

    _account(core_banking, anna, start, 3000, next_charge_at=tomorrow, next_charge_amount=1200)
    assert _tasks(world, anna) == []  # covered
    _account(
        core_banking,
        anna,
        start + timedelta(hours=2),
        300,
        next_charge_at=tomorrow,
        next_charge_amount=1200,
    )
    _account(
        core_banking,
        anna,
        start + timedelta(hours=1),
        200,
        next_charge_at=tomorrow,
        next_charge_amount=1200,
    )  # older, arrives late: changes nothing, tells nothing
    _account(
        core_banking,
        anna,
        start + timedelta(hours=3),
        250,
        next_charge_at=tomorrow,
        next_charge_amount=1200,
    )  # the same charge, still uncovered: told once
    process_events(world.container.uow, world.clock)  # the events Heedful told itself

    [task] = _tasks(world, anna)
    assert task.kind is TaskKind.CALL_CUSTOMER
    assert task.title == ("Call Anna Kovalenko: the charge of 1200 UAH is above her balance of 300")


def test_a_card_about_to_expire_asks_for_a_new_one(
    world: PromiseWorld, core_banking: Systems
) -> None:
    _playbook(world, NEW_CARD)
    anna = world.customer("Anna Kovalenko")
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    _account(core_banking, anna, start, 3000, card_expires="2026-12-31")  # far off
    _account(core_banking, anna, start + timedelta(hours=1), 3000, card_expires="2026-03-31")
    process_events(world.container.uow, world.clock)

    assert [t.title for t in _tasks(world, anna)] == [
        "Card of Anna Kovalenko expires 2026-03-31: send a new one"
    ]
