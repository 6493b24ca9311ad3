"""Measure the text readers on text they never saw; print the tables of docs/text-model.md.

    .venv/bin/python -m scripts.evaluate_text_model                  # both readers, markdown
    .venv/bin/python -m scripts.evaluate_text_model --json out.json  # figures for the bench

Reads only test data (``scripts/text_model_sets.test_sets``): CEDR test, GoEmotions test (ru + en),
the Ukrainian three-way test file and the held-out CX comments. Both readers are measured in the
same run: the encoder reader and the character n-gram TF-IDF reader, which is the baseline.

How the readers' answers are scored:
- sentiment on the public sets is three-way; a MIXED reading counts as neutral (neither clearly
  positive nor negative), GoEmotions rows without one polarity (ambiguous, or both) are left out;
- sentiment on the CX comments is four-way, MIXED included, as the product shows it;
- emotions are multi-label; macro-F1 over the labels the set names (CEDR's five; our eight on
  GoEmotions and CX, leaving out labels with no example in the set).
Embeddings of the test texts are cached in ``.cache/text-model/`` (the speed figure is not).
"""

# ruff: noqa: T201  (a command-line tool: it prints its report)

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from heedful.adapters.text.fallback import build_fallback_reader
from heedful.adapters.text.heads import WEIGHTS, load_heads
from heedful.adapters.text.reader import HeadsReader
from heedful.core.feedback.reading import EMOTIONS, CommentReading, Sentiment
from scripts.text_model_sets import CEDR_EMOTIONS, LabelledSet, cached, data_dir, test_sets

THREE_WAY = ("negative", "neutral", "positive")
FOUR_WAY = ("negative", "neutral", "positive", "mixed")
# The published reference points of ../shared/data/text/README.md, for the doc's tables.
PUBLISHED = [
    ("GoEmotions, 28 labels, BERT fine-tuned on 43k (Demszky et al. 2020)", "macro-F1 0.46"),
    (
        "English tweets, 3-class sentiment, fine-tuned XLM-R (Barbieri et al. 2022)",
        "macro-F1 0.68-0.71",
    ),
    ("RuSentiment, fine-tuned BERT-class models (Smetanin's benchmark)", "weighted F1 0.74-0.78"),
    (
        "Russian product reviews, frozen e5-small + logistic regression (ruMTEB 2024)",
        "accuracy 0.61",
    ),
]


def macro_f1(truth: Sequence[str], guess: Sequence[str], labels: Sequence[str]) -> float:
    scores = []
    for label in labels:
        tp = sum(t == label and g == label for t, g in zip(truth, guess, strict=True))
        fp = sum(t != label and g == label for t, g in zip(truth, guess, strict=True))
        fn = sum(t == label and g != label for t, g in zip(truth, guess, strict=True))
        if tp + fn == 0:
            continue  # a class absent from the set says nothing
        scores.append(2 * tp / (2 * tp + fp + fn))
    return round(float(np.mean(scores)), 3) if scores else float("nan")


def multilabel_macro_f1(truth: np.ndarray, guess: np.ndarray) -> tuple[float, dict[str, float]]:
    per_label: dict[str, float] = {}
    for j in range(truth.shape[1]):
        tp = int((truth[:, j] & guess[:, j]).sum())
        fp = int((~truth[:, j] & guess[:, j]).sum())
        fn = int((truth[:, j] & ~guess[:, j]).sum())
        if tp + fn:
            per_label[str(j)] = 2 * tp / (2 * tp + fp + fn)
    return round(float(np.mean(list(per_label.values()))), 3), per_label


def three_way(reading: CommentReading) -> str:
    return "neutral" if reading.sentiment is Sentiment.MIXED else reading.sentiment.value


