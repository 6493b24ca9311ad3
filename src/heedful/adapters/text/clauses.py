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
# A period after these is no sentence end when the text goes on in lower case or with a digit:
# "Т. к. номер не был готов", "и т. д. и т. п.", "e.g. the pool", "ждали 2 ч. потом ушли".
# A one-letter word before a period ("т.", "к.", "e.", "g.") counts as an abbreviation too.
_ABBREVIATIONS = frozenset(
    str.split(
        "т тк те тд тп тч тн др пр см напр стр ул пл г гг руб коп мин макс тыс млн ч шт кв "
        "зв ін вул грн тис хв год див напр прибл "
        "eg ie etc vs mr mrs ms dr st no approx min max incl esp"
    )
)
_ABBREVIATION_BEFORE = re.compile(r"(?:^|[^\w.])((?:\w\.\s?){0,3}\w+)\.$")
_GOES_ON = re.compile(r"\s+(?:[a-zа-яёіїєґ0-9]|\w\.)")
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
    for sentence in sentences(text.strip()):
        for piece in _split_sentence(sentence.strip()):
            part = piece.strip(" ,;:—–-")
            if not part:
                continue
            if clauses and (_too_short(part) or _too_short(clauses[-1])):
                clauses[-1] = f"{clauses[-1]} {part}"
            else:
                clauses.append(part)
    return clauses or ([text.strip()] if text.strip() else [])


def sentences(text: str) -> list[str]:
    """``text`` cut at its sentence ends, not after an abbreviation the sentence goes on from."""
    out: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        if _abbreviation_ends(text[start : end.start()]) and _GOES_ON.match(text, end.start()):
            continue
        out.append(text[start : end.start()])
        start = end.end()
    out.append(text[start:])
    return [sentence for sentence in out if sentence.strip()]


def _abbreviation_ends(before: str) -> bool:
    match = _ABBREVIATION_BEFORE.search(before)
    if match is None:
        return False
    word = re.sub(r"[\s.]", "", match.group(1)).lower()
    last = match.group(1).split(".")[-1].strip().lower()
    return len(last) == 1 or word in _ABBREVIATIONS or last in _ABBREVIATIONS


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
