"""Look-ahead playbooks on SQLite and PostgreSQL: state read ahead of time, acted on once.

Seed 004: Olha said at her first stay "no sparkling water in my minibar" and likes two firm
pillows; her second stay is booked for tomorrow, so housekeeping prepares the room the evening
before. Seed 002: tomorrow morning's charge would be declined; the VIP's relationship manager
calls first and offers the limit, a regular client hears it from the bank before the charge.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from dealings_world import Systems
from promise_world import PromiseWorld, build_world

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.rendering import JinjaTemplateChecker
from heedful.bootstrap import Container
from heedful.core.calendar import DateOverride
from heedful.core.customers.commands import CreateCustomer
from heedful.core.customers.handlers import create_customer
from heedful.core.customers.model import Customer, Segment
from heedful.core.outreach import DEFAULT_TEMPLATES, MessageTemplate
from heedful.core.outreach.own_templates import save_template
from heedful.core.playbooks import evaluate_all
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.look_ahead_demo import (
    CALL_BEFORE_THE_CHARGE,
    CARD_EXPIRES_BEFORE_CHARGE,
    PREPARE_ROOMS_FOR_TOMORROW,
    TELL_LATE_DELIVERIES_FIRST,
)
from heedful.core.playbooks.lookahead import LookAheadReport, evaluate_location
from heedful.core.playbooks.message_templates import PLAYBOOK_TEMPLATES
from heedful.core.playbooks.model import Playbook
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Category, Polarity
from heedful.core.promises.model import PromiseKind
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import said
from heedful.core.staff import set_owner
from heedful.core.staff.model import Location, LocationKind
from heedful.core.tasks.model import TaskKind

# The conftest clock: Monday 2 March 2026, 07:00 UTC, 09:00 in Kyiv.
TOMORROW_14_KYIV = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
TOMORROW_07_KYIV = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)


@dataclass
class Business:
    world: PromiseWorld
    systems: Systems
    hotel: Location  # a hotel whose reception keeps hours: 08:00-22:00 every day

    @property
    def clock(self) -> FrozenClock:
        return self.world.clock

    def guest(self, name: str, segment: Segment = Segment.REGULAR) -> Customer:
        return create_customer(
            CreateCustomer(full_name=name, segment=segment, home_location_id=self.world.kyiv.id),
            self.world.uow,
            self.clock,
            self.world.admin,
        )

    def wish(self, guest: Customer, polarity: Polarity, subject: str, category: Category) -> None:
        record_preference(
            RecordPreference(guest.id, polarity, subject, category),
            self.world.uow,
            self.clock,
            self.world.admin,
        )

    def playbook(self, source: dict[str, Any]) -> Playbook:
        made = playbooks.create_playbook(source, self.world.uow, self.clock, self.world.admin)
        return playbooks.set_enabled(made.id, True, self.world.uow, self.clock, self.world.admin)

    def tasks(self, guest: Customer) -> list[Any]:
        with self.world.uow as uow:
            return uow.tasks.list_for_customer(guest.id, 50)

    def messages(self, guest: Customer) -> list[Any]:
        with self.world.uow as uow:
            return uow.outbox.list_for_customer(guest.id, 50)

    def account(self, guest: Customer, number: str, **fields: Any) -> None:
        self.systems.send(
            "heedful.account.upserted",
            self.clock.now(),
            customer={"id": guest.id},
            location=self.world.kyiv.id,
            account=number,
            currency="UAH",
            **fields,
        )

    def scheduled_pass(self) -> LookAheadReport:
        return evaluate_all(self.world.container.uow, self.clock)


@pytest.fixture
def business(container: Container, clock: FrozenClock) -> Business:
    world = build_world(container, clock)
    hotel = Location(
        id="loc_hotel_dnipro",
        name="Hotel Dnipro",
        kind=LocationKind.HOTEL,
        city="Kyiv",
        country="UA",
        time_zone="Europe/Kyiv",
        created_at=clock.now(),
        opening_hours={"mon-sun": ["08:00-22:00"]},
    )
    with world.uow as uow:
        uow.locations.add(hotel)
        uow.commit()
    return Business(world, Systems(world), hotel)


def _second_stay(business: Business, olha: Customer, arrival: datetime = TOMORROW_14_KYIV) -> None:
    business.systems.booking(
        olha.id, "B-2", at=business.clock.now(), arrival=arrival, location=business.hotel.id
    )


def test_tomorrows_guest_gets_her_room_prepared_the_evening_before_quoting_her_wishes(
    business: Business,
) -> None:
    olha = business.guest("Olha Bondarenko")
    business.wish(olha, Polarity.NEVER, "sparkling water in the minibar", Category.DRINK)
    business.wish(olha, Polarity.LIKE, "two firm pillows", Category.ROOM)
    business.playbook(PREPARE_ROOMS_FOR_TOMORROW)

    _second_stay(business, olha)  # the booking's change is weighed at once
    again = business.scheduled_pass()  # and the hourly pass finds it done

    [task] = business.tasks(olha)
    assert task.title == (
        "Room 512 for Olha Bondarenko (2026-03-03 14:00): "
        "no sparkling water in the minibar; two firm pillows"
    )
    # Before arrival day in business time: the reception closes at 22:00 Kyiv (20:00 UTC).
    assert task.due_at == datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    assert task.location_id == business.hotel.id
    assert (again.fired, again.already) == (0, 1)


def test_a_closed_evening_moves_the_deadline_to_the_last_open_day(business: Business) -> None:
    olha = business.guest("Olha Bondarenko")
    business.wish(olha, Polarity.NEVER, "sparkling water", Category.DRINK)
    with business.world.uow as uow:
        uow.calendar_days.put(business.hotel.id, DateOverride(date(2026, 3, 3), (), "closed"))
        uow.commit()
    business.playbook(PREPARE_ROOMS_FOR_TOMORROW)
    business.clock.advance(timedelta(days=1))  # Tuesday: the arrival is on Wednesday

    _second_stay(business, olha, arrival=TOMORROW_14_KYIV + timedelta(days=1))

    [task] = business.tasks(olha)
    assert task.title.endswith("no sparkling water")
    assert task.due_at == datetime(2026, 3, 2, 20, 0, tzinfo=UTC)  # Monday 22:00, not Tuesday


def test_a_guest_without_wishes_and_a_later_arrival_give_no_task(business: Business) -> None:
    plain = business.guest("Petro Shevchuk")
    olha = business.guest("Olha Bondarenko")
    business.wish(olha, Polarity.NEVER, "feather pillows", Category.ROOM)
    business.playbook(PREPARE_ROOMS_FOR_TOMORROW)

    _second_stay(business, plain)
    _second_stay(business, olha, arrival=TOMORROW_14_KYIV + timedelta(days=2))
    business.scheduled_pass()
    assert business.tasks(plain) == []
    assert business.tasks(olha) == []

    business.clock.advance(timedelta(days=2))  # now her arrival is tomorrow
    assert business.scheduled_pass().fired == 1
    assert [t.title.split(": ")[-1] for t in business.tasks(olha)] == ["no feather pillows"]


def test_the_vip_owner_calls_and_the_regular_client_is_told_before_the_charge(
    business: Business,
) -> None:
    world = business.world
    anna = business.guest("Anna Kovalenko", Segment.VIP)
    ivan = business.guest("Ivan Hrytsenko", Segment.VIP)  # a VIP nobody owns
    boris = business.guest("Boris Orlov")
    set_owner(anna.id, world.kyiv.id, world.assistant.id, world.uow, business.clock, world.admin)
    business.playbook(CALL_BEFORE_THE_CHARGE)

    for who, number in ((anna, "UA-1"), (ivan, "UA-2"), (boris, "UA-3")):
        business.account(
            who,
            number,
            balance=300,
            limit=500,
            next_charge_at=TOMORROW_07_KYIV.isoformat(),
            next_charge_amount=1200,
        )
    business.scheduled_pass()

    [call] = business.tasks(anna)
    assert call.kind is TaskKind.CALL_CUSTOMER
    assert call.assignee_id == world.assistant.id  # her owner
    assert call.title == (
        "Call Anna Kovalenko: the charge of 1200 UAH at 2026-03-03 07:00 is 400 short"
    )
    assert call.note == "Offer to raise the limit, as an exception"
    assert (call.goodwill_amount, call.due_at) == (Decimal("5000.00"), TOMORROW_07_KYIV)
    [fallback] = business.tasks(ivan)
    assert (fallback.assignee_id, fallback.assignee_role.value) == (None, "manager")
    assert business.messages(anna) == []
    assert business.tasks(boris) == []
    assert [m.template_key for m in business.messages(boris)] == ["charge_will_fail"]


def test_a_covered_charge_or_one_after_eight_tomorrow_is_left_alone(business: Business) -> None:
    anna = business.guest("Anna Kovalenko", Segment.VIP)
    boris = business.guest("Boris Orlov")
    business.playbook(CALL_BEFORE_THE_CHARGE)
    business.account(
        anna,
        "UA-1",
        balance=900,
        limit=500,
        next_charge_at=TOMORROW_07_KYIV.isoformat(),
        next_charge_amount=1200,
    )
    at_nine = TOMORROW_07_KYIV + timedelta(hours=2)
    business.account(
        boris, "UA-3", balance=0, next_charge_at=at_nine.isoformat(), next_charge_amount=1200
    )
    assert business.scheduled_pass().fired == 0
    assert business.tasks(anna) == []
    assert business.messages(boris) == []


def test_a_late_delivery_is_told_first_with_a_new_dated_promise(business: Business) -> None:
    vera = business.guest("Vera Lysenko")
    business.playbook(TELL_LATE_DELIVERIES_FIRST)

    business.systems.send(
        "heedful.order.upserted",
        business.clock.now(),
        customer={"id": vera.id},
        location=business.world.kyiv.id,
        order="1042",
        status="shipped",
        promised="2026-03-04",
        expected="2026-03-06",
        carrier="Nova Poshta",
    )

    assert [m.template_key for m in business.messages(vera)] == ["delivery_late"]
    with business.world.uow as uow:
        [promise] = uow.promises.find(PromiseFilter(customer_id=vera.id), 10)
    assert (promise.kind, promise.reference) == (PromiseKind.DELIVER_BY, "1042")
    assert promise.due_at == datetime(2026, 3, 6, 22, 0, tzinfo=UTC)  # end of Fri 6 March, Kyiv


def test_a_card_expiring_before_its_next_charge_gets_a_reminder(business: Business) -> None:
    anna = business.guest("Anna Kovalenko")
    business.playbook(CARD_EXPIRES_BEFORE_CHARGE)
    business.account(
        anna,
        "UA-1",
        balance=5000,
        next_charge_at=datetime(2026, 3, 5, 7, 0, tzinfo=UTC).isoformat(),
        next_charge_amount=100,
        card_expires="2026-03-04",
    )
    business.scheduled_pass()
    assert [m.template_key for m in business.messages(anna)] == ["card_expiring"]


def test_a_new_version_fires_again_for_the_same_booking_but_a_restart_does_not(
    business: Business,
) -> None:
    olha = business.guest("Olha Bondarenko")
    business.wish(olha, Polarity.NEVER, "sparkling water", Category.DRINK)
    playbook = business.playbook(PREPARE_ROOMS_FOR_TOMORROW)
    _second_stay(business, olha)
    business.scheduled_pass()
    business.scheduled_pass()  # a restart, a second worker: the keys are in the database
    assert len(business.tasks(olha)) == 1

    changed = {**PREPARE_ROOMS_FOR_TOMORROW, "name": "Housekeeping, v2"}
    world = business.world
    playbooks.update_playbook(playbook.id, changed, world.uow, business.clock, world.admin)
    assert business.scheduled_pass().fired == 1
    firings = playbooks.list_firings(playbook.id, world.uow, world.admin)
    assert sorted(f.version for f in firings) == [1, 2]


def test_a_firing_that_cannot_be_done_is_set_aside_and_the_rest_of_the_window_fires(
    business: Business,
) -> None:
    """The window is claimed and written in bulk; one refusal never stops it, nor takes its key."""
    world = business.world
    anna = business.guest("Anna Kovalenko", Segment.VIP)
    boris = business.guest("Boris Orlov")
    for who, number in ((anna, "UA-1"), (boris, "UA-2")):
        business.account(
            who,
            number,
            balance=0,
            next_charge_at=TOMORROW_07_KYIV.isoformat(),
            next_charge_amount=900,
        )
    [vip] = CALL_BEFORE_THE_CHARGE["branches"]
    [call] = vip["actions"]
    to_iryna = {**vip, "actions": [{**call, "assign_to": f"staff:{world.assistant.id}"}]}
    business.playbook({**CALL_BEFORE_THE_CHARGE, "branches": [to_iryna]})
    with world.uow as uow:
        iryna = uow.staff.get(world.assistant.id)
        assert iryna is not None
        iryna.active = False  # she left after the playbook named her
        uow.staff.update(iryna)
        uow.commit()

    first = business.scheduled_pass()

    assert (first.fired, len(first.skipped)) == (1, 1)
    assert f"no active staff member {world.assistant.id}" in first.skipped[0]
    assert [m.template_key for m in business.messages(boris)] == ["charge_will_fail"]
    assert business.tasks(anna) == []
    again = business.scheduled_pass()  # her key was never taken: tried again, set aside again
    assert (again.fired, again.already, len(again.skipped)) == (0, 1, 1)


def _two_passes_at_once(
    business: Business, playbook: Playbook, place: Location
) -> list[LookAheadReport]:
    """Two workers evaluate the location's window at the same moment; both have finished."""
    container, now = business.world.container, business.clock.now()
    reports = [LookAheadReport(), LookAheadReport()]

    def worker(report: LookAheadReport) -> None:
        with container.uow() as uow:
            evaluate_location(uow, [playbook], place.id, place.time_zone, now, report)
            uow.commit()

    with container.uow() as uow:
        evaluate_location(uow, [playbook], place.id, place.time_zone, now, reports[0])
        other = threading.Thread(target=worker, args=(reports[1],))
        other.start()  # on PostgreSQL it waits on the key; on SQLite on the single writer
        uow.commit()
    other.join(timeout=30)
    assert not other.is_alive()
    return reports


