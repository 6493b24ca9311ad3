"""The demo, loaded through the handlers into SQLite and PostgreSQL, tells the seeds' stories."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from databases import copy_postgres, copy_sqlite
from sqlalchemy.engine import make_url

from heedful.bootstrap import Container, build
from heedful.config import Settings
from heedful.core.access.model import SYSTEM
from heedful.core.audits import Unfit, VisitState, my_assignments, propose_evaluators
from heedful.core.card import customer_card
from heedful.core.customers.commands import IdentifyCustomer
from heedful.core.customers.handlers import list_customers, look_up
from heedful.core.customers.merging import identify_customer, undo_merge
from heedful.core.customers.model import Customer
from heedful.core.failures import FailureAsk, FailureKind, Touchpoint, failure_map
from heedful.core.feedback.loop import LoopState
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.preferences.model import Polarity
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.handlers import authenticate_staff
from heedful.core.staff.model import LocationKind
from heedful.entrypoints.demo import DemoLogin, is_loaded, load_demo
from heedful.entrypoints.demo.crowd import plan_crowd
from heedful.entrypoints.demo.names import Registry
from heedful.entrypoints.demo.plan import Receipts, Timeline
from heedful.entrypoints.demo.stories import (
    AS_USUAL_REGULAR,
    BANK_REGULAR,
    BANK_VIP,
    DUPLICATE_AT_BOUTIQUE,
    DUPLICATE_AT_RESTAURANT,
    HANDBAG_CLIENT,
    SPARKLING_WATER_GUEST,
    StoryCustomer,
    plan_stories,
)

CUSTOMERS = 40
# The suite's Monday morning (tests/conftest.py): the demo is loaded at it.
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@dataclass(frozen=True)
class LoadedDemo:
    backend: str
    url: str
    loaded_at: datetime
    logins: list[DemoLogin]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def loaded_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LoadedDemo]:
    """The demo loaded once per backend; each test reads and writes a copy of that database.

    Loading it takes seconds (the whole crowd goes through the handlers), so the tests share
    one load instead of repeating it for each of them.
    """
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        url = copy_sqlite(template, tmp_path_factory.mktemp("demo") / "demo.db")
        drop: Callable[[], None] = lambda: None  # noqa: E731 - the file goes with tmp_path
    else:
        url, drop = copy_postgres(request.getfixturevalue("_postgres_template"))
    clock = FrozenClock(START)
    built = build(Settings(database_url=url, log_format="console"), clock=clock)
    try:
        seen: list[int] = []
        logins = load_demo(built, customers=CUSTOMERS, progress=seen.append)
        assert seen == list(range(1, CUSTOMERS + 1))
    finally:
        built.close()
    try:
        yield LoadedDemo(request.param, url, clock.now(), logins)
    finally:
        drop()


@pytest.fixture
def database_url(loaded_demo: LoadedDemo, tmp_path: Path) -> Iterator[str]:
    """A copy of the loaded demo, so one test's writes never reach the next."""
    if loaded_demo.backend == "sqlite":
        yield copy_sqlite(Path(make_url(loaded_demo.url).database or ""), tmp_path / "demo.db")
        return
    url, drop = copy_postgres(loaded_demo.url)
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def clock(loaded_demo: LoadedDemo) -> FrozenClock:
    return FrozenClock(loaded_demo.loaded_at)


@pytest.fixture
def demo(loaded_demo: LoadedDemo) -> list[DemoLogin]:
    return loaded_demo.logins


def _all_customers(container: Container) -> list[Customer]:
    found: list[Customer] = []
    cursor = None
    while True:
        page = list_customers(container.uow(), SYSTEM, 100, cursor)
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            return found


def _find(container: Container, story: StoryCustomer) -> Customer:
    return look_up(story.find_by.kind, story.find_by.value, container.uow(), SYSTEM)


def test_four_kinds_of_place_every_printed_login_works_and_loading_again_writes_nothing(
    container: Container, demo: list[DemoLogin]
) -> None:
    with container.uow() as uow:
        kinds = sorted(location.kind for location in uow.locations.list())
    assert kinds == sorted(
        [
            LocationKind.BOUTIQUE,
            LocationKind.HOTEL,
            LocationKind.RESTAURANT,
            LocationKind.BANK_BRANCH,
        ]
    )
    assert {login.role for login in demo} == {"admin", "manager", "agent", "evaluator"}
    assert {login.language for login in demo} == {"ru", "uk", "en"}
    assert ("admin", "demo-admin-2026") in {(login.login, login.password) for login in demo}
    for login in demo:
        member = authenticate_staff(login.login, login.password, container.uow())
        assert member is not None, login.login
        assert member.role.value == login.role
        assert member.language == login.language

    assert is_loaded(container)
    assert len(_all_customers(container)) == CUSTOMERS
    assert load_demo(container, customers=CUSTOMERS) == demo
    assert len(_all_customers(container)) == CUSTOMERS


