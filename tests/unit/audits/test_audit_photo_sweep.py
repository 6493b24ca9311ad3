"""The photo sweep on fakes: a file goes only when no visit names it and its grace has passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes import FakeUnitOfWork

from heedful.core.audits import SWEEP_GRACE, Attachment, Visit, sweep_photos
from heedful.core.shared.clock import FrozenClock

START = datetime(2026, 12, 6, 9, tzinfo=UTC)


class MemoryPhotos:
    """PhotoFiles in memory: SHA-256 -> (bytes, when written)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, datetime]] = {}

    def stored(self) -> list[tuple[str, datetime]]:
        return [(sha, at) for sha, (_, at) in self.files.items()]

    def remove(self, sha256: str) -> int:
        size, _ = self.files.pop(sha256, (0, START))
        return size


def _visit(assignment_id: str, *hashes: str) -> Visit:
    return Visit(
        assignment_id=assignment_id,
        evaluator_id="aev_1",
        location_id="loc_1",
        wave="2026-12",
        questionnaire_id="aqn_1",
        questionnaire_version=1,
        updated_at=START,
        attachments=tuple(Attachment(h[:40], h) for h in hashes),
    )


def test_a_photo_of_an_erased_visit_goes_and_one_another_visit_shares_stays() -> None:
    shared, only_erased, fresh = "a" * 64, "b" * 64, "c" * 64
    uow = FakeUnitOfWork()
    with uow:
        uow.audits.add_visit(_visit("aas_gone", shared, only_erased))
        uow.audits.add_visit(_visit("aas_kept", shared))
        uow.commit()
    photos = MemoryPhotos()
    photos.files = {shared: (100, START), only_erased: (200, START)}
    uow.state.audits.visits.pop("aas_gone")  # erased, as an operator's erasure would
    clock = FrozenClock(START + SWEEP_GRACE)
    photos.files[fresh] = (300, clock.now() - timedelta(minutes=5))  # a draft is about to name it

    report = sweep_photos(uow, photos, clock)

    assert (report.removed, report.kept, report.bytes_freed) == (1, 2, 200)
    assert sorted(photos.files) == [shared, fresh]