def test_two_workers_evaluating_at_once_fire_once(business: Business) -> None:
    """Both units of work act; the unique key lets one commit and makes the other do nothing."""
    olha = business.guest("Olha Bondarenko")
    business.wish(olha, Polarity.NEVER, "sparkling water", Category.DRINK)
    _second_stay(business, olha)  # stored before the playbook exists: nothing fired yet
    playbook = business.playbook(PREPARE_ROOMS_FOR_TOMORROW)
    reports = _two_passes_at_once(business, playbook, business.hotel)
    assert sorted(r.fired for r in reports) == [0, 1]
    assert len(business.tasks(olha)) == 1


def test_the_dry_run_says_what_would_have_fired_for_whom_and_why_without_writing(
    business: Business,
) -> None:
    world = business.world
    olha = business.guest("Olha Bondarenko")
    business.wish(olha, Polarity.NEVER, "sparkling water in the minibar", Category.DRINK)
    _second_stay(business, olha)
    business.clock.advance(timedelta(days=3))  # she has come and gone
    made = playbooks.create_playbook(
        PREPARE_ROOMS_FOR_TOMORROW, world.uow, business.clock, world.admin
    )

    now = business.clock.now()
    report = playbooks.dry_run(made.id, now - timedelta(days=7), now, world.uow, world.admin)

    [would] = report.would_fire
    assert would.customer_id == olha.id
    # The first hourly pass that saw her arrival as "tomorrow": Monday 00:00 Kyiv.
    assert would.happened_at == datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
    assert said(would.reasons[0]) == "Stays, by arrival: B-2, tomorrow"
    assert "data.wishes 'no sparkling water in the minibar' != ''" in would.reasons
    assert said(would.actions[0]).startswith("task “Room 512 for Olha Bondarenko")
    assert business.tasks(olha) == []
    assert playbooks.list_firings(made.id, world.uow, world.admin) == []


