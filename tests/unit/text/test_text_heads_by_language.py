"""What training may set per language (ADR 0058): the neutral band, and the share of a second
reader's sentiment. Tiny heads on a constant feature, so the probabilities are known exactly."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from heedful.adapters.text.heads import SENTIMENTS, LinearHead
from heedful.adapters.text.reader import Heads, HeadsReader, SentimentPartner
from heedful.core.feedback.reading import EMOTIONS, THEMES, Sentiment

MILD_PRAISE = np.log([0.25, 0.35, 0.40])  # score 0.15: positive only where the band is narrow
BLAME = np.log([0.90, 0.05, 0.05])


def _one(texts: Sequence[str]) -> np.ndarray:
    return np.ones((len(texts), 1), dtype=np.float32)


def _head(labels: Sequence[str], bias: np.ndarray | None = None) -> LinearHead:
    n = len(labels)
    return LinearHead(
        tuple(labels),
        np.zeros((1, n), dtype=np.float32),
        np.zeros(n, dtype=np.float32) if bias is None else bias.astype(np.float32),
        np.ones(n, dtype=np.float32),  # no emotion or theme is ever named
    )


def _reader(**heads: object) -> HeadsReader:
    return HeadsReader(
        "test",
        _one,
        Heads(
            sentiment=_head(SENTIMENTS, MILD_PRAISE),
            emotions=_head(EMOTIONS),
            themes=_head(THEMES),
            mixed_threshold=0.3,
            neutral_band=0.2,
            **heads,  # type: ignore[arg-type]
        ),
    )


def test_a_language_with_a_narrower_neutral_band_reads_mild_praise_as_praise() -> None:
    reader = _reader(neutral_bands={"uk": 0.1})

    uk, ru = reader.read_many(["Непогано", "Неплохо"], ["uk", "ru"])

    assert uk.sentiment is Sentiment.POSITIVE
    assert ru.sentiment is Sentiment.NEUTRAL
    assert uk.score == ru.score == 0.15


def test_the_second_readers_sentiment_counts_only_in_its_languages_and_by_its_share() -> None:
    partner = SentimentPartner(_one, _head(SENTIMENTS, BLAME), {"ru": 0.5})
    reader = _reader(sentiment_partner=partner)

    ru, en = reader.read_many(["Ну такое", "Well then"], ["ru", "en"])

    assert ru.sentiment is Sentiment.NEGATIVE
    assert ru.score == round(0.5 * 0.15 + 0.5 * (0.05 - 0.90), 4)
    assert en.sentiment is Sentiment.NEUTRAL
    assert en.score == 0.15
