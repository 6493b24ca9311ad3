"""NPS, CSAT and CES against cases worked by hand, with their intervals and their rounding."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from heedful.core.feedback.maths import (
    ces,
    ces_easy,
    csat,
    figures,
    histogram_of,
    nps,
    round_half_away,
    t975,
    wilson,
)
from heedful.core.feedback.model import SurveyKind


def test_nps_counts_passives_in_the_total() -> None:
    # 5 promoters, 3 passives, 2 detractors of 10: 50 % − 20 % = 30.
    figure = nps(histogram_of([10, 10, 9, 9, 9, 8, 7, 7, 6, 0]))
    assert (figure.value, figure.sample_size, figure.exact) == (Decimal("30.0"), 10, Fraction(30))
    # Variance (p + d − (p − d)²) / n = (0.7 − 0.09) / 10 = 0.061; 1.96 · √0.061 = 0.4841.
    assert (figure.low, figure.high) == (Decimal("-18.4"), Decimal("78.4"))
    assert figure.method == "multinomial-normal"


def test_nps_rounds_half_away_from_zero() -> None:
    # 49 promoters of 400 is 12.25 exactly: 12.3; 49 detractors of 400 is −12.25: −12.3.
    assert nps({10: 49, 8: 351}).value == Decimal("12.3")
    assert nps({0: 49, 8: 351}).value == Decimal("-12.3")
    # One promoter of three: 33.33... shown as 33.3 but kept exact.
    third = nps({9: 1, 7: 2})
    assert (third.value, third.exact) == (Decimal("33.3"), Fraction(100, 3))


def test_all_promoters_stay_within_a_hundred() -> None:
    figure = nps({10: 3})
    assert (figure.value, figure.high) == (Decimal("100.0"), Decimal("100.0"))


def test_csat_is_the_share_of_fours_and_fives() -> None:
    figure = csat(histogram_of([5, 4, 3, 2, 1, 5]))
    assert (figure.value, figure.sample_size, figure.method) == (Decimal("50.0"), 6, "wilson")
    assert csat({4: 2, 5: 1}).value == Decimal("100.0")
    assert csat({3: 3}).value == Decimal("0.0")


def test_wilson_matches_published_values() -> None:
    # Newcombe (1998), table I: 0/10 → 0 to 0.2775; 5/10 → 0.2366 to 0.7634.
    low, high = wilson(0, 10)
    assert (round(low, 4), round(high, 4)) == (0.0, 0.2775)
    low, high = wilson(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    assert (csat({5: 5, 1: 5}).low, csat({5: 5, 1: 5}).high) == (Decimal("23.7"), Decimal("76.3"))


def test_ces_is_the_mean_with_a_t_interval_and_the_share_easy() -> None:
    scores = [7, 6, 5, 5, 4, 3, 7]
    mean = ces(histogram_of(scores))
    # 37 / 7 = 5.2857; SS = 209 − 37²/7 = 13.4286; s = 1.4960; t(6) = 2.4469; ± 1.3836.
    assert (mean.value, mean.low, mean.high) == (Decimal("5.29"), Decimal("3.90"), Decimal("6.67"))
    assert mean.exact == Fraction(37, 7)
    easy = ces_easy(histogram_of(scores))
    assert (easy.value, easy.sample_size) == (Decimal("71.4"), 7)
    assert [f.measure for f in figures(SurveyKind.CES, histogram_of(scores))] == ["ces", "ces_easy"]


def test_one_ces_answer_has_the_whole_scale_as_its_interval() -> None:
    one = ces({6: 1})
    assert (one.value, one.low, one.high) == (Decimal("6.00"), Decimal("1.00"), Decimal("7.00"))


def test_t_quantiles_from_the_table_and_the_expansion() -> None:
    assert t975(1) == pytest.approx(12.7062, abs=1e-4)
    assert t975(9) == pytest.approx(2.2622, abs=1e-4)
    assert t975(40) == pytest.approx(2.0211, abs=1e-4)
    assert t975(120) == pytest.approx(1.9799, abs=1e-4)


def test_nobody_answering_gives_no_figure_rather_than_zero() -> None:
    for figure in (nps({}), csat({}), ces({}), ces_easy({5: 0})):
        assert (figure.value, figure.sample_size, figure.low) == (None, 0, None)


def test_a_score_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="not on the csat scale"):
        csat({0: 1})
    with pytest.raises(ValueError, match="not on the nps scale"):
        nps({11: 1})


def test_rounding_by_hand() -> None:
    assert round_half_away(Fraction(1, 8), 2) == Decimal("0.13")
    assert round_half_away(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert round_half_away(2.675, 2) == Decimal("2.68")  # the float's repr, not its binary