def test_reading_refuses_a_look_ahead_without_a_horizon_naming_the_path() -> None:
    from heedful.core.playbooks.reading import read_playbook

    broken = {**PREPARE_ROOMS_FOR_TOMORROW, "trigger": {"state": "stays"}}
    with pytest.raises(InvalidInput) as refused:
        read_playbook(broken)
    assert refused.value.field == "trigger.horizon"
    bad_time = {
        **PREPARE_ROOMS_FOR_TOMORROW,
        "trigger": {"state": "charges", "horizon": {"days_ahead": 1, "before": "8am"}},
    }
    with pytest.raises(InvalidInput) as refused:
        read_playbook(bad_time)
    assert refused.value.field == "trigger.horizon.before"
    branch = {
        **CALL_BEFORE_THE_CHARGE,
        "branches": [{"when": {"customer": {"segment": ["gold"]}}, "actions": []}],
    }
    with pytest.raises(InvalidInput) as refused:
        read_playbook(branch)
    assert refused.value.field == "branches[0].when.customer.segment[0]"


def test_the_worker_takes_each_location_at_the_top_of_its_own_hour(business: Business) -> None:
    olha = business.guest("Olha Bondarenko")
    business.wish(olha, Polarity.NEVER, "sparkling water", Category.DRINK)
    _second_stay(business, olha)  # before the playbook: only a pass can find it
    business.playbook(PREPARE_ROOMS_FOR_TOMORROW)
    uow_factory = business.world.container.uow

    first = evaluate_all(uow_factory, business.clock, only_when_due=True)
    assert (first.locations, first.fired) == (3, 1)  # Kyiv, Lviv and the hotel, each claimed
    assert evaluate_all(uow_factory, business.clock, only_when_due=True).locations == 0
    business.clock.advance(timedelta(minutes=59, seconds=59))  # 09:59:59 in Kyiv
    assert evaluate_all(uow_factory, business.clock, only_when_due=True).locations == 0
    business.clock.advance(timedelta(seconds=1))
    assert evaluate_all(uow_factory, business.clock, only_when_due=True).locations == 3
    assert len(business.tasks(olha)) == 1


