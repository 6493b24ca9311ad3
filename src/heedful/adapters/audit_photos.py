"""Photos and receipts of audit visits, kept on disk by their content hash (ADR 0045).

A visit names an attachment by id and SHA-256 only (ADR 0039): the bytes live here, one file per
distinct content under ``<directory>/<first two hex>/<sha256>.<ext>``. The same photo sent twice is
one file, and its hash is what the duplicate-photo check compares across visits.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from heedful.adapters.generated_secrets import data_dir_for
from heedful.core.shared.clock import Clock
from heedful.core.shared.phrases import Phrase

MAX_PHOTO_BYTES = 8 * 1024 * 1024  # a phone's full-size JPEG is 2-6 MB

# Image types only, told by their first bytes, never by the name or the browser's word for it.
_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\xff\xd8\xff", 0, "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "png", "image/png"),
    (b"WEBP", 8, "webp", "image/webp"),
    (b"ftypheic", 4, "heic", "image/heic"),
    (b"ftypheix", 4, "heic", "image/heic"),
    (b"ftypmif1", 4, "heic", "image/heic"),
)
MEDIA_TYPES = {ext: media for _, _, ext, media in _SIGNATURES}
_KEPT_NAME = re.compile(r"^([0-9a-f]{64})\.(jpg|png|webp|heic)$")


class NotAPhoto(ValueError):
    """Too large, empty, or not an image this store keeps; ``said`` is it in staff's words."""

    def __init__(self, message: str, said: Phrase) -> None:
        super().__init__(message)
        self.said = said


@dataclass(frozen=True)
class StoredPhoto:
    id: str  # what the visit names: the first 40 hex digits of the hash
    sha256: str
    extension: str


def image_extension(head: bytes) -> str | None:
    for signature, offset, extension, _ in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if extension == "webp" and not head.startswith(b"RIFF"):
                continue
            return extension
    return None


def photos_directory(audit_photos_dir: str, data_dir: str, database_url: str) -> Path:
    """``HEEDFUL_AUDIT_PHOTOS_DIR``, else ``audit-photos/`` in the data directory (ADR 0045)."""
    if audit_photos_dir:
        return Path(audit_photos_dir)
    return data_dir_for(data_dir, database_url) / "audit-photos"


class PhotoStore:
    """The files, stamped with the injected clock's time so the sweep's grace reads one clock."""

    def __init__(self, directory: Path, clock: Clock) -> None:
        self.directory = directory
        self.clock = clock

    def keep(self, content: bytes) -> StoredPhoto:
        if not content:
            raise NotAPhoto("the file is empty", Phrase("refusal.file_empty"))
        if len(content) > MAX_PHOTO_BYTES:
            raise NotAPhoto("the file is larger than 8 MB", Phrase("refusal.file_size"))
        extension = image_extension(content[:32])
        if extension is None:
            raise NotAPhoto(
                "the file is not a JPEG, PNG, WebP or HEIC image", Phrase("refusal.file_type")
            )
        digest = hashlib.sha256(content).hexdigest()
        path = self._path(digest, extension)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside, then renamed: a reader never sees half a photo.
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, path)
        # Sent again or new: either way a draft is about to name it, so the sweep's grace
        # starts now (photo_sweep.py).
        stamp = self.clock.now().timestamp()
        os.utime(path, (stamp, stamp))
        return StoredPhoto(digest[:40], digest, extension)

    def stored(self) -> list[tuple[str, datetime]]:
        """Every photo kept here with when it was last written (PhotoFiles)."""
        found: list[tuple[str, datetime]] = []
        if not self.directory.is_dir():
            return found
        for folder in self.directory.iterdir():
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                match = _KEPT_NAME.match(path.name)
                if match:
                    written = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
                    found.append((match.group(1), written))
        return found

    def remove(self, sha256: str) -> int:
        kept = self.find(sha256)
        if kept is None:
            return 0
        path, _ = kept
        size = path.stat().st_size
        path.unlink(missing_ok=True)
        return size

    def find(self, sha256: str) -> tuple[Path, str] | None:
        """The file of this hash and its media type, if it is kept here."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            return None
        for extension, media in MEDIA_TYPES.items():
            path = self._path(sha256, extension)
            if path.exists():
                return path, media
        return None

    def _path(self, digest: str, extension: str) -> Path:
        return self.directory / digest[:2] / f"{digest}.{extension}"
