"""The README is one document: each heading once, and no paragraph said twice.

It once repeated its first 76 lines and another 85 after a merge; this catches that again.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"


def _paragraphs(text: str) -> list[str]:
    """Blocks of text between blank lines, code blocks included (fenced blocks have no blanks)."""
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def test_each_heading_of_the_readme_is_there_once() -> None:
    headings: list[str] = []
    in_code = False
    for line in README.read_text().splitlines():
        in_code ^= line.startswith("```")
        if line.startswith("#") and not in_code:
            headings.append(line)
    assert [h for h, n in Counter(headings).items() if n > 1] == []


def test_no_paragraph_of_the_readme_is_repeated() -> None:
    paragraphs = _paragraphs(README.read_text())
    repeated = [p[:80] for p, n in Counter(paragraphs).items() if n > 1 and len(p) > 40]
    assert repeated == []