def test_a_task_for_her_owner_goes_to_the_managers_once_the_owner_has_left(
    business: Business,
) -> None:
    world = business.world
    anna = business.guest("Anna Kovalenko", Segment.VIP)
    set_owner(anna.id, world.kyiv.id, world.assistant.id, world.uow, business.clock, world.admin)
    with world.uow as uow:
        member = uow.staff.get(world.assistant.id)
        assert member is not None
        member.active = False
        uow.staff.update(member)
        uow.commit()
    business.playbook(CALL_BEFORE_THE_CHARGE)
    business.account(
        anna,
        "UA-1",
        balance=0,
        next_charge_at=TOMORROW_07_KYIV.isoformat(),
        next_charge_amount=1200,
    )
    [task] = business.tasks(anna)
    assert (task.assignee_id, task.assignee_role.value) == (None, "manager")


def test_an_owner_must_work_at_the_location(business: Business) -> None:
    world = business.world
    anna = business.guest("Anna Kovalenko")
    with pytest.raises(InvalidInput) as refused:
        set_owner(
            anna.id, world.lviv.id, world.assistant.id, world.uow, business.clock, world.admin
        )
    assert refused.value.field == "staff_id"


def test_the_crm_names_her_owner_by_event_and_the_call_goes_to_him(business: Business) -> None:
    world = business.world
    anna = business.guest("Anna Kovalenko", Segment.VIP)
    with world.uow as uow:
        iryna = uow.staff.get(world.assistant.id)
    assert iryna is not None
    business.systems.send(
        "heedful.owner.assigned",
        business.clock.now(),
        customer={"id": anna.id},
        location=world.kyiv.id,
        staff=iryna.login,
    )
    business.systems.send(
        "heedful.owner.assigned",
        business.clock.now(),
        customer={"id": anna.id},
        location=world.kyiv.id,
        staff="nobody-here",
    )
    business.playbook(CALL_BEFORE_THE_CHARGE)
    business.account(
        anna, "UA-1", balance=0, next_charge_at=TOMORROW_07_KYIV.isoformat(), next_charge_amount=900
    )

    [task] = business.tasks(anna)
    assert task.assignee_id == iryna.id
    assert any(
        "no active staff member nobody-here" in s for s in business.systems.reports[1].skipped
    )


