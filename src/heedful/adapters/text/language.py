"""The language rule lives in the core (core/shared/language.py): inbound mail and chat use it."""

from heedful.core.shared.language import LANGUAGES, detect_language

__all__ = ["LANGUAGES", "detect_language"]
