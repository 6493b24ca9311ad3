"""The labelled sets the text model is trained and measured on, read into one shape.

Used by ``scripts/train_text_model.py``, ``scripts/evaluate_text_model.py`` and
``bench/text_model``.
Run them from the repository root as modules (``python -m scripts.train_text_model``).

Public sets come from ``../shared/data/text/`` (``HEEDFUL_TEXT_DATA`` or ``--data``; never copied
into the repository; licences in its README and in
``src/heedful/adapters/text/weights/ATTRIBUTION.md``).
The project's own CX comments are ``data/cx-comments/{ru,uk,en}.csv``.

Training reads only ``*-train*`` files, GoEmotions' validation split and the CX ``train`` rows;
measuring reads only ``*-test.csv`` and the CX ``test`` rows. ``training_sets`` and ``test_sets``
are the only two doors, so a test file cannot slip into training by a typo elsewhere.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from heedful.adapters.text.heads import SENTIMENTS
from heedful.core.feedback.reading import EMOTIONS, THEMES

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "text"
CX_COMMENTS = REPO / "data" / "cx-comments"
CACHE = REPO / ".cache" / "text-model"

CEDR_EMOTIONS = ("joy", "sadness", "surprise", "fear", "anger")  # ids 0..4 in CEDR
# GoEmotions' own grouping of its 27 emotions (Demszky et al. 2020, data/sentiment_mapping.json).
GOEMOTIONS_POSITIVE = {
    "admiration", "amusement", "approval", "caring", "desire", "excitement", "gratitude", "joy",
    "love", "optimism", "pride", "relief",
}  # fmt: skip
GOEMOTIONS_NEGATIVE = {
    "anger", "annoyance", "disappointment", "disapproval", "disgust", "embarrassment", "fear",
    "grief", "nervousness", "remorse", "sadness",
}  # fmt: skip
GOEMOTIONS_AMBIGUOUS = {"confusion", "curiosity", "realization", "surprise"}
# Our emotions from GoEmotions' labels: the near synonyms only, so "joy" is not diluted by love.
GOEMOTIONS_TO_OURS = {
    "joy": "joy", "amusement": "joy", "excitement": "joy",
    "sadness": "sadness", "grief": "sadness",
    "anger": "anger",
    "fear": "fear", "nervousness": "fear",
    "surprise": "surprise",
    "gratitude": "gratitude",
    "disappointment": "disappointment",
    "annoyance": "annoyance",
}  # fmt: skip


@dataclass
class LabelledSet:
    """Texts with whatever labels their source has; ``None`` where the source says nothing."""

    name: str
    language: str
    texts: list[str]
    # Sentiment as an index into SENTIMENTS (negative, neutral, positive), or -1 if unlabelled.
    sentiment: np.ndarray | None = None
    # Emotions: (n, len(EMOTIONS)) of 0/1, and which columns this source labels at all.
    emotions: np.ndarray | None = None
    emotions_known: tuple[str, ...] = ()
    # CX comments only: the four-way label (with "mixed") and theme polarities.
    overall: list[str] = field(default_factory=list)
    themes: list[dict[str, str]] = field(default_factory=list)
    # What decides a row's cross-validation fold, if not its own text (a clause: its comment).
    fold_keys: list[str] = field(default_factory=list)


def data_dir(given: str | None = None) -> Path:
    return Path(given or os.environ.get("HEEDFUL_TEXT_DATA") or DEFAULT_DATA)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _ids(cell: str) -> list[int]:
    # "[]", "[2]", "[ 4 27]" (NumPy's printing): whitespace- or comma-separated integers.
    return [int(token) for token in cell.strip("[] ").replace(",", " ").split()]


def _emotion_matrix(per_row: Iterable[Iterable[str]], n: int) -> np.ndarray:
    matrix = np.zeros((n, len(EMOTIONS)), dtype=np.int8)
    for i, names in enumerate(per_row):
        for name in names:
            matrix[i, EMOTIONS.index(name)] = 1
    return matrix


def cedr_sentiment(labels: Sequence[str]) -> int:
    """CEDR's emotions grouped into our three classes (ADR 0069); -1 when they say no polarity.

    Joy is positive; sadness, fear and anger negative; no emotion at all neutral. Surprise says
    nothing by itself (a row of surprise alone is left out) and goes with the polarity beside it;
    joy beside a negative emotion is split and left out, as GoEmotions' grouping does."""
    polar = {
        "positive" if label == "joy" else "negative"
        for label in labels
        if label in ("joy", "sadness", "fear", "anger")
    }
    if not labels:
        return SENTIMENTS.index("neutral")
    if len(polar) == 1:
        return SENTIMENTS.index(polar.pop())
    return -1


