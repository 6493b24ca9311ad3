"""How the text model's heads are fitted: weights per source, folds, thresholds, the mixed rule.

Used by ``scripts/train_text_model.py``; scikit-learn's logistic regression does the fitting, and
the result is plain arrays (``LinearHead``) the adapter reads with NumPy alone.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from tqdm import tqdm

from heedful.adapters.text import cues
from heedful.adapters.text.clauses import split_clauses
from heedful.adapters.text.decision import Rule, decide
from heedful.adapters.text.heads import SENTIMENTS, LinearHead
from heedful.adapters.text.reader import kept_clauses, reads_whole
from heedful.adapters.text.themes import themes_named
from heedful.core.feedback.reading import EMOTIONS, THEMES
from scripts.text_model_choices import (
    Partner,
    mean_of_others,
    mixed,
    negative_reach,
    negative_shift,
    partner_shares,
    share_judged_by_others,
    shifted,
)
from scripts.text_model_sets import CACHE, LabelledSet

FOUR_WAY = ("negative", "neutral", "positive", "mixed")
# The neutral bands θ the decision rule may get (ADR 0032, 0058).
BANDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
SEED = 20261124
FOLDS = 4
VERSION = "2026-12-06.2"
# Each family of sources gets this share of a head's training weight, whatever its size: the
# 11,000 GoEmotions rows would otherwise drown the 470 Ukrainian and 1,050 CX ones, which are the
# language and domain the product reads.
SENTIMENT_SHARES = {"goemotions": 1.0, "uk": 1.0, "uci": 1.0, "cx": 2.0}
# ... but the share of GoEmotions (real Reddit talk, in ru and en) in the encoder's sentiment head
# is one of these, chosen by cross-validation on the training rows (ADR 0058),
GOEMOTIONS_SHARES = (1.0, 2.0, 4.0)
# With ``--cedr-sentiment`` (ADR 0069), CEDR (real Russian sentences, their emotions grouped into
# sentiment) is a new source, judged by the other families' held-out rows only (ADR 0075), and
# GoEmotions keeps the share the shipped run chose: one thing changes at a time. A share of 0
# leaves CEDR out of the head, though its rows are still read, held out, by the fold models.
NEWCOMER = "cedr"
SHIPPED_GOEMOTIONS_SHARE = 4.0
CEDR_SHARES = (0.0, 0.5, 1.0, 2.0)
# The n-gram head: none (as shipped) or the share every public source has; two candidates only,
# as each n-gram cross-validation takes minutes.
NGRAM_CEDR_SHARES = (0.0, 1.0)
EMOTION_SHARES = {"cedr": 1.0, "goemotions": 1.0, "cx": 0.6}
# Inverse regularisation per reader and head, chosen by the cross-validated figures on the
# training data (training.json), never on a test set: on standardised e5 vectors strong
# regularisation wins (sentiment CV on uk 0.617 at C=1, 0.644 at C=0.01; on CX 0.790 and 0.819).
C = {
    ("encoder", "sentiment"): 0.01,
    ("encoder", "many"): 0.03,
    ("ngrams", "sentiment"): 10.0,
    ("ngrams", "many"): 10.0,
}


@dataclass
class Held:
    """Out-of-fold sentiment probabilities of the training rows, with what each row is."""

    probabilities: np.ndarray
    y: np.ndarray
    family: np.ndarray
    language: np.ndarray

    def only(self, rows: np.ndarray) -> Held:
        return Held(self.probabilities[rows], self.y[rows], self.family[rows], self.language[rows])


@dataclass
class Rows:
    """Training rows of one head: features, targets, weights, and folds for out-of-fold scores."""

    x: Any
    y: np.ndarray
    weight: np.ndarray
    fold: np.ndarray


def family(name: str) -> str:
    for key in ("goemotions", "cedr", "cx", "uci", "uk"):
        if key in name:
            return key
    raise ValueError(name)


def shares_to_weights(sources: Sequence[str], shares: dict[str, float]) -> np.ndarray:
    names = np.array([family(s) for s in sources])
    weight = np.zeros(len(names), dtype=np.float64)
    for key, share in shares.items():
        mask = names == key
        if mask.any():
            weight[mask] = share / mask.sum()
    # Rows of a source with no share are left out of the fit (``fit``), so they must not dilute
    # the others' mean weight either: with no such rows this is the mean of 1 it always was.
    return weight * np.count_nonzero(weight) / weight.sum()


def folds_for(texts: Sequence[str]) -> np.ndarray:
    # By a hash of the text, so a sentence and its duplicates land in the same fold.
    return np.array(
        [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) % FOLDS for t in texts],
        dtype=np.int64,
    )


def fit(x: Any, y: np.ndarray, weight: np.ndarray, c: float) -> LogisticRegression:
    # Rows of weight 0 are dropped, not fitted at weight 0: "balanced" class weights count rows.
    used = np.flatnonzero(weight > 0)
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=SEED)
    model.fit(x[used], y[used], sample_weight=weight[used])
    return model


def out_of_fold(rows: Rows, c: float) -> tuple[np.ndarray, list[LogisticRegression]]:
    """Each row's probabilities from the model of the fold it was left out of, and those models."""
    scores: np.ndarray | None = None
    models = []
    for k in range(FOLDS):
        train, test = rows.fold != k, rows.fold == k
        model = fit(rows.x[train], rows.y[train], rows.weight[train], c)
        p = model.predict_proba(rows.x[test])
        if scores is None:
            scores = np.zeros((len(rows.y), p.shape[1]), dtype=np.float64)
        scores[test] = p
        models.append(model)
    assert scores is not None
    return scores, models


