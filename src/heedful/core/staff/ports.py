"""What the staff room needs stored beyond staff and tokens: login throttles, security events."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from heedful.core.staff.model import LoginThrottle, SecurityEvent, SecurityEventKind


class LoginThrottles(Protocol):
    def get(self, key: str) -> LoginThrottle | None: ...
    def replace(self, before: LoginThrottle | None, after: LoginThrottle) -> bool:
        """Store ``after`` only if the row is still ``before`` (absent when None).

        False when another attempt got there first: two guesses racing never both count as one.
        """
        ...

    def clear(self, key: str) -> None: ...
    def forget_unlocked_before(self, last_failure_before: datetime) -> int:
        """Drop the rows of names and addresses that stopped failing, unless locked."""
        ...


class SecurityEvents(Protocol):
    def add(self, event: SecurityEvent) -> None: ...
    def list(
        self,
        *,
        since: datetime | None = None,
        limit: int = 100,
        kinds: frozenset[SecurityEventKind] = frozenset(),
        login: str = "",
    ) -> list[SecurityEvent]:
        """Newest first; only these kinds (all when empty), only this login name (any case)."""
        ...
