"""Choices training makes on held-out training rows for the sentiment head (ADR 0058).

Each is made on the out-of-fold probabilities of the training rows (``Held``), never on a test
set: how much of the n-gram head's sentiment to mix into the encoder's, per language
(``partner_shares``), how far to lean the mix towards "negative" (``negative_shift``), and how
much weight a newly added sentiment source gets (``share_judged_by_others``, ADR 0075).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.metrics import f1_score, precision_recall_curve

if TYPE_CHECKING:
    from scripts.text_model_heads import Held, Trainer

LANGUAGES = ("ru", "uk", "en")
PARTNER_SHARES = (0.0, 0.25, 0.5, 0.75)
NEGATIVE_SHIFTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25)
# The shift may cost the held-out rows this much macro-F1 (mean over sources), no more: it is
# meant to find the unhappy customers the head calls neutral, not to call everyone unhappy.
SHIFT_COST = 0.01
# Recall of "negative" weighs this many times its precision (F-beta): a missed unhappy customer
# costs a recovery; a needless recovery costs a manager a minute.
RECALL_WEIGHT = 2.0
# Issue 14's target for "negative" on real text; ``negative_reach`` tells how near any lean gets.
TARGET_RECALL = 0.85
TARGET_PRECISION = 0.75


@dataclass(frozen=True)
class Partner:
    """The n-gram trainer, whose fold models read the same rows, and its share per language."""

    trainer: Trainer
    shares: dict[str, float]


def mean_of_others(figures: Mapping[str, float], newcomer: str) -> float:
    """Held-out macro-F1 per family, averaged over every family but the newcomer."""
    return float(np.mean([f1 for key, f1 in figures.items() if key != newcomer]))


def share_judged_by_others(by_share: Mapping[float, Mapping[str, float]], newcomer: str) -> float:
    """The newcomer's share whose held-out macro-F1, in the mean over the *other* families, is
    best (ADR 0075); ties go to the smaller share.

    ``by_share``: for each candidate share, held-out macro-F1 per family. A source's own held-out
    rows always rise with its weight, so letting them vote let CEDR buy its place with
    GoEmotions' (ADR 0069's run); a source that only helps itself stays out (share 0)."""
    # ``max`` keeps the first of equals: in ascending order, the smaller share.
    return max(sorted(by_share), key=lambda share: mean_of_others(by_share[share], newcomer))


def shifted(probabilities: np.ndarray, shift: float) -> np.ndarray:
    """Probabilities with ``shift`` added to the negative logit (column 0) of a softmax."""
    if not shift:
        return probabilities
    out = probabilities.copy()
    out[:, 0] *= np.exp(shift)
    return np.asarray(out / out.sum(axis=1, keepdims=True))


def mixed(main: Held, partner: Held, shares: dict[str, float]) -> np.ndarray:
    share = np.array([shares.get(str(lang), 0.0) for lang in main.language])[:, None]
    return np.asarray((1 - share) * main.probabilities + share * partner.probabilities)


def _per_source(held: Held, probabilities: np.ndarray, mask: np.ndarray) -> list[float]:
    guess = probabilities.argmax(axis=1)
    return [
        float(f1_score(held.y[here], guess[here], average="macro"))
        for key in np.unique(held.family[mask])
        if (here := mask & (held.family == key)).any()
    ]


def partner_shares(main: Held, partner: Held, report: dict[str, Any]) -> dict[str, float]:
    """Per language, the share of the partner that reads that language's held-out rows best
    (macro-F1, mean over the sources in the language, each weighing the same)."""
    assert np.array_equal(main.y, partner.y), "both readers must be scored on the same rows"
    chosen: dict[str, float] = {}
    figures: dict[str, dict[str, float]] = {}
    for language in LANGUAGES:
        here = main.language == language
        scores = {}
        for share in PARTNER_SHARES:
            p = (1 - share) * main.probabilities + share * partner.probabilities
            scores[share] = float(np.mean(_per_source(main, p, here)))
        chosen[language] = max(PARTNER_SHARES, key=lambda share: scores[share])
        figures[language] = {str(share): round(f1, 3) for share, f1 in scores.items()}
    report["sentiment_partner"] = {"cv_macro_f1_by_share": figures, "chosen": chosen}
    return {language: share for language, share in chosen.items() if share}


def negative_shift(
    held: Held, leaning: Callable[[float], np.ndarray], report: dict[str, Any]
) -> float:
    """The lean towards "negative" (``leaning(shift)``: the held-out rows' probabilities as the
    reader would give them) with the best F-beta of negative (recall twice precision), mean over
    sources, among those costing at most ``SHIFT_COST`` macro-F1."""
    everything = np.ones(len(held.y), dtype=bool)
    base = float(np.mean(_per_source(held, leaning(0.0), everything)))
    figures, best, best_f = {}, 0.0, -1.0
    for shift in NEGATIVE_SHIFTS:
        p = leaning(shift)
        guess = p.argmax(axis=1)
        macro = float(np.mean(_per_source(held, p, everything)))
        f_beta, recall, precision = [], [], []
        for key in np.unique(held.family):
            here = held.family == key
            y, g = held.y[here] == 0, guess[here] == 0
            if not y.any():
                continue
            tp = float((y & g).sum())
            r, pr = tp / y.sum(), tp / max(g.sum(), 1)
            recall.append(r)
            precision.append(pr)
            b2 = RECALL_WEIGHT**2
            f_beta.append((1 + b2) * pr * r / max(b2 * pr + r, 1e-9))
        figures[str(shift)] = {
            "macro_f1": round(macro, 3),
            "negative_recall": round(float(np.mean(recall)), 3),
            "negative_precision": round(float(np.mean(precision)), 3),
            "negative_f2": round(float(np.mean(f_beta)), 3),
            # What a lean of its own would do in each language (mean over its sources): the
            # reader has one lean for all, this tells whether one per language would pay.
            "by_language": _by_language(held, guess),
        }
        if macro >= base - SHIFT_COST and np.mean(f_beta) > best_f:
            best, best_f = shift, float(np.mean(f_beta))
    report["negative_shift"] = {"by_shift": figures, "chosen": best}
    report["negative_reach"] = negative_reach(held, leaning(best))
    return best


def _by_language(held: Held, guess: np.ndarray) -> dict[str, dict[str, float]]:
    figures = {}
    for language in LANGUAGES:
        recall, precision, macro = [], [], []
        for key in np.unique(held.family):
            here = (held.family == key) & (held.language == language)
            y, g = held.y[here] == 0, guess[here] == 0
            if not y.any():
                continue
            tp = float((y & g).sum())
            recall.append(tp / y.sum())
            precision.append(tp / max(g.sum(), 1))
            macro.append(float(f1_score(held.y[here], guess[here], average="macro")))
        figures[language] = {
            "macro_f1": round(float(np.mean(macro)), 3),
            "negative_recall": round(float(np.mean(recall)), 3),
            "negative_precision": round(float(np.mean(precision)), 3),
        }
    return figures


def negative_reach(held: Held, probabilities: np.ndarray) -> dict[str, dict[str, float]]:
    """How far any lean could go: over every threshold on P(negative), the best precision of
    "negative" at a recall of at least ``TARGET_RECALL``, and the best recall at a precision of at
    least ``TARGET_PRECISION`` (issue 14's target), on the held-out rows of each source and
    language. A bound for the rule "negative when P(negative) ≥ t" on whole texts; the reader's
    clauses, cues and neutral band come on top of it."""
    reach: dict[str, dict[str, float]] = {}
    for key in sorted({f"{f} {lang}" for f, lang in zip(held.family, held.language, strict=True)}):
        fam, language = key.split(" ")
        here = (held.family == fam) & (held.language == language)
        truth = held.y[here] == 0
        if not truth.any():
            continue
        precision, recall, _ = precision_recall_curve(truth, probabilities[here, 0])
        reach[key] = {
            f"precision_at_recall_{TARGET_RECALL}": round(
                float(precision[recall >= TARGET_RECALL].max()), 3
            ),
            f"recall_at_precision_{TARGET_PRECISION}": round(
                float(recall[precision >= TARGET_PRECISION].max(initial=0.0)), 3
            ),
        }
    return reach
