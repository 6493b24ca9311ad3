"""Machine checks of a submitted visit: each finding is a flag for the reviewer, not a verdict.

- outside_window: the check-in (or, without one, the submission) falls outside the visit window;
- no_check_in: the evaluator never checked in;
- far_from_location: the check-in position is farther from the location than the programme allows;
- photo_reused: a photo or receipt with the same content hash was submitted before (or twice here);
- same_answers_as_before: the answers are identical to one of the evaluator's last visits of the
  same questionnaire (copied forms are the classic mystery-shopping fraud).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from heedful.core.audits.answers import Answer
from heedful.core.audits.visits import Assignment, Flag, Visit

EARTH_RADIUS_M = 6_371_000.0
SAME_PATTERN_LOOKBACK = 3  # the evaluator's last visits compared with this one


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def answer_pattern(answers: Mapping[str, Answer]) -> tuple[tuple[str, str], ...]:
    """What the evaluator chose, item by item; ledger answers and free words left out."""
    return tuple(
        sorted(
            (key, "n/a" if a.not_applicable else repr(a.value))
            for key, a in answers.items()
            if not a.evidence
        )
    )


def _distance_flag(
    latitude: float | None, longitude: float | None, door: tuple[float, float], radius_m: int
) -> Flag | None:
    if latitude is None or longitude is None:
        return None
    distance = haversine_m(latitude, longitude, *door)
    if distance <= radius_m:
        return None
    return Flag("far_from_location", {"metres": f"{distance:.0f}", "allowed": str(radius_m)})


def check_visit(
    visit: Visit,
    assignment: Assignment,
    *,
    location_position: tuple[float, float] | None,
    radius_m: int,
    hashes_seen_elsewhere: Iterable[str],
    earlier_visits: Iterable[Visit],
) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    at = visit.check_in.at if visit.check_in else visit.submitted_at
    if visit.check_in is None:
        flags.append(Flag("no_check_in"))
    if at is not None and not assignment.window_start <= at <= assignment.window_end:
        flags.append(
            Flag(
                "outside_window",
                {
                    "at": at.isoformat(),
                    "window_start": assignment.window_start.isoformat(),
                    "window_end": assignment.window_end.isoformat(),
                },
            )
        )
    position = visit.check_in
    if position is not None and location_position is not None:
        flag = _distance_flag(position.latitude, position.longitude, location_position, radius_m)
        if flag is not None:
            flags.append(flag)
    seen = set(hashes_seen_elsewhere)
    mine: set[str] = set()
    for attachment in visit.attachments:
        if attachment.sha256 in seen or attachment.sha256 in mine:
            flags.append(
                Flag("photo_reused", {"attachment_id": attachment.id, "sha256": attachment.sha256})
            )
        mine.add(attachment.sha256)
    pattern = answer_pattern(visit.answers)
    for earlier in earlier_visits:
        same_form = earlier.questionnaire_id == visit.questionnaire_id
        if pattern and same_form and answer_pattern(earlier.answers) == pattern:
            flags.append(Flag("same_answers_as_before", {"visit": earlier.assignment_id}))
            break
    return tuple(flags)
