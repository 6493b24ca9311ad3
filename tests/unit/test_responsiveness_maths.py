"""The responsiveness report's maths on clocks made by hand: medians, p90, SLA share, weeks, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heedful.core.conversations.report import (
    BENCHMARKS,
    CSV_COLUMNS,
    GroupBy,
    ResponsivenessAsk,
    median,
    nearest_rank,
    report_csv,
    tally_responsiveness,
)
from heedful.core.reports import report_period
from heedful.core.sla.kinds import Channel, Priority
from heedful.core.sla.model import ClockFact, ClockKind

# Wednesday 11 March 2026, 10:00 in Kyiv; the default period is the last twelve ISO weeks.
NOW = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
KYIV = "Europe/Kyiv"
MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # this week's Monday, 11:00 in Kyiv


def fact(
    waited_minutes: float | None,
    *,
    kind: ClockKind = ClockKind.FIRST_RESPONSE,
    channel: Channel = Channel.EMAIL,
    started: datetime = MONDAY,
    business_minutes: float | None = None,
    breached: bool = False,
    team: str | None = "tm_front",
    agent: str | None = "stf_iryna",
) -> ClockFact:
    met_at = None if waited_minutes is None else started + timedelta(minutes=waited_minutes)
    spent = None
    if waited_minutes is not None:
        spent = timedelta(minutes=waited_minutes if business_minutes is None else business_minutes)
    return ClockFact(
        kind=kind,
        channel=channel,
        priority=Priority.NORMAL,
        location_id="loc_podil",
        team_id=team,
        assignee_id=agent,
        started_at=started,
        met_at=met_at,
        spent=spent,
        breached=breached,
    )


def report(facts: list[ClockFact], ask: ResponsivenessAsk | None = None):  # type: ignore[no-untyped-def]
    period = report_period(NOW, KYIV, None, None)
    return tally_responsiveness(
        facts,
        period,
        ask or ResponsivenessAsk(),
        {"tm_front": "Front desk"},
        {"stf_iryna": "Ірина Коваль", "stf_oleh": "Олег Бондар"},
    )


def minutes(*values: float) -> list[timedelta]:
    return [timedelta(minutes=v) for v in values]


def test_the_median_is_the_middle_answer_or_the_mean_of_the_two_middle_ones() -> None:
    assert median(minutes(30, 10, 20)) == timedelta(minutes=20)
    assert median(minutes(40, 10, 20, 30)) == timedelta(minutes=25)
    assert median([]) is None


def test_p90_is_the_nearest_rank_that_nine_answers_in_ten_are_not_above() -> None:
    ten = minutes(1, 2, 3, 4, 5, 6, 7, 8, 9, 100)
    assert nearest_rank(ten, 90) == timedelta(minutes=9)  # rank ceil(9.0) = 9
    eleven = [*ten, timedelta(minutes=200)]
    assert nearest_rank(eleven, 90) == timedelta(minutes=100)  # rank ceil(9.9) = 10
    assert nearest_rank(minutes(7), 90) == timedelta(minutes=7)
    assert nearest_rank([], 90) is None


def test_first_response_times_and_the_share_inside_sla_for_e_mail_and_chat() -> None:
    # E-mail: answered after 30, 90 and 600 minutes (the last one late), one still unanswered
    # past its due time. Chat: 5 and 15 minutes, both on time.
    found = report(
        [
            fact(30),
            fact(90),
            fact(600, business_minutes=240, breached=True),
            fact(None, breached=True),
            fact(5, channel=Channel.CHAT),
            fact(15, channel=Channel.CHAT),
        ]
    )

    email, chat = found.by_channel
    assert (email.key, chat.key) == ("email", "chat")
    first = email.times(ClockKind.FIRST_RESPONSE)
    assert (first.ended, first.inside, first.answered, first.unanswered) == (4, 2, 3, 1)
    assert first.inside_share == pytest.approx(0.5)
    assert first.waited_median == timedelta(minutes=90)
    assert first.waited_p90 == timedelta(minutes=600)  # rank ceil(2.7) = 3 of 3
    # The late answer took 600 minutes of waiting, of which the SLA counted 240 business minutes.
    assert first.business_median == timedelta(minutes=90)
    assert first.business_p90 == timedelta(minutes=240)
    assert chat.times(ClockKind.FIRST_RESPONSE).waited_median == timedelta(minutes=10)

    total = found.total.times(ClockKind.FIRST_RESPONSE)
    assert (total.ended, total.inside) == (6, 4)
    assert found.total.inside_share == pytest.approx(4 / 6)
    # Waited, sorted: 5, 15, 30, 90, 600: the middle is 30.
    assert total.waited_median == timedelta(minutes=30)


def test_resolution_counts_apart_from_first_response_and_the_share_covers_every_kind() -> None:
    found = report(
        [
            fact(20),
            fact(8 * 60, kind=ClockKind.RESOLUTION),
            fact(30 * 60, kind=ClockKind.RESOLUTION, breached=True),
            fact(45, kind=ClockKind.NEXT_RESPONSE),
        ]
    )

    resolution = found.total.times(ClockKind.RESOLUTION)
    assert resolution.waited_median == timedelta(hours=19)  # (8 h + 30 h) / 2
    assert resolution.inside_share == pytest.approx(0.5)
    assert found.total.times(ClockKind.FIRST_RESPONSE).waited_median == timedelta(minutes=20)
    assert found.total.ended == 4
    assert found.total.inside_share == pytest.approx(3 / 4)


def test_a_clock_counts_in_the_iso_week_it_started_on_the_locations_clock() -> None:
    # Sunday 8 March 23:30 in Kyiv is Sunday 21:30 UTC: last week, although it was answered on
    # Monday. Monday 00:30 in Kyiv (Sunday 22:30 UTC) is this week.
    sunday_night = datetime(2026, 3, 8, 21, 30, tzinfo=UTC)
    monday_early = datetime(2026, 3, 8, 22, 30, tzinfo=UTC)
    found = report([fact(120, started=sunday_night), fact(60, started=monday_early)])

    assert len(found.by_week) == 12
    last_week, this_week = found.by_week[-2], found.by_week[-1]
    assert (last_week.key, this_week.key) == ("2026-W10", "2026-W11")
    assert this_week.first_day == date(2026, 3, 9)
    assert last_week.times(ClockKind.FIRST_RESPONSE).waited_median == timedelta(minutes=120)
    assert this_week.times(ClockKind.FIRST_RESPONSE).waited_median == timedelta(minutes=60)
    assert all(week.ended == 0 for week in found.by_week[:-2])


def test_teams_and_agents_are_named_the_busiest_first_and_nobody_last() -> None:
    found = report(
        [
            fact(10, agent="stf_oleh"),
            fact(10, agent=None, team=None),
            fact(10),
            fact(10),
        ]
    )

    assert [(g.key, g.label, g.ended) for g in found.by_agent] == [
        ("stf_iryna", "Ірина Коваль", 2),
        ("stf_oleh", "Олег Бондар", 1),
        ("", "", 1),
    ]
    assert [(g.key, g.label) for g in found.by_team] == [("tm_front", "Front desk"), ("", "")]


def test_a_channel_asked_for_leaves_the_others_out() -> None:
    found = report(
        [fact(10), fact(30, channel=Channel.CHAT)], ResponsivenessAsk(channel=Channel.CHAT)
    )

    assert [g.key for g in found.by_channel] == ["chat"]
    assert found.total.ended == 1


def test_the_benchmarks_are_held_against_their_channels_first_responses() -> None:
    found = report([fact(60), fact(4, channel=Channel.CHAT), fact(8, channel=Channel.CHAT)])

    figures = {b.key: found.benchmark_for(b).waited_median for b in BENCHMARKS}
    assert figures == {
        "email_24h": timedelta(minutes=60),
        "live_chat_12_07_min": timedelta(minutes=6),
        "amazon_6_min": timedelta(minutes=8),  # every channel: 4, 8, 60
    }
    assert [b.minutes for b in BENCHMARKS] == [1440, 12.07, 6.0]


def test_the_csv_starts_with_a_byte_order_mark_and_has_a_row_per_group_and_clock() -> None:
    found = report([fact(30), fact(90, channel=Channel.CHAT, agent="=cmd")])
    text = report_csv(found, [GroupBy.CHANNEL, GroupBy.AGENT])

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = rows[1:]
    assert len(body) == 3 * (1 + 2 + 2)  # every kind of clock for all, two channels, two agents
    email_first = next(
        r for r in body if r[0] == "channel" and r[1] == "email" and r[4] == "first_response"
    )
    assert email_first[5:12] == ["1", "1", "1.0000", "1", "0", "30.00", "30.00"]
    # A name a spreadsheet would run as a formula stays text.
    assert any(r[1] == "'=cmd" for r in body)


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=10_000), st.booleans()),
        min_size=1,
        max_size=40,
    )
)
def test_the_median_and_p90_lie_between_the_fastest_and_the_slowest_answer(
    answers: list[tuple[int, bool]],
) -> None:
    found = report([fact(m, breached=late) for m, late in answers])
    times = found.total.times(ClockKind.FIRST_RESPONSE)
    fastest = timedelta(minutes=min(m for m, _ in answers))
    slowest = timedelta(minutes=max(m for m, _ in answers))

    assert times.waited_median is not None
    assert times.waited_p90 is not None
    assert fastest <= times.waited_median <= times.waited_p90 <= slowest
    assert times.inside == sum(not late for _, late in answers)
