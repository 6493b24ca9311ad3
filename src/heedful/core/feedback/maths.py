"""NPS, CSAT and CES, exact, each with its sample size and a 95 % confidence interval.

Every figure is computed from a score histogram (score -> number of answers), so the same
function serves raw answers and the dashboard's rollups and both give the same numbers. The
value is kept as an exact ``Fraction`` and rounded once, half away from zero, for display.

The intervals (95 %, z = 1.959964):
- CSAT and CES-easy are shares: Wilson score interval, which stays inside [0, 100] and behaves
  for small samples and shares near 0 or 1, where the normal ("Wald") interval does not.
- NPS is a difference of two shares of one multinomial sample: p_P − p_D with variance
  (p_P + p_D − (p_P − p_D)²) / n; normal interval, clipped to [−100, 100].
- The CES mean: Student's t with n − 1 degrees of freedom on the sample standard deviation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from heedful.core.feedback.model import SCALE, SurveyKind
from heedful.core.shared.phrases import N_

Z95 = 1.959963984540054

# Student's t, two-sided 95 % (the 0.975 quantile), for 1..30 degrees of freedom.
_T975 = (
    12.706204736,
    4.302652730,
    3.182446305,
    2.776445105,
    2.570581836,
    2.446911851,
    2.364624252,
    2.306004135,
    2.262157163,
    2.228138852,
    2.200985160,
    2.178812830,
    2.160368656,
    2.144786688,
    2.131449546,
    2.119905299,
    2.109815578,
    2.100922040,
    2.093024054,
    2.085963447,
    2.079613845,
    2.073873068,
    2.068657610,
    2.063898562,
    2.059538553,
    2.055529439,
    2.051830516,
    2.048407142,
    2.045229642,
    2.042272456,
)

# Shown beside each figure; marked for the console's catalogs (ru, uk, en), in English here.
DEFINITIONS: dict[str, str] = {
    "nps": N_(
        "Net Promoter Score: the percentage of promoters (9–10) minus the percentage of "
        "detractors (0–6); passives (7–8) count in the total. From −100 to 100. The interval is "
        "95 %, from the variance of a difference of two shares of one sample."
    ),
    "csat": N_(
        "Customer satisfaction: the percentage of answers of 4 or 5 on the 1–5 scale. The "
        "interval is the 95 % Wilson score interval."
    ),
    "ces": N_(
        "Customer effort: the mean answer on the 1–7 scale, 7 the easiest. The interval is "
        "95 %, Student's t."
    ),
    "ces_easy": N_(
        "Customer effort, share easy: the percentage of answers of 5 to 7. The interval is the "
        "95 % Wilson score interval."
    ),
}


@dataclass(frozen=True)
class Figure:
    measure: str  # "nps" | "csat" | "ces" | "ces_easy"
    value: Decimal | None  # None when nobody answered
    low: Decimal | None
    high: Decimal | None
    sample_size: int
    method: str  # "wilson" | "multinomial-normal" | "student-t"
    exact: Fraction | None = None

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.measure]


def round_half_away(value: Fraction | float, places: int) -> Decimal:
    """Rounded as people do by hand: 12.25 -> 12.3, -12.25 -> -12.3."""
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else Decimal(repr(value))
    )
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _checked(histogram: Mapping[int, int], kind: SurveyKind) -> int:
    low, high = SCALE[kind]
    total = 0
    for score, count in histogram.items():
        if count < 0:
            raise ValueError("a count cannot be negative")
        if count and not low <= score <= high:
            raise ValueError(f"{score} is not on the {kind.value} scale {low}–{high}")
        total += count
    return total


def _count(histogram: Mapping[int, int], low: int, high: int) -> int:
    return sum(count for score, count in histogram.items() if low <= score <= high)


def _empty(measure: str, method: str) -> Figure:
    return Figure(measure, None, None, None, 0, method)


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share, as fractions of one."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _share(measure: str, successes: int, n: int) -> Figure:
    if n == 0:
        return _empty(measure, "wilson")
    exact = Fraction(100 * successes, n)
    low, high = wilson(successes, n)
    return Figure(
        measure,
        round_half_away(exact, 1),
        round_half_away(100 * low, 1),
        round_half_away(100 * high, 1),
        n,
        "wilson",
        exact,
    )


def nps(histogram: Mapping[int, int]) -> Figure:
    n = _checked(histogram, SurveyKind.NPS)
    if n == 0:
        return _empty("nps", "multinomial-normal")
    promoters, detractors = _count(histogram, 9, 10), _count(histogram, 0, 6)
    exact = Fraction(100 * (promoters - detractors), n)
    p, d = promoters / n, detractors / n
    half = Z95 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    centre = p - d
    return Figure(
        "nps",
        round_half_away(exact, 1),
        round_half_away(100 * max(-1.0, centre - half), 1),
        round_half_away(100 * min(1.0, centre + half), 1),
        n,
        "multinomial-normal",
        exact,
    )


def csat(histogram: Mapping[int, int]) -> Figure:
    n = _checked(histogram, SurveyKind.CSAT)
    return _share("csat", _count(histogram, 4, 5), n)


def ces_easy(histogram: Mapping[int, int]) -> Figure:
    n = _checked(histogram, SurveyKind.CES)
    return _share("ces_easy", _count(histogram, 5, 7), n)


def t975(degrees: int) -> float:
    """The 0.975 quantile of Student's t; past 30 degrees a Cornish-Fisher expansion (< 1e-4)."""
    if degrees < 1:
        raise ValueError("at least one degree of freedom")
    if degrees <= len(_T975):
        return _T975[degrees - 1]
    z, v = Z95, float(degrees)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
    )


def ces(histogram: Mapping[int, int]) -> Figure:
    n = _checked(histogram, SurveyKind.CES)
    if n == 0:
        return _empty("ces", "student-t")
    total = sum(score * count for score, count in histogram.items())
    exact = Fraction(total, n)
    if n == 1:
        # One answer has no spread to measure: the interval is the whole scale.
        return Figure(
            "ces",
            round_half_away(exact, 2),
            Decimal("1.00"),
            Decimal("7.00"),
            1,
            "student-t",
            exact,
        )
    squares = sum(count * (score - exact) ** 2 for score, count in histogram.items())
    sd = math.sqrt(float(squares / (n - 1)))
    half = t975(n - 1) * sd / math.sqrt(n)
    mean = float(exact)
    return Figure(
        "ces",
        round_half_away(exact, 2),
        round_half_away(max(1.0, mean - half), 2),
        round_half_away(min(7.0, mean + half), 2),
        n,
        "student-t",
        exact,
    )


def figures(kind: SurveyKind, histogram: Mapping[int, int]) -> list[Figure]:
    """The figures a survey kind is reported by."""
    if kind is SurveyKind.NPS:
        return [nps(histogram)]
    if kind is SurveyKind.CSAT:
        return [csat(histogram)]
    return [ces(histogram), ces_easy(histogram)]


def histogram_of(scores: list[int]) -> dict[int, int]:
    counted: dict[int, int] = {}
    for score in scores:
        counted[score] = counted.get(score, 0) + 1
    return counted
