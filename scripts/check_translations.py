#!/usr/bin/env python3
"""Fail when a Russian or Ukrainian reader would see English: a message missing or untranslated.

Reads every message the code and the console templates mark for translation (Babel's extractor,
with `babel.cfg`), then checks, for ru and uk:

- each message is in the language's `messages.po` with a translation that is not fuzzy;
- the compiled `messages.mo` says what the `.po` says (a `.po` edited without `make translations`
  would leave the console showing the old words, or English).

English needs no translation (the message is the English text), but its `.mo` must be current too.
`make lint` runs it; `make translations` is the fix for a stale `.mo`.
"""

# ruff: noqa: T201  (a script: printing is its output)
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "src" / "heedful" / "translations"
TRANSLATED = ("ru", "uk")


def extracted() -> dict[str, str]:
    """Every msgid marked in the code and templates, with where it was first seen."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _key(value: object) -> object:
    """A plural message's id and strings are lists: make them comparable and hashable."""
    return tuple(value) if isinstance(value, list | tuple) else value


def problems(language: str, wanted: dict[str, str]) -> list[str]:
    po_path = CATALOGS / language / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    found: list[str] = []
    if language in TRANSLATED:
        for msgid, where in sorted(wanted.items()):
            message = catalog.get(msgid)
            if message is None:
                found.append(f"{language}: not in the catalog: {msgid!r} ({where})")
            elif message.fuzzy:
                found.append(f"{language}: fuzzy: {msgid!r} ({where})")
            elif not (message.string if isinstance(message.string, str) else all(message.string)):
                found.append(f"{language}: untranslated: {msgid!r} ({where})")
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("rb") as mo_file:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(mo_file) if m.id}
    written = {
        _key(m.id): _key(m.string)
        for m in catalog
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    stale = sorted(str(msgid) for msgid, string in written.items() if compiled.get(msgid) != string)
    if stale:
        found.append(
            f"{language}: messages.mo is older than messages.po ({len(stale)} messages, "
            f"e.g. {stale[0]!r}): run `make translations`"
        )
    return found


def main() -> int:
    wanted = extracted()
    found = [p for language in ("en", *TRANSLATED) for p in problems(language, wanted)]
    for problem in found:
        print(f"check_translations: {problem}")
    print(f"check_translations: {len(wanted)} messages, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
