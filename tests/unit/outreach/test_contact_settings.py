"""Quiet hours and caps set by the business per purpose, and a customer's own, which win
(``core/outreach/contact_settings``, ADR 0043)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from unit.ledger_world import LedgerWorld, a_ledger_world

from heedful.core.access import Actor, Role
from heedful.core.customers import Channel, Purpose
from heedful.core.outreach.contact_settings import (
    PurposeRules,
    list_business_rules,
    set_business_rules,
    set_customer_rules,
)
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.shared.errors import Forbidden, InvalidInput
from heedful.core.shared.ids import new_id

# 10:00 in Kyiv (UTC+2 in March): outside the built-in quiet hours.
MORNING_IN_KYIV = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _world() -> LedgerWorld:
    world = a_ledger_world()
    world.shop.clock.set(MORNING_IN_KYIV)
    return world


def _queue(world: LedgerWorld, customer_id: str, purpose: Purpose) -> None:
    now = world.shop.clock.now()
    with world.uow as uow:
        uow.outbox.add(Message(new_id("msg_"), customer_id, "offer", purpose, now, now))
        uow.commit()


def test_the_built_in_rules_hold_until_the_business_sets_its_own() -> None:
    world = _world()
    rules = list_business_rules(world.uow, world.shop.admin)
    assert rules[Purpose.MARKETING].cap == 2
    assert rules[Purpose.SERVICE].cap is None
    assert rules[Purpose.SERVICE].quiet_from == time(21, 0)


def test_quiet_hours_set_for_a_purpose_hold_its_messages_and_are_audited() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    siesta = PurposeRules(Purpose.SERVICE, time(9, 0), time(12, 0), None, 7)
    set_business_rules(siesta, world.uow, world.shop.clock, world.shop.admin)
    _queue(world, anna.id, Purpose.SERVICE)

    report = world.relay()

    assert (report.held, report.sent) == (1, 0)
    [held] = world.messages(anna)
    assert held.ready_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # 12:00 in Kyiv
    [entry] = [e for e in world.shop.uow.audit_entries() if e.action == "contact_rules.changed"]
    assert entry.after == {"quiet_hours": "09:00-12:00", "cap": None, "cap_window_days": 7}


def test_a_cap_set_for_a_purpose_caps_it() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    one_a_week = PurposeRules(Purpose.SERVICE, time(21, 0), time(9, 0), 1, 7)
    set_business_rules(one_a_week, world.uow, world.shop.clock, world.shop.admin)
    _queue(world, anna.id, Purpose.SERVICE)
    world.relay()
    _queue(world, anna.id, Purpose.SERVICE)

    world.relay()

    assert sorted(m.status for m in world.messages(anna)) == sorted(
        [MessageStatus.SENT, MessageStatus.CAPPED]
    )


def test_her_own_quiet_hours_win_over_the_business_s() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    # She works nights: quiet from 08:00 to 16:00 her time, though the business's are 21-09.
    set_customer_rules(
        anna.id, time(8, 0), time(16, 0), (), world.uow, world.shop.clock, world.shop.admin
    )
    _queue(world, anna.id, Purpose.SERVICE)

    assert world.relay().held == 1
    [held] = world.messages(anna)
    assert held.ready_at == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 16:00 in Kyiv


def test_her_channel_order_wins() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com", phone="+380671234567")
    set_customer_rules(
        anna.id, None, None, (Channel.SMS,), world.uow, world.shop.clock, world.shop.admin
    )
    _queue(world, anna.id, Purpose.SERVICE)

    world.relay()

    assert [e.channel for e in world.sms.received] == [Channel.SMS]


def test_half_a_quiet_hours_or_a_channel_twice_is_refused_naming_the_field() -> None:
    world = _world()
    anna = world.customer("Anna", email="anna@example.com")
    with pytest.raises(InvalidInput) as half:
        set_customer_rules(
            anna.id, time(8, 0), None, (), world.uow, world.shop.clock, world.shop.admin
        )
    assert half.value.field == "quiet_until"
    with pytest.raises(InvalidInput) as twice:
        set_customer_rules(
            anna.id,
            None,
            None,
            (Channel.SMS, Channel.SMS),
            world.uow,
            world.shop.clock,
            world.shop.admin,
        )
    assert twice.value.field == "channels[0]"


def test_only_admins_set_the_business_s_rules() -> None:
    world = _world()
    manager = Actor("stf_m", "Manager", Role.MANAGER, frozenset({world.shop.kyiv.id}))
    rules = PurposeRules(Purpose.MARKETING, time(20, 0), time(10, 0), 1, 7)
    with pytest.raises(Forbidden):
        set_business_rules(rules, world.uow, world.shop.clock, manager)
