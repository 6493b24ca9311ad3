"""Which playbooks' preference checks the store answers (ADR 72), and how what it found is
confirmed: an equal subject, folded as the rule folds it; anything else reads her whole list."""

from __future__ import annotations

from typing import Any

import pytest

from heedful.core.playbooks.demo import BRAND_IN_YOUR_SIZE, HOTEL_DEAL_AT_FAVOURITE_HOTEL
from heedful.core.playbooks.liking import Liked, answered_by_store, confirms
from heedful.core.playbooks.model import PreferenceRule
from heedful.core.playbooks.reading import read_playbook
from heedful.core.preferences import Category, Polarity

_BRANCH = {"name": "small", "when": {"customer": {"preference": {"subject": "S"}}},
           "actions": BRAND_IN_YOUR_SIZE["actions"]}  # fmt: skip


@pytest.mark.parametrize(
    ("source", "answered"),
    [
        pytest.param(BRAND_IN_YOUR_SIZE, True, id="brand, size from the event"),
        pytest.param(
            {**BRAND_IN_YOUR_SIZE, "customer": {"preference": {"subject": "M"}}},
            True,
            id="a size named in the playbook",
        ),
        pytest.param(
            {**BRAND_IN_YOUR_SIZE, "customer": {"preference": {"subject_contains": "M"}}},
            False,
            id="a size that contains",
        ),
        pytest.param(
            {**BRAND_IN_YOUR_SIZE, "customer": {"preference": {"fits_item_of": "data.variant"}}},
            False,
            id="a preference that must fit the item",
        ),
        pytest.param({**BRAND_IN_YOUR_SIZE, "branches": [_BRANCH]}, False, id="a branch's own"),
        pytest.param(HOTEL_DEAL_AT_FAVOURITE_HOTEL, False, id="past guests, no preference"),
    ],
)
def test_the_store_answers_only_equal_subjects(source: dict[str, Any], answered: bool) -> None:
    assert answered_by_store(read_playbook(source)) is answered


def test_what_the_store_found_is_confirmed_folding_as_the_rule_folds() -> None:
    size = PreferenceRule(category=Category.SIZE, subject_of="data.size")
    found = Liked(Polarity.LIKE, Category.SIZE, "Ü")
    assert confirms(size, found, "ü")
    assert not confirms(size, found, "u")
    assert not confirms(size, found, "")  # the event names no size: nobody's fits
    assert not confirms(size, Liked(Polarity.DISLIKE, Category.SIZE, "Ü"), "ü")
    assert confirms(
        PreferenceRule(subject="STRASSE"), Liked(Polarity.LIKE, Category.OTHER, "Straße"), ""
    )