def cedr(path: Path, name: str) -> LabelledSet:
    rows = _rows(path)
    labels = [[CEDR_EMOTIONS[i] for i in _ids(row["labels"])] for row in rows]
    return LabelledSet(
        name,
        "ru",
        [row["text"] for row in rows],
        sentiment=np.array([cedr_sentiment(row) for row in labels], dtype=np.int64),
        emotions=_emotion_matrix(labels, len(rows)),
        emotions_known=CEDR_EMOTIONS,
    )


def goemotions_names(data: Path) -> list[str]:
    names: dict[int, str] = {}
    for line in (data / "goemotions-labels.yaml").read_text().splitlines():
        key, _, value = line.partition(":")
        if value.strip():
            names[int(key)] = value.strip()
    return [names[i] for i in range(len(names))]


def goemotions_sentiment(labels: Sequence[str]) -> int:
    """GoEmotions' grouping to our three classes; -1 when it is ambiguous or split.

    Neutral only when "neutral" is the sole label. A row with both positive and negative emotions,
    or only ambiguous ones, has no three-way label and is left out of sentiment (not of emotions).
    """
    groups = {
        "positive" if label in GOEMOTIONS_POSITIVE else
        "negative" if label in GOEMOTIONS_NEGATIVE else
        "ambiguous" if label in GOEMOTIONS_AMBIGUOUS else "neutral"
        for label in labels
    }  # fmt: skip
    if groups == {"neutral"}:
        return SENTIMENTS.index("neutral")
    polar = groups & {"positive", "negative"}
    if len(polar) == 1 and "neutral" not in groups:
        # ambiguous beside one polarity (surprise + joy) still reads as that polarity
        return SENTIMENTS.index(polar.pop())
    return -1


def goemotions(path: Path, data: Path, language: str, name: str) -> LabelledSet:
    rows = _rows(path)
    names = goemotions_names(data)
    labels = [[names[i] for i in _ids(row["labels"])] for row in rows]
    column = "ru_text" if language == "ru" else "text"
    ours = [
        {GOEMOTIONS_TO_OURS[label] for label in row if label in GOEMOTIONS_TO_OURS}
        for row in labels
    ]
    return LabelledSet(
        name,
        language,
        [row[column] for row in rows],
        sentiment=np.array([goemotions_sentiment(row) for row in labels], dtype=np.int64),
        emotions=_emotion_matrix(ours, len(rows)),
        emotions_known=EMOTIONS,
    )


def ukrainian(path: Path, name: str) -> LabelledSet:
    rows = _rows(path)
    # Both files: 0 negative, 1 positive; the three-way one adds 2 for neutral. The data README
    # says 1 neutral and 2 positive, but the rows say otherwise: "Не бійся, все буде добре!" and
    # "Саме так!" are 1, "Щодня о шостій ранку ... церемонія підняття прапора." is 2; the binary
    # file (0/1 only) agrees that 1 is positive. Measured with the README's mapping, any model
    # scores about 0.48 (docs/text-model.md).
    mapping = {0: "negative", 1: "positive", 2: "neutral"}
    sentiment = [SENTIMENTS.index(mapping[int(row["labels"])]) for row in rows]
    return LabelledSet(
        name, "uk", [row["text"] for row in rows], sentiment=np.array(sentiment, dtype=np.int64)
    )


def uci_reviews(path: Path, name: str) -> LabelledSet:
    """UCI review sentences (Yelp and Amazon): ``negative`` or ``positive``, one sentence a row."""
    rows = _rows(path)
    sentiment = [SENTIMENTS.index(row["label"]) for row in rows]
    return LabelledSet(
        name, "en", [row["text"] for row in rows], sentiment=np.array(sentiment, dtype=np.int64)
    )


