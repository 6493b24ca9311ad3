"""A worker that has caught up lets a trickle gather before its next pass (ADR 85)."""

from __future__ import annotations

from heedful.entrypoints.worker.gathering import gathering_rest


def test_a_quick_pass_waits_out_the_rest_of_the_gather() -> None:
    assert round(gathering_rest(0.1, began=100.0, now=100.02), 6) == 0.08


def test_a_pass_longer_than_the_gather_is_followed_at_once() -> None:
    assert gathering_rest(0.1, began=100.0, now=100.25) == 0.0


def test_a_gather_of_zero_goes_at_once_as_before() -> None:
    assert gathering_rest(0.0, began=100.0, now=100.0) == 0.0
