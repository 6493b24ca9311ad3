"""Tonight's book against capacity, on SQLite and PostgreSQL (ADR 0051).

Seed 002: the restaurant keeps two tables at peak for walk-ins at the host's discretion. A
look-ahead playbook holds them from 19:00 until 20:30 on the restaurant's clock; when the
night's reservations exceed its tables minus the held ones, the host is warned, once; at 20:30
the hold releases itself and the tables are free for bookings. The night chosen is Sunday
25 October 2026, when Kyiv's clocks go back an hour at 04:00: 20:30 is 18:30 UTC that evening,
where it was 17:30 UTC the evening before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from builders import a_location, an_admin
from dealings_world import Systems
from promise_world import build_world

from heedful.bootstrap import Container
from heedful.core.access import Actor, Role
from heedful.core.dealings.capacity import Book, HoldKind, HoldState, Service
from heedful.core.dealings.holds import (
    NewCapacity,
    NewHold,
    capacity_of,
    hold_back,
    release_due_holds,
    release_hold,
    seat_walk_in,
    set_capacity,
    tonight,
    tonight_by_service,
)
from heedful.core.playbooks import evaluate_all
from heedful.core.playbooks import handlers as playbooks
from heedful.core.playbooks.look_ahead_demo import HOLD_TABLES_AT_PEAK, WARN_THE_HOST_OVERBOOKED
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.shared.phrases import Phrase, said
from heedful.core.staff.model import Location, LocationKind
from heedful.core.tasks import Task
from heedful.core.unit_of_work import UnitOfWork

# Sunday 25 October 2026 just after midnight in Kyiv (still summer time, UTC+3).
SUNDAY_0005_KYIV = datetime(2026, 10, 24, 21, 5, tzinfo=UTC)
# That evening, in winter time (UTC+2): 19:00 is 17:00 UTC, 20:30 is 18:30 UTC.
SUNDAY_1900_KYIV = datetime(2026, 10, 25, 17, 0, tzinfo=UTC)
SUNDAY_2030_KYIV = datetime(2026, 10, 25, 18, 30, tzinfo=UTC)


class Restaurant:
    def __init__(self, container: Container, clock: FrozenClock) -> None:
        self.world = build_world(container, clock)
        self.clock = clock
        self.place: Location = a_location("Ресторан «Кручі»", kind=LocationKind.RESTAURANT)
        with container.uow() as uow:
            uow.locations.add(self.place)
            uow.commit()
        self.admin = an_admin()
        self.host = Actor("stf_host", "Оксана, хостес", Role.AGENT, frozenset({self.place.id}))
        self.systems = Systems(self.world)
        self.guest = self.world.customer("Марта Гнатюк")

    @property
    def uow(self) -> UnitOfWork:
        return self.world.container.uow()

    def reserve(self, count: int, at: datetime) -> None:
        for n in range(count):
            self.systems.send(
                "heedful.reservation.upserted",
                self.clock.now(),
                customer={"id": self.guest.id},
                location=self.place.id,
                reservation=f"R-{at:%H%M}-{n}",
                at=at.isoformat(),
                party_size=2,
            )

    def has(self, capacity: NewCapacity) -> None:
        """The admin sets the restaurant's tables (or services) on its page."""
        set_capacity(self.place.id, capacity, self.uow, self.clock, self.admin)

    def enable(self, source: dict[str, Any]) -> None:
        made = playbooks.create_playbook(source, self.uow, self.clock, self.admin)
        playbooks.set_enabled(made.id, True, self.uow, self.clock, self.admin)

    def book(self) -> Book:
        return tonight(self.place.id, HoldKind.TABLES, self.uow, self.clock, self.host)

    def warnings(self) -> list[Task]:
        with self.uow as uow:
            where = frozenset({self.place.id})
            return uow.tasks.open_for(assignee_id=None, location_ids=where, limit=50)


@pytest.fixture
def restaurant(container: Container, clock: FrozenClock) -> Restaurant:
    clock.set(SUNDAY_0005_KYIV)
    return Restaurant(container, clock)


