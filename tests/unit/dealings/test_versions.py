"""The event's own time decides which version of a booking, order or account stands (on fakes)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fakes import FakeUnitOfWork

from heedful.core.dealings import Applied, BookingKind, BookingStatus, OrderStatus, apply_dealing
from heedful.core.dealings.model import Order
from heedful.core.history.model import HistoryKind

T = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NOW = T + timedelta(days=1)


def _booking(room: str) -> dict[str, object]:
    return {
        "booking": "B-1",
        "arrival": "2026-03-03T14:00:00+02:00",
        "departure": "2026-03-05T12:00:00+02:00",
        "room": room,
        "room_type": "Deluxe",
    }


def _apply(
    uow: FakeUnitOfWork,
    event_type: str,
    data: dict[str, object],
    at: datetime,
    customer_id: str | None = "cus_anna",
) -> Applied:
    with uow:
        applied = apply_dealing(uow, event_type, data, customer_id, "loc_kyiv", at, NOW)
        uow.commit()
    return applied


def test_versions_apply_by_their_own_time_not_by_their_arrival() -> None:
    uow = FakeUnitOfWork()
    upsert = "heedful.booking.upserted"
    assert _apply(uow, upsert, _booking("512"), T + timedelta(hours=2)) is Applied.CREATED
    assert _apply(uow, upsert, _booking("410"), T + timedelta(hours=1)) is Applied.STALE
    assert _apply(uow, upsert, _booking("512"), T + timedelta(hours=2)) is Applied.UNCHANGED
    assert _apply(uow, upsert, _booking("514"), T + timedelta(hours=3)) is Applied.UPDATED
    with uow:
        stored = uow.bookings.get_by_reference(BookingKind.STAY, "loc_kyiv", "B-1")
    assert stored is not None
    assert (stored.room, stored.nights, stored.status) == ("514", 2, BookingStatus.BOOKED)


def test_a_cancellation_at_the_same_instant_beats_a_change() -> None:
    uow = FakeUnitOfWork()
    _apply(uow, "heedful.booking.cancelled", {"booking": "B-1"}, T, customer_id=None)
    assert _apply(uow, "heedful.booking.upserted", _booking("512"), T) is Applied.STALE
    with uow:
        stored = uow.bookings.get_by_reference(BookingKind.STAY, "loc_kyiv", "B-1")
    assert stored is not None
    assert stored.status is BookingStatus.CANCELLED


def test_a_late_cancellation_of_a_stay_that_happened_is_ignored() -> None:
    uow = FakeUnitOfWork()
    _apply(uow, "heedful.booking.upserted", _booking("512"), T)
    _apply(uow, "heedful.stay.completed", {"booking": "B-1"}, T + timedelta(days=3))
    late = _apply(uow, "heedful.booking.cancelled", {"booking": "B-1"}, T + timedelta(days=4))
    assert late is Applied.STALE
    with uow:
        [visit] = uow.history.list_for("cus_anna", 5)
    assert visit.kind is HistoryKind.VISIT
    assert visit.items[0].attributes == {"room_type": "Deluxe"}
    assert visit.items[0].quantity == 2  # nights


def test_an_order_is_late_when_the_carrier_day_passes_the_promise_or_the_promise_passes() -> None:
    order = Order("ord_1", "loc", "1042", "cus", OrderStatus.SHIPPED, promised_on=date(2026, 3, 6))
    assert not order.is_late(date(2026, 3, 6))
    assert order.is_late(date(2026, 3, 7))
    order.expected_on = date(2026, 3, 9)
    assert order.is_late(date(2026, 3, 2))
    order.status = OrderStatus.DELIVERED
    assert not order.is_late(date(2026, 3, 10))