def test_the_history_lies_in_the_past_months_before_now(
    container: Container, demo: list[DemoLogin]
) -> None:
    now = container.clock.now()
    earliest = now
    customers = _all_customers(container)
    with container.uow() as uow:
        for customer in customers:
            assert customer.created_at <= now
            entries = uow.history.list_for(customer.id, 500)
            preferences = uow.preferences.list_for(customer.id, include_retracted=True)
            consents = uow.consents.list_for(customer.id)
            for entry in entries:
                assert customer.created_at <= entry.occurred_at <= entry.recorded_at <= now
            for preference in preferences:
                assert customer.created_at <= preference.recorded_at <= now
            for decision in consents:
                assert customer.created_at <= decision.decided_at <= now
            earliest = min([earliest, *(entry.occurred_at for entry in entries)])
    assert earliest < now - timedelta(days=300)


def test_the_seed_stories_are_on_the_customer_cards(
    container: Container, demo: list[DemoLogin]
) -> None:
    clock = container.clock

    guest = customer_card(
        _find(container, SPARKLING_WATER_GUEST).id, container.uow(), clock, SYSTEM
    )
    never = guest.preferences[Polarity.NEVER]
    assert [p.subject for p in never] == ["Газированная вода"]
    assert "мини-бар" in never[0].note
    assert never[0].recorded_at < clock.now() - timedelta(days=60)  # said at a previous stay

    regular = customer_card(_find(container, AS_USUAL_REGULAR).id, container.uow(), clock, SYSTEM)
    usual = {(u.attribute, u.value) for u in regular.usual}
    assert ("drink", "Капучино на вівсяному молоці") in usual
    assert ("table", "біля вікна") in usual
    assert not any(regular.preferences.values())  # inferred, never said

    client = customer_card(_find(container, HANDBAG_CLIENT).id, container.uow(), clock, SYSTEM)
    handbag = [p for p in client.preferences[Polarity.LIKE] if "Selene" in p.subject]
    assert handbag
    assert "зателефонувати" in handbag[0].note

    vip = customer_card(_find(container, BANK_VIP).id, container.uow(), clock, SYSTEM)
    assert vip.customer.segment.value == "vip"
    assert any(
        "відмов" in p.subject and "ліміт" in p.subject for p in vip.preferences[Polarity.LIKE]
    )


def test_tomorrows_arrival_the_banks_charges_and_a_late_parcel_are_already_acted_on(
    container: Container, demo: list[DemoLogin]
) -> None:
    viktor = _find(container, SPARKLING_WATER_GUEST)
    andriy, bohdana = _find(container, BANK_VIP), _find(container, BANK_REGULAR)
    viktoriia = _find(container, HANDBAG_CLIENT)
    with container.uow() as uow:
        [room] = [t for t in uow.tasks.list_for_customer(viktor.id, 50) if "512" in t.title]
        [call] = [t for t in uow.tasks.list_for_customer(andriy.id, 50) if "UAH" in t.title]
        assert call.title.startswith("Зателефонувати Андрій Мельничук: списання 1200 UAH о ")
        manager = uow.staff.get(call.assignee_id or "")
        told = [m.template_key for m in uow.outbox.list_for_customer(bohdana.id, 10)]
        late = [m.template_key for m in uow.outbox.list_for_customer(viktoriia.id, 10)]
        assert not [t for t in uow.tasks.list_for_customer(bohdana.id, 50) if "UAH" in t.title]
    assert room.title.startswith("Номер 512 для Виктор Соколов (")
    assert room.title.endswith("без: Газированная вода; Высокий этаж")
    now = container.clock.now()
    assert room.due_at is not None
    assert room.due_at > now
    assert manager is not None
    assert manager.login == "yurii.bondar"
    assert call.due_at is not None
    assert call.due_at > now  # before the charge
    assert told == ["charge_will_fail"]
    assert "delivery_late" in late


def test_one_person_held_as_two_records_merges_when_identified_together(
    container: Container, demo: list[DemoLogin]
) -> None:
    shop = _find(container, DUPLICATE_AT_BOUTIQUE)
    restaurant = _find(container, DUPLICATE_AT_RESTAURANT)
    assert shop.id != restaurant.id
    assert shop.is_active
    assert restaurant.is_active
    with container.uow() as uow:
        restaurant_id = next(
            loc.id for loc in uow.locations.list() if loc.kind is LocationKind.RESTAURANT
        )

    # The restaurant's booking system sends her phone with the e-mail it knows: one person.
    survivor = identify_customer(
        IdentifyCustomer(
            identities=(DUPLICATE_AT_BOUTIQUE.find_by, DUPLICATE_AT_RESTAURANT.find_by),
            location_id=restaurant_id,
        ),
        container.uow(),
        container.clock,
        SYSTEM,
    )

    assert survivor.id == shop.id
    assert _find(container, DUPLICATE_AT_RESTAURANT).id == shop.id
    card = customer_card(shop.id, container.uow(), container.clock, SYSTEM)
    undo_merge(card.merges[0].id, container.uow(), container.clock, SYSTEM)
    assert _find(container, DUPLICATE_AT_RESTAURANT).id == restaurant.id