def test_peak_tables_are_held_the_host_is_warned_once_and_the_hold_ends_at_2030_across_dst(
    restaurant: Restaurant,
) -> None:
    restaurant.has(NewCapacity(tables=10, covers=40))
    restaurant.reserve(9, SUNDAY_1900_KYIV)
    restaurant.enable(HOLD_TABLES_AT_PEAK)
    restaurant.enable(WARN_THE_HOST_OVERBOOKED)

    first = evaluate_all(restaurant.world.container.uow, restaurant.clock)
    again = evaluate_all(restaurant.world.container.uow, restaurant.clock)

    book = restaurant.book()
    assert book.day == date(2026, 10, 25)
    [hold] = book.holds
    assert (hold.count, hold.state) == (2, HoldState.HELD)
    assert (hold.starts_at, hold.releases_at) == (SUNDAY_1900_KYIV, SUNDAY_2030_KYIV)
    assert (book.booked, book.held, book.free, book.over) == (9, 2, -1, True)
    [warning] = restaurant.warnings()
    assert warning.title == "Tonight is overbooked: 9 reservations for 10 tables, 2 held"
    assert warning.assignee_role is Role.AGENT
    assert (first.fired, again.fired) == (2, 0)

    restaurant.clock.set(SUNDAY_2030_KYIV - timedelta(minutes=1))
    assert release_due_holds(restaurant.uow, restaurant.clock) == 0
    restaurant.clock.set(SUNDAY_2030_KYIV)
    assert release_due_holds(restaurant.uow, restaurant.clock) == 1

    after = restaurant.book()
    assert after.holds[0].state is HoldState.EXPIRED
    assert (after.held, after.free, after.over) == (0, 1, False)
    assert release_due_holds(restaurant.uow, restaurant.clock) == 0


def test_the_host_releases_a_hold_early_or_seats_walk_ins_on_it(restaurant: Restaurant) -> None:
    restaurant.has(NewCapacity(tables=4))
    restaurant.reserve(2, SUNDAY_1900_KYIV)
    new = NewHold(restaurant.place.id, 2, time(19, 0), time(20, 30), reason="walk-ins")
    held = hold_back(new, restaurant.uow, restaurant.clock, restaurant.host)
    assert restaurant.book().free == 0

    seat_walk_in(held.id, restaurant.uow, restaurant.clock, restaurant.host)
    assert restaurant.book().held == 1
    done = seat_walk_in(held.id, restaurant.uow, restaurant.clock, restaurant.host)
    assert (done.state, done.seated, restaurant.book().held) == (HoldState.SEATED, 2, 0)

    other = hold_back(new, restaurant.uow, restaurant.clock, restaurant.host)
    released = release_hold(other.id, restaurant.uow, restaurant.clock, restaurant.host)
    assert released.state is HoldState.RELEASED
    assert released.ended_by_label == "Оксана, хостес"
    assert restaurant.book().free == 2
    with pytest.raises(Conflict):
        release_hold(other.id, restaurant.uow, restaurant.clock, restaurant.host)
    # Nothing releases itself twice: the job finds no hold still held.
    restaurant.clock.set(SUNDAY_2030_KYIV)
    assert release_due_holds(restaurant.uow, restaurant.clock) == 0


def test_a_hold_whose_time_has_passed_is_refused_and_only_admins_set_capacity(
    restaurant: Restaurant,
) -> None:
    restaurant.clock.set(SUNDAY_2030_KYIV + timedelta(minutes=5))
    late = NewHold(restaurant.place.id, 2, time(19, 0), time(20, 30))
    with pytest.raises(InvalidInput):
        hold_back(late, restaurant.uow, restaurant.clock, restaurant.host)
    with pytest.raises(Exception, match="may not manage staff"):
        set_capacity(
            restaurant.place.id,
            NewCapacity(tables=3),
            restaurant.uow,
            restaurant.clock,
            restaurant.host,
        )


def test_the_reservation_that_makes_the_book_over_warns_the_host_at_once_and_only_once(
    restaurant: Restaurant,
) -> None:
    restaurant.has(NewCapacity(tables=10))
    restaurant.enable(HOLD_TABLES_AT_PEAK)
    restaurant.enable(WARN_THE_HOST_OVERBOOKED)
    restaurant.reserve(8, SUNDAY_1900_KYIV)  # each weighs the night: the hold, no warning yet
    assert (restaurant.book().free, restaurant.warnings()) == (0, [])

    restaurant.reserve(1, SUNDAY_1900_KYIV + timedelta(minutes=30))
    [warning] = restaurant.warnings()
    assert warning.title == "Tonight is overbooked: 9 reservations for 10 tables, 2 held"
    restaurant.reserve(1, SUNDAY_1900_KYIV + timedelta(hours=1))
    assert len(restaurant.warnings()) == 1
    assert evaluate_all(restaurant.world.container.uow, restaurant.clock).fired == 0


