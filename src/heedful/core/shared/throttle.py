"""Rate limits on the public faces: so many chats, messages or survey pages per window.

A fixed window per key: the first request of a key opens a window of ``rule.seconds``; up to
``rule.limit`` requests pass in it, the rest are refused until it ends. A fixed window lets a
client through up to twice the limit across a window's edge; for "no more than N chats an
hour" that slack is harmless, and one row per key (start, count) is all there is to store, so
every web worker can share it through the database.

The deciding is pure (``count`` takes ``now``); where the windows are kept is a port.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class Rule:
    name: str  # says what is limited, e.g. "chat.start.address"; part of the stored key
    limit: int  # requests per window; 0 or less: no limit
    seconds: int

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.seconds)


@dataclass(frozen=True)
class Window:
    started_at: datetime
    hits: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # whole seconds until the window that refused ends
    rule: str = ""  # the rule that refused


ALLOWED = Verdict(allowed=True)


def count(window: Window | None, rule: Rule, now: datetime) -> tuple[Window, Verdict]:
    """The window after this request, and whether the request may pass."""
    if window is None or now >= window.started_at + rule.window or now < window.started_at:
        # A clock that went back (a new server's clock) opens a fresh window rather than
        # keeping someone out for longer than the rule says.
        window = Window(started_at=now, hits=0)
    if window.hits >= rule.limit:
        left = (window.started_at + rule.window - now).total_seconds()
        return window, Verdict(allowed=False, retry_after=max(math.ceil(left), 1), rule=rule.name)
    return Window(window.started_at, window.hits + 1), ALLOWED


def key(rule: Rule, subject: str) -> str:
    """The stored key: the rule and a hash of who is counted.

    Client addresses and visitor tokens are personal data or secrets; the table keeps neither,
    only a hash that the same request hashes to again.
    """
    digest = hashlib.sha256(f"{rule.name}\x00{subject}".encode()).hexdigest()[:40]
    return f"{rule.name[:40]}:{digest}"


class RateLimits(Protocol):
    """Windows shared by every process that serves the public pages."""

    def spend(self, key: str, rule: Rule, now: datetime) -> Verdict:
        """Counts one request against the key's window, atomically, and says if it passes."""
        ...

    def forget_ended(self, now: datetime) -> int:
        """Drops windows that ended (at most a day's rule is kept); returns how many."""
        ...


def spend(limits: RateLimits, asks: Sequence[tuple[Rule, str]], now: datetime) -> Verdict:
    """Counts a request against each (rule, subject) in turn; the first refusal answers.

    A request refused by one rule is not counted against the later ones, so a visitor whose
    address is busy keeps her own allowance. Rules with no limit and empty subjects are skipped.
    """
    for rule, subject in asks:
        if rule.limit <= 0 or not subject:
            continue
        verdict = limits.spend(key(rule, subject), rule, now)
        if not verdict.allowed:
            return verdict
    return ALLOWED
