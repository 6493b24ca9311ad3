"""Train the text model's heads and write them into the package.

    .venv/bin/python -m scripts.train_text_model           # both readers; ~15 min cold
    .venv/bin/python -m scripts.train_text_model --only ngrams

Reads only training data (``scripts/text_model_sets.training_sets``): CEDR train, GoEmotions'
validation split (ru + en), the two Ukrainian training files, the UCI review sentences
(``en-uci-reviews-train``) and the ``train`` rows of the CX
comments. Embeddings are cached in ``.cache/text-model/`` (gitignored), so a second run takes
seconds. Deterministic: fixed seeds, fixed fold assignment, solvers without randomness.

Writes ``src/heedful/adapters/text/weights/{encoder,ngrams}-heads.npz`` and ``training.json``
(what was trained on, hyperparameters, cross-validated figures on the training data).
"""

# ruff: noqa: T201  (a command-line tool: it prints its report)

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from heedful.adapters.text.heads import WEIGHTS, save_heads
from heedful.adapters.text.ngrams import BUCKETS, fit_idf, tfidf
from scripts.text_model_heads import SEED, VERSION, fold, fused_emotions, standardised, train
from scripts.text_model_sets import cached, data_dir, training_sets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", help="folder of the public sets (default ../shared/data/text)")
    parser.add_argument("--only", choices=("encoder", "ngrams"))
    parser.add_argument("--out", default=str(WEIGHTS), help="where to write the weights")
    parser.add_argument(
        "--cedr-sentiment",
        action="store_true",
        help="CEDR's emotions grouped into sentiment as one more source (ADR 0069), its share "
        "chosen by the other sources' held-out rows, GoEmotions' held at the shipped 4 "
        "(ADR 0075; not in the shipped weights)",
    )
    args = parser.parse_args(argv)
    np.random.seed(SEED)
    sets = training_sets(data_dir(args.data))
    summary: dict[str, Any] = {
        "version": VERSION,
        "seed": SEED,
        "trained_on": {s.name: len(s.texts) for s in sets},
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "ngrams"):
        all_texts = [t for s in sets for t in s.texts]
        idf = fit_idf(all_texts)

        def ngram_features(texts: Sequence[str]) -> Any:
            from scipy import sparse

            rows = tfidf(texts, idf)
            return sparse.csr_matrix(
                (rows.data, rows.indices, rows.indptr), shape=(rows.rows, BUCKETS)
            )

        result = train("ngrams", sets, ngram_features, cedr_sentiment=args.cedr_sentiment)
        ngram_trainer = result["trainer"]
        save_heads(
            out / "ngrams-heads.npz",
            result["heads"],
            idf=idf.astype(np.float16),
            version=np.array(f"char-ngram-tfidf-heads/{VERSION}"),
            **rule_arrays(result),
        )
        summary["ngrams"] = result["report"]
    if args.only in (None, "encoder"):
        from heedful.adapters.text.encoder import ENCODER_NAME, Encoder

        encoder = Encoder()

        def embed(texts: Sequence[str]) -> np.ndarray:
            starts = tqdm(range(0, len(texts), 256), desc="embedding", file=sys.stdout)
            parts = [encoder.embed(texts[start : start + 256]) for start in starts]
            return np.vstack(parts) if parts else np.zeros((0, encoder.dimension), np.float32)

        def encoder_features(texts: Sequence[str]) -> np.ndarray:
            return cached("e5", list(texts), embed)

        scaled, mean, scale = standardised(encoder_features, sets)
        partner = ngram_trainer if args.only is None else None
        result = train("encoder", sets, scaled, partner, cedr_sentiment=args.cedr_sentiment)
        result["heads"] = {name: fold(h, mean, scale) for name, h in result["heads"].items()}
        extra: dict[str, np.ndarray] = {}
        if args.only is None:
            fused = fused_emotions(result["trainer"], ngram_trainer, result["report"])
            if fused is not None:
                extra["fused_emotion_thresholds"] = fused[0]
                extra["fused_emotion_languages"] = np.array(fused[1])
        save_heads(
            out / "encoder-heads.npz",
            result["heads"],
            version=np.array(f"e5-small-heads/{VERSION}"),
            **rule_arrays(result),
            encoder=np.array(ENCODER_NAME),
            **extra,
        )
        summary["encoder"] = result["report"]
    report = out / "training.json"
    previous = json.loads(report.read_text()) if report.exists() and args.only else {}
    report.write_text(json.dumps(previous | summary, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


def rule_arrays(result: dict[str, Any]) -> dict[str, np.ndarray]:
    """The decision rule's τ and θ, θ per language, and the sentiment partner's shares."""
    polar, band, bands = result["mixed_threshold"]
    arrays = {
        "mixed_threshold": np.array(polar, dtype=np.float32),
        "neutral_band": np.array(band, dtype=np.float32),
    }
    for name, values in (
        ("neutral_bands", bands),
        ("sentiment_partner_shares", result["sentiment_partner_shares"]),
    ):
        if values:
            arrays[name] = np.array(list(values.values()), dtype=np.float32)
            arrays[f"{name}.languages"] = np.array(list(values))
    return arrays


if __name__ == "__main__":
    sys.exit(main())
