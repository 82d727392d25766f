"""Tone scores and labels, and aggregates of tone with confidence intervals.

Means of tone with their intervals are analysis.explore.stats.tone_means. The classifier itself is
analysis/enrich/tone.py (MiniLM trained on NewsMTSC, distilled from MPNet). Its tone is
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

from analysis.config import TONE_THRESHOLD

LABELS = ("negative", "neutral", "positive")
THRESHOLD = TONE_THRESHOLD  # |score| above this is negative or positive (one value for the app and the labels)


def label_of(score: np.ndarray) -> np.ndarray:
    """The label of each tone score: negative below -THRESHOLD, positive above +THRESHOLD, else neutral."""
    score = np.asarray(score, dtype=float)
    return np.where(score < -THRESHOLD, "negative", np.where(score > THRESHOLD, "positive", "neutral"))


@lru_cache(maxsize=1)
def _vader():
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
