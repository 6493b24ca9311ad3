"""What became of one failure: the rule the failure map applies to every kind (ADR 0050)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from heedful.core.failures import (
    Failure,
    FailureKind,
    Firing,
    Gesture,
    Outcome,
    Touchpoint,
    decide,
)

MOMENT = datetime(2026, 2, 27, 6, tzinfo=UTC)
NOW = datetime(2026, 3, 2, 7, tzinfo=UTC)


def late_parcel(**changes: object) -> Failure:
    values: dict[str, object] = {
        "kind": FailureKind.LATE_DELIVERY,
        "touchpoint": Touchpoint.DELIVERY,
        "location_id": "loc_shop",
        "customer_id": "cus_anna",
        "ref": "order:ord_1",
        "label": "1042",
        "at": MOMENT,
        "object_key": "order:ord_1",
        **changes,
    }
    return Failure(**values)  # type: ignore[arg-type]


def test_a_look_ahead_firing_before_the_moment_pre_empts_it_and_one_after_does_not() -> None:
    before = Firing("cus_anna", "state:order:ord_1:v2", MOMENT - timedelta(days=1))
    after = Firing("cus_anna", "state:order:ord_1:v2", MOMENT + timedelta(hours=1))
    other = Firing("cus_anna", "state:order:ord_10:v1", MOMENT - timedelta(days=1))

    assert decide(late_parcel(), [before], [], [], NOW).outcome is Outcome.PRE_EMPTED
    assert decide(late_parcel(), [after], [], [], NOW).outcome is Outcome.UNHANDLED
    assert decide(late_parcel(), [other], [], [], NOW).outcome is Outcome.UNHANDLED


def test_goodwill_there_within_a_week_rescues_it_and_says_how_long_it_took() -> None:
    soon = Gesture("cus_anna", "loc_shop", MOMENT + timedelta(hours=3))
    elsewhere = Gesture("cus_anna", "loc_bank", MOMENT + timedelta(hours=1))
    too_late = Gesture("cus_anna", "loc_shop", MOMENT + timedelta(days=8))

    rescued = decide(late_parcel(), [], [soon, elsewhere], [], NOW)

    assert (rescued.outcome, rescued.recovery_minutes) == (Outcome.RESCUED, 180)
    assert decide(late_parcel(), [], [too_late], [], NOW).outcome is Outcome.UNHANDLED


def test_the_records_own_repair_counts_first_and_a_repair_before_the_moment_pre_empts() -> None:
    kept_late = late_parcel(recovered_at=MOMENT + timedelta(minutes=45))
    kept_before = late_parcel(recovered_at=MOMENT - timedelta(hours=2))
    gift = Gesture("cus_anna", "loc_shop", MOMENT + timedelta(hours=5))

    assert decide(kept_late, [], [gift], [], NOW).recovery_minutes == 45
    assert decide(kept_before, [], [], [], NOW).outcome is Outcome.PRE_EMPTED


def test_a_failure_whose_moment_or_deadline_is_ahead_is_open_not_unhandled() -> None:
    tonight = late_parcel(at=NOW + timedelta(hours=5))
    waiting = late_parcel(still_open=True, open_until=None)
    overdue = late_parcel(still_open=True, open_until=NOW - timedelta(hours=1))

    assert decide(tonight, [], [], [], NOW).outcome is Outcome.OPEN
    assert decide(waiting, [], [], [], NOW).outcome is Outcome.OPEN
    assert decide(overdue, [], [], [], NOW).outcome is Outcome.UNHANDLED