def parse_themes(cell: str) -> dict[str, str]:
    themes: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in cell.split(";"))):
        theme, _, polarity = part.partition(":")
        if theme not in THEMES or polarity not in ("positive", "negative", "neutral"):
            raise ValueError(f"unknown theme or polarity {part!r}")
        themes[theme] = polarity
    return themes


def cx_comments(language: str, split: str, folder: Path = CX_COMMENTS) -> LabelledSet:
    rows = [row for row in _rows(folder / f"{language}.csv") if row["split"] == split]
    overall = [row["sentiment"] for row in rows]
    # Mixed comments have no three-way label: the heads learn polarity from plain comments, and
    # the reader finds "mixed" by reading clauses.
    sentiment = [SENTIMENTS.index(label) if label in SENTIMENTS else -1 for label in overall]
    emotions = [[e for e in row["emotions"].split(";") if e] for row in rows]
    return LabelledSet(
        f"cx-{language}-{split}",
        language,
        [row["text"] for row in rows],
        sentiment=np.array(sentiment, dtype=np.int64),
        emotions=_emotion_matrix(emotions, len(rows)),
        emotions_known=EMOTIONS,
        overall=overall,
        themes=[parse_themes(row["themes"]) for row in rows],
    )


def training_sets(data: Path) -> list[LabelledSet]:
    """Everything the heads may learn from; never a test file, never held-out CX comments."""
    validation = data / "ru-en-goemotions-validation.csv"
    return [
        cedr(data / "ru-cedr-train.csv", "ru-cedr-train"),
        goemotions(validation, data, "ru", "ru-goemotions-validation"),
        goemotions(validation, data, "en", "en-goemotions-validation"),
        ukrainian(data / "uk-multi-train.csv", "uk-multi-train"),
        ukrainian(data / "uk-manual-binary.csv", "uk-manual-binary"),
        uci_reviews(data / "en-uci-reviews-train.csv", "en-uci-reviews-train"),
        *(cx_comments(language, "train") for language in ("ru", "uk", "en")),
    ]


def test_sets(data: Path) -> list[LabelledSet]:
    """Text the model never saw: the public test splits and the held-out CX comments."""
    test = data / "ru-en-goemotions-test.csv"
    return [
        cedr(data / "ru-cedr-test.csv", "ru-cedr-test"),
        goemotions(test, data, "ru", "ru-goemotions-test"),
        goemotions(test, data, "en", "en-goemotions-test"),
        ukrainian(data / "uk-multi-test.csv", "uk-multi-test"),
        uci_reviews(data / "en-uci-reviews-test.csv", "en-uci-reviews-test"),
        *(cx_comments(language, "test") for language in ("ru", "uk", "en")),
    ]


_STORES: dict[str, dict[str, np.ndarray]] = {}


def _store(kind: str) -> dict[str, np.ndarray]:
    """Every text this machine has embedded, by text: a clause met in two lists is embedded once."""
    if kind not in _STORES:
        path = CACHE / f"{kind}-by-text.npz"
        store: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path, allow_pickle=False) as saved:
                store = dict(zip(saved["texts"].tolist(), saved["vectors"], strict=True))
        _STORES[kind] = store
    return _STORES[kind]


def _save_store(kind: str) -> None:
    store = _STORES[kind]
    CACHE.mkdir(parents=True, exist_ok=True)
    texts = list(store)
    np.savez(
        CACHE / f"{kind}-by-text.npz",
        texts=np.array(texts),
        vectors=np.vstack([store[t] for t in texts]) if texts else np.zeros((0, 0), np.float32),
    )


def cached(
    kind: str, texts: Sequence[str], embed: Callable[[Sequence[str]], np.ndarray]
) -> np.ndarray:
    """Features of ``texts`` from the gitignored cache: a list seen before at once, else each text
    from the by-text store, embedding only those never seen."""
    digest = hashlib.sha256("\x1e".join([kind, *texts]).encode()).hexdigest()[:24]
    path = CACHE / f"{kind}-{digest}.npy"
    store = _store(kind)
    if path.exists():
        features = np.load(path)
        if any(t not in store for t in texts):
            store.update(zip(texts, features, strict=True))
            _save_store(kind)
        return features
    missing = sorted({t for t in texts if t not in store})
    if missing:
        store.update(zip(missing, embed(missing), strict=True))
        _save_store(kind)
    features = np.vstack([store[t] for t in texts]) if texts else embed(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, features)
    return features