# --- state a text may quote (ADR 0049) ---


def test_a_task_title_quotes_the_booking_her_never_and_the_orders_promised_date(
    business: Business,
) -> None:
    olha = business.guest("Olha Bondarenko")
    business.wish(olha, Polarity.NEVER, "sparkling water in the minibar", Category.DRINK)
    business.playbook(
        {
            "name": "Prepare the room, quoting the booking",
            "trigger": {"state": "stays", "horizon": {"days_ahead": 1}},
            "actions": [
                {
                    "do": "create_task",
                    "title": "Room {{ booking.room }} ({{ booking.room_type }}), "
                    "{{ booking.starts_on }} to {{ booking.ends_on }}, {{ booking.nights }} "
                    "nights: never {{ customer.preferences.never }}",
                    "assign_to": "role:agent",
                }
            ],
        }
    )
    business.playbook(
        {
            "name": "Late order, quoting its promised date",
            "trigger": {"state": "orders", "horizon": {"within_hours": 72}},
            "actions": [
                {
                    "do": "create_task",
                    "title": "Order {{ order.reference }} was promised {{ order.promised_date }}, "
                    "{{ order.carrier }} says {{ order.expected_date }}",
                    "assign_to": "role:agent",
                }
            ],
        }
    )

    _second_stay(business, olha)
    business.systems.send(
        "heedful.order.upserted",
        business.clock.now(),
        customer={"id": olha.id},
        location=business.world.kyiv.id,
        order="1042",
        status="shipped",
        promised="2026-03-04",
        expected="2026-03-06",
        carrier="Nova Poshta",
    )

    titles = sorted(task.title for task in business.tasks(olha))
    assert titles == [
        "Order 1042 was promised 2026-03-04, Nova Poshta says 2026-03-06",
        "Room 512 (Deluxe), 2026-03-03 to 2026-03-05, 2 nights: "
        "never sparkling water in the minibar",
    ]


