"""Finding a person however her name or number is typed: Latin or Cyrillic, national or +code.

A receptionist types what she hears or what the passport shows: "morozova" for Морозова,
"Olha" for Ольга (Ukrainian) or "Olga" (Russian), "Iuliia", "Yulia" and "Julija" for Юлия. Every
name word is kept under a **sound key** besides its folded form: the word written in Latin letters
(one table for Russian and Ukrainian letters), then loosened where the common romanisations differ
(y/j/i, kh/h/g, ts/c, x/ks, a doubled i, a leading "ye"). The query's words get the same key, so
either alphabet finds either. Keys start with "~" so that they never mix with folded words (a
search for "ana" must not find every "Anastasia" through the key of "Anna").
"""

from __future__ import annotations

import re

from heedful.core.customers.identities import IdentityKind

# Russian and Ukrainian letters in Latin, close to the passport romanisations of both.
_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
        "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
    }
)  # fmt: skip

# Applied in order to the Latin form: the longest spellings first.
_LOOSEN: tuple[tuple[str, str], ...] = (
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "z"),
    ("kh", "h"),
    ("tz", "c"),
    ("ts", "c"),
    ("ph", "f"),
    ("ck", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("q", "k"),
    ("j", "i"),
    ("y", "i"),
    ("h", "g"),  # Ukrainian г is h, Russian г is g: Olha and Olga are one key
    ("ii", "i"),
)
_KEY_MARK = "~"
_NOT_LETTER = re.compile(r"[^a-z]")


def sound_key(folded_word: str) -> str:
    """The key a folded name word is also found by; empty when the word has no letters."""
    latin = _NOT_LETTER.sub("", folded_word.translate(_LATIN))
    for written, heard in _LOOSEN:
        latin = latin.replace(written, heard)
    if latin.startswith("ie"):  # Yelena, Yevhen: the "y" of a leading е
        latin = latin[1:]
    return _KEY_MARK + latin if latin else ""


def phone_candidates(digits: str) -> list[str]:
    """The numbers a phone typed without its country code may be, in E.164.

    Ten digits with no leading 0 are a Russian or Kazakh number without its 8 (916 123 45 67);
    nine digits are a Ukrainian number without its 0 (67 123 45 67). The search tries each:
    an exact match on an identity costs one index probe.
    """
    found: list[str] = []
    if len(digits) == 10 and not digits.startswith("0"):
        found.append("+7" + digits)
    if len(digits) == 9:
        found.append("+380" + digits)
    return found


_SHORTEST_START = 3  # fewer letters would match half the address book


def identity_prefix(text: str) -> list[tuple[IdentityKind, str]]:
    """The starts of an e-mail address or a card number the query may be: "anna.moroz", "4417"."""
    value = text.strip()
    if len(value) < _SHORTEST_START or any(ch.isspace() for ch in value) or len(value) > 254:
        return []
    starts = [(IdentityKind.EMAIL, value.lower())]
    card = value.replace("-", "").upper()
    if card.isalnum():
        starts.append((IdentityKind.LOYALTY_CARD, card))
    return starts
