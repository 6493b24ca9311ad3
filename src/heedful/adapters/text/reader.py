"""One comment's reading from its clauses: the part both readers share, whatever their features.

Each clause gets sentiment probabilities (negative, neutral, positive), emotion and theme
probabilities from linear heads; a comment of a few clauses is also read whole. A few set phrases
the encoder misreads pull the clauses they are in (``cues.py``); the label and score then follow
the rule of ``decision.py`` (ADR 0032): "mixed" only for two substantive opposite judgements, an
overall score for the rest. Each theme takes the sentiment of the clauses that speak of it.

Long comments are read by their clauses only (the whole, past ``_WHOLE_WORDS`` words or
``_WHOLE_CLAUSES`` clauses, would cost as much again and says little the clauses do not), and of
a comment of more than ``_MAX_CLAUSES`` clauses the first ``_HEAD_CLAUSES`` and the last ones are
read: a review's verdict is at its start and, above all, its end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from heedful.adapters.text import cues
from heedful.adapters.text.clauses import split_clauses
from heedful.adapters.text.decision import Rule, decide, words
from heedful.adapters.text.heads import SENTIMENTS, Features, LinearHead
from heedful.adapters.text.language import LANGUAGES, detect_language
from heedful.adapters.text.themes import themes_named, themes_not_guessed
from heedful.core.feedback.reading import CommentReading, Sentiment, ThemeReading

_NEGATIVE, _NEUTRAL, _POSITIVE = (SENTIMENTS.index(label) for label in SENTIMENTS)
# A clause with fewer letters than this names no theme.
_WORDLESS = 3
_WHOLE_CLAUSES = 4
_WHOLE_WORDS = 80
_MAX_CLAUSES = 16
_HEAD_CLAUSES = 4


@dataclass(frozen=True)
class Heads:
    sentiment: LinearHead
    emotions: LinearHead
    themes: LinearHead
    # A clause is clearly positive (negative) for MIXED at a score of at least this (minus it).
    mixed_threshold: float
    # |overall score| below which a comment that is not mixed is neutral (ADR 0032) ...
    neutral_band: float = 0.2
    # ... or, for a language training gave a band of its own (ADR 0058), that band.
    neutral_bands: Mapping[str, float] = field(default_factory=dict)
    # A second opinion on emotions from other features (the encoder reader asks the n-gram
    # heads): the two probabilities are averaged, for the languages where that reads better.
    emotion_partner: EmotionPartner | None = None
    # The same for sentiment, with a share per language chosen by cross-validation (ADR 0058).
    sentiment_partner: SentimentPartner | None = None

    def band(self, language: str) -> float:
        return self.neutral_bands.get(language, self.neutral_band)


@dataclass(frozen=True)
class EmotionPartner:
    featurize: Callable[[Sequence[str]], Features]
    emotions: LinearHead
    # Only comments in these languages are read by both (training chose them) ...
    languages: frozenset[str]
    # ... and their mean probabilities are held to these thresholds, one per emotion.
    thresholds: np.ndarray


@dataclass(frozen=True)
class SentimentPartner:
    """Another reader's sentiment head, mixed into the main one's probabilities: for a comment in
    ``shares``' languages, ``(1 - share) × main + share × partner``. The n-gram head knows the
    words of Reddit talk and reviews that a frozen sentence encoder blurs; the encoder knows
    meanings across spellings; on held-out training rows the mix read better than either."""

    featurize: Callable[[Sequence[str]], Features]
    sentiment: LinearHead
    shares: Mapping[str, float]


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
        per_comment = [kept_clauses(split_clauses(text)) for text in texts]
        spoken = [_language(text, language) for text, language in zip(texts, given, strict=True)]
        # The clauses, then each comment of more than one clause whole: one batch through the
        # featuriser and each head, since per-comment calls cost far more.
        clauses = [clause for parts in per_comment for clause in parts]
        wholes = [
            text for text, parts in zip(texts, per_comment, strict=True) if reads_whole(parts)
        ]
        of_clauses = [lang for lang, parts in zip(spoken, per_comment, strict=True) for _ in parts]
        of_wholes = [
            lang for lang, parts in zip(spoken, per_comment, strict=True) if reads_whole(parts)
        ]
        sentiment, emotions, themes = self._probabilities(
            [*clauses, *wholes], [*of_clauses, *of_wholes]
        )
        readings: list[CommentReading] = []
        start, whole = 0, len(clauses)
        for text, parts, language in zip(texts, per_comment, spoken, strict=True):
            stop = start + len(parts)
            overall = None
            if reads_whole(parts):
                overall, whole = cues.pull_whole(text, sentiment[whole]), whole + 1
            readings.append(
                self._comment(
                    parts,
                    language,
                    overall,
                    cues.pull(parts, text, sentiment[start:stop]),
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
        sentiment = heads.sentiment.softmax(features)
        partner = heads.emotion_partner
        both = [
            i for i, language in enumerate(languages) if partner and language in partner.languages
        ]
        if partner is not None and both:
            second = partner.emotions.sigmoid(partner.featurize([clauses[i] for i in both]))
            emotions[both] = (emotions[both] + second) / 2
        other = heads.sentiment_partner
        mixed = [i for i, language in enumerate(languages) if other and other.shares.get(language)]
        if other is not None and mixed:
            second = other.sentiment.softmax(other.featurize([clauses[i] for i in mixed]))
            share = np.array([[other.shares[languages[i]]] for i in mixed], dtype=np.float32)
            sentiment[mixed] = (1 - share) * sentiment[mixed] + share * second
        return sentiment, emotions, heads.themes.sigmoid(features)

    def _comment(
        self,
        clauses: list[str],
        language: str,
        overall: np.ndarray | None,
        sentiment: np.ndarray,
        emotions: np.ndarray,
        themes: np.ndarray,
    ) -> CommentReading:
        if not clauses:
            return CommentReading(language, Sentiment.NEUTRAL, 0.0, model=self._name)
        heads = self._heads
        label, score = decide(
            overall, sentiment, clauses, Rule(heads.mixed_threshold, heads.band(language))
        )
        return CommentReading(
            language=language,
            sentiment=label,
            score=score,
            emotions=self._emotions(emotions, language, " ".join(clauses), score),
            themes=self._themes(clauses, sentiment, themes),
            model=self._name,
        )

    def _emotions(
        self, per_clause: np.ndarray, language: str, text: str, score: float
    ) -> dict[str, float]:
        # A comment feels what its most feeling clause feels ...
        strongest = per_clause.max(axis=0)
        head, partner = self._heads.emotions, self._heads.emotion_partner
        floors = head.thresholds
        if partner is not None and language in partner.languages:
            floors = partner.thresholds
        named = {
            label: round(float(p), 3)
            for label, p, floor in zip(head.labels, strongest, floors, strict=True)
            if p >= floor
        }
        # ... unless its words say otherwise: rudeness is anger, fear needs a word of fear, and a
        # comment that is clearly unhappy (happy) shows no joy (no anger, annoyance, letdown).
        for label, least in cues.emotion_floors(text).items():
            named[label] = max(named.get(label, 0.0), least)
        unfelt = {label for label in named if cues.needs_word(label, text)}
        band = self._heads.band(language)
        if score <= -band:
            unfelt |= {"joy", "gratitude"}
        elif score >= band:
            unfelt |= {"anger", "annoyance", "disappointment"}
        return {label: p for label, p in named.items() if label not in unfelt}

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
            barred = themes_not_guessed(clause)
            for j, theme in enumerate(head.labels):
                guessed = (
                    theme not in named_anywhere
                    and theme not in barred
                    and per_clause[i, j] >= head.thresholds[j]
                )
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


def kept_clauses(clauses: list[str]) -> list[str]:
    """The clauses read of a very long comment: its first few and its last ones."""
    if len(clauses) <= _MAX_CLAUSES:
        return clauses
    tail = _MAX_CLAUSES - _HEAD_CLAUSES
    return [*clauses[:_HEAD_CLAUSES], *clauses[-tail:]]


def reads_whole(clauses: list[str]) -> bool:
    """Whether a comment is also read whole: when it has a few clauses, not one or many."""
    return 1 < len(clauses) <= _WHOLE_CLAUSES and sum(words(c) for c in clauses) <= _WHOLE_WORDS


def _language(text: str, given: str | None) -> str:
    return given if given is not None and given in LANGUAGES else detect_language(text)


def _clip(score: float) -> float:
    return round(min(1.0, max(-1.0, score)), 4)
