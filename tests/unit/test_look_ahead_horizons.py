"""Horizons in each location's own calendar, across daylight-saving changes (ADR 0040)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from heedful.core.playbooks.lookahead import next_local_hour
from heedful.core.playbooks.model import Horizon
from heedful.core.playbooks.state import window

KYIV = ZoneInfo("Europe/Kyiv")
TOMORROW = Horizon(days_ahead=1)
BEFORE_EIGHT_TOMORROW = Horizon(days_ahead=1, before=time(8, 0))


def test_tomorrow_is_the_whole_local_day_even_when_the_clocks_go_forward() -> None:
    # Saturday 28 March 2026, noon in Kyiv: Sunday the 29th has 23 hours (03:00 -> 04:00).
    now = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
    start, end = window(TOMORROW, KYIV, now)
    assert start == datetime(2026, 3, 28, 22, 0, tzinfo=UTC)  # 00:00 at +02:00
    assert end == datetime(2026, 3, 29, 21, 0, tzinfo=UTC)  # 00:00 Monday at +03:00
    assert end - start == timedelta(hours=23)


def test_tomorrow_has_25_hours_when_the_clocks_go_back() -> None:
    now = datetime(2026, 10, 24, 10, 0, tzinfo=UTC)  # Saturday; Sunday the 25th ends summer time
    start, end = window(TOMORROW, KYIV, now)
    assert end - start == timedelta(hours=25)


def test_charges_before_eight_tomorrow_end_at_eight_on_the_local_clock() -> None:
    now = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
    assert window(BEFORE_EIGHT_TOMORROW, KYIV, now) == (
        now,
        datetime(2026, 3, 29, 5, 0, tzinfo=UTC),  # 08:00 summer time, +03:00
    )
    winter = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    assert window(BEFORE_EIGHT_TOMORROW, KYIV, winter)[1] == datetime(2026, 3, 3, 6, 0, tzinfo=UTC)


def test_within_hours_counts_real_hours_from_now() -> None:
    now = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
    assert window(Horizon(within=timedelta(hours=36)), KYIV, now) == (
        now,
        now + timedelta(hours=36),
    )


def test_a_half_hour_zone_runs_at_the_top_of_its_own_hour() -> None:
    now = datetime(2026, 3, 2, 7, 10, tzinfo=UTC)  # 12:40 in Kolkata
    assert next_local_hour(now, "Asia/Kolkata") == datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


# Hypothesis takes naive bounds and makes aware values from them in the zone given.
EARLIEST, LATEST = datetime(2025, 1, 1), datetime(2028, 12, 31)  # noqa: DTZ001


@given(
    st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=st.just(UTC)),
    st.sampled_from(["Europe/Kyiv", "America/New_York", "Australia/Lord_Howe", "UTC"]),
    st.integers(min_value=0, max_value=7),
)
def test_a_local_day_window_starts_and_ends_at_local_midnight(
    now: datetime, zone_name: str, days: int
) -> None:
    zone = ZoneInfo(zone_name)
    start, end = window(Horizon(days_ahead=days), zone, now)
    assert start <= end
    local_end = end.astimezone(zone)
    assert (local_end.hour, local_end.minute) == (0, 0)
    assert local_end.date() == now.astimezone(zone).date() + timedelta(days=days + 1)
    assert timedelta(hours=0) <= end - start <= timedelta(hours=25)