def test_the_dry_run_of_tonight_says_which_nights_it_would_hold_and_warn_without_writing(
    restaurant: Restaurant,
) -> None:
    restaurant.has(NewCapacity(tables=10, covers=40))
    restaurant.reserve(11, SUNDAY_1900_KYIV)  # eleven for ten tables: over, held or not
    hold = playbooks.create_playbook(
        HOLD_TABLES_AT_PEAK, restaurant.uow, restaurant.clock, restaurant.admin
    )
    warn = playbooks.create_playbook(
        WARN_THE_HOST_OVERBOOKED, restaurant.uow, restaurant.clock, restaurant.admin
    )
    restaurant.clock.set(datetime(2026, 10, 27, 9, 0, tzinfo=UTC))  # Tuesday: looking back
    since = datetime(2026, 10, 24, 0, 0, tzinfo=UTC)  # Saturday 03:00 in Kyiv
    until = datetime(2026, 10, 26, 0, 0, tzinfo=UTC)  # Monday 02:00 in Kyiv

    warned = playbooks.dry_run(warn.id, since, until, restaurant.uow, restaurant.admin)
    held = playbooks.dry_run(hold.id, since, until, restaurant.uow, restaurant.admin)

    # Saturday, Sunday and Monday came into view; only Sunday's book is over.
    assert (warned.subject, warned.events_matched, warned.tasks, warned.holds) == (
        "tonight",
        1,
        1,
        0,
    )
    [sunday] = warned.would_fire
    assert (sunday.location_id, sunday.customer_name) == (
        restaurant.place.id,
        restaurant.place.name,
    )
    assert sunday.happened_at == SUNDAY_0005_KYIV.replace(minute=0)  # 00:00 Sunday in Kyiv
    reasons = [said(line) for line in sunday.reasons]  # in English, as the API says them
    assert reasons[0] == (
        "Ресторан «Кручі», 2026-10-25: 11 reservations for 10 tables, 0 held, -1 free"
    )
    assert "condition met: data.over True = True" in reasons
    assert [said(line) for line in sunday.actions] == [
        "task 'Tonight is overbooked: 11 reservations for 10 tables, 0 held' "
        "for the location's front-line staff",
    ]
    assert [p.key for p in sunday.reasons if isinstance(p, Phrase)][:1] == ["dry_run.night"]
    # The hold playbook would keep two tables back each of the three nights, at 19:00 to 20:30.
    assert (held.events_matched, held.holds, held.tasks) == (3, 6, 0)
    assert {tuple(said(a) for a in h.actions) for h in held.would_fire} == {
        ("hold 2 tables from 19:00 until 20:30",)
    }
    # Nothing was written: no hold, no task, no key.
    assert (restaurant.book().holds, restaurant.warnings()) == ((), [])
    assert playbooks.list_firings(warn.id, restaurant.uow, restaurant.admin) == []
    assert playbooks.list_firings(hold.id, restaurant.uow, restaurant.admin) == []


def test_the_dry_run_of_tonight_says_a_night_already_fired_live(restaurant: Restaurant) -> None:
    restaurant.has(NewCapacity(tables=4))
    restaurant.enable(HOLD_TABLES_AT_PEAK)
    assert evaluate_all(restaurant.world.container.uow, restaurant.clock).fired == 1
    [made] = playbooks.list_playbooks(restaurant.uow, restaurant.admin)

    now = restaurant.clock.now()
    report = playbooks.dry_run(
        made.id, now - timedelta(hours=1), now, restaurant.uow, restaurant.admin
    )

    # Saturday's night came into view at 23:05 and is not fired; Sunday's is, since 00:05.
    saturday, sunday = report.would_fire
    assert "already fired live" not in [said(line) for line in saturday.reasons]
    assert said(sunday.reasons[-1]) == "already fired live"
    assert report.repeats == 1
    assert len(restaurant.book().holds) == 1  # the live one, and no other


LUNCH = Service("Lunch", HoldKind.TABLES, 4, 16, time(12, 0), time(16, 0))
DINNER = Service("Dinner", HoldKind.TABLES, 3, 12, time(18, 0), time(23, 30))


def test_each_service_has_its_own_tables_holds_and_warning(restaurant: Restaurant) -> None:
    restaurant.has(NewCapacity(services=(LUNCH, DINNER)))
    restaurant.reserve(2, SUNDAY_1900_KYIV - timedelta(hours=6))  # 13:00: lunch
    restaurant.reserve(4, SUNDAY_1900_KYIV)  # 19:00: dinner, four for three tables
    restaurant.enable(HOLD_TABLES_AT_PEAK)
    restaurant.enable(WARN_THE_HOST_OVERBOOKED)

    evaluate_all(restaurant.world.container.uow, restaurant.clock)

    lunch, dinner = tonight_by_service(
        restaurant.place.id, HoldKind.TABLES, restaurant.uow, restaurant.clock, restaurant.host
    )
    # The hold from 19:00 is dinner's; lunch keeps all its tables for bookings.
    assert (lunch.service, lunch.booked, lunch.held, lunch.free, lunch.over) == (
        "Lunch",
        2,
        0,
        2,
        False,
    )
    assert (dinner.service, dinner.booked, dinner.held, dinner.free, dinner.over) == (
        "Dinner",
        4,
        2,
        -3,
        True,
    )
    assert [h.service for h in dinner.holds] == ["Dinner"]
    [warning] = restaurant.warnings()  # dinner's; lunch is not over
    assert warning.title == "Tonight is overbooked: 4 reservations for 3 tables, 2 held"
    assert evaluate_all(restaurant.world.container.uow, restaurant.clock).fired == 0


