"""One comment's reading from its clauses: the part both readers share, whatever their features.

Each clause gets sentiment probabilities (negative, neutral, positive), emotion and theme
probabilities from linear heads. The comment is MIXED when one clause is clearly positive and
another clearly negative; otherwise its sentiment is that of the whole comment read at once (in
cross-validation on the CX training comments this beat averaging the clauses by 5 points of
macro-F1: "Not bad at all, but" reads better whole). Each theme takes the sentiment of the clauses
that speak of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from heedful.adapters.text.clauses import split_clauses
from heedful.adapters.text.heads import SENTIMENTS, Features, LinearHead
from heedful.adapters.text.language import LANGUAGES, detect_language
from heedful.adapters.text.themes import themes_named
from heedful.core.feedback.reading import CommentReading, Sentiment, ThemeReading

_NEGATIVE, _NEUTRAL, _POSITIVE = (SENTIMENTS.index(label) for label in SENTIMENTS)
# A clause with fewer letters than this names no theme.
_WORDLESS = 3


@dataclass(frozen=True)
class Heads:
    sentiment: LinearHead
    emotions: LinearHead
    themes: LinearHead
    # A clause is clearly positive (negative) for MIXED at a score of at least this (minus it).
    mixed_threshold: float
    # A second opinion on emotions from other features (the encoder reader asks the n-gram
    # heads): the two probabilities are averaged, for the languages where that reads better.
    emotion_partner: EmotionPartner | None = None


@dataclass(frozen=True)
class EmotionPartner:
    featurize: Callable[[Sequence[str]], Features]
    emotions: LinearHead
    # Only comments in these languages are read by both (training chose them) ...
    languages: frozenset[str]
    # ... and their mean probabilities are held to these thresholds, one per emotion.
    thresholds: np.ndarray


class HeadsReader:
    """A ``CommentReader`` from a featuriser and trained heads."""

    def __init__(
        self, name: str, featurize: Callable[[Sequence[str]], Features], heads: Heads
    ) -> None:
        self._name = name
        self._featurize = featurize
        self._heads = heads

    @property
    def name(self) -> str:
        return self._name

    def read(self, text: str, language: str | None = None) -> CommentReading:
        return self.read_many([text], [language])[0]

    def read_many(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[CommentReading]:
        given = list(languages) if languages is not None else [None] * len(texts)
        if len(given) != len(texts):
            raise ValueError("one language (or None) per text")
        per_comment = [split_clauses(text) for text in texts]
        spoken = [_language(text, language) for text, language in zip(texts, given, strict=True)]
        # The clauses, then each comment of more than one clause whole: one batch through the
        # featuriser and each head, since per-comment calls cost far more.
        clauses = [clause for parts in per_comment for clause in parts]
        wholes = [text for text, parts in zip(texts, per_comment, strict=True) if len(parts) > 1]
        of_clauses = [lang for lang, parts in zip(spoken, per_comment, strict=True) for _ in parts]
        of_wholes = [
            lang for lang, parts in zip(spoken, per_comment, strict=True) if len(parts) > 1
        ]
        sentiment, emotions, themes = self._probabilities(
            [*clauses, *wholes], [*of_clauses, *of_wholes]
        )
        readings: list[CommentReading] = []
        start, whole = 0, len(clauses)
        for parts, language in zip(per_comment, spoken, strict=True):
            stop = start + len(parts)
            if len(parts) > 1:
                overall, whole = sentiment[whole], whole + 1
            else:
                overall = sentiment[start] if parts else sentiment[:0].sum(axis=0)
            readings.append(
                self._comment(
                    parts,
                    language,
                    overall,
                    sentiment[start:stop],
                    emotions[start:stop],
                    themes[start:stop],
                )
            )
            start = stop
        return readings

    def _probabilities(
        self, clauses: list[str], languages: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        heads = self._heads
        if not clauses:
            return (
                np.zeros((0, len(heads.sentiment.labels)), dtype=np.float32),
                np.zeros((0, len(heads.emotions.labels)), dtype=np.float32),
                np.zeros((0, len(heads.themes.labels)), dtype=np.float32),
            )
        features = self._featurize(clauses)
        emotions = heads.emotions.sigmoid(features)
        partner = heads.emotion_partner
        both = [
            i for i, language in enumerate(languages) if partner and language in partner.languages
        ]
        if partner is not None and both:
            second = partner.emotions.sigmoid(partner.featurize([clauses[i] for i in both]))
            emotions[both] = (emotions[both] + second) / 2
        return heads.sentiment.softmax(features), emotions, heads.themes.sigmoid(features)

    def _comment(
        self,
        clauses: list[str],
        language: str,
        overall: np.ndarray,
        sentiment: np.ndarray,
        emotions: np.ndarray,
        themes: np.ndarray,
    ) -> CommentReading:
        if not clauses:
            return CommentReading(language, Sentiment.NEUTRAL, 0.0, model=self._name)
        label, score = mixed_or_whole(
            overall, sentiment, [len(c) for c in clauses], self._heads.mixed_threshold
        )
        return CommentReading(
            language=language,
            sentiment=label,
            score=score,
            emotions=self._emotions(emotions, language),
            themes=self._themes(clauses, sentiment, themes),
            model=self._name,
        )

    def _emotions(self, per_clause: np.ndarray, language: str) -> dict[str, float]:
        # A comment feels what its most feeling clause feels.
        strongest = per_clause.max(axis=0)
        head, partner = self._heads.emotions, self._heads.emotion_partner
        floors = head.thresholds
        if partner is not None and language in partner.languages:
            floors = partner.thresholds
        return {
            label: round(float(p), 3)
            for label, p, floor in zip(head.labels, strongest, floors, strict=True)
            if p >= floor
        }

    def _themes(
        self, clauses: list[str], sentiment: np.ndarray, per_clause: np.ndarray
    ) -> tuple[ThemeReading, ...]:
        head = self._heads.themes
        spoken: dict[str, list[int]] = {}
        named = [themes_named(clause) for clause in clauses]
        # A theme one clause names outright belongs to the clauses that name it: the head, trained
        # on whole comments, also hears "waiting" in "The staff were lovely" because praise for
        # the staff so often comes before a complaint about the wait.
        named_anywhere = set().union(*named)
        for i, clause in enumerate(clauses):
            if sum(ch.isalpha() for ch in clause) < _WORDLESS:
                continue  # "...", "👍": a tone, maybe, but no subject
            for j, theme in enumerate(head.labels):
                guessed = theme not in named_anywhere and per_clause[i, j] >= head.thresholds[j]
                if guessed or theme in named[i]:
                    spoken.setdefault(theme, []).append(i)
        readings = []
        for theme, where in spoken.items():
            mean = sentiment[where].mean(axis=0)
            readings.append(
                ThemeReading(
                    theme=theme,
                    sentiment=Sentiment(SENTIMENTS[int(mean.argmax())]),
                    score=_clip(float(mean[_POSITIVE] - mean[_NEGATIVE])),
                    excerpt="; ".join(clauses[i] for i in where),
                )
            )
        return tuple(readings)


def mixed_or_whole(
    overall: np.ndarray, clauses: np.ndarray, lengths: Sequence[int], threshold: float
) -> tuple[Sentiment, float]:
    """The comment's sentiment and score from the whole comment's and its clauses' probabilities.

    MIXED when one clause scores at least ``threshold`` and another at most ``-threshold``; its
    score is then the clauses' scores averaged by length. Otherwise the whole comment decides."""
    scores = clauses[:, _POSITIVE] - clauses[:, _NEGATIVE]
    if len(scores) > 1 and scores.max() >= threshold and scores.min() <= -threshold:
        weights = np.maximum(np.asarray(lengths, dtype=np.float32), 1.0)
        return Sentiment.MIXED, _clip(float((scores * weights).sum() / weights.sum()))
    return (
        Sentiment(SENTIMENTS[int(overall.argmax())]),
        _clip(float(overall[_POSITIVE] - overall[_NEGATIVE])),
    )


def _language(text: str, given: str | None) -> str:
    return given if given is not None and given in LANGUAGES else detect_language(text)


def _clip(score: float) -> float:
    return round(min(1.0, max(-1.0, score)), 4)