def evaluate_set(reader: HeadsReader, s: LabelledSet) -> dict[str, Any]:
    readings = reader.read_many(s.texts, [s.language] * len(s.texts))
    figures: dict[str, Any] = {"rows": len(s.texts)}
    if s.overall:
        guess = [r.sentiment.value for r in readings]
        figures["sentiment_macro_f1"] = macro_f1(s.overall, guess, FOUR_WAY)
        figures["sentiment_accuracy"] = round(
            float(np.mean([t == g for t, g in zip(s.overall, guess, strict=True)])), 3
        )
        figures |= _themes(s, readings)
    elif s.sentiment is not None:
        keep = np.where(s.sentiment >= 0)[0]
        truth = [THREE_WAY[s.sentiment[i]] for i in keep]
        guess = [three_way(readings[i]) for i in keep]
        figures["sentiment_rows"] = len(keep)
        figures["sentiment_macro_f1"] = macro_f1(truth, guess, THREE_WAY)
    if s.emotions is not None:
        columns = [EMOTIONS.index(e) for e in s.emotions_known]
        truth_matrix = s.emotions[:, columns].astype(bool)
        guess_matrix = np.array(
            [[e in r.emotions for e in s.emotions_known] for r in readings], dtype=bool
        )
        score, per_label = multilabel_macro_f1(truth_matrix, guess_matrix)
        figures["emotion_macro_f1"] = score
        figures["emotion_f1"] = {
            s.emotions_known[int(j)]: round(v, 3) for j, v in per_label.items()
        }
    return figures


def _themes(s: LabelledSet, readings: list[CommentReading]) -> dict[str, Any]:
    """Which themes were found (micro-F1), and whether a found theme got its polarity right."""
    tp = fp = fn = right = 0
    for truth, reading in zip(s.themes, readings, strict=True):
        found = {t.theme: t.sentiment.value for t in reading.themes}
        tp += len(set(found) & set(truth))
        fp += len(set(found) - set(truth))
        fn += len(set(truth) - set(found))
        right += sum(found[t] == truth[t] for t in set(found) & set(truth))
    return {
        "theme_micro_f1": round(2 * tp / max(2 * tp + fp + fn, 1), 3),
        "theme_polarity_accuracy": round(right / max(tp, 1), 3),
    }


def cached_encoder_reader(weights: Path) -> HeadsReader:
    """The encoder reader with its embeddings cached per batch: same numbers, measured faster."""
    from heedful.adapters.text.encoder import Encoder
    from heedful.adapters.text.encoder_reader import encoder_heads

    heads, arrays = load_heads(weights / "encoder-heads.npz")
    encoder = Encoder()
    return HeadsReader(
        str(arrays["version"]),
        lambda texts: cached("e5", list(texts), encoder.embed),
        encoder_heads(heads, arrays, weights / "ngrams-heads.npz"),
    )


def comments_per_second(reader: HeadsReader, texts: Sequence[str], batch: int = 64) -> float:
    """Comments read per second in batches, after one untimed batch (the engine's first call
    maps the model and allocates its buffers)."""
    reader.read_many(texts[:batch])
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        reader.read_many(texts[start : start + batch])
    return round(len(texts) / (time.perf_counter() - started), 1)


