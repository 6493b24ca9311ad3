"""Choices training makes on held-out training rows for the sentiment head (ADR 0058).

Each is made on the out-of-fold probabilities of the training rows (``Held``), never on a test
set: how much of the n-gram head's sentiment to mix into the encoder's, per language
(``partner_shares``), and how far to lean the mix towards "negative" (``negative_shift``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.metrics import f1_score

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


@dataclass(frozen=True)
class Partner:
    """The n-gram trainer, whose fold models read the same rows, and its share per language."""

    trainer: Trainer
    shares: dict[str, float]


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
        }
        if macro >= base - SHIFT_COST and np.mean(f_beta) > best_f:
            best, best_f = shift, float(np.mean(f_beta))
    report["negative_shift"] = {"by_shift": figures, "chosen": best}
    return best
