"""What playbooks need from storage: versions kept, firings keyed once per customer."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from heedful.core.playbooks.liking import Asked, Member
from heedful.core.playbooks.model import Firing, Playbook, PlaybookVersion
from heedful.core.preferences import Category, Polarity


class PlaybookRepository(Protocol):
    def add(self, playbook: Playbook, version: PlaybookVersion) -> None: ...
    def add_version(self, playbook: Playbook, version: PlaybookVersion) -> None:
        """Stores the new version and makes it the playbook's current one."""
        ...

    def update(self, playbook: Playbook) -> None:
        """The playbook's own fields (enabled); never its versions."""
        ...

    def get(self, playbook_id: str) -> Playbook | None: ...
    def every(self) -> list[Playbook]: ...
    def enabled(self) -> list[Playbook]: ...
    def versions(self, playbook_id: str) -> list[PlaybookVersion]: ...
    def version(self, playbook_id: str, number: int) -> PlaybookVersion | None: ...

    def claim(self, firing: Firing) -> bool:
        """Stores the firing unless its (playbook, customer, once key) is taken; True if stored.

        The unique key decides, not a read before the write: two workers that fire the same
        playbook for the same customer at once store one firing, and the other does nothing.
        """
        ...

    def claim_many(self, wanted: Sequence[Firing]) -> set[str]:
        """Stores each firing whose key is free, in a few set-based statements; their ids.

        The same guarantee as ``claim`` for a whole window: a key another worker stored (or is
        storing this moment) is left alone and its firing's id is not in the answer.
        """
        ...

    def take_firing_turn(self) -> None:
        """Waits until no other worker's transaction is firing event playbooks; this one's turn
        lasts until it ends (ADR 61's addendum).

        Two workers firing for the same customers under once-per-day keys each stored a key the
        other then waited on: a deadlock. Taken before a batch's first lock, so a worker waits
        holding nothing. One writer at a time already on SQLite: nothing to do there.
        """
        ...

    def firings(self, playbook_id: str, limit: int) -> list[Firing]: ...
    def taken(self, playbook_id: str, keys: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (customer, once key) pairs the playbook has already fired for.

        A read to spare the work, never the decision: ``claim`` decides under a race.
        """
        ...

    def customers_with_history_at(
        self, location_id: str, since: datetime, after: str | None, limit: int
    ) -> list[str]:
        """A page of the customers with a purchase or visit at the location since then.

        Most recent first (then by id); ``after`` is the last customer of the page before.
        """
        ...

    def customers_with_preference(
        self,
        polarity: Polarity,
        category: Category | None,
        subject: str,
        after: str | None,
        limit: int,
    ) -> list[str]:
        """A page of the customers with a standing preference of this subject, ignoring case.

        In customer id order; ``after`` is the last customer of the page before.
        """
        ...

    def members_liking(
        self,
        audience: Asked,
        checks: Sequence[Asked],
        after: str | None,
        limit: int,
        once: tuple[str, str] | None = None,
    ) -> list[Member]:
        """A page of the customers with a standing preference as asked (as
        ``customers_with_preference``: the same customers, in the same order), each with her
        newest standing preference meeting each check, or None, and, if she meets every check
        and the playbook has not fired for her under ``once`` (playbook id, once key), she
        herself as a ``Customer``; one statement a page.
        """
        ...