def evaluate(
    data: Path,
    weights: Path = WEIGHTS,
    readers: Sequence[str] = ("encoder", "ngrams"),
    only: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Figures per reader and test set; ``only`` names the sets to measure (default: all)."""
    sets = [s for s in test_sets(data) if only is None or s.name in only]
    cx_texts = [t for s in sets if s.name.startswith("cx-") for t in s.texts]
    results: dict[str, Any] = {}
    for kind in readers:
        if kind == "encoder":
            reader = cached_encoder_reader(weights)
            from heedful.adapters.text.encoder_reader import build_encoder_reader

            speed_reader = build_encoder_reader(
                weights / "encoder-heads.npz", weights / "ngrams-heads.npz"
            )
        else:
            reader = speed_reader = build_fallback_reader(weights / "ngrams-heads.npz")
        figures: dict[str, Any] = {"model": reader.name}
        for s in sets:
            print(f"{kind}: {s.name} ({len(s.texts)} texts)", file=sys.stderr, flush=True)
            figures[s.name] = evaluate_set(reader, s)
        figures["comments_per_s"] = comments_per_second(speed_reader, cx_texts)
        results[kind] = figures
    return results


def markdown(results: dict[str, Any]) -> str:
    readers = list(results)
    names = {"encoder": "e5-small + heads", "ngrams": "char n-gram TF-IDF (baseline)"}
    head = "| set | language | measure | " + " | ".join(names[r] for r in readers) + " |"
    rule = "|---|---|---|" + "---|" * len(readers)
    lines = [head, rule]
    rows = [
        ("uk-multi-test", "uk", "sentiment_macro_f1", "sentiment macro-F1, 3 classes"),
        ("cx-uk-test", "uk", "sentiment_macro_f1", "sentiment macro-F1, 4 classes (with mixed)"),
        ("cx-ru-test", "ru", "sentiment_macro_f1", "sentiment macro-F1, 4 classes (with mixed)"),
        ("cx-en-test", "en", "sentiment_macro_f1", "sentiment macro-F1, 4 classes (with mixed)"),
        (
            "ru-goemotions-test",
            "ru",
            "sentiment_macro_f1",
            "sentiment macro-F1, GoEmotions grouping",
        ),
        (
            "en-goemotions-test",
            "en",
            "sentiment_macro_f1",
            "sentiment macro-F1, GoEmotions grouping",
        ),
        ("ru-cedr-test", "ru", "emotion_macro_f1", "emotions macro-F1, CEDR's 5"),
        ("ru-goemotions-test", "ru", "emotion_macro_f1", "emotions macro-F1, our 8"),
        ("en-goemotions-test", "en", "emotion_macro_f1", "emotions macro-F1, our 8"),
        ("cx-ru-test", "ru", "emotion_macro_f1", "emotions macro-F1, our 8"),
        ("cx-uk-test", "uk", "emotion_macro_f1", "emotions macro-F1, our 8"),
        ("cx-en-test", "en", "emotion_macro_f1", "emotions macro-F1, our 8"),
        ("cx-ru-test", "ru", "theme_micro_f1", "themes found, micro-F1"),
        ("cx-uk-test", "uk", "theme_micro_f1", "themes found, micro-F1"),
        ("cx-en-test", "en", "theme_micro_f1", "themes found, micro-F1"),
        ("cx-ru-test", "ru", "theme_polarity_accuracy", "theme polarity right, when found"),
        ("cx-uk-test", "uk", "theme_polarity_accuracy", "theme polarity right, when found"),
        ("cx-en-test", "en", "theme_polarity_accuracy", "theme polarity right, when found"),
    ]
    for set_name, language, key, what in rows:
        values = [f"{results[r][set_name][key]:.3f}" for r in readers]
        lines.append(f"| {set_name} | {language} | {what} | " + " | ".join(values) + " |")
    values = [f"{results[r]['comments_per_s']:.0f}" for r in readers]
    lines.append(
        "| CX test comments | all | comments per second, batches of 64 | "
        + " | ".join(values)
        + " |"
    )
    per_label = [
        "",
        "| CEDR test, F1 per emotion | " + " | ".join(CEDR_EMOTIONS) + " |",
        "|---|" + "---|" * len(CEDR_EMOTIONS),
    ]
    for r in readers:
        f1 = results[r]["ru-cedr-test"]["emotion_f1"]
        per_label.append(
            f"| {names[r]} | " + " | ".join(f"{f1.get(e, 0):.3f}" for e in CEDR_EMOTIONS) + " |"
        )
    published = ["", "| published reference (data README) | figure |", "|---|---|"]
    published += [f"| {what} | {figure} |" for what, figure in PUBLISHED]
    return "\n".join(lines + per_label + published)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", help="folder of the public sets (default ../shared/data/text)")
    parser.add_argument("--weights", default=str(WEIGHTS))
    parser.add_argument("--readers", default="encoder,ngrams")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    results = evaluate(data_dir(args.data), Path(args.weights), args.readers.split(","))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
