"""The photo sweep: files on disk that no visit names any more are deleted.

A photo is let go when the evaluator takes it off her draft, when her draft is handed to another
evaluator (``reassign_visit``), or when the visit itself is gone. Files are content-addressed and
may be shared by visits (ADR 0045), so a file goes only when no visit at all holds its hash.

The race accepted: a photo is written before the draft that names it is committed. A file is
therefore kept for ``grace`` after it was last written (the store stamps a file again when the
same photo is sent again), so a sweep never removes a photo a draft is about to name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from heedful.core.audits.ports import AuditWork, PhotoFiles
from heedful.core.shared.clock import Clock

SWEEP_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class SweepReport:
    removed: int
    kept: int
    bytes_freed: int


def sweep_photos(
    uow: AuditWork, files: PhotoFiles, clock: Clock, grace: timedelta = SWEEP_GRACE
) -> SweepReport:
    """Delete every photo file no visit names that was last written at least ``grace`` ago."""
    now = clock.now()
    stored = files.stored()  # listed before the names are read: a newer file is within grace
    if not stored:
        return SweepReport(0, 0, 0)  # the hourly job on an installation without photos
    with uow:
        named = uow.audits.attachment_hashes()
    removed = kept = freed = 0
    for sha256, written_at in stored:
        if sha256 in named or now - written_at < grace:
            kept += 1
            continue
        freed += files.remove(sha256)
        removed += 1
    return SweepReport(removed, kept, freed)
