"""Machine checks raise flags for the reviewer: window, distance, reused photos, copied answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from unit.audits.audit_forms import GOOD_VISIT, answers

from heedful.core.audits import Assignment, Attachment, CheckIn, Visit, haversine_m
from heedful.core.audits.checks import check_visit

START = datetime(2026, 12, 1, 10, tzinfo=UTC)
DOOR = (50.4501, 30.5234)  # Khreshchatyk, Kyiv


def assignment() -> Assignment:
    return Assignment(
        id="aas_1",
        programme_id="apg_1",
        evaluator_id="aev_1",
        location_id="loc_1",
        questionnaire_id="aqn_1",
        questionnaire_version=1,
        wave="2026-12",
        window_start=START,
        window_end=START + timedelta(days=3),
        scenario="Ask to be told when the sold-out bag is back",
        created_at=START,
        created_by="Olena",
    )


def visit(assignment_id: str = "aas_1", **fields: object) -> Visit:
    made = Visit(
        assignment_id=assignment_id,
        evaluator_id="aev_1",
        location_id="loc_1",
        wave="2026-12",
        questionnaire_id="aqn_1",
        questionnaire_version=1,
        updated_at=START,
        answers=answers(**GOOD_VISIT),
        check_in=CheckIn(START + timedelta(hours=2), *DOOR),
        submitted_at=START + timedelta(hours=3),
    )
    for name, value in fields.items():
        setattr(made, name, value)
    return made


def codes(this: Visit, **kwargs: object) -> list[str]:
    options: dict[str, object] = {
        "location_position": DOOR,
        "radius_m": 300,
        "hashes_seen_elsewhere": [],
        "earlier_visits": [],
        **kwargs,
    }
    return [flag.code for flag in check_visit(this, assignment(), **options)]  # type: ignore[arg-type]


def test_a_clean_visit_raises_no_flag() -> None:
    assert codes(visit()) == []


def test_a_check_in_outside_the_window_is_flagged() -> None:
    late = visit(check_in=CheckIn(START + timedelta(days=4)))
    assert codes(late) == ["outside_window"]


def test_no_check_in_is_flagged_and_the_submission_time_is_judged() -> None:
    assert codes(visit(check_in=None)) == ["no_check_in"]
    assert codes(visit(check_in=None, submitted_at=START - timedelta(hours=1))) == [
        "no_check_in",
        "outside_window",
    ]


def test_haversine_measures_a_known_distance() -> None:
    # Kyiv to Lviv is about 469 km as the crow flies.
    assert haversine_m(50.4501, 30.5234, 49.8397, 24.0297) == pytest.approx(469_000, rel=0.01)


def test_a_check_in_far_from_the_door_is_flagged() -> None:
    near = visit(check_in=CheckIn(START + timedelta(hours=2), 50.4510, 30.5234))  # ~100 m
    assert codes(near) == []
    far = visit(check_in=CheckIn(START + timedelta(hours=2), 50.4560, 30.5234))  # ~650 m
    flags = check_visit(
        far,
        assignment(),
        location_position=DOOR,
        radius_m=300,
        hashes_seen_elsewhere=[],
        earlier_visits=[],
    )
    assert [f.code for f in flags] == ["far_from_location"]
    assert flags[0].detail["allowed"] == "300"
    # A location with no known position cannot be judged: no flag, rather than a wrong one.
    assert codes(far, location_position=None) == []


def test_the_same_photo_twice_is_flagged() -> None:
    photos = (Attachment("att_1", "ab" * 32), Attachment("att_2", "ab" * 32))
    assert codes(visit(attachments=photos)) == ["photo_reused"]
    one = (Attachment("att_3", "cd" * 32),)
    assert codes(visit(attachments=one), hashes_seen_elsewhere=["cd" * 32]) == ["photo_reused"]


def test_answers_identical_to_a_recent_visit_are_flagged() -> None:
    earlier = visit("aas_0")
    assert codes(visit(), earlier_visits=[earlier]) == ["same_answers_as_before"]
    different = visit(answers=answers(**{**GOOD_VISIT, "smile": 5}))
    assert codes(different, earlier_visits=[earlier]) == []
