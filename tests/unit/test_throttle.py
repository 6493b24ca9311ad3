"""The public faces' fixed-window rate limit, decided on a given ``now``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from heedful.core.shared.throttle import Rule, Verdict, Window, count, key, spend

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREE_AN_HOUR = Rule("chat.start.address", 3, 3600)


class MemoryLimits:
    def __init__(self) -> None:
        self.windows: dict[str, Window] = {}

    def spend(self, key: str, rule: Rule, now: datetime) -> Verdict:
        self.windows[key], verdict = count(self.windows.get(key), rule, now)
        return verdict

    def forget_ended(self, now: datetime) -> int:
        del now
        return 0


def test_the_limit_passes_then_refuses_until_the_window_ends() -> None:
    window = None
    answers = []
    for minute in (0, 1, 2, 3):
        window, verdict = count(window, THREE_AN_HOUR, NOW + timedelta(minutes=minute))
        answers.append(verdict)

    assert [a.allowed for a in answers] == [True, True, True, False]
    assert answers[-1].retry_after == 57 * 60  # the window opened at 09:00 and ends at 10:00
    assert answers[-1].rule == "chat.start.address"
    _, after_the_hour = count(window, THREE_AN_HOUR, NOW + timedelta(hours=1))
    assert after_the_hour.allowed


def test_a_clock_set_back_opens_a_fresh_window_instead_of_a_longer_wait() -> None:
    full = Window(started_at=NOW, hits=3)

    _, verdict = count(full, THREE_AN_HOUR, NOW - timedelta(minutes=5))

    assert verdict.allowed


def test_the_wait_is_at_least_a_second() -> None:
    full = Window(started_at=NOW, hits=3)

    _, verdict = count(full, THREE_AN_HOUR, NOW + timedelta(seconds=3599, microseconds=900_000))

    assert verdict.retry_after == 1


def test_a_refusal_by_one_rule_does_not_spend_the_next_ones() -> None:
    limits = MemoryLimits()
    by_address, by_visitor = Rule("a", 1, 60), Rule("v", 5, 60)
    spend(limits, [(by_address, "10.0.0.1"), (by_visitor, "tok")], NOW)

    refused = spend(limits, [(by_address, "10.0.0.1"), (by_visitor, "tok")], NOW)

    assert not refused.allowed
    assert limits.windows[key(by_visitor, "tok")].hits == 1


def test_a_rule_set_to_zero_is_off_and_the_stored_key_hides_the_address() -> None:
    limits = MemoryLimits()
    off = Rule("chat.read.address", 0, 60)

    assert all(spend(limits, [(off, "10.0.0.1")], NOW).allowed for _ in range(100))
    assert limits.windows == {}
    stored = key(THREE_AN_HOUR, "203.0.113.7")
    assert "203.0.113.7" not in stored
    assert stored.startswith("chat.start.address:")
    assert len(stored) <= 100
