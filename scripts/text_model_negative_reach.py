"""How far "negative" can reach on the training rows, with and without CEDR (ADR 0069).

    .venv/bin/python -m scripts.text_model_negative_reach              # n-grams, CEDR 0 and 1
    .venv/bin/python -m scripts.text_model_negative_reach --cedr 0 0.5 1 2

Cross-validation on training rows only (``training_sets``; four folds by a hash of the text, the
folds training uses): a character 2-5-gram TF-IDF model with logistic regression, as the TF-IDF
peer of ``text_model_measures``, over the sentiment sources with the training's shares, CEDR's
emotions grouped into sentiment given each share asked for. For every source and language of the
held-out rows: macro-F1, the recall and precision of "negative" as said, and over every
threshold on P(negative) the best precision at a recall of 0.85 and the best recall at a
precision of 0.75 (issue 14's target). Needs no embeddings: a few minutes on two cores.
"""

# ruff: noqa: T201  (a command-line tool: it prints its report)

from __future__ import annotations

import argparse
import json
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_curve

from scripts.text_model_choices import TARGET_PRECISION, TARGET_RECALL
from scripts.text_model_heads import SENTIMENT_SHARES, family, folds_for, shares_to_weights
from scripts.text_model_sets import data_dir, training_sets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", help="folder of the public sets (default ../shared/data/text)")
    parser.add_argument("--cedr", type=float, nargs="+", default=[0.0, 1.0])
    args = parser.parse_args(argv)
    texts: list[str] = []
    labels, sources, languages = [], [], []
    for s in training_sets(data_dir(args.data)):
        if s.sentiment is None:
            continue
        keep = np.flatnonzero(s.sentiment >= 0)
        texts += [s.texts[i] for i in keep]
        labels.append(s.sentiment[keep])
        sources += [s.name] * len(keep)
        languages += [s.language] * len(keep)
    y = np.concatenate(labels)
    where = np.array([f"{family(n)} {lang}" for n, lang in zip(sources, languages, strict=True)])
    folds = folds_for(texts)
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=200_000
    )
    x = vectorizer.fit_transform(texts).tocsr()
    report = {}
    for share in args.cedr:
        weight = shares_to_weights(sources, SENTIMENT_SHARES | {"cedr": share})
        held = np.zeros((len(y), 3))
        for k in range(int(folds.max()) + 1):
            train = (folds != k) & (weight > 0)
            model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
            model.fit(x[train], y[train], sample_weight=weight[train])
            held[folds == k] = model.predict_proba(x[folds == k])
        report[f"cedr {share}"] = {
            key: reach(y[where == key], held[where == key]) for key in sorted(set(where))
        }
        print(json.dumps({f"cedr {share}": report[f"cedr {share}"]}, indent=2), flush=True)
    return 0


def reach(y: np.ndarray, probabilities: np.ndarray) -> dict[str, float]:
    truth, said = y == 0, probabilities.argmax(axis=1) == 0
    precision, recall, _ = precision_recall_curve(truth, probabilities[:, 0])
    return {
        "macro_f1": round(float(f1_score(y, probabilities.argmax(axis=1), average="macro")), 3),
        "negative_recall": round(float((truth & said).sum() / truth.sum()), 3),
        "negative_precision": round(float((truth & said).sum() / max(said.sum(), 1)), 3),
        f"precision_at_recall_{TARGET_RECALL}": round(
            float(precision[recall >= TARGET_RECALL].max()), 3
        ),
        f"recall_at_precision_{TARGET_PRECISION}": round(
            float(recall[precision >= TARGET_PRECISION].max(initial=0.0)), 3
        ),
    }


if __name__ == "__main__":
    sys.exit(main())
