"""The ports every room shares: the unit of work's shape, idempotency records, a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

# Re-exported from where they used to live, for callers that import them from here.
from heedful.core.shared.page import Page as Page  # noqa: PLC0414
from heedful.core.shared.scope import CustomerScope as CustomerScope  # noqa: PLC0414

# The fingerprint of a stored answer that named an erased customer: replays answer 410 Gone.
ERASED_ANSWER = "erased"


@dataclass(frozen=True)
class IdempotencyRecord:
    scope: str  # the principal, so two integrators never collide on a key
    key: str
    fingerprint: str  # method, path and body hash: a reused key with another body is refused
    status_code: int
    response: Any
    created_at: datetime
    # The customers the request or its answer names, so erasing one finds the answer (ADR 0026).
    customer_ids: frozenset[str] = frozenset()


class IdempotencyStore(Protocol):
    def get(self, scope: str, key: str) -> IdempotencyRecord | None: ...
    def add(self, record: IdempotencyRecord) -> None: ...
    def purge_older_than(self, cutoff: datetime) -> int: ...


class UnitOfWorkShape(Protocol):
    """One transaction. Leaving the block without ``commit()`` rolls everything back.

    Blocks nest: an entry point may open an outer block (to store an idempotency record with the
    use case's rows); the inner ``commit()`` then waits for the outer one. The repositories each
    room needs are named in its own ports; ``heedful.core.unit_of_work.UnitOfWork`` has them all.
    """

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def defer_durability(self) -> None:
        """Call before entering: this block's commit need not wait for the disk.

        What it commits survives the process dying at once, and a machine failing only until
        the next ordinary commit, which writes it to disk with its own (ADR 34).
        """
        ...