def test_the_host_holds_in_the_service_her_time_falls_in_or_the_one_she_names(
    restaurant: Restaurant,
) -> None:
    restaurant.has(NewCapacity(services=(LUNCH, DINNER)))
    at_dinner = NewHold(restaurant.place.id, 1, time(19, 0), time(20, 0))
    assert hold_back(at_dinner, restaurant.uow, restaurant.clock, restaurant.host).service == (
        "Dinner"
    )
    named = NewHold(restaurant.place.id, 1, time(12, 0), time(13, 0), service="lunch")
    assert hold_back(named, restaurant.uow, restaurant.clock, restaurant.host).service == "Lunch"
    between = NewHold(restaurant.place.id, 1, time(17, 0), time(17, 30))
    with pytest.raises(InvalidInput) as no_service:
        hold_back(between, restaurant.uow, restaurant.clock, restaurant.host)
    assert no_service.value.field == "service"
    unknown = NewHold(restaurant.place.id, 1, time(19, 0), time(20, 0), service="Brunch")
    with pytest.raises(InvalidInput):
        hold_back(unknown, restaurant.uow, restaurant.clock, restaurant.host)


def test_services_that_share_a_minute_or_lack_hours_are_refused(restaurant: Restaurant) -> None:
    late = Service("Late", HoldKind.TABLES, 2, None, time(23, 0), time(1, 0))  # past midnight
    for wrong in (
        (DINNER, late),
        (Service("Lunch", HoldKind.TABLES, 4),),
        (LUNCH, Service("lunch", HoldKind.TABLES, 2, None, time(17, 0), time(18, 0))),
        (Service("Double", HoldKind.ROOMS, 2, None, time(12, 0), time(13, 0)),),
    ):
        with pytest.raises(InvalidInput):
            set_capacity(
                restaurant.place.id,
                NewCapacity(services=wrong),
                restaurant.uow,
                restaurant.clock,
                restaurant.admin,
            )
    night = Service("Night", HoldKind.TABLES, 2, None, time(23, 30), time(2, 0))
    kept = set_capacity(
        restaurant.place.id,
        NewCapacity(tables=7, services=(DINNER, night)),
        restaurant.uow,
        restaurant.clock,
        restaurant.admin,
    )
    assert capacity_of(restaurant.place.id, restaurant.uow, restaurant.host) == kept
    assert kept.services == (DINNER, night)


def test_a_hotels_room_types_are_each_weighed_by_the_stays_of_that_type(
    restaurant: Restaurant,
) -> None:
    double = Service("Deluxe", HoldKind.ROOMS, 1)
    single = Service("Single", HoldKind.ROOMS, 3)
    restaurant.has(NewCapacity(services=(double, single)))
    for number in ("B-1", "B-2"):  # two Deluxe stays for one Deluxe room
        restaurant.systems.booking(
            restaurant.guest.id,
            number,
            at=restaurant.clock.now(),
            arrival=SUNDAY_1900_KYIV - timedelta(hours=4),
            location=restaurant.place.id,
        )
    held = hold_back(
        NewHold(restaurant.place.id, 1, time(12, 0), time(23, 0), HoldKind.ROOMS, service="single"),
        restaurant.uow,
        restaurant.clock,
        restaurant.host,
    )
    assert held.service == "Single"

    deluxe, singles = tonight_by_service(
        restaurant.place.id, HoldKind.ROOMS, restaurant.uow, restaurant.clock, restaurant.host
    )
    assert (deluxe.booked, deluxe.capacity, deluxe.free, deluxe.over) == (2, 1, -1, True)
    assert (singles.booked, singles.held, singles.free, singles.over) == (0, 1, 2, False)


def test_the_dry_run_weighs_each_service_as_its_own_night(restaurant: Restaurant) -> None:
    restaurant.has(NewCapacity(services=(LUNCH, DINNER)))
    restaurant.reserve(4, SUNDAY_1900_KYIV)  # four for dinner's three tables; lunch is empty
    warn = playbooks.create_playbook(
        WARN_THE_HOST_OVERBOOKED, restaurant.uow, restaurant.clock, restaurant.admin
    )
    now = restaurant.clock.now()

    report = playbooks.dry_run(
        warn.id, now, now + timedelta(hours=1), restaurant.uow, restaurant.admin
    )

    [dinner] = report.would_fire
    assert said(dinner.reasons[0]) == (
        "Ресторан «Кручі», Dinner, 2026-10-25: 4 reservations for 3 tables, 0 held, -1 free"
    )
    assert report.events_matched == 1
    assert restaurant.warnings() == []
