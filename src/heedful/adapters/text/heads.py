"""Linear heads over feature vectors, stored as arrays in ``.npz`` files: NumPy only at run time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

# The order of the sentiment head's columns. "mixed" is not a class: it comes from reading clauses.
SENTIMENTS = ("negative", "neutral", "positive")
WEIGHTS = Path(__file__).parent / "weights"


class Features(Protocol):
    """Rows of features: a dense array, or the n-gram reader's sparse rows."""

    def __matmul__(self, weights: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class LinearHead:
    """``labels`` scored by ``x @ weights + bias``; softmax for one-of, sigmoid for many-of."""

    labels: tuple[str, ...]
    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)
    # Many-of heads: the probability above which a label is named, one per label.
    thresholds: np.ndarray

    def logits(self, features: Features) -> np.ndarray:
        return np.asarray(features @ self.weights + self.bias, dtype=np.float32)

    def softmax(self, features: Features) -> np.ndarray:
        z = self.logits(features)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float32)

    def sigmoid(self, features: Features) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-self.logits(features))), dtype=np.float32)


def save_heads(path: Path, heads: dict[str, LinearHead], **extra: np.ndarray) -> None:
    arrays: dict[str, np.ndarray] = dict(extra)
    for name, head in heads.items():
        arrays[f"{name}.labels"] = np.array(head.labels)
        arrays[f"{name}.weights"] = head.weights.astype(np.float16)
        arrays[f"{name}.bias"] = head.bias
        arrays[f"{name}.thresholds"] = head.thresholds
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def load_heads(path: Path) -> tuple[dict[str, LinearHead], dict[str, np.ndarray]]:
    """The heads in a weights file, and its other arrays (e.g. the n-gram IDF)."""
    with np.load(path, allow_pickle=False) as stored:
        arrays = {key: stored[key] for key in stored.files}
    heads: dict[str, LinearHead] = {}
    for key in [k for k in arrays if k.endswith(".labels")]:
        name = key.removesuffix(".labels")
        heads[name] = LinearHead(
            labels=tuple(str(label) for label in arrays.pop(key)),
            # Stored as float16 to keep the wheel small; multiplied as float32.
            weights=arrays.pop(f"{name}.weights").astype(np.float32),
            bias=arrays.pop(f"{name}.bias").astype(np.float32),
            thresholds=arrays.pop(f"{name}.thresholds").astype(np.float32),
        )
    return heads, arrays


def per_language(arrays: dict[str, np.ndarray], name: str) -> dict[str, float]:
    """A figure per language, stored as ``name`` beside ``name.languages`` (absent: none)."""
    if name not in arrays:
        return {}
    languages = arrays[f"{name}.languages"]
    return {str(lang): float(v) for lang, v in zip(languages, arrays[name], strict=True)}
