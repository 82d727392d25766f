"""Tone scores and labels, and aggregates of tone with confidence intervals.

The classifier itself is analysis/enrich/tone.py (MiniLM trained on NewsMTSC, distilled from MPNet). Its tone is
P(positive) - P(negative), from -1 to 1, and its label is read off that score alone (negative below
-THRESHOLD, positive above +THRESHOLD, neutral between), so a label never contradicts its score. The
threshold is a third of the scale; on NewsMTSC's training split it is within 0.01 macro-F1 of the best
symmetric threshold, and it agrees with the most probable class for most articles (bench sentiment
reports both). VADER is kept as the baseline the benchmark compares against.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

LABELS = ("negative", "neutral", "positive")
THRESHOLD = 0.33  # |score| above this is negative or positive


def label_of(score: np.ndarray) -> np.ndarray:
    """The label of each tone score: negative below -THRESHOLD, positive above +THRESHOLD, else neutral."""
    score = np.asarray(score, dtype=float)
    return np.where(score < -THRESHOLD, "negative", np.where(score > THRESHOLD, "positive", "neutral"))


@lru_cache(maxsize=1)
def _vader():  # type: ignore[no-untyped-def]
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_features(texts: Sequence[str]) -> np.ndarray:
    """VADER's neg, neu, pos and compound for each text."""
    sia = _vader()
    out = np.zeros((len(texts), 4), dtype=np.float32)
    for i, t in enumerate(texts):
        s = sia.polarity_scores(t or "")
        out[i] = (s["neg"], s["neu"], s["pos"], s["compound"])
    return out


def vader_label(compound: np.ndarray) -> np.ndarray:
    """VADER's own thresholds: >= 0.05 positive, <= -0.05 negative, else neutral (0, 1, 2 = neg, neu, pos)."""
    return np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))


def tone(proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Score (P(pos) - P(neg), in [-1, 1]) and its label (label_of) for class probabilities."""
    score = proba[:, 2] - proba[:, 0]
    return score, label_of(score)


def aggregate(
    df: pd.DataFrame, by: str | list[str], value: str = "sentiment", min_articles: int = 1, n_boot: int = 0
) -> pd.DataFrame:
    """Mean tone per group with its article count and a 95% confidence interval.

    The interval is mean +- 1.96 standard errors (sample standard deviation / sqrt(n)); with
    n_boot > 0 a percentile bootstrap instead. Groups with fewer than min_articles are marked
    `enough = False` so charts can hide them. Columns: <by>, mean, n, sd, ci_low, ci_high, enough.
    """
    keys = [by] if isinstance(by, str) else list(by)
    data = df.dropna(subset=[value])
    g = data.groupby(keys)[value]
    out = g.agg(mean="mean", n="count", sd="std").reset_index()
    se = out["sd"].fillna(0) / np.sqrt(out["n"])
    out["ci_low"] = out["mean"] - 1.96 * se
    out["ci_high"] = out["mean"] + 1.96 * se
    if n_boot:
        rng = np.random.default_rng(0)
        lows, highs = [], []
        for _, vals in g:
            v = vals.to_numpy()
            boots = rng.choice(v, size=(n_boot, len(v)), replace=True).mean(axis=1)
            lows.append(float(np.percentile(boots, 2.5)))
            highs.append(float(np.percentile(boots, 97.5)))
        out["ci_low"], out["ci_high"] = lows, highs
    single = out["n"] < 2
    out.loc[single, ["ci_low", "ci_high"]] = np.nan
    out["enough"] = out["n"] >= max(min_articles, 1)
    return out


def extremes(df: pd.DataFrame, value: str = "sentiment", k: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows that pull an aggregate most positive and most negative (drill-down to evidence)."""
    data = df.dropna(subset=[value])
    return data.nlargest(k, value), data.nsmallest(k, value)