@pytest.mark.parametrize(
    ("state", "title", "unknown"),
    [
        ("stays", "Room {{ booking.rooom }}", "booking.rooom"),
        ("stays", "Never {{ customer.preferences.nevr }}", "customer.preferences.nevr"),
        ("stays", "Promised {{ order.promised_date }}", "order.promised_date"),  # not an order
        ("orders", "Room {{ booking.room }}", "booking.room"),
    ],
)
def test_a_name_nothing_provides_is_refused_when_the_playbook_is_saved(
    business: Business, state: str, title: str, unknown: str
) -> None:
    source = {
        "name": "Quoting",
        "trigger": {"state": state, "horizon": {"days_ahead": 1}},
        "actions": [{"do": "create_task", "title": title, "assign_to": "role:agent"}],
    }
    with pytest.raises(InvalidInput) as refused:
        playbooks.create_playbook(source, business.world.uow, business.clock, business.world.admin)
    assert refused.value.field == "actions[0].title"
    assert f"unknown variable {unknown}" in refused.value.message


def test_a_late_delivery_message_quotes_the_orders_promised_date_from_its_record(
    business: Business,
) -> None:

    built_in = (*DEFAULT_TEMPLATES, *PLAYBOOK_TEMPLATES)
    checker, world = JinjaTemplateChecker(), business.world
    own = MessageTemplate(
        "delivery_late",
        "en",
        "Order {{ order.reference }}",
        "Promised {{ order.promised_date }}; "
        "{{ order.carrier }} now says {{ order.expected_date }}.",
    )
    save_template(own, built_in, checker, world.uow, business.clock, world.admin)
    with pytest.raises(InvalidInput) as refused:  # a back-in-stock notice has no order
        save_template(
            MessageTemplate("back_in_stock", "en", "Back", "Promised {{ order.promised_date }}"),
            built_in,
            checker,
            world.uow,
            business.clock,
            world.admin,
        )
    assert (refused.value.field, "order.promised_date" in refused.value.message) == ("text", True)
    vera = business.guest("Vera Lysenko")
    business.playbook(TELL_LATE_DELIVERIES_FIRST)

    business.systems.send(
        "heedful.order.upserted",
        business.clock.now(),
        customer={"id": vera.id},
        location=business.world.kyiv.id,
        order="1042",
        status="shipped",
        promised="2026-03-04",
        expected="2026-03-06",
        carrier="Nova Poshta",
    )

    [message] = business.messages(vera)
    composer = JinjaComposer(built_in)
    with world.uow as uow:
        mine = uow.message_templates.for_key("delivery_late")
    composed = composer.compose("delivery_late", ["en"], message.context, mine)
    assert composed.text == "Promised 2026-03-04; Nova Poshta now says 2026-03-06."
    in_ukrainian = composer.compose("delivery_late", ["uk"], message.context, mine)
    assert in_ukrainian.subject == "Замовлення 1042: нова дата 2026-03-06"


