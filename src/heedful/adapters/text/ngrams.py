"""Character n-gram TF-IDF by feature hashing, in plain Python and NumPy.

The fallback reader's features, and the baseline the encoder is measured against. Hashing needs no
vocabulary file: an n-gram's column is its CRC-32 modulo ``BUCKETS``; the IDF of each column is
learnt when training and shipped with the heads. 2-5 letter n-grams of lowercased words padded
with spaces catch stems and endings ("ждал", "чека", "wait") across the three languages' inflection.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BUCKETS = 1 << 17
SIZES = (2, 3, 4, 5)
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w'’ʼ!?]+")


@dataclass(frozen=True)
class SparseRows:
    """A CSR matrix without SciPy: rows ``i`` are ``data[indptr[i]:indptr[i+1]]`` at ``indices``."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def __matmul__(self, weights: np.ndarray) -> np.ndarray:
        return self.dot(weights)

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``self @ weights`` for dense ``weights`` of shape (BUCKETS, k)."""
        out = np.zeros((self.rows, weights.shape[1]), dtype=np.float32)
        if len(self.indices) == 0:
            return out
        products = weights[self.indices].astype(np.float32) * self.data[:, None]
        starts = self.indptr[:-1]
        filled = starts < self.indptr[1:]
        out[filled] = np.add.reduceat(products, starts[filled], axis=0)
        return out


def ngram_counts(text: str) -> Counter[int]:
    cleaned = _SPACES.sub(" ", _NOT_WORD.sub(" ", text.lower())).strip()
    counts: Counter[int] = Counter()
    for word in cleaned.split(" "):
        padded = f" {word} "
        for size in SIZES:
            for start in range(len(padded) - size + 1):
                gram = padded[start : start + size]
                counts[zlib.crc32(gram.encode()) % BUCKETS] += 1
    return counts


def term_frequencies(texts: Sequence[str]) -> SparseRows:
    """Sublinear term frequencies (1 + log count), before IDF and normalisation."""
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for text in texts:
        counts = ngram_counts(text)
        indices.extend(counts)
        data.extend(1.0 + np.log(np.array(list(counts.values()), dtype=np.float32)))
        indptr.append(len(indices))
    return SparseRows(
        np.array(indptr, dtype=np.int64),
        np.array(indices, dtype=np.int64),
        np.array(data, dtype=np.float32),
    )


def tfidf(texts: Sequence[str], idf: np.ndarray) -> SparseRows:
    """L2-normalised TF-IDF rows of ``texts`` under the trained ``idf`` (length BUCKETS)."""
    tf = term_frequencies(texts)
    data = tf.data * idf[tf.indices].astype(np.float32)
    squares = np.add.reduceat(data * data, tf.indptr[:-1]) if len(data) else np.zeros(0)
    norms = np.ones(tf.rows, dtype=np.float32)
    filled = tf.indptr[:-1] < tf.indptr[1:]
    norms[filled] = np.sqrt(squares[filled])
    lengths = np.diff(tf.indptr)
    data = data / np.repeat(norms, lengths)
    return SparseRows(tf.indptr, tf.indices, data.astype(np.float32))


def fit_idf(texts: Sequence[str]) -> np.ndarray:
    """Smoothed IDF over ``texts`` as scikit-learn computes it: ln((1+n)/(1+df)) + 1."""
    tf = term_frequencies(texts)
    df = np.bincount(tf.indices, minlength=BUCKETS)
    return (np.log((1 + tf.rows) / (1 + df)) + 1).astype(np.float32)