def test_the_same_seed_plans_the_same_people() -> None:
    def people(seed: int) -> list[str]:
        tl = Timeline(datetime(2026, 3, 2, 7, tzinfo=UTC))
        rng, registry, receipts = random.Random(seed), Registry(), Receipts()
        plans = plan_stories(rng, tl, registry, receipts)
        plans += plan_crowd(rng, 50, tl, registry, receipts)
        return [f"{plan.full_name} {plan.identities} {len(plan.steps)}" for plan in plans]

    assert people(7) == people(7)
    assert people(7) != people(8)


def test_ten_weeks_of_survey_answers_fill_the_dashboards_and_the_closed_loop_board(
    container: Container, demo: list[DemoLogin]
) -> None:
    now = container.clock.now()
    with container.uow() as uow:
        surveys = uow.feedback.surveys.list()
        answers = uow.feedback.answers.find(AnswerFilter(), 10_000)
        loops = uow.feedback.loops.find(location_ids=None, open_only=False, limit=1000)
        values = uow.feedback.cx_values.find(limit=10_000)
        waiting = uow.outbox.list_by_status(
            frozenset({MessageStatus.QUEUED, MessageStatus.RETRYING}), 1000
        )
    assert {s.kind.value for s in surveys} == {"csat", "nps", "ces"}
    assert all(set(s.texts) == {"ru", "uk", "en"} for s in surveys)
    assert len(answers) >= 60
    assert len({a.location_id for a in answers}) == 4
    assert all(now - timedelta(weeks=10, days=1) <= a.answered_at <= now for a in answers)
    assert {a.language for a in answers if a.comment} >= {"uk", "ru"}
    assert {LoopState.OPEN, LoopState.CLOSED} <= {loop.state for loop in loops}
    assert any(v.cell.touchpoint and v.cell.location_id for v in values)
    # Every place's touchpoint has an index on the heat map: stays, dinners and bank visits too.
    valued = {v.cell.location_id for v in values if v.value is not None and v.cell.touchpoint}
    assert len(valued - {""}) == 4
    # The past's invitations went out at the time: nothing stale waits for the relay.
    assert not [m for m in waiting if m.template_key == "survey_invitation"]


def test_the_demo_ships_three_audit_questionnaires_and_gives_marta_a_visit_at_the_boutique(
    container: Container, demo: list[DemoLogin]
) -> None:
    del demo
    with container.uow() as uow:
        forms = uow.audits.questionnaires()
        [programme] = uow.audits.programmes()
        [boutique] = [loc for loc in uow.locations.list() if loc.kind is LocationKind.BOUTIQUE]
    assert sorted(f.title("uk") for f in forms) == [
        "Візит до бутика класу люкс",
        "Візит до ресторану",
        "Заселення в готель",
    ]
    proposals = propose_evaluators(
        container.uow(), container.clock, SYSTEM, programme.id, boutique.id
    )
    # Marta fits the boutique's rule (a VIP living in Kyiv) and has this week's visit there, so
    # the programme's 90-day lockout is all that keeps her from being proposed again.
    assert [(p.profile.display_name, p.unfit) for p in proposals] == [
        ("Marta Lang", (Unfit.RECENTLY_AUDITED,))
    ]
    with container.uow() as uow:
        marta = uow.staff.get_by_login("marta.lang")
    assert marta is not None
    [(assignment, visit)] = my_assignments(container.uow(), marta.as_actor())
    assert assignment.location_id == boutique.id
    assert "told when it is back" in assignment.scenario
    now = container.clock.now()
    assert assignment.window_start <= now < assignment.window_end
    assert visit is not None
    assert visit.state is VisitState.DRAFT


def test_the_failure_map_has_every_kind_of_failure_and_a_pre_empted_parcel(
    container: Container, demo: list[DemoLogin]
) -> None:
    found = failure_map(container.uow(), container.clock, SYSTEM, FailureAsk())
    by_kind = {kind: sum(c.count for c in found.cells if c.kind is kind) for kind in FailureKind}
    assert all(by_kind.values()), by_kind
    late = found.cell(Touchpoint.DELIVERY, FailureKind.LATE_DELIVERY)
    assert late.pre_empted == 1  # Вікторія was told first, with a new date, and it was kept
    declines = found.cell(Touchpoint.PAYMENT, FailureKind.DECLINE)
    assert (declines.rescued, declines.unhandled, declines.recovery_median_minutes) == (1, 1, 60)
    assert found.cell(Touchpoint.VISIT, FailureKind.NO_TABLE).rescued == 1  # a dessert
