"""Write the vocabulary section of docs/events.md from the registry (core/events/described.py).

python scripts/event_vocabulary_doc.py          # rewrite the section between the markers
python scripts/event_vocabulary_doc.py --check  # exit 1 when the page is out of date (a test runs it)
"""

# ruff: noqa: T201  (a script: printing is its output)
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from heedful.core.events.described import DESCRIBED, json_schema
from heedful.core.events.types import EVENT_TYPES

PAGE = Path(__file__).resolve().parent.parent / "docs" / "events.md"
START, END = "<!-- vocabulary: start -->", "<!-- vocabulary: end -->"


def section() -> str:
    lines = [START, "", "| type | updates | required fields |", "|---|---|---|"]
    for name in sorted(EVENT_TYPES):
        required = ", ".join(f"`{f}`" for f in json_schema(EVENT_TYPES[name])["required"])
        lines.append(
            f"| [`{name}`](#{name.replace('.', '')}) | {DESCRIBED[name].updates or '—'} "
            f"| {required} |"
        )
    for name in sorted(EVENT_TYPES):
        about = DESCRIBED[name]
        fields = ", ".join(
            f"`{f.name}`{'' if f.required else ' (optional)'}: {f.kind.value}"
            for f in EVENT_TYPES[name].fields
        )
        lines += [
            "",
            f"### {name}",
            "",
            about.description,
            "",
            f"Updates: {about.updates or 'no state (playbooks only)'}. Fields: {fields}.",
            "",
            "```json",
            json.dumps(about.example, ensure_ascii=False, indent=2),
            "```",
        ]
    return "\n".join([*lines, "", END])


def rewritten(page: str) -> str:
    before, rest = page.split(START, 1)
    _, after = rest.split(END, 1)
    return before + section() + after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    page = PAGE.read_text(encoding="utf-8")
    fresh = rewritten(page)
    if args.check:
        if fresh != page:
            print("docs/events.md is out of date: python scripts/event_vocabulary_doc.py")
            return 1
        return 0
    PAGE.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