def by_family(y: np.ndarray, probabilities: np.ndarray, fam: np.ndarray) -> dict[str, float]:
    """Sentiment macro-F1 of the held-out rows, per family of sources."""
    return {
        key: round(
            float(f1_score(y[fam == key], probabilities[fam == key].argmax(1), average="macro")), 3
        )
        for key in (*SENTIMENT_SHARES, "cedr")
        if (fam == key).any()
    }


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    candidates = np.linspace(0.1, 0.9, 33)
    f1 = [f1_score(y, p >= t, zero_division=0) for t in candidates]
    return float(candidates[int(np.argmax(f1))])


class Trainer:
    def __init__(self, kind: str, featurize: Callable[[Sequence[str]], Any]) -> None:
        self.kind = kind
        self.featurize = featurize
        self.c = C[kind, "sentiment"]
        self.c_many = C[kind, "many"]
        self.report: dict[str, Any] = {
            "C": {"sentiment": self.c, "emotions_and_themes": self.c_many}
        }
        self._memo: dict[str, Any] = {}
        self.dev_probabilities: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self.dev_languages: dict[tuple[str, str], np.ndarray] = {}
        self.thresholds: dict[tuple[str, str], float] = {}
        # Added to the sentiment head's negative logit (``negative_shift``); and whether the
        # decision rule gets a neutral band per language (ADR 0058).
        self.negative_shift = 0.0
        self.own_bands = True
        # CEDR's emotions grouped into sentiment as one more source (ADR 0069): off unless asked.
        self.cedr_sentiment = False

    def stack(self, parts: list[Any]) -> Any:
        if self.kind == "encoder":
            return np.vstack(parts)
        from scipy import sparse

        return sparse.vstack(parts).tocsr()

    def sentiment(self, sets: list[LabelledSet], clauses: LabelledSet) -> LinearHead:
        parts, ys, sources, texts, languages = [], [], [], [], []
        language_of = {t: s.language for s in sets if s.overall for t in s.texts}
        for s in [*sets, clauses]:
            if s.sentiment is None or (family(s.name) == "cedr" and not self.cedr_sentiment):
                continue
            keep = np.where(s.sentiment >= 0)[0]
            if len(keep) == 0:
                continue
            parts.append(self.features(s)[keep])
            ys.append(s.sentiment[keep])
            sources += [s.name] * len(keep)
            keys = [(s.fold_keys or s.texts)[i] for i in keep]
            texts += keys
            # A clause speaks its comment's language.
            languages += [language_of.get(k, s.language) for k in keys]
        x, y = self.stack(parts), np.concatenate(ys)
        fam = np.array([family(s) for s in sources])
        goemotions_shares, cedr_shares = candidate_shares(self.kind, self.cedr_sentiment)
        tried: dict[tuple[float, float], tuple[Rows, np.ndarray, list[LogisticRegression]]] = {}
        by_share: dict[tuple[float, float], dict[str, float]] = {}
        for goemotions_share, cedr_share in (
            (g, c) for g in goemotions_shares for c in cedr_shares
        ):
            shares = SENTIMENT_SHARES | {"goemotions": goemotions_share}
            if self.cedr_sentiment:
                shares[NEWCOMER] = cedr_share
            rows = Rows(x, y, shares_to_weights(sources, shares), folds_for(texts))
            oof, folds = out_of_fold(rows, self.c)
            tried[goemotions_share, cedr_share] = (rows, oof, folds)
            by_share[goemotions_share, cedr_share] = by_family(y, oof, fam)
        choice = self._chosen_shares(by_share)
        rows, oof, self.sentiment_folds = tried[choice]
        self.sentiment_oof = Held(oof, y, fam, np.array(languages))
        self.report["sentiment_cv_macro_f1"] = by_family(y, oof, fam)
        model = fit(rows.x, rows.y, rows.weight, self.c)
        return _head(model, SENTIMENTS, np.zeros(len(SENTIMENTS)), self.kind)

    def _chosen_shares(
        self, by_share: dict[tuple[float, float], dict[str, float]]
    ) -> tuple[float, float]:
        """(GoEmotions' share, CEDR's share) among those tried, each with its held-out macro-F1
        per family: without ``cedr_sentiment`` the best mean over the families (ADR 0058), with
        it the best mean over the families other than CEDR (ADR 0075)."""
        if not self.cedr_sentiment:
            # ``max`` keeps the first of equals, the smallest share, as the loop always did.
            choice = max(by_share, key=lambda key: float(np.mean(list(by_share[key].values()))))
            if len(by_share) > 1:
                self.report["sentiment_cv_macro_f1_by_goemotions_share"] = {
                    str(g): by_share[g, c] for g, c in by_share
                }
            return choice
        (goemotions_share,) = {g for g, _ in by_share}
        by_cedr_share = {c: figures for (_, c), figures in by_share.items()}
        choice = (goemotions_share, share_judged_by_others(by_cedr_share, NEWCOMER))
        self.report["sentiment_shares"] = SENTIMENT_SHARES | {
            "goemotions": choice[0],
            NEWCOMER: choice[1],
        }
        self.report["sentiment_cv_macro_f1_by_cedr_share"] = {
            str(c): figures | {"mean_of_others": round(mean_of_others(figures, NEWCOMER), 4)}
            for c, figures in by_cedr_share.items()
        }
        return choice

    def many_of(
        self, name: str, labels: Sequence[str], sets: list[LabelledSet], shares: dict[str, float]
    ) -> LinearHead:
        """One binary model per label, each on the rows whose source labels it."""
        weights, biases, thresholds, cv = [], [], [], {}
        for j, label in enumerate(tqdm(labels, desc=f"{self.kind} {name}", file=sys.stdout)):
            parts, ys, sources, texts, languages = [], [], [], [], []
            for s in sets:
                matrix = self._labels(s, name)
                if matrix is None or label not in self._known(s, name):
                    continue
                parts.append(self.features(s))
                ys.append(matrix[:, j])
                sources += [s.name] * len(s.texts)
                texts += s.texts
                languages += [s.language] * len(s.texts)
            rows = Rows(
                self.stack(parts),
                np.concatenate(ys).astype(np.int64),
                shares_to_weights(
                    sources, {k: v for k, v in shares.items() if k in {family(x) for x in sources}}
                ),
                folds_for(texts),
            )
            # One held-out fold, not all four: eighteen labels times four fits of the n-gram
            # model took a quarter of an hour; the threshold needs a fair sample, not every row.
            dev = rows.fold == 0
            model = fit(rows.x[~dev], rows.y[~dev], rows.weight[~dev], self.c_many)
            held_out = model.predict_proba(rows.x[dev])[:, 1]
            self.dev_probabilities[name, label] = (rows.y[dev], held_out)
            self.dev_languages[name, label] = np.array(languages)[dev]
            threshold = best_threshold(rows.y[dev], held_out)
            self.thresholds[name, label] = threshold
            cv[label] = round(
                float(f1_score(rows.y[dev], held_out >= threshold, zero_division=0)), 3
            )
            model = fit(rows.x, rows.y, rows.weight, self.c_many)
            weights.append(model.coef_[0])
            biases.append(model.intercept_[0])
            thresholds.append(threshold)
        self.report[f"{name}_cv_f1"] = cv
        return LinearHead(
            tuple(labels),
            np.array(weights, dtype=np.float32).T,
            np.array(biases, dtype=np.float32),
            np.array(thresholds, dtype=np.float32),
        )

    def mixed_threshold(
        self, cx: list[LabelledSet], partner: Partner | None = None
    ) -> tuple[float, float, dict[str, float]]:
        """τ (a clause at |score| ≥ τ is a judgement), θ (the neutral band of the overall score)
        and a θ per language, of the decision rule (``decision.py``): those that read the CX
        training comments best (four-way macro-F1, mean over languages), each comment and its
        clauses read by the sentiment model of the fold that left it out (mixed with the
        partner's, and shifted towards negative, as the reader will), through the same cues."""
        # Every comment and its clauses read by the fold model that never saw the comment (nor,
        # through fold_keys, its clauses): read by the final model, a plain comment's clauses
        # agree with it too well and the threshold comes out too low.
        by_fold: dict[int, set[str]] = {}
        for s in cx:
            for text, k in zip(s.texts, folds_for(s.texts), strict=True):
                by_fold.setdefault(int(k), set()).update([text, *split_clauses(text)])
        by_text: dict[str, np.ndarray] = {}
        by_partner: dict[str, np.ndarray] = {}
        for k, texts in sorted(by_fold.items()):
            ordered = sorted(texts)
            probabilities = self.sentiment_folds[k].predict_proba(self.featurize(ordered))
            by_text.update(zip(ordered, shifted(probabilities, self.negative_shift), strict=True))
            if partner is not None:
                other = partner.trainer
                second = other.sentiment_folds[k].predict_proba(other.featurize(ordered))
                by_partner.update(zip(ordered, second, strict=True))

        def reading(text: str, language: str) -> np.ndarray:
            share = partner.shares.get(language, 0.0) if partner is not None else 0.0
            mine = by_text[text]
            return (1 - share) * mine + share * by_partner[text] if share else mine

        # The same text in two folds' comments (a repeated "Смачно!") keeps one reading: rare.
        prepared = []
        for s in cx:
            rows = []
            for text in s.texts:
                parts = kept_clauses(split_clauses(text))
                clauses = cues.pull(parts, text, np.array([reading(c, s.language) for c in parts]))
                whole = (
                    cues.pull_whole(text, reading(text, s.language)) if reads_whole(parts) else None
                )
                rows.append((whole, clauses, parts))
            prepared.append((s.language, s.overall, rows))
        # For each τ: every band's figure per language; τ with one band for all (the default),
        # and each language's own best band beside it (ADR 0058: the Ukrainian comments' fall
        # came from a band chosen for all three).
        best: tuple[float, float, dict[str, float]] = (0.3, 0.2, {})
        best_f1, best_own = -1.0, 0.0
        for polar in np.linspace(0.1, 0.6, 11):
            table: dict[float, dict[str, float]] = {}
            for band in BANDS:
                rule = Rule(float(polar), band)
                for language, overall, rows in prepared:
                    guess = [decide(w, c, p, rule)[0].value for w, c, p in rows]
                    table.setdefault(band, {})[language] = float(
                        f1_score(overall, guess, labels=list(FOUR_WAY), average="macro")
                    )
            common = max(BANDS, key=lambda band: np.mean(list(table[band].values())))
            own = {
                language: max(BANDS, key=lambda band: table[band][language])
                for language, _, _ in prepared
            }
            f1 = float(np.mean(list(table[common].values())))
            if f1 > best_f1:
                best, best_f1 = (round(float(polar), 3), common, own), f1
                best_own = float(np.mean([table[own[lang]][lang] for lang in own]))
        self.report["mixed_threshold"] = {
            "value": best[0],
            "neutral_band": best[1],
            "cv_four_way_macro_f1": round(best_f1, 3),
        }
        if self.own_bands:
            self.report["mixed_threshold"] |= {
                "neutral_band_by_language": best[2],
                "cv_four_way_macro_f1_own_bands": round(best_own, 3),
            }
            return best
        return best[0], best[1], {}

    def features(self, s: LabelledSet) -> Any:
        if s.name not in self._memo:
            self._memo[s.name] = self.featurize(s.texts)
        return self._memo[s.name]

    @staticmethod
    def _labels(s: LabelledSet, name: str) -> np.ndarray | None:
        if name == "emotions":
            return s.emotions
        if not s.themes:
            return None
        return np.array([[t in row for t in THEMES] for row in s.themes], dtype=np.int64)

    @staticmethod
    def _known(s: LabelledSet, name: str) -> Sequence[str]:
        return s.emotions_known if name == "emotions" else THEMES


