"""The failure map's reads in memory: the failures, firings and gifts a test puts in."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from heedful.core.failures import Failure, FailureKind, Firing, Gesture


@dataclass
class FakeFailureReads:
    found: list[Failure] = field(default_factory=list)
    fired: list[Firing] = field(default_factory=list)
    given: list[Gesture] = field(default_factory=list)

    def failures(
        self,
        kind: FailureKind,
        location_ids: Collection[str] | None,
        since: datetime,
        until: datetime,
        limit: int,
    ) -> list[Failure]:
        return [
            f
            for f in self.found
            if f.kind is kind
            and (location_ids is None or f.location_id in location_ids)
            and since <= f.at < until
        ][:limit]

    def firings(self, since: datetime, until: datetime, limit: int) -> list[Firing]:
        return [f for f in self.fired if since <= f.fired_at < until][:limit]

    def gestures(
        self, location_ids: Collection[str] | None, since: datetime, until: datetime, limit: int
    ) -> list[Gesture]:
        return [
            g
            for g in self.given
            if (location_ids is None or g.location_id in location_ids) and since <= g.at < until
        ][:limit]
