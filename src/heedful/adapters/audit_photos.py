"""Photos and receipts of audit visits, kept on disk by their content hash (ADR 0045).

A visit names an attachment by id and SHA-256 only (ADR 0039): the bytes live here, one file per
distinct content under ``<directory>/<first two hex>/<sha256>.<ext>``. The same photo sent twice is
one file, and its hash is what the duplicate-photo check compares across visits.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

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


class NotAPhoto(ValueError):
    """Too large, empty, or not an image this store keeps."""


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


class PhotoStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def keep(self, content: bytes) -> StoredPhoto:
        if not content:
            raise NotAPhoto("the file is empty")
        if len(content) > MAX_PHOTO_BYTES:
            raise NotAPhoto("the file is larger than 8 MB")
        extension = image_extension(content[:32])
        if extension is None:
            raise NotAPhoto("the file is not a JPEG, PNG, WebP or HEIC image")
        digest = hashlib.sha256(content).hexdigest()
        path = self._path(digest, extension)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside, then renamed: a reader never sees half a photo.
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, path)
        return StoredPhoto(digest[:40], digest, extension)

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
