"""The decision rule (ADR 0032) on given clause probabilities: no model needed."""

from __future__ import annotations

import numpy as np

from heedful.adapters.text.decision import Rule, decide, is_courtesy
from heedful.core.feedback.reading import Sentiment

RULE = Rule(polar=0.3, neutral_band=0.2)
POSITIVE = [0.02, 0.03, 0.95]
NEGATIVE = [0.95, 0.03, 0.02]
NEUTRAL = [0.05, 0.9, 0.05]


def _decide(
    clauses: list[tuple[str, list[float]]], whole: list[float] | None = None
) -> tuple[Sentiment, float]:
    texts = [text for text, _ in clauses]
    probabilities = np.array([p for _, p in clauses], dtype=np.float32)
    return decide(None if whole is None else np.array(whole), probabilities, texts, RULE)


def test_two_opposite_judgements_of_like_weight_are_mixed() -> None:
    label, _ = _decide(
        [("The staff were lovely", POSITIVE), ("but we waited forty minutes.", NEGATIVE)]
    )

    assert label is Sentiment.MIXED


def test_one_warm_clause_in_a_long_angry_review_does_not_make_it_mixed() -> None:
    blame = [
        (f"The room number {i} was dirty and nobody came to clean it", NEGATIVE) for i in "abcdefgh"
    ]

    label, score = _decide([("The location is nice", POSITIVE), *blame])

    assert label is Sentiment.NEGATIVE
    assert score < -0.5


def test_a_neutral_clause_beside_a_judgement_does_not_make_it_mixed() -> None:
    label, score = _decide(
        [
            ("We arrived on Friday evening with two children", NEUTRAL),
            ("The room was filthy", NEGATIVE),
        ]
    )

    assert label is Sentiment.NEGATIVE
    assert score < 0


def test_a_negative_turn_after_a_polite_opening_wins() -> None:
    label, score = _decide(
        [("Спасибо.", POSITIVE), ("Частые перебои связи уже месяц.", NEGATIVE)], whole=POSITIVE
    )

    assert label is Sentiment.NEGATIVE
    assert score < 0


def test_a_mixed_comment_whose_blame_weighs_more_has_a_negative_score() -> None:
    label, score = _decide(
        [
            ("Еда вкусная", POSITIVE),
            ("но официант грубил весь вечер и счёт принесли через сорок минут", NEGATIVE),
        ]
    )

    assert label is Sentiment.MIXED
    assert score < 0


def test_the_overall_score_decides_a_label_that_is_not_mixed() -> None:
    assert _decide([("Fine.", [0.1, 0.8, 0.1])])[0] is Sentiment.NEUTRAL
    assert _decide([("Lovely.", POSITIVE)]) == (Sentiment.POSITIVE, 0.93)


def test_courtesy_is_greeting_or_thanks_alone() -> None:
    assert is_courtesy("Спасибо за ответ!")
    assert is_courtesy("Добрий день.")
    assert is_courtesy("Thank you")
    assert not is_courtesy("Спасибо, всё было отлично")
    assert not is_courtesy("")


def test_a_long_comment_is_read_by_its_first_and_last_clauses_and_not_whole() -> None:
    from heedful.adapters.text.reader import kept_clauses, reads_whole

    clauses = [f"clause number {i}" for i in range(20)]

    kept = kept_clauses(clauses)

    assert kept == clauses[:4] + clauses[-12:]
    assert not reads_whole(kept)
    assert reads_whole(["The staff were lovely", "but we waited forty minutes."])
    assert not reads_whole(["One clause only."])