def candidate_shares(
    kind: str, cedr_sentiment: bool
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The shares of GoEmotions and of CEDR the sentiment head tries (held-out folds for each).

    GoEmotions' is chosen by cross-validation in the encoder's head only (each n-gram fit takes
    minutes). With ``cedr_sentiment`` GoEmotions keeps the share the shipped run chose and only
    the newcomer's is tried (ADR 0075): one thing changes at a time."""
    if cedr_sentiment:
        if kind == "encoder":
            return (SHIPPED_GOEMOTIONS_SHARE,), CEDR_SHARES
        return (1.0,), NGRAM_CEDR_SHARES
    return (GOEMOTIONS_SHARES if kind == "encoder" else (1.0,)), (0.0,)


def _head(
    model: LogisticRegression, labels: Sequence[str], thresholds: np.ndarray, kind: str
) -> LinearHead:
    del kind
    return LinearHead(
        tuple(labels),
        np.asarray(model.coef_.T, dtype=np.float32),
        np.asarray(model.intercept_, dtype=np.float32),
        np.asarray(thresholds, dtype=np.float32),
    )


def clause_rows(cx: list[LabelledSet]) -> LabelledSet:
    """Clauses of the mixed CX training comments, labelled by the theme each one names.

    "The staff were lovely | but we waited forty minutes" with staff:positive and
    waiting:negative gives one positive and one negative clause: exactly what the reader meets."""
    texts, labels, comments = [], [], []
    for s in cx:
        for text, overall, themes in zip(s.texts, s.overall, s.themes, strict=True):
            if overall != "mixed":
                continue
            for clause in split_clauses(text):
                polarities = {themes[t] for t in themes_named(clause) if t in themes}
                if len(polarities) == 1:
                    texts.append(clause)
                    labels.append(SENTIMENTS.index(polarities.pop()))
                    comments.append(text)
    return LabelledSet(
        "cx-clauses",
        "mixed",
        texts,
        sentiment=np.array(labels, dtype=np.int64),
        fold_keys=comments,
    )


def standardised(
    featurize: Callable[[Sequence[str]], np.ndarray], sets: list[LabelledSet]
) -> tuple[Callable[[Sequence[str]], np.ndarray], np.ndarray, np.ndarray]:
    """E5 vectors crowd into a narrow cone (cosines of 0.7-0.9 between unrelated texts): centred and
    scaled per dimension, a regularised linear model can use them. The scaling is folded into the
    shipped weights (``fold``), so the reader multiplies raw embeddings."""
    everything = np.vstack([featurize(s.texts) for s in sets])
    mean = everything.mean(axis=0)
    scale = everything.std(axis=0) + 1e-6
    return (lambda texts: (featurize(texts) - mean) / scale), mean, scale


def fold(head: LinearHead, mean: np.ndarray, scale: np.ndarray) -> LinearHead:
    weights = head.weights / scale[:, None]
    bias = head.bias - mean @ weights
    return LinearHead(
        head.labels, weights.astype(np.float32), bias.astype(np.float32), head.thresholds
    )


def train(
    kind: str,
    sets: list[LabelledSet],
    featurize: Callable[[Sequence[str]], Any],
    partner: Trainer | None = None,
    cedr_sentiment: bool = False,
) -> dict[str, Any]:
    """The heads of one reader. ``partner``: the trainer of another reader on the same rows, whose
    sentiment may be mixed into this one's (ADR 0058); ``cedr_sentiment``: CEDR is a sentiment
    source too (ADR 0069)."""
    trainer = Trainer(kind, featurize)
    trainer.cedr_sentiment = cedr_sentiment
    cx = [s for s in sets if s.name.startswith("cx-")]
    clauses = clause_rows(cx)
    trainer.report["clause_rows"] = len(clauses.texts)
    sentiment = trainer.sentiment(sets, clauses)
    held = trainer.sentiment_oof
    theirs = partner.sentiment_oof if partner else None
    # The newcomer's held-out rows vote for nothing downstream either (ADR 0075): the partner's
    # shares and the lean are chosen on the shipped families' rows, as the shipped run chose them.
    voters = held.family != NEWCOMER
    shares = (
        partner_shares(held.only(voters), theirs.only(voters), trainer.report) if theirs else {}
    )

    def leaning(shift: float, rows: np.ndarray = voters) -> np.ndarray:
        mine = held.only(rows)
        mine = Held(shifted(mine.probabilities, shift), mine.y, mine.family, mine.language)
        return mixed(mine, theirs.only(rows), shares) if theirs else mine.probabilities

    if kind == "encoder":
        # The encoder's head only: the n-gram head is also the encoder's partner, whose
        # probabilities were mixed in as they are; and the fallback keeps its own reading.
        trainer.negative_shift = negative_shift(held.only(voters), leaning, trainer.report)
        sentiment.bias[0] += trainer.negative_shift
        everyone = np.ones(len(held.y), dtype=bool)
        # How far a threshold could reach, on every source's rows, the newcomer's too.
        trainer.report["negative_reach"] = negative_reach(
            held, leaning(trainer.negative_shift, everyone)
        )
        # The held-out readings as the reader would give them, for looking at afterwards (the
        # trade-off of recall and precision per source): gitignored, beside the embeddings.
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(
            CACHE / "sentiment-held-out.npz",
            probabilities=leaning(trainer.negative_shift, everyone),
            y=held.y,
            family=held.family,
            language=held.language,
        )
    emotions = trainer.many_of("emotions", EMOTIONS, sets, EMOTION_SHARES)
    themes = trainer.many_of("themes", THEMES, cx, {"cx": 1.0})
    mixed_rule = trainer.mixed_threshold(cx, Partner(partner, shares) if partner else None)
    return {
        "heads": {"sentiment": sentiment, "emotions": emotions, "themes": themes},
        "mixed_threshold": mixed_rule,
        "sentiment_partner_shares": shares,
        "report": trainer.report,
        "trainer": trainer,
    }


def fused_emotions(
    encoder: Trainer, ngrams: Trainer, report: dict[str, Any]
) -> tuple[np.ndarray, list[str]] | None:
    """Thresholds for the mean of both readers' emotion probabilities, and the languages where
    that mean beats the encoder alone on the held-out training fold (None: nowhere).

    Emotion labels hang on particular words ("ужас", "разозлил") that n-grams catch and a frozen
    sentence embedding blurs; but n-grams only know the spellings they were trained on, and the
    public emotion sets are Russian and English, so Ukrainian may be better without them."""
    thresholds = []
    fused: dict[str, dict[str, float]] = {}
    alone: dict[str, dict[str, float]] = {}
    for label in EMOTIONS:
        y, p_encoder = encoder.dev_probabilities["emotions", label]
        y_ngrams, p_ngrams = ngrams.dev_probabilities["emotions", label]
        assert np.array_equal(y, y_ngrams), "both readers must be scored on the same rows"
        languages = encoder.dev_languages["emotions", label]
        mean = (p_encoder + p_ngrams) / 2
        threshold = best_threshold(y, mean)
        thresholds.append(threshold)
        own = encoder.thresholds["emotions", label]
        for language in ("ru", "uk", "en"):
            here = languages == language
            if y[here].sum() == 0:
                continue
            fused.setdefault(language, {})[label] = float(
                f1_score(y[here], mean[here] >= threshold, zero_division=0)
            )
            alone.setdefault(language, {})[label] = float(
                f1_score(y[here], p_encoder[here] >= own, zero_division=0)
            )
    chosen = [
        language
        for language in fused
        if np.mean(list(fused[language].values())) > np.mean(list(alone[language].values()))
    ]
    report["emotions_dev_macro_f1_by_language"] = {
        language: {
            "encoder": round(float(np.mean(list(alone[language].values()))), 3),
            "encoder_and_ngrams": round(float(np.mean(list(fused[language].values()))), 3),
        }
        for language in fused
    }
    report["emotions_fused_for"] = chosen
    return (np.array(thresholds, dtype=np.float32), chosen) if chosen else None
