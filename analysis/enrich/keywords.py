"""Coherent topic keywords: c-TF-IDF proposes candidates, co-occurrence in the corpus picks them.

A topic's top c-TF-IDF words are specific but often rare (a judge's surname, a one-off place), and
rare words seldom occur together: researchers read such a list as noise, and coherence measures (NPMI)
score it low. From each topic's 30 best c-TF-IDF candidates this keeps, greedily, the words that are
both distinctive (c-TF-IDF rank) and occur in the same articles as the words already kept (document
NPMI over the whole corpus), skipping words that repeat one already kept ("trial" after "senate trial"),
and words shared by the candidates of many topics (a floor on how rare a candidate may be cost NPMI
on every corpus, so there is none). The weights were chosen on
bench/eval_topics.py's table of several labelled corpora.
"""

from __future__ import annotations

from typing import Any

import numpy as np

CANDIDATES = 30
RANK_WEIGHT = 0.5  # the share of a candidate's score from its c-TF-IDF rank; the rest is its coherence
SHARED_WEIGHT = 0.4  # the most a word loses for being a candidate of every topic


def document_npmi(binary: Any, cols: list[int]) -> np.ndarray:
    """NPMI of every pair of columns by co-occurrence in documents (rows); -1 for pairs never together."""
    n = binary.shape[0]
    sub = binary[:, cols]
    co = (sub.T @ sub).toarray().astype(np.float64)
    df = np.diag(co).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        pij = co / n
        pi = df / n
        pmi = np.log(pij / np.outer(pi, pi))
        out = pmi / -np.log(pij)
    out[co == 0] = -1.0
    out[~np.isfinite(out)] = 1.0  # a word in every document with itself
    return out


def pick_coherent(
    candidates: list[tuple[str, float]],
    binary: Any,
    vocabulary: dict[str, int],
    top_n: int = 10,
    rank_weight: float = RANK_WEIGHT,
    shared: dict[str, float] | None = None,
) -> list[tuple[str, float]]:
    """top_n of a topic's candidates (best c-TF-IDF first), chosen for rank and mutual co-occurrence."""
    cands = [(w, s) for w, s in candidates[:CANDIDATES] if w in vocabulary]
    if len(cands) <= 1:
        return cands[:top_n]
    npmi = document_npmi(binary, [vocabulary[w] for w, _ in cands])
    rank_score = 1.0 - np.arange(len(cands)) / len(cands)  # 1 for the best candidate, falling linearly
    chosen = [0]
    used = set(cands[0][0].split())
    while len(chosen) < top_n:
        best, best_score = -1, -np.inf
        for i, (w, _) in enumerate(cands):
            if i in chosen or set(w.split()) & used:
                continue
            score = rank_weight * rank_score[i] + (1 - rank_weight) * float(npmi[i, chosen].mean())
            score -= (shared or {}).get(w, 0.0)
            if score > best_score:
                best, best_score = i, score
        if best < 0:
            break
        chosen.append(best)
        used |= set(cands[best][0].split())
    return [cands[i] for i in chosen]


def shared_penalty(candidates: list[list[tuple[str, float]]], weight: float = SHARED_WEIGHT) -> dict[str, float]:
    """A penalty for words among the candidates of many topics (0 for a word of one topic, `weight` for a
    word of every topic): keeps keyword lists distinct across topics."""
    from collections import Counter

    n = len(candidates)
    if n < 2:
        return {}
    spread = Counter(w for words in candidates for w in {w for w, _ in words[:CANDIDATES]})
    return {w: weight * np.log(k) / np.log(n) for w, k in spread.items() if k > 1}


def coherent_representation(counts: Any, top_n: int = 10, rank_weight: float = RANK_WEIGHT):
    """A BERTopic representation model that re-picks each topic's keywords with pick_coherent, using the
    fit's per-document counts (DocumentCounts) as the co-occurrence reference."""
    from bertopic.representation import BaseRepresentation

    binary = (counts.matrix > 0).astype(np.float32).tocsc()
    vocabulary = counts.vectorizer.vocabulary_

    class CoherentKeywords(BaseRepresentation):
        def extract_topics(self, topic_model, documents, c_tf_idf, topics):
            penalty = shared_penalty([w for t, w in topics.items() if t != -1])
            return {
                t: pick_coherent(words, binary, vocabulary, top_n, rank_weight, penalty) for t, words in topics.items()
            }

    return CoherentKeywords()


MIXED_Z = 2.0  # how far below the corpus's mean cohesion a topic must be to be called mixed
MIXED_MIN_TOPICS = 10  # fewer topics give no norm to judge against


def topic_coherence(words: list[str], binary: Any, vocabulary: dict[str, int]) -> float:
    """Mean document NPMI of every pair of a topic's keywords (the first 10 found in the corpus)."""
    cols = [vocabulary[w] for w in words if w in vocabulary][:10]
    if len(cols) < 2:
        return 0.0
    m = document_npmi(binary, cols)
    return float(m[np.triu_indices(len(cols), 1)].mean())


def mixed_topics(cohesion: dict[int, float], coherence: dict[int, float], z: float = MIXED_Z) -> set[int]:
    """Topics that hold articles with no shared subject: their articles sit far from their centroid (mean
    similarity more than z standard deviations below the corpus's topics) and their keywords seldom occur
    together (document NPMI below the median topic's). On bench/eval_topics.py's corpora this caught
    mixtures such as "Animals, Dogs, Shower Thoughts" and "Liberals, Cultural, Politics" (0 to 2 topics per
    corpus); either measure alone, or a looser 1.5 deviations, also flagged coherent news events."""
    ids = [t for t in cohesion if t in coherence]
    if len(ids) < MIXED_MIN_TOPICS:
        return set()
    c = np.array([cohesion[t] for t in ids])
    npmi_median = float(np.median([coherence[t] for t in ids]))
    floor = c.mean() - z * c.std()
    return {t for t in ids if cohesion[t] < floor and coherence[t] < npmi_median}