def _late_order(business: Business, who: Customer, number: str, expected: str) -> None:
    business.systems.send(
        "heedful.order.upserted",
        business.clock.now(),
        customer={"id": who.id},
        location=business.world.kyiv.id,
        order=number,
        status="shipped",
        promised="2026-03-04",
        expected=expected,
        carrier="Nova Poshta",
    )


def _deliver_by(business: Business) -> list[Any]:
    with business.world.uow as uow:
        found = uow.promises.find(PromiseFilter(), 50)
    return [p for p in found if p.kind is PromiseKind.DELIVER_BY]


def test_new_dated_promises_are_made_for_a_whole_window_at_once_and_once_per_version(
    business: Business,
) -> None:
    """The pass's bulk path makes the promises: built first, written by one statement per
    table with their timers and audit entries, each once per customer, order and version."""
    vera, marko = business.guest("Vera Lysenko"), business.guest("Marko Shevchuk")
    _late_order(business, vera, "1042", "2026-03-06")
    _late_order(business, vera, "1043", "2026-03-07")
    _late_order(business, marko, "2001", "2026-03-06")
    playbook = business.playbook(TELL_LATE_DELIVERIES_FIRST)  # after the orders: the pass acts

    first = business.scheduled_pass()
    again = business.scheduled_pass()  # a restart: the keys are in the database

    assert (first.fired, again.fired, again.already) == (3, 0, 3)
    made = _deliver_by(business)
    assert sorted((p.customer_id, p.reference, p.due_at) for p in made) == sorted(
        [
            (vera.id, "1042", datetime(2026, 3, 6, 22, 0, tzinfo=UTC)),
            (vera.id, "1043", datetime(2026, 3, 7, 22, 0, tzinfo=UTC)),
            (marko.id, "2001", datetime(2026, 3, 6, 22, 0, tzinfo=UTC)),
        ]
    )
    assert len({p.sequence for p in made}) == 3  # each has its own place in the ledger
    assert [m.template_key for m in business.messages(marko)] == ["delivery_late"]
    with business.world.uow as uow:
        timers = uow.timers.due(datetime(2026, 3, 31, tzinfo=UTC), 50)
        logged = [e for e in uow.audit.list_for(vera.id, 50) if e.action == "promise.made"]
    # A reminder a day before and the deadline itself, for each promise.
    assert sorted(t.subject_id for t in timers) == sorted(p.id for p in made for _ in (1, 2))
    assert len(logged) == 2

    changed = {**TELL_LATE_DELIVERIES_FIRST, "name": "Late delivery, v2"}
    world = business.world
    playbooks.update_playbook(playbook.id, changed, world.uow, business.clock, world.admin)
    assert business.scheduled_pass().fired == 3  # a new version fires again, once
    assert len(_deliver_by(business)) == 6


def test_two_workers_making_promises_at_once_make_each_once(business: Business) -> None:
    vera = business.guest("Vera Lysenko")
    _late_order(business, vera, "1042", "2026-03-06")
    playbook = business.playbook(TELL_LATE_DELIVERIES_FIRST)
    reports = _two_passes_at_once(business, playbook, business.world.kyiv)
    assert sorted(r.fired for r in reports) == [0, 1]
    [promise] = _deliver_by(business)
    assert promise.reference == "1042"
