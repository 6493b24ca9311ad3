"""Scores against cases worked out by hand (ADR 0039's rules: weights, N/A, knock-outs, versions).

The form (audit_forms.py): "welcome" weighs 2 with greeted (yes/no, weight 3, knock-out capping
at 40), smile (scale 1..5) and bar (yes/no, may be not applicable); "atmosphere" weighs 1 with
scent (none = 0.5), music (each good choice 0.5), wait (number, good up to 5, weight 2), and free
text and a photo, which never score.
"""

from __future__ import annotations

import copy

import pytest
from unit.audits.audit_forms import FORM, GOOD_VISIT, answers, form

from heedful.core.audits import read_questionnaire, score_visit


def test_weights_give_the_hand_computed_score() -> None:
    score = score_visit(form(), answers(**GOOD_VISIT))
    # Welcome earns (3*1 + 1*0.75) of 4 = 93.75; atmosphere (0.5 + 0.5 + 2*1) of 4 = 75.
    assert score.sections == {"welcome": 93.75, "atmosphere": 75.0}
    # The visit: 2*93.75 and 1*75 over weight 3, that is 87.5.
    assert score.total == pytest.approx(87.5)
    assert score.items["smile"] == 0.75
    assert score.items["notes"] is None
    assert score.knocked_out == ()


def test_not_applicable_leaves_the_denominator() -> None:
    with_no = answers(**{**GOOD_VISIT, "bar": False})
    # welcome: (3 + 0.75 + 0) / 5 = 75; visit: (2*75 + 75) / 3 = 75, against 87.5 with N/A
    assert score_visit(form(), with_no).sections["welcome"] == 75.0
    assert score_visit(form(), with_no).total == pytest.approx(75.0)
    assert score_visit(form(), answers(**GOOD_VISIT)).items["bar"] is None


def test_a_failed_knockout_caps_the_visit() -> None:
    perfect_but_ignored = answers(
        greeted=False, smile=5, bar=True, scent="pleasant", music=["volume_ok", "genre_ok"], wait=1
    )
    score = score_visit(form(), perfect_but_ignored)
    # welcome: (0 + 1 + 1) / 5 = 40; visit uncapped (2*40 + 100) / 3 = 60, capped at 40
    assert score.uncapped == pytest.approx(60.0)
    assert score.total == 40.0
    assert score.knocked_out == ("greeted",)
    assert score.capped


def test_a_cap_above_the_score_changes_nothing() -> None:
    score = score_visit(form(), answers(**{**GOOD_VISIT, "greeted": False, "wait": 12}))
    # welcome: 0.75 / 4 = 18.75; atmosphere: (0.5 + 0.5 + 0) / 4 = 25; visit 62.5 / 3
    assert score.total == pytest.approx(62.5 / 3)
    assert score.knocked_out == ("greeted",)
    assert not score.capped


def test_a_visit_keeps_the_version_it_was_scored_with() -> None:
    version_2 = copy.deepcopy(FORM)
    version_2["sections"][0]["items"][0]["weight"] = 1
    visit = answers(**GOOD_VISIT)
    assert score_visit(form(), visit).total == pytest.approx(87.5)
    # With version 2: welcome (1 + 0.75) / 2 = 87.5; visit (175 + 75) / 3
    assert score_visit(read_questionnaire(version_2), visit).total == pytest.approx(250 / 3)


def test_a_visit_with_nothing_scored_has_no_score() -> None:
    score = score_visit(form(), answers(notes="fine"))
    assert score.total is None
    assert score.sections == {"welcome": None, "atmosphere": None}
