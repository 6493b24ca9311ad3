"""Playbooks on SQLite and PostgreSQL: events in, tasks, messages and promises out, once each.

The bank of seed 002: Taras looks after Anna, a VIP, at the Kyiv branch. When tomorrow's charge
exceeds her balance the engine asks him to call her first, with a goodwill allowance.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from promise_world import PromiseWorld, build_world

from heedful.bootstrap import Container
from heedful.core.access.model import Actor, Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import CreateCustomer, NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import create_customer, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer, Segment
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryEntry, HistoryKind
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.demo import (
    BANK_CALL_BEFORE_DECLINE,
    BRAND_IN_YOUR_SIZE,
    HOTEL_DEAL_AT_FAVOURITE_HOTEL,
)
from heedful.core.playbooks.model import Firing, Playbook
from heedful.core.preferences.handlers import RecordPreference, record_preference
from heedful.core.preferences.model import Category, Polarity, Preference, Source
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.model import PromiseKind, PromiseState
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import said
from heedful.core.staff.model import StaffMember
from heedful.core.tasks.model import TaskKind


@dataclass
class Bank:
    world: PromiseWorld
    taras: StaffMember  # a manager at Kyiv, who looks after Anna
    sent: int = 0

    @property
    def clock(self) -> FrozenClock:
        return self.world.clock

    def client(
        self,
        name: str,
        *,
        segment: Segment = Segment.VIP,
        phone: str | None = None,
        language: str = "uk",
        consent: tuple[Channel, Purpose] | None = (Channel.PHONE, Purpose.SERVICE),
    ) -> Customer:
        customer = create_customer(
            CreateCustomer(
                full_name=name,
                language=language,
                segment=segment,
                home_location_id=self.world.kyiv.id,
                identities=(NewIdentity(IdentityKind.PHONE, phone),) if phone else (),
            ),
            self.world.uow,
            self.clock,
            self.world.admin,
        )
        if consent is not None:
            channel, purpose = consent
            record_consent(
                RecordConsent(customer.id, channel, purpose, granted=True, how="branch"),
                self.world.uow,
                self.clock,
                self.world.admin,
            )
        return customer

    def likes(self, customer: Customer, category: Category, subject: str, by: Actor) -> None:
        record_preference(
            RecordPreference(customer.id, Polarity.LIKE, subject, category),
            self.world.uow,
            self.clock,
            by,
        )

    def send(self, event_type: str, **data: Any) -> str:
        self.sent += 1
        event = BusinessEvent(
            source="core-banking", id=f"evt-{self.sent}", type=event_type, data=data
        )
        with self.world.uow as uow:
            uow.events.accept([event], received_at=self.clock.now())
            uow.commit()
        return f"{event.source}/{event.id}"

    def charge(self, customer: Customer, amount: float, balance: float) -> str:
        return self.send(
            "heedful.charge.scheduled",
            customer={"id": customer.id},
            account="UA-0001",
            amount=amount,
            balance=balance,
            currency="UAH",
            due_at=(self.clock.now() + timedelta(days=1)).isoformat(),
        )

    def run(self) -> int:
        return process_events(self.world.container.uow, self.clock).fired

    def playbook(self, source: dict[str, Any], *, enabled: bool = True) -> Playbook:
        made = playbooks.create_playbook(source, self.world.uow, self.clock, self.world.admin)
        if enabled:
            playbooks.set_enabled(made.id, True, self.world.uow, self.clock, self.world.admin)
        return made

    def firings(self, playbook: Playbook) -> list[Firing]:
        return playbooks.list_firings(playbook.id, self.world.uow, self.world.admin)

    def tasks_for(self, customer: Customer) -> list[Any]:
        with self.world.uow as uow:
            return uow.tasks.list_for_customer(customer.id, 50)

    def messages_for(self, customer: Customer) -> list[Any]:
        return self.messages_for_id(customer.id)

    def messages_for_id(self, customer_id: str) -> list[Any]:
        with self.world.uow as uow:
            return uow.outbox.list_for_customer(customer_id, 50)


@pytest.fixture
def bank(container: Container, clock: FrozenClock) -> Bank:
    world = build_world(container, clock)
    taras = StaffMember(
        id=new_id("stf_"),
        login=f"taras-{new_id()[:6]}",
        full_name="Taras Bondar",
        role=Role.MANAGER,
        language="uk",
        password_hash="-",
        created_at=clock.now(),
        location_ids=frozenset({world.kyiv.id}),
    )
    with world.uow as uow:
        uow.staff.add(taras)
        uow.commit()
    return Bank(world, taras)


def _as(member: StaffMember) -> Actor:
    return member.as_actor()


def test_the_bank_calls_its_vip_before_the_decline_through_her_relationship_manager(
    bank: Bank,
) -> None:
    anna = bank.client("Anna Kovalenko")
    boris = bank.client("Boris Lysenko", segment=Segment.REGULAR)
    bank.likes(anna, Category.COMMUNICATION, "calls after 10", by=_as(bank.taras))
    playbook = bank.playbook(BANK_CALL_BEFORE_DECLINE)

    bank.charge(anna, amount=1200, balance=300)
    bank.charge(boris, amount=1200, balance=300)  # not a VIP
    bank.charge(anna, amount=200, balance=300)  # covered
    assert bank.run() == 1

    [task] = bank.tasks_for(anna)
    assert task.kind is TaskKind.CALL_CUSTOMER
    assert task.assignee_id == bank.taras.id
    assert task.location_id == bank.world.kyiv.id
    assert task.title == "Call Anna Kovalenko: offer a limit increase before the charge of 1200 UAH"
    assert (task.goodwill_amount, task.goodwill_currency) == (Decimal(500), "UAH")
    assert task.due_at == bank.clock.now() + timedelta(minutes=240)
    assert bank.tasks_for(boris) == []
    [firing] = bank.firings(playbook)
    assert firing.version == 1
    assert firing.customer_id == anna.id
    reasons = [said(line) for line in firing.reasons]
    assert "data.amount 1200 > data.balance 300" in reasons
    assert "segment is VIP" in reasons


def test_without_a_relationship_manager_the_task_goes_to_the_branch_managers(bank: Bank) -> None:
    anna = bank.client("Anna Kovalenko")
    bank.playbook(BANK_CALL_BEFORE_DECLINE)
    bank.charge(anna, amount=1200, balance=300)
    bank.run()
    [task] = bank.tasks_for(anna)
    assert (task.assignee_id, task.assignee_role) == (None, Role.MANAGER)


def test_a_disabled_playbook_does_nothing(bank: Bank) -> None:
    anna = bank.client("Anna Kovalenko")
    playbook = bank.playbook(BANK_CALL_BEFORE_DECLINE, enabled=False)
    bank.charge(anna, amount=1200, balance=300)
    assert bank.run() == 0
    playbooks.set_enabled(playbook.id, True, bank.world.uow, bank.clock, bank.world.admin)
    playbooks.set_enabled(playbook.id, False, bank.world.uow, bank.clock, bank.world.admin)
    bank.charge(anna, amount=1200, balance=300)
    assert bank.run() == 0
    assert bank.tasks_for(anna) == []
    assert bank.firings(playbook) == []


def _once(span: str | None) -> dict[str, Any]:
    return {**BANK_CALL_BEFORE_DECLINE, "once_per_customer": span}


@pytest.mark.parametrize(
    ("span", "days_between", "tasks"),
    [
        pytest.param("ever", 400, 1, id="ever"),
        pytest.param("P30D", 0, 1, id="same 30 days"),
        pytest.param("P30D", 31, 2, id="another 30 days"),
        pytest.param(None, 0, 2, id="once per event"),
    ],
)
def test_once_per_customer_holds_across_events(
    bank: Bank, span: str | None, days_between: int, tasks: int
) -> None:
    anna = bank.client("Anna Kovalenko")
    bank.playbook(_once(span))
    bank.charge(anna, amount=1200, balance=300)
    bank.run()
    bank.world.later(days=days_between)
    bank.charge(anna, amount=1300, balance=300)
    bank.run()
    assert len(bank.tasks_for(anna)) == tasks


def test_two_workers_firing_at_once_store_one_firing_and_one_task(bank: Bank) -> None:
    """Both transactions act; the unique key lets one commit and makes the other do nothing."""
    anna = bank.client("Anna Kovalenko")
    playbook = bank.playbook(_once("ever"))
    first, second = bank.charge(anna, 1200, 300), bank.charge(anna, 1300, 300)
    from heedful.core.playbooks.firing import PlaybookIndex, fire_playbooks

    container, now = bank.world.container, bank.clock.now()
    results: dict[str, int] = {}
    with container.uow() as uow:
        stored = {f"{s.event.source}/{s.event.id}": s for s in uow.events.unprocessed(10)}
    index = PlaybookIndex([playbook_now(bank, playbook)])

    def worker(ref: str, done: threading.Event | None = None) -> None:
        with container.uow() as uow:
            results[ref] = fire_playbooks(uow, stored[ref], now, index).fired
            if done is not None:
                done.set()
            uow.commit()

    with container.uow() as uow:
        results[first] = fire_playbooks(uow, stored[first], now, index).fired
        other = threading.Thread(target=worker, args=(second,))
        other.start()  # on PostgreSQL it waits on the key; on SQLite on the single writer
        uow.commit()
    other.join(timeout=30)
    assert not other.is_alive()
    assert sorted(results.values()) == [0, 1]
    assert len(bank.tasks_for(anna)) == 1
    assert len(bank.firings(playbook)) == 1


def playbook_now(bank: Bank, playbook: Playbook) -> Playbook:
    found, _ = playbooks.get_playbook(playbook.id, bank.world.uow, bank.world.admin)
    return found


def test_a_new_version_keeps_the_old_one_and_firings_name_theirs(bank: Bank) -> None:
    anna = bank.client("Anna Kovalenko")
    playbook = bank.playbook(BANK_CALL_BEFORE_DECLINE)
    bank.charge(anna, 1200, 300)
    bank.run()
    richer = {**BANK_CALL_BEFORE_DECLINE, "name": "VIP: call before a decline (v2)"}
    changed = playbooks.update_playbook(
        playbook.id, richer, bank.world.uow, bank.clock, bank.world.admin
    )
    bank.world.later(minutes=5)
    bank.charge(anna, 1500, 300)
    bank.run()

    assert changed.version == 2
    assert changed.enabled  # a new version keeps running
    current, versions = playbooks.get_playbook(playbook.id, bank.world.uow, bank.world.admin)
    assert current.name == "VIP: call before a decline (v2)"
    assert [v.version for v in versions] == [1, 2]
    old = playbooks.get_version(playbook.id, 1, bank.world.uow, bank.world.admin)
    assert old.source["name"] == "VIP: call before a decline"
    assert [f.version for f in bank.firings(playbook)] == [2, 1]


def test_the_dry_run_explains_who_and_why_and_writes_nothing(bank: Bank) -> None:
    anna = bank.client("Anna Kovalenko")
    boris = bank.client("Boris Lysenko", segment=Segment.REGULAR)
    since = bank.clock.now()
    bank.charge(anna, 1200, 300)
    bank.charge(boris, 1200, 300)
    bank.charge(anna, 100, 300)
    bank.run()  # last month's events, processed before the playbook existed
    playbook = bank.playbook(BANK_CALL_BEFORE_DECLINE, enabled=False)
    bank.world.later(days=3)

    report = playbooks.dry_run(
        playbook.id, since, bank.clock.now(), bank.world.uow, bank.world.admin
    )

    assert (report.events, report.events_matched, report.customers, report.tasks) == (3, 2, 1, 1)
    [hit] = report.would_fire
    assert hit.customer_name == "Anna Kovalenko"
    reasons = [said(line) for line in hit.reasons]
    assert "data.amount 1200 > data.balance 300" in reasons
    assert "agreed to service messages by phone" in reasons
    assert said(hit.actions[0]).startswith("task “Call Anna Kovalenko")
    assert "goodwill up to 500 UAH" in said(hit.actions[0])
    assert bank.tasks_for(anna) == []
    assert bank.firings(playbook) == []
    # A manager of another branch learns the count, not the names.
    lviv_manager = Actor("stf_x", "Lviv manager", Role.MANAGER, frozenset({bank.world.lviv.id}))
    hidden = playbooks.dry_run(playbook.id, since, bank.clock.now(), bank.world.uow, lviv_manager)
    assert (hidden.customers, hidden.hidden, hidden.would_fire) == (1, 1, [])


def _draft(customer_rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "Probe",
        "trigger": {"event": "heedful.charge.scheduled"},
        "customer": customer_rule,
        "actions": [{"do": "send_message", "template": "promise_reminder"}],
    }


@pytest.mark.parametrize(
    ("rule", "who"),
    [
        pytest.param({"segment": ["vip", "at_risk"]}, {"Anna"}, id="segment"),
        pytest.param({"language": ["ru"]}, {"Boris"}, id="language"),
        pytest.param(
            {"consent": {"channel": "phone", "purpose": "service"}}, {"Anna"}, id="consent"
        ),
        pytest.param({"preference": {"subject_contains": "CALL"}}, {"Anna"}, id="preference"),
        pytest.param({"history": {"purchases_at_least": 2}}, {"Boris"}, id="history"),
        pytest.param(
            {"history": {"purchases_at_least": 1, "within_days": 7}}, set(), id="history window"
        ),
    ],
)
def test_each_customer_condition_chooses_its_customers(
    bank: Bank, rule: dict[str, Any], who: set[str]
) -> None:
    anna = bank.client("Anna")
    boris = bank.client("Boris", segment=Segment.REGULAR, language="ru", consent=None)
    bank.likes(anna, Category.COMMUNICATION, "Calls in the morning", by=bank.world.admin)
    for days_ago in (20, 30):
        record_history(
            RecordHistory(
                boris.id,
                HistoryKind.PURCHASE,
                bank.clock.now() - timedelta(days=days_ago),
                location_id=bank.world.kyiv.id,
            ),
            bank.world.uow,
            bank.clock,
            bank.world.admin,
        )
    since = bank.clock.now()
    bank.charge(anna, 1, 2)
    bank.charge(boris, 1, 2)
    bank.world.later(minutes=1)
    report = playbooks.dry_run(
        _draft(rule), since, bank.clock.now(), bank.world.uow, bank.world.admin
    )
    assert {hit.customer_name for hit in report.would_fire} == who


def test_a_delivery_keeps_the_promise_and_a_call_back_is_promised(bank: Bank) -> None:
    anna = bank.client("Anna Kovalenko", phone="+380501234567")
    waiting = make_promise(
        MakePromise(
            customer_id=anna.id,
            kind=PromiseKind.OTHER,
            location_id=bank.world.kyiv.id,
            text="Card reissue ready",
            reference="CARD-9",
        ),
        bank.world.uow,
        bank.clock,
        bank.world.admin,
    )
    bank.playbook(
        {
            "name": "Card ready: keep the promise, call, tell",
            "trigger": {
                "event": "heedful.order.delivered",
                "where": [{"field": "data.order_ref", "op": "in", "value": ["CARD-9", "CARD-10"]}],
            },
            "actions": [
                {"do": "close_promise", "kind": "other", "reference_from": "data.order_ref"},
                {
                    "do": "open_promise",
                    "kind": "call_back",
                    "text": "Check the card works",
                    "due_in_minutes": 1440,
                },
                {"do": "send_message", "template": "promise_reminder", "purpose": "service"},
                {
                    "do": "create_task",
                    "title": "Hand over {{data.order_ref}}",
                    "assign_to": f"staff:{bank.taras.id}",
                },
            ],
        }
    )
    bank.send("heedful.order.delivered", customer={"phone": "050 123 45 67"}, order_ref="CARD-9")
    assert bank.run() == 1

    with bank.world.uow as uow:
        promises = uow.promises.find(PromiseFilter(customer_id=anna.id), 10)
    by_kind = {p.kind: p for p in promises}
    assert by_kind[PromiseKind.OTHER].id == waiting.id
    assert by_kind[PromiseKind.OTHER].state is PromiseState.KEPT
    call = by_kind[PromiseKind.CALL_BACK]
    assert (call.state, call.due_at) == (PromiseState.OPEN, bank.clock.now() + timedelta(days=1))
    [message] = bank.messages_for(anna)
    assert (message.template_key, message.purpose) == ("promise_reminder", Purpose.SERVICE)
    [task] = bank.tasks_for(anna)
    assert (task.title, task.assignee_id) == ("Hand over CARD-9", bank.taras.id)


def test_an_offer_at_a_hotel_goes_to_its_past_guests_once_a_month(bank: Bank) -> None:
    hotel = bank.world.lviv
    guests = [
        bank.client(name, segment=Segment.REGULAR, consent=(Channel.EMAIL, Purpose.MARKETING))
        for name in ("Olha", "Petro", "Iryna")
    ]
    for guest in guests[:2]:
        record_history(
            RecordHistory(
                guest.id,
                HistoryKind.VISIT,
                bank.clock.now() - timedelta(days=90),
                location_id=hotel.id,
            ),
            bank.world.uow,
            bank.clock,
            bank.world.admin,
        )
    bank.playbook(HOTEL_DEAL_AT_FAVOURITE_HOTEL)
    bank.send("heedful.offer.published", location=hotel.id, title="Spa weekend -30%")
    bank.send("heedful.offer.published", location=hotel.id, title="Spa weekend -35%")
    bank.send("heedful.offer.published", location=bank.world.kyiv.id, title="Elsewhere")
    assert bank.run() == 2
    told = [bank.messages_for(guest) for guest in guests]
    assert [len(messages) for messages in told] == [1, 1, 0]
    assert told[0][0].template_key == "offer_at_favourite_place"
    assert told[0][0].location_id == hotel.id
    assert told[0][0].context["event"]["title"] == "Spa weekend -30%"


def test_brand_x_in_size_m_tells_those_who_like_both(bank: Bank) -> None:
    both, brand_only = bank.client("Maria"), bank.client("Nadia")
    for customer in (both, brand_only):
        bank.likes(customer, Category.BRAND, "Brand X", by=bank.world.admin)
    bank.likes(both, Category.SIZE, "M", by=bank.world.admin)
    bank.playbook(BRAND_IN_YOUR_SIZE)
    bank.send(
        "heedful.stock.changed",
        product="trousers",
        size="M",
        location=bank.world.kyiv.id,
        quantity=4,
        brand="brand x",
    )
    assert bank.run() == 1
    [message] = bank.messages_for(both)
    assert message.template_key == "liked_item_in_stock"
    assert message.context["item"] == {"product": "trousers", "variant": "", "size": "M"}
    assert bank.messages_for(brand_only) == []


def _many_who_like(bank: Bank, count: int, likes: tuple[tuple[Category, str], ...]) -> list[str]:
    """``count`` customers at Kyiv with these standing likes, written in one transaction."""
    now = bank.clock.now()
    ids = [new_id("cus_") for _ in range(count)]
    with bank.world.uow as uow:
        for number, customer_id in enumerate(ids):
            uow.customers.add(
                Customer(
                    id=customer_id,
                    full_name=f"Client {number}",
                    language="uk",
                    time_zone="Europe/Kyiv",
                    segment=Segment.REGULAR,
                    created_at=now,
                    updated_at=now,
                    home_location_id=bank.world.kyiv.id,
                    location_ids={bank.world.kyiv.id},
                )
            )
            for category, subject in likes:
                uow.preferences.add(
                    Preference(
                        id=new_id("prf_"),
                        customer_id=customer_id,
                        polarity=Polarity.LIKE,
                        category=category,
                        subject=subject,
                        note="",
                        source=Source.OBSERVED,
                        confidence=1.0,
                        recorded_at=now,
                        recorded_by=bank.world.admin.id,
                        recorded_by_label="admin",
                    )
                )
        uow.commit()
    return ids


def test_every_customer_who_likes_the_brand_is_told_past_the_first_500(bank: Bank) -> None:
    # Of 1,201 who like Max Mara (written in any case) and wear M, every one hears of it, not the
    # first 500 ids; those who like only the brand, or another brand, hear nothing.
    fans = _many_who_like(bank, 1201, ((Category.BRAND, "MAX MARA"), (Category.SIZE, "M")))
    others = _many_who_like(bank, 30, ((Category.BRAND, "Max Mara"), (Category.SIZE, "L")))
    others += _many_who_like(bank, 30, ((Category.BRAND, "Max"), (Category.SIZE, "M")))
    bank.playbook(BRAND_IN_YOUR_SIZE)
    bank.send(
        "heedful.stock.changed",
        product="coat",
        size="M",
        location=bank.world.kyiv.id,
        quantity=40,
        brand="Max Mara",
    )
    report = process_events(bank.world.container.uow, bank.clock)
    assert (report.fired, report.skipped) == (1201, [])
    told = {customer_id for customer_id in fans + others if bank.messages_for_id(customer_id)}
    assert told == set(fans)


def test_a_fan_known_nowhere_is_set_aside_alone_and_each_fan_is_called_once(bank: Bank) -> None:
    # A page of the audience fires at once (ADR 66): the one fan no shop knows cannot get a
    # task and is reported with the playbook's id, and the other three are still called; the
    # next price change of the brand in the same month calls none of them again.
    fans = _many_who_like(bank, 3, ((Category.BRAND, "Brand X"),))
    stranger = new_id("cus_")
    with bank.world.uow as uow:
        now = bank.clock.now()
        uow.customers.add(
            Customer(id=stranger, full_name="Nobody Known", language="uk",
                     time_zone="Europe/Kyiv", segment=Segment.REGULAR, created_at=now,
                     updated_at=now, home_location_id=None, location_ids=set())
        )  # fmt: skip
        uow.commit()
    record_preference(
        RecordPreference(stranger, Polarity.LIKE, "Brand X", Category.BRAND),
        bank.world.uow, bank.clock, bank.world.admin,
    )  # fmt: skip
    call = {"do": "create_task", "kind": "call_customer", "title": "Call {{customer.name}}",
            "assign_to": "role:manager"}  # fmt: skip
    # A price change names no location: a fan's call goes where she is known.
    trigger = {"event": "heedful.price.changed", "where": [{"field": "data.brand", "op": "exists"}]}
    playbook = bank.playbook(
        {**BRAND_IN_YOUR_SIZE, "trigger": trigger, "customer": None, "actions": [call]}
    )
    for price in (90, 80):
        bank.send("heedful.price.changed", product="bag", price=price, currency="UAH",
                  brand="brand x")  # fmt: skip
    report = process_events(bank.world.container.uow, bank.clock)

    assert (report.events, report.failed, report.fired) == (2, [], 3)
    # Her key stays free, so each event says again why she was not called.
    assert len(report.skipped) == 2
    assert all(f"playbook {playbook.id}: " in why for why in report.skipped)
    assert all("known nowhere" in why for why in report.skipped)
    assert sorted(f.customer_id for f in bank.firings(playbook)) == sorted(fans)
    with bank.world.uow as uow:
        calls = {who: uow.tasks.list_for_customer(who, 10) for who in [*fans, stranger]}
    assert [len(calls[who]) for who in fans] == [1, 1, 1]
    assert calls[stranger] == []


def test_a_stated_audience_cap_reports_whom_it_left_out(bank: Bank) -> None:
    fans = _many_who_like(bank, 5, ((Category.BRAND, "Brand X"),))
    bank.playbook(
        {
            **BRAND_IN_YOUR_SIZE,
            "audience": {**BRAND_IN_YOUR_SIZE["audience"], "limit": 3},
            "customer": None,
        }
    )
    bank.send("heedful.stock.changed", product="bag", location=bank.world.kyiv.id, quantity=1,
              brand="brand x")  # fmt: skip
    report = process_events(bank.world.container.uow, bank.clock)
    first, left_out = sorted(fans)[:3], sorted(fans)[3:]
    assert report.fired == 3
    [said] = report.skipped
    assert said.endswith(f"audience capped at 3: 2 more left out ({', '.join(left_out)})")
    assert [len(bank.messages_for_id(customer_id)) for customer_id in first] == [1, 1, 1]
    assert [len(bank.messages_for_id(customer_id)) for customer_id in left_out] == [0, 0]


def test_every_past_guest_is_told_and_a_cap_keeps_the_most_recent_ones(bank: Bank) -> None:
    hotel, now = bank.world.lviv, bank.clock.now()
    guests = _many_who_like(bank, 520, ())
    with bank.world.uow as uow:
        for number, guest in enumerate(guests):
            # Ten guests share each day's stay: the pages break the ties by customer id.
            uow.history.add(
                HistoryEntry(
                    id=new_id("his_"),
                    customer_id=guest,
                    kind=HistoryKind.VISIT,
                    occurred_at=now - timedelta(days=1 + number // 10),
                    recorded_at=now,
                    location_id=hotel.id,
                )
            )
        uow.commit()
    offer = {**HOTEL_DEAL_AT_FAVOURITE_HOTEL, "customer": None, "once_per_customer": None}
    everyone = bank.playbook({**offer, "audience": {"history_at": "data.location"}})
    bank.send("heedful.offer.published", location=hotel.id, title="Spa weekend -30%")
    report = process_events(bank.world.container.uow, bank.clock)
    assert (report.fired, report.skipped) == (520, [])

    playbooks.set_enabled(everyone.id, False, bank.world.uow, bank.clock, bank.world.admin)
    capped = bank.playbook({**offer, "audience": {"history_at": "data.location", "limit": 15}})
    bank.send("heedful.offer.published", location=hotel.id, title="Spa weekend -35%")
    report = process_events(bank.world.container.uow, bank.clock)
    assert report.fired == 15
    [said] = report.skipped
    assert "audience capped at 15: 505 more left out (" in said
    told = {firing.customer_id for firing in bank.firings(capped)}
    assert told == {*guests[:10], *sorted(guests[10:20])[:5]}


def test_a_playbook_that_cannot_be_run_is_refused_naming_the_path(bank: Bank) -> None:
    broken = {
        **BANK_CALL_BEFORE_DECLINE,
        "actions": [{"do": "create_task", "title": "Call", "assign_to": "the boss"}],
    }
    with pytest.raises(InvalidInput) as refused:
        bank.playbook(broken)
    assert refused.value.field == "actions[0].assign_to"
    assert playbooks.list_playbooks(bank.world.uow, bank.world.admin) == []
