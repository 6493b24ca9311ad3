"""The CX index of a hotel: stays give product value (cx-2); values of cx-1 still recompute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from feedback_world import FeedbackWorld, WordReader
from promise_world import build_world

from heedful.bootstrap import Container
from heedful.core.customers.model import Customer
from heedful.core.feedback.cx_index import Cell, CxValue
from heedful.core.feedback.indices import compute_cx_index, recompute_cx_value
from heedful.core.feedback.model import SurveyKind
from heedful.core.feedback.recompute import recompute_feedback
from heedful.core.history.handlers import RecordHistory, record_history
from heedful.core.history.model import HistoryKind, Item
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.ids import new_id
from heedful.core.staff.model import Location


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> FeedbackWorld:
    return FeedbackWorld(build_world(container, clock), WordReader())


def _record(
    world: FeedbackWorld,
    guest: Customer,
    kind: HistoryKind,
    *lines: tuple[str, str],
    at: datetime | None = None,
    where: Location | None = None,
) -> None:
    """One stay (or receipt): each line an item and its rating ("" when the guest gave none)."""
    items = tuple(
        Item({"item": name} | ({"rating": rating} if rating else {}), amount_minor=100000)
        for name, rating in lines
    )
    record_history(
        RecordHistory(
            customer_id=guest.id,
            kind=kind,
            occurred_at=at or world.base.clock.now(),
            location_id=(where or world.base.kyiv).id,
            items=items,
            amount_minor=100000 * len(items),
            currency="UAH",
            external_ref=new_id("folio_"),
        ),
        world.base.uow,
        world.base.clock,
        world.base.admin,
    )


def _a_week_at_the_hotel(world: FeedbackWorld) -> datetime:
    """Five guests of the Kyiv hotel stay in one week; three of them answer a CSAT survey.

    Anna stays twice (room rated 5 with an unrated breakfast, then room rated 4) and answers 5;
    Bohdan stays once (room 2, breakfast 3), also buys in the hotel's shop, bought there in the
    spring and answers 2; Cyril stayed here in the spring and again now, and answers 4; Dana
    stayed in Lviv in the spring and here now; Yevhen stayed here 200 days ago and now.
    """
    start = world.base.clock.now()
    spring = start - timedelta(days=100)
    survey = world.survey(kind=SurveyKind.CSAT)
    anna, bohdan, cyril = (world.guest(n) for n in ("Anna A", "Bohdan B", "Cyril C"))
    dana, yevhen = world.guest("Dana D"), world.guest("Yevhen Ye")
    for guest, score in ((anna, 5), (bohdan, 2), (cyril, 4)):
        invitation = world.invite(survey, guest)
        assert invitation is not None
        world.answer(invitation, score)
    stay = HistoryKind.VISIT
    _record(world, anna, stay, ("room", "5"), ("breakfast", ""))
    _record(world, anna, stay, ("room", "4"))
    _record(world, bohdan, stay, ("room", "2"), ("breakfast", "3"))
    _record(world, bohdan, HistoryKind.PURCHASE, ("bathrobe", "1"))
    _record(world, bohdan, HistoryKind.PURCHASE, ("slippers", ""), at=spring)
    _record(world, cyril, stay, ("room", ""), at=spring)
    _record(world, cyril, stay, ("room", ""))
    _record(world, dana, stay, ("room", ""), at=spring, where=world.base.lviv)
    _record(world, dana, stay, ("room", ""))
    _record(world, yevhen, stay, ("room", ""), at=start - timedelta(days=200))
    _record(world, yevhen, stay, ("room", ""))
    world.base.later(days=1)
    return start


def test_a_hotel_cell_gets_its_product_value_from_the_guests_stays(world: FeedbackWorld) -> None:
    start = _a_week_at_the_hotel(world)
    week = (start, start + timedelta(days=7))
    stays = Cell(*week, touchpoint="stay", location_id=world.base.kyiv.id)
    everything = Cell(*week, location_id=world.base.kyiv.id)
    [value, whole] = compute_cx_index(
        [stays, everything], world.base.uow, world.base.clock, world.base.admin
    )

    # Emotion: CSAT 5, 2, 4 on 1–5 without comments: 1, 0.25, 0.75.
    # The stay cell reads stays only: ratings 5, 4, 2, 3 (the shop's bathrobe is not a stay) give
    # (3.5 − 1) / 4 = 0.625; nothing is returned on a stay, so "kept" drops out; of five guests
    # Anna (two stays) and Cyril (here in the spring) came back; Dana's spring was in Lviv and
    # Yevhen's more than 180 days ago.
    emotion = (1 + 0.25 + 0.75) / 3
    product = (0.4 * 0.625 + 0.3 * 2 / 5) / (0.4 + 0.3)
    assert value.formula_version == "cx-2"
    assert value.emotion == pytest.approx(emotion, abs=1e-4)
    assert value.product_value == pytest.approx(product, abs=1e-4)
    assert value.value == round(100 * emotion * product, 1) == 35.2
    assert value.inputs == {
        "answers": 3,
        "emotion_sum": 2.0,
        "ratings": 4,
        "rating_sum": 14,
        "units_bought": 0,
        "units_returned": 0,
        "purchases": 0,
        "visits": 6,
        "customers": 5,
        "repeat_customers": 2,
    }

    # Every touchpoint reads stays and purchases: the bathrobe (rated 1, kept) joins, and
    # Bohdan, with a stay and a purchase, and a purchase here in the spring, now comes back.
    assert whole.inputs | {"emotion_sum": 2.0} == value.inputs | {
        "ratings": 5,
        "rating_sum": 15,
        "units_bought": 1,
        "purchases": 1,
        "repeat_customers": 3,
    }
    whole_product = (0.4 * 0.5 + 0.3 * 1 + 0.3 * 3 / 5) / 1.0
    assert whole.product_value == pytest.approx(whole_product, abs=1e-4)


def test_a_stored_cx_2_value_recomputes_from_its_inputs_and_from_the_stays(
    world: FeedbackWorld, container: Container, clock: FrozenClock
) -> None:
    _a_week_at_the_hotel(world)
    clock.set(clock.now().replace(hour=2) + timedelta(days=7))  # the week after: stored at 01:00
    recompute_feedback(container.uow, clock, weeks=1, months=0)
    with container.uow() as uow:
        stored = uow.feedback.cx_values.find(
            touchpoint="stay", location_id=world.base.kyiv.id, segment=""
        )
    [value] = stored
    assert value.formula_version == "cx-2"
    assert value.value is not None
    assert value.product_value is not None

    again = recompute_cx_value(value.id, world.base.uow, world.base.admin)
    assert again.same_inputs
    assert again.from_inputs == again.from_data == value.value


def test_a_value_stored_with_cx_1_still_recomputes_with_cx_1(
    world: FeedbackWorld, clock: FrozenClock
) -> None:
    """A value from before cx-2, as the database holds it: purchases only, lines not receipts."""
    start = clock.now()
    survey = world.survey(kind=SurveyKind.CSAT)
    anna = world.guest("Anna A")
    invitation = world.invite(survey, anna)
    assert invitation is not None
    world.answer(invitation, 4)
    _record(world, anna, HistoryKind.PURCHASE, ("handbag", "5"), ("scarf", ""))
    _record(world, anna, HistoryKind.VISIT, ("room", "1"))
    world.base.later(days=1)
    cell = Cell(start, start + timedelta(days=7), location_id=world.base.kyiv.id)
    # cx-1 counted two lines of one receipt as a repeat purchase and read no visits:
    # rating (5 − 1) / 4 = 1, kept 1, repeat 1 → product 1, index 75.
    inputs = {
        "answers": 1,
        "emotion_sum": 0.75,
        "ratings": 1,
        "rating_sum": 5,
        "units_bought": 2,
        "units_returned": 0,
        "buyers": 1,
        "repeat_buyers": 1,
    }
    old = CxValue(new_id("cxv_"), cell, 75.0, 0.75, 1.0, "cx-1", inputs, clock.now(), None)
    with world.base.uow as uow:
        uow.feedback.cx_values.put(old)
        uow.commit()

    again = recompute_cx_value(old.id, world.base.uow, world.base.admin)
    assert again.stored.formula_version == "cx-1"
    assert again.same_inputs
    assert again.from_inputs == again.from_data == 75.0

    # cx-2 of the same cell reads the stay too: one receipt and one stay are two entries (still
    # a return), the room's 1 pulls the rating to (3 − 1) / 4.
    [now] = compute_cx_index([cell], world.base.uow, world.base.clock, world.base.admin)
    assert now.formula_version == "cx-2"
    assert now.product_value == pytest.approx(0.4 * 0.5 + 0.3 * 1 + 0.3 * 1, abs=1e-4)
    assert now.value == round(100 * 0.75 * 0.8, 1)


def test_a_period_without_stays_or_purchases_has_no_value(world: FeedbackWorld) -> None:
    start = datetime(2026, 1, 5, tzinfo=UTC)
    cell = Cell(start, start + timedelta(days=7), "stay", world.base.kyiv.id)
    [value] = compute_cx_index([cell], world.base.uow, world.base.clock, world.base.admin)
    assert value.value is None
    assert value.product_value is None
    assert value.inputs["customers"] == 0
