"""Which sentences are central: TF-IDF vectors of sentences over their own vocabulary, LexRank (PageRank over
their similarity with a prior), and the central sentences of a topic across outlets."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from analysis.terms import ENGLISH_STOP_WORDS
from analysis.text.sentences import sentences, whole_quotes

_TOKEN = re.compile(r"[a-z][a-z'\-]+")
_STOP = frozenset(ENGLISH_STOP_WORDS | {"said", "says", "say", "also", "mr", "ms", "mrs"})


def sentence_vectors(sents: Sequence[str]) -> np.ndarray:
    """Row-normalised TF-IDF vectors of sentences over their own vocabulary."""
    bags = [Counter(w for w in _TOKEN.findall(s.lower()) if w not in _STOP) for s in sents]
    vocab = {w: i for i, w in enumerate(sorted({w for b in bags for w in b}))}
    if not vocab:
        return np.zeros((len(sents), 1))
    df = Counter(w for b in bags for w in b)
    n = len(sents)
    m = np.zeros((n, len(vocab)), dtype=np.float32)
    for i, b in enumerate(bags):
        for w, c in b.items():
            m[i, vocab[w]] = (1 + math.log(c)) * math.log((1 + n) / (1 + df[w]) + 1)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def lexrank(vectors: np.ndarray, prior: np.ndarray, damping: float = 0.85, iters: int = 50) -> np.ndarray:
    """PageRank over the cosine-similarity graph with a personalised teleport distribution."""
    sim = vectors @ vectors.T
    np.fill_diagonal(sim, 0.0)
    sim[sim < 0.05] = 0.0
    rows = sim.sum(axis=1, keepdims=True)
    trans = np.where(rows > 0, sim / np.where(rows == 0, 1, rows), 1.0 / len(sim))
    prior = prior / prior.sum()
    score = prior.copy()
    for _ in range(iters):
        new = (1 - damping) * prior + damping * (trans.T @ score)
        if np.abs(new - score).sum() < 1e-6:
            return new
        score = new
    return score


def topic_summary(items: Sequence[tuple[str, str]], n: int = 3, keywords: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The most central sentences across a topic's representative articles, one outlet each first, on the topic's
    subject: with keywords, a sentence naming none of them is chosen only when no sentence names one ("Budgets for
    state and local police ..." is not the summary of a topic on the coronavirus), and naming more counts for more.

    items: (outlet, article summary) pairs. Returns (outlet, sentence) pairs.
    """
    pool = [(o, s) for o, summary in items for s in whole_quotes(sentences(summary))]
    if not pool:
        return []
    vec = sentence_vectors([s for _, s in pool])
    words = [set(_TOKEN.findall(s.lower())) for _, s in pool]
    terms = [set(_TOKEN.findall(k.lower())) for k in keywords if _TOKEN.findall(k.lower())]
    hits = np.array([sum(bool(t) and t <= w for t in terms) for w in words], dtype=float)
    on_subject = hits > 0 if hits.any() else np.ones(len(pool), dtype=bool)
    score = lexrank(vec, 1.0 + hits) * (1.0 + hits) * on_subject
    picked: list[int] = []
    outlets: set[str] = set()
    for relax in (False, True):
        for i in np.argsort(-score, kind="stable"):
            i = int(i)
            if i in picked or not on_subject[i] or (not relax and pool[i][0] in outlets):
                continue
            if any(float(vec[i] @ vec[j]) > 0.5 for j in picked):
                continue
            picked.append(i)
            outlets.add(pool[i][0])
            if len(picked) == n:
                return [pool[j] for j in picked]
    return [pool[j] for j in picked]
