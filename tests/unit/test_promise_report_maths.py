"""The promise-kept rate's maths, on counts made by hand: what is counted, weeks, groups, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heedful.core.promises.model import PromiseKind
from heedful.core.promises.ports import Outcome, OutcomeCount
from heedful.core.promises.report import (
    CSV_COLUMNS,
    GroupBy,
    ReportAsk,
    Tally,
    report_csv,
    tally_report,
)
from heedful.core.reports import report_period, report_zone
from heedful.core.shared.errors import InvalidInput
from heedful.core.staff.model import Location, LocationKind

# Wednesday 11 March 2026, 10:00 in Kyiv.
NOW = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
KYIV = "Europe/Kyiv"


def count(
    outcome: Outcome,
    n: int = 1,
    *,
    week: int = 0,
    kind: PromiseKind = PromiseKind.CALL_BACK,
    location: str = "loc_podil",
    by: tuple[str, str] = ("stf_iryna", "Ірина Коваль"),
) -> OutcomeCount:
    return OutcomeCount(kind.value, location, by[0], by[1], outcome, week, n)


def location(location_id: str, name: str, zone: str) -> Location:
    return Location(location_id, name, LocationKind.BOUTIQUE, "Kyiv", "UA", zone, NOW)


def test_overdue_counts_as_broken_while_cancelled_withdrawn_and_waiting_are_not_counted() -> None:
    tally = Tally()
    for outcome, n in [
        (Outcome.KEPT, 6),
        (Outcome.KEPT_LATE, 2),
        (Outcome.BROKEN, 1),
        (Outcome.OVERDUE, 1),
        (Outcome.WAITING, 5),
        (Outcome.CANCELLED, 3),
        (Outcome.WITHDRAWN, 4),
    ]:
        tally = tally.add(outcome, n)

    assert tally.made == 22
    assert tally.counted == 10
    assert tally.kept_rate == pytest.approx(0.8)
    assert tally.on_time_share == pytest.approx(0.6)
    assert tally.late_share == pytest.approx(0.2)
    assert tally.broken_share == pytest.approx(0.2)


def test_with_nothing_counted_there_is_no_rate_rather_than_a_rate_of_zero() -> None:
    waiting_only = Tally().add(Outcome.WAITING, 3).add(Outcome.CANCELLED, 1)

    assert waiting_only.counted == 0
    assert waiting_only.kept_rate is None
    assert waiting_only.broken_share is None


@given(st.lists(st.tuples(st.sampled_from(list(Outcome)), st.integers(min_value=1, max_value=50))))
def test_on_time_late_and_broken_shares_add_up_to_the_whole_sample(
    parts: list[tuple[Outcome, int]],
) -> None:
    tally = Tally()
    for outcome, n in parts:
        tally = tally.add(outcome, n)

    if tally.counted:
        assert tally.on_time_share is not None
        assert tally.late_share is not None
        assert tally.broken_share is not None
        whole = tally.on_time_share + tally.late_share + tally.broken_share
        assert whole == pytest.approx(1.0)
        assert tally.kept_rate == pytest.approx(tally.on_time_share + tally.late_share)
    else:
        assert tally.kept_rate is None


def test_by_default_the_report_covers_twelve_iso_weeks_up_to_today_on_the_shops_clock() -> None:
    period = report_period(NOW, KYIV, None, None)

    assert period.since == date(2025, 12, 22)  # a Monday, eleven weeks before this one
    assert period.until == date(2026, 3, 11)
    assert len(period.week_starts) == 12
    assert [period.week_label(i) for i in (0, 11)] == ["2025-W52", "2026-W11"]
    # Midnight in Kyiv (+02:00 in winter) is 22:00 UTC the day before.
    assert period.week_starts[0] == datetime(2025, 12, 21, 22, 0, tzinfo=UTC)
    assert period.ends_at == datetime(2026, 3, 11, 22, 0, tzinfo=UTC)


def test_weeks_start_at_midnight_on_monday_on_both_sides_of_the_clock_change() -> None:
    # Kyiv moves to summer time on Sunday 29 March 2026.
    in_april = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
    period = report_period(in_april, KYIV, date(2026, 3, 25), date(2026, 4, 8))

    assert period.week_first_day(0) == date(2026, 3, 25)  # a Wednesday: the period's first day
    assert period.week_starts == (
        datetime(2026, 3, 24, 22, 0, tzinfo=UTC),  # Wednesday 25 March, 00:00 at +02:00
        datetime(2026, 3, 29, 21, 0, tzinfo=UTC),  # Monday 30 March, 00:00 at +03:00
        datetime(2026, 4, 5, 21, 0, tzinfo=UTC),
    )
    assert period.ends_at == datetime(2026, 4, 8, 21, 0, tzinfo=UTC)  # the midnight after 8 April


def test_a_period_ends_today_at_the_latest_and_says_when_it_is_backwards_or_too_long() -> None:
    assert report_period(NOW, KYIV, date(2026, 3, 1), date(2030, 1, 1)).until == date(2026, 3, 11)
    with pytest.raises(InvalidInput, match="after its last") as backwards:
        report_period(NOW, KYIV, date(2026, 3, 5), date(2026, 3, 4))
    with pytest.raises(InvalidInput, match="two years"):
        report_period(NOW, KYIV, date(2023, 1, 1), None)
    with pytest.raises(InvalidInput, match="2000"):
        report_period(NOW, KYIV, date(1, 1, 1), date(1, 1, 2))
    assert backwards.value.field == "since"


def test_the_report_uses_the_locations_zone_only_when_they_share_one() -> None:
    podil, lviv = location("a", "Podil", KYIV), location("b", "Lviv", KYIV)
    warsaw = location("c", "Warsaw", "Europe/Warsaw")

    assert report_zone([podil, lviv]) == KYIV
    assert report_zone([podil, warsaw]) == "UTC"
    assert report_zone([]) == "UTC"


IRYNA = ("stf_iryna", "Ірина Коваль")
OLGA = ("stf_olga", "Olga Shevchenko")
COUNTS = [
    count(Outcome.KEPT, 3, week=0, by=IRYNA),
    count(Outcome.BROKEN, 1, week=0, by=IRYNA, kind=PromiseKind.REFUND_BY),
    count(Outcome.KEPT_LATE, 2, week=2, by=OLGA, location="loc_lviv"),
    count(Outcome.OVERDUE, 1, week=2, by=OLGA, location="loc_lviv"),
    count(Outcome.CANCELLED, 4, week=1, by=OLGA, kind=PromiseKind.REFUND_BY),
    count(Outcome.WAITING, 2, week=2, by=IRYNA, kind=PromiseKind.TELL_WHEN_AVAILABLE),
]
NAMES = {"loc_podil": "Podil boutique", "loc_lviv": "Rynok square"}


def test_each_breakdown_adds_up_to_the_total_and_every_week_is_listed_even_empty_ones() -> None:
    period = report_period(NOW, KYIV, date(2026, 2, 23), None)
    report = tally_report(COUNTS, period, ReportAsk(), NAMES)

    assert report.total.counted == 7
    assert report.total.kept_rate == pytest.approx(5 / 7)
    for by in GroupBy:
        assert sum(g.tally.made for g in report.groups(by)) == report.total.made == 13
    assert [(g.key, g.tally.counted) for g in report.by_week] == [
        ("2026-W09", 4),
        ("2026-W10", 0),  # only a cancellation: nothing counted, still shown
        ("2026-W11", 3),
    ]
    assert [g.key for g in report.by_kind] == ["tell_when_available", "call_back", "refund_by"]
    assert [(g.label, g.tally.counted) for g in report.by_location] == [
        ("Podil boutique", 4),
        ("Rynok square", 3),
    ]
    # pytest.approx equals a float, which mypy cannot know.
    assert [(g.label, g.tally.kept_rate) for g in report.by_staff] == [  # type: ignore[comparison-overlap]
        ("Ірина Коваль", pytest.approx(3 / 4)),  # the busiest first
        ("Olga Shevchenko", pytest.approx(2 / 3)),
    ]


def test_filtering_by_kind_and_maker_narrows_the_numbers_but_not_the_makers_offered() -> None:
    period = report_period(NOW, KYIV, date(2026, 2, 23), None)
    ask = ReportAsk(kind=PromiseKind.REFUND_BY, made_by="stf_olga")

    report = tally_report(COUNTS, period, ask, NAMES)

    assert report.total == Tally(cancelled=4)
    assert [g.key for g in report.by_staff] == ["stf_olga"]
    assert [name for _, name in report.makers] == ["Olga Shevchenko", "Ірина Коваль"]


def test_a_location_no_longer_known_is_shown_by_its_id() -> None:
    period = report_period(NOW, KYIV, date(2026, 3, 9), None)
    report = tally_report([count(Outcome.KEPT, location="loc_gone")], period, ReportAsk(), {})

    assert [g.label for g in report.by_location] == ["loc_gone"]


def test_the_csv_has_a_byte_order_mark_a_total_row_and_one_row_per_group() -> None:
    period = report_period(NOW, KYIV, date(2026, 2, 23), None)
    report = tally_report(COUNTS, period, ReportAsk(), NAMES)

    text = report_csv(report, [GroupBy.STAFF, GroupBy.WEEK])

    assert text.startswith("\ufeffgroup_by,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["group_by"], r["label"]) for r in rows] == [
        ("all", "2026-02-23/2026-03-11"),
        ("staff", "Ірина Коваль"),
        ("staff", "Olga Shevchenko"),
        ("week", "2026-W09"),
        ("week", "2026-W10"),
        ("week", "2026-W11"),
    ]
    iryna = rows[1]
    assert (iryna["counted"], iryna["kept"], iryna["broken"], iryna["waiting"]) == (
        "4",
        "3",
        "1",
        "2",
    )
    assert iryna["kept_rate"] == "0.7500"
    assert rows[4]["kept_rate"] == ""  # no sample, no rate
    assert rows[4]["first_day"] == "2026-03-02"


def test_a_name_that_looks_like_a_formula_stays_a_name_in_the_csv() -> None:
    period = report_period(NOW, KYIV, date(2026, 3, 9), None)
    sly = count(Outcome.KEPT, by=("tok_1", '=HYPERLINK("http://x")'))
    report = tally_report([sly], period, ReportAsk(), NAMES)

    rows = list(csv.reader(io.StringIO(report_csv(report, [GroupBy.STAFF]))))

    assert rows[-1][2] == '\'=HYPERLINK("http://x")'
