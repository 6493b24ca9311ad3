"""Names and labels that people type and other people read: one rule for all of them.

A customer's name, a staff member's, a location's or a token's is shown to other staff, in
lists, in e-mails and in exports. Characters that cannot be seen or that turn the text around
make such a name lie: "Anna" followed by a zero-width space is another customer that searches
do not find, and a right-to-left override (U+202E) makes "Anna\u202etxt.exe" read as
"Annaexe.txt". None of them belongs in a name typed in Russian, Ukrainian or English, so they
are refused, naming the field, rather than silently removed: whoever sent one learns of it.
"""

from __future__ import annotations

import unicodedata

from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase

# Unicode categories refused in names: controls (Cc: NUL, BEL, ESC...), formats (Cf: the bidi
# embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069, the marks U+200E/U+200F
# and U+061C, the zero-width space, joiners and word joiner U+200B-U+200D and U+2060, the BOM
# U+FEFF, the soft hyphen, tag characters), lone surrogates (Cs, which no database stores) and
# the line and paragraph separators (Zl, Zp). Tabs and newlines are whitespace and are folded
# into single spaces before the check, as they always were.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def hidden_character(text: str) -> str | None:
    """The first character of ``text`` that is invisible or changes the text's direction."""
    return next((ch for ch in text if unicodedata.category(ch) in _REFUSED_CATEGORIES), None)


def refuse_hidden_characters(text: str, *, field: str) -> str:
    """``text`` unchanged, or InvalidInput naming ``field`` when a hidden character is in it.

    Every place a name enters calls this (API, console, CSV import, the CLI), before its own
    rules on length and emptiness.
    """
    bad = hidden_character(text)
    if bad is not None:
        raise InvalidInput(
            f"{field} contains an invisible or direction-changing character "
            f"(U+{ord(bad):04X}); type it again without it",
            said=Phrase("refusal.hidden_character", {"code": f"U+{ord(bad):04X}"}),
            field=field,
        )
    return text


def without_hidden_characters(text: str) -> str:
    """``text`` with hidden characters removed: for names a stranger sends (an e-mail's From).

    A message from outside cannot be refused for its sender's display name, nor can its sender
    be told to type it again; what staff then read must still not lie.
    """
    return "".join(ch for ch in text if unicodedata.category(ch) not in _REFUSED_CATEGORIES)


def spreadsheet_safe(text: str) -> str:
    """A cell of a CSV that a spreadsheet will not run: a name starting with = + - or @ is a
    formula to it; quoted, it stays a name."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
