"""The hard cases of issue 14, written by the team in ru, uk and en: each reader keeps a floor.

``tests/data/text-hard-cases.csv``: complaint idioms, a polite opening then a complaint, sarcasm,
"hoped for X but got Y", short neutral questions, rudeness (anger, no joy), a bad breakfast (no
fear), and plain praise and real mixed comments as controls, so that the cues cannot pass by
reading everything as a complaint. A case is right when its sentiment is, and the emotion it must
have is named and the one it must not have is not. The floors sit a few cases below what the
shipped weights score (docs/text-model.md): a change that loses more than that is a regression.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from heedful.adapters.text.reader import HeadsReader

CASES = Path(__file__).parents[2] / "data" / "text-hard-cases.csv"
# The encoder reads 143 of 153 with model 2026-12-06.2 (0.935; 148 before it leaned towards
# negative, docs/text-model.md): the floor is two cases below that, as the docstring says.
FLOORS = {"encoder": 0.92, "fallback": 0.85}
# No kind of case may fall below this share, whatever the total.
KIND_FLOOR = 0.6


def _cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_hard_cases_are_many_and_in_three_languages() -> None:
    cases = _cases()

    assert len(cases) >= 150
    assert {c["language"] for c in cases} == {"ru", "uk", "en"}
    assert min(sum(c["language"] == lang for c in cases) for lang in ("ru", "uk", "en")) >= 50


@pytest.mark.parametrize("kind", ["encoder", "fallback"])
def test_each_reader_reads_the_hard_cases_above_its_floor(
    kind: str, request: pytest.FixtureRequest
) -> None:
    reader: HeadsReader = request.getfixturevalue(f"{kind}_reader")
    cases = _cases()

    readings = reader.read_many([c["text"] for c in cases], [c["language"] for c in cases])

    right: dict[str, list[bool]] = defaultdict(list)
    wrong = []
    for case, reading in zip(cases, readings, strict=True):
        ok = (
            reading.sentiment.value == case["sentiment"]
            and (not case["must_have"] or case["must_have"] in reading.emotions)
            and (not case["must_not_have"] or case["must_not_have"] not in reading.emotions)
        )
        right[case["kind"]].append(ok)
        if not ok:
            wrong.append(f"{case['text']} -> {reading.sentiment.value} {reading.emotions}")
    share = sum(map(sum, right.values())) / len(cases)
    assert share >= FLOORS[kind], "\n".join(wrong)
    for name, oks in right.items():
        assert sum(oks) / len(oks) >= KIND_FLOOR, (name, "\n".join(wrong))
