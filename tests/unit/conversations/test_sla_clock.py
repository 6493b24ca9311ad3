"""An SLA clock in business time: pauses, carries spent time over changes, meets and breaches.

Berlin, Mon-Fri 09:00-18:00 with German holidays. Due times are asserted as UTC instants
(Berlin is UTC+1 in March until the 29th, UTC+2 after).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from heedful.core.calendar import BusinessCalendar, weekly_hours
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.sla.kinds import Channel, Priority
from heedful.core.sla.model import ClockKind, ClockState, SlaClock, SlaPolicy, policy_for

BERLIN = BusinessCalendar("Europe/Berlin", weekly_hours({"mon-fri": "09:00-18:00"}), "DE")
T = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Berlin


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def policy(**targets: Any) -> SlaPolicy:
    return SlaPolicy(id="sla_1", name="E-mail", created_at=T, updated_at=T, **targets)


def clock(kind: ClockKind = ClockKind.RESOLUTION, minutes: int = 480) -> SlaClock:
    return SlaClock.start(
        id="clk_1",
        thread_id="thr_1",
        location_id="loc_1",
        kind=kind,
        policy=policy(resolution_minutes=minutes, first_response_minutes=minutes),
        at=T,
        calendar=BERLIN,
    )


def test_a_clock_is_due_after_its_target_in_business_hours() -> None:
    resolution = clock()
    assert resolution.due_at == utc(23, 17)  # Monday 10:00 + 8 business hours = 18:00 Berlin
    assert resolution.warn_at == utc(23, 16, 30)
    two_days = clock(minutes=16 * 60)
    assert two_days.due_at == utc(24, 16)  # the evening and the night do not count


def test_the_issues_paused_resolution_clock_is_due_tuesday_at_17() -> None:
    # An 8-business-hour clock from Monday 10:00, paused from 12:00 to Tuesday 11:00.
    resolution = clock()
    resolution.pause(BERLIN, utc(23, 11))
    assert resolution.state is ClockState.PAUSED
    assert resolution.due_at is None
    assert resolution.spent_by(BERLIN, utc(24, 9)) == timedelta(hours=2)  # paused time is not
    resolution.resume(BERLIN, utc(24, 10))
    assert resolution.due_at == utc(24, 16)  # Tuesday 17:00 Berlin


def test_a_pause_and_resume_inside_closed_hours_changes_nothing() -> None:
    resolution = clock(minutes=16 * 60)
    resolution.pause(BERLIN, utc(23, 18))  # Monday 19:00 Berlin: closed
    resolution.resume(BERLIN, utc(24, 7))  # Tuesday 08:00 Berlin: still closed
    assert resolution.due_at == utc(24, 16)


def test_a_new_target_keeps_the_time_already_spent() -> None:
    resolution = clock()
    resolution.retarget(BERLIN, utc(23, 12), target_minutes=240, warning_minutes=0)
    assert resolution.spent_before == timedelta(hours=3)
    assert resolution.due_at == utc(23, 13)  # one hour left
    assert resolution.warn_at is None


def test_a_target_already_spent_is_due_at_once() -> None:
    resolution = clock()
    resolution.retarget(BERLIN, utc(23, 12), target_minutes=60, warning_minutes=0)
    assert resolution.due_at == utc(23, 12)


def test_hours_changed_while_running_keep_what_was_counted_in_the_old_ones() -> None:
    resolution = clock()
    resolution.carry_over(BERLIN, utc(23, 10))  # an hour counted in the old hours
    late_shift = BusinessCalendar("Europe/Berlin", weekly_hours({"mon-fri": "12:00-20:00"}), "DE")
    resolution.reschedule(late_shift)
    # 7 hours left from Monday 11:00 Berlin in 12:00-20:00: Monday 12:00-19:00... 12:00+7 = 19:00
    assert resolution.due_at == utc(23, 18)


def test_meeting_records_the_business_time_spent_and_a_breached_clock_stays_breached() -> None:
    first = clock(ClockKind.FIRST_RESPONSE, 60)
    first.breach(utc(23, 10))
    first.meet(BERLIN, utc(23, 11))
    assert first.state is ClockState.BREACHED
    assert first.met_at == utc(23, 11)
    assert first.spent == timedelta(hours=2)
    with pytest.raises(Conflict):
        first.meet(BERLIN, utc(23, 12))


def test_a_paused_clock_cannot_breach() -> None:
    first = clock(ClockKind.FIRST_RESPONSE, 60)
    first.pause(BERLIN, utc(23, 9, 30))
    with pytest.raises(Conflict):
        first.breach(utc(23, 10))


def test_the_most_specific_active_policy_wins() -> None:
    anyone = policy(first_response_minutes=240)
    email = SlaPolicy("sla_2", "E-mail", T, T, channel=Channel.EMAIL, first_response_minutes=120)
    vip = SlaPolicy(
        "sla_3", "VIP e-mail", T, T, channel=Channel.EMAIL, segment="vip", first_response_minutes=30
    )
    off = SlaPolicy(
        "sla_4",
        "Off",
        T,
        T,
        channel=Channel.EMAIL,
        segment="vip",
        priority=Priority.NORMAL,
        first_response_minutes=1,
        active=False,
    )
    policies = [anyone, email, vip, off]
    assert policy_for(policies, Channel.EMAIL, Priority.NORMAL, "vip") is vip
    assert policy_for(policies, Channel.EMAIL, Priority.NORMAL, "regular") is email
    assert policy_for(policies, Channel.CHAT, Priority.NORMAL, "vip") is anyone
    assert policy_for([], Channel.CHAT, Priority.NORMAL, "vip") is None


def test_a_policy_needs_a_target_and_sane_minutes() -> None:
    with pytest.raises(InvalidInput) as no_target:
        policy()
    assert no_target.value.field == "first_response_minutes"
    with pytest.raises(InvalidInput) as zero:
        policy(resolution_minutes=0)
    assert zero.value.field == "resolution_minutes"
