"""How a comment's label and score follow from its clauses' (and the whole comment's) readings.

The rule (ADR 0032):

1. Each clause has a score s = P(positive) − P(negative) and a weight of
   ``|s| × (1 + ln words)``: a longer clause says more, but a two-word "Еда вкусная" is still a
   whole judgement beside "но обслуживание очень медленное".
2. A clause is a **judgement** when |s| ≥ τ (``polar``) and it has at least two words, and it is
   not a courtesy ("Спасибо.", "Здравствуйте!", "Thank you for your reply"): a polite opening is
   no praise of the service, so it never makes a complaint "mixed" nor softens it.
3. The **last** judgement weighs a quarter more: customers end on their verdict ("спасибо.
   Как же хочется сервис получше. Частые перебои.").
4. **Mixed** only when there is a positive and a negative judgement and the weaker side carries at
   least a third (``balance``) of the stronger side's weight: one warm clause in a long, angry
   review does not make it mixed.
5. The **overall score** is the mean of the whole comment's score (when it was read whole, and no
   clause of it is a courtesy: "Спасибо. Номер грязный" read whole is half thanks) and the
   clauses' scores weighted by ``words × (|s| + 0.1)`` (judgements count, narrative hardly);
   courtesies count only when the comment is nothing else.
6. The **label**: mixed by 4, with the overall score (negative when the blame weighs more, so it
   still opens a recovery); otherwise positive at a score of at least θ (``neutral_band``),
   negative at most −θ, neutral between.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from heedful.adapters.text.heads import SENTIMENTS
from heedful.core.feedback.reading import Sentiment

_NEGATIVE, _NEUTRAL, _POSITIVE = (SENTIMENTS.index(label) for label in SENTIMENTS)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_COURTESY_WORDS = frozenset(
    str.split(
        """
    спасибо благодарю благодарим большое огромное вам вас ваш вашу за ответ здравствуйте привет
    добрый день вечер утро доброе доброго всего хорошего до свидания уважаемые уважаемый коллеги
    внимание понимание
    дякую дякуємо щиро вам вас ваш за відповідь вітаю доброго добрий день вечір ранок привіт
    шановні шановний до побачення всього найкращого увагу розуміння
    thanks thank you very much so for your reply response hello hi dear good morning afternoon
    evening team all regards kind best hey attention understanding
    """
    )
)
_COURTESY_MAX_WORDS = 6


@dataclass(frozen=True)
class Rule:
    polar: float  # τ: a clause at |score| ≥ τ is a judgement
    neutral_band: float = 0.2  # θ: the label is neutral while |overall score| < θ
    balance: float = 1 / 3  # the weaker side of a mixed comment weighs at least this share
    min_words: int = 2
    last_weight: float = 1.25


def words(text: str) -> int:
    return len(_WORD.findall(text))


def is_courtesy(text: str) -> bool:
    """A greeting or thanks and nothing more ("Спасибо за ответ!", "Добрий день.")."""
    found = [w.lower() for w in _WORD.findall(text)]
    return 0 < len(found) <= _COURTESY_MAX_WORDS and all(w in _COURTESY_WORDS for w in found)


def decide(
    whole: np.ndarray | None, clauses: np.ndarray, texts: Sequence[str], rule: Rule
) -> tuple[Sentiment, float]:
    """The comment's label and score. ``whole``: its (negative, neutral, positive) probabilities
    read at once, or None when it was not (a single clause, or a long comment: clauses only);
    ``clauses``: (n, 3) probabilities of its clauses ``texts``."""
    scores = clauses[:, _POSITIVE] - clauses[:, _NEGATIVE]
    lengths = np.array([max(words(t), 1) for t in texts], dtype=np.float64)
    courtesy = np.array([is_courtesy(t) for t in texts], dtype=bool)
    judgement = (np.abs(scores) >= rule.polar) & (lengths >= rule.min_words) & ~courtesy
    weight = np.abs(scores) * (1 + np.log(lengths))
    where = np.flatnonzero(judgement)
    if len(where):
        weight[where[-1]] *= rule.last_weight
    positive = float(weight[judgement & (scores > 0)].sum())
    negative = float(weight[judgement & (scores < 0)].sum())
    counted = ~courtesy if (~courtesy).any() else np.ones(len(texts), dtype=bool)
    spread = lengths * (np.abs(scores) + 0.1)
    if len(where):
        spread[where[-1]] *= rule.last_weight
    spread = spread * counted
    of_clauses = float((scores * spread).sum() / spread.sum()) if spread.sum() > 0 else 0.0
    if whole is None or (courtesy.any() and not courtesy.all()):
        score = of_clauses
    else:
        own = float(whole[_POSITIVE] - whole[_NEGATIVE])
        score = own if len(texts) == 1 else (own + of_clauses) / 2
    score = _clip(score)
    if (
        positive > 0
        and negative > 0
        and min(positive, negative) >= rule.balance * max(positive, negative)
    ):
        return Sentiment.MIXED, score
    if score >= rule.neutral_band:
        return Sentiment.POSITIVE, score
    if score <= -rule.neutral_band:
        return Sentiment.NEGATIVE, score
    return Sentiment.NEUTRAL, score


def _clip(score: float) -> float:
    return round(min(1.0, max(-1.0, score)), 4)
