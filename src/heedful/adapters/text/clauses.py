"""Split a comment into the parts that may praise or blame different things.

"The staff were lovely, but we waited forty minutes" is two clauses: read together they average to
lukewarm; read apart they are one warm and one cold, which is what the customer said.
Splits at sentence ends and before contrastive words; a comment starting with "although / хотя /
хоча" is split at its first comma instead ("Хотя ждали долго, еда вкусная").
"""

from __future__ import annotations

import re

# Words that turn a sentence: the clause they begin is cut from the one before. "а" and "та"
# mean "and" as often as "but", so they count only after a comma (", а вот", ", та подача").
_CONTRAST_ANYWHERE = (
    r"but|however|although|though|whereas|except|"
    r"но|однако|зато|хотя|а вот|только вот|"
    r"але|проте|однак|зате|хоча|а от|тільки от"
)
_CONTRAST_AFTER_COMMA = r"а|та|yet|only|правда|тільки|только|still"
_SPLIT = re.compile(
    rf"(?:(?<=[\s,;:—–-])|^)(?=(?:{_CONTRAST_ANYWHERE})\b)"
    rf"|(?<=,)\s*(?=(?:{_CONTRAST_AFTER_COMMA})\s)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\n+")
_LEADING_CONTRAST = re.compile(
    r"^(although|though|while|even though|хотя|хоча|несмотря на то,? что|незважаючи на те,? що)\b",
    re.IGNORECASE,
)
_CONJUNCTION_ONLY = re.compile(rf"(?:{_CONTRAST_ANYWHERE}|{_CONTRAST_AFTER_COMMA})", re.IGNORECASE)
# Fragments shorter than this many letters ("Но" alone, a stray emoji) stay with their neighbour.
_MIN_LETTERS = 3


def split_clauses(text: str) -> list[str]:
    """The clauses of ``text`` in order, stripped; none for a blank text."""
    clauses: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        for piece in _split_sentence(sentence.strip()):
            part = piece.strip(" ,;:—–-")
            if not part:
                continue
            if clauses and (_too_short(part) or _too_short(clauses[-1])):
                clauses[-1] = f"{clauses[-1]} {part}"
            else:
                clauses.append(part)
    return clauses or ([text.strip()] if text.strip() else [])


def _split_sentence(sentence: str) -> list[str]:
    if _LEADING_CONTRAST.match(sentence) and "," in sentence:
        head, _, tail = sentence.partition(",")
        return [head, *_split_sentence(tail.strip())]
    return [part for part in _SPLIT.split(sentence) if part]


def _too_short(clause: str) -> bool:
    """A conjunction alone or a stray emoji is no clause: it stays with its neighbour."""
    bare = clause.strip(" .,!?…;:").lower()
    return (
        sum(ch.isalpha() for ch in bare) < _MIN_LETTERS
        or _CONJUNCTION_ONLY.fullmatch(bare) is not None
    )
