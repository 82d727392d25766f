"""Themes: the coarse level above topics (about 5 to 25), by grouping topic centroids.

Topics are grouped by agglomerative clustering of their centroids (cosine, complete linkage) into about
twice the square root of the topic count (5 to 25). Each theme's keywords are its topics' keywords
weighted by topic size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analysis.enrich.labels import make_labels

MIN_THEMES, MAX_THEMES = 5, 25


@dataclass
class Themes:
    of_topic: dict[int, int]  # topic -> theme (themes numbered by size, 0 = largest)
    keywords: dict[int, list[tuple[str, float]]]
    labels: dict[int, str]
    sizes: dict[int, int]
    centroids: dict[int, np.ndarray]


def theme_range(n_topics: int) -> tuple[int, int]:
    """How many themes may be made of n topics: 5 to 25, and at most half the topics."""
    hi = min(MAX_THEMES, max(1, n_topics // 2))
    return min(MIN_THEMES, hi), hi


def theme_count(n_topics: int) -> int:
    """How many themes for n topics: twice the square root, within theme_range (19 for 93 topics)."""
    lo, hi = theme_range(n_topics)
    return int(np.clip(round(2 * math.sqrt(n_topics)), lo, hi))


def group_topics(centroids: dict[int, np.ndarray], sizes: dict[int, int], k: int | None = None) -> dict[int, int]:
    """Theme of each topic: agglomerative clustering of the centroids (cosine, complete linkage) cut into
    k themes (theme_count by default). Chosen on bench/eval_topics.py's corpora: complete linkage kept
    themes balanced where average linkage made one theme of 70% of a corpus, and the fixed count
    matched the silhouette-chosen one on three corpora while never collapsing a fourth into five themes."""
    from scipy.cluster.hierarchy import fcluster, linkage

    ids = sorted(centroids)
    if len(ids) < 2:
        return {t: 0 for t in ids}
    mat = np.stack([centroids[t] for t in ids]).astype(np.float64)
    mat /= np.linalg.norm(mat, axis=1, keepdims=True) + 1e-12
    weight = np.array([sizes.get(t, 1) for t in ids], dtype=np.float64)
    tree = linkage(mat, method="complete", metric="cosine")
    cut = fcluster(tree, t=max(1, min(k or theme_count(len(ids)), len(ids))), criterion="maxclust")
    # number themes by size (articles), largest first
    totals: dict[int, float] = {}
    for c, w in zip(cut, weight, strict=True):
        totals[int(c)] = totals.get(int(c), 0.0) + w
    order = {c: i for i, c in enumerate(sorted(totals, key=lambda c: (-totals[c], c)))}
    return {t: order[int(c)] for t, c in zip(ids, cut, strict=True)}


def theme_keywords(
    of_topic: dict[int, int], keywords: dict[int, list[tuple[str, float]]], sizes: dict[int, int], top_n: int = 10
) -> dict[int, list[tuple[str, float]]]:
    """A theme's keywords: its topics' keyword weights summed, each topic weighted by its size, so the words
    shared by its big topics come first. Needs only what a fit stores (old fits get themes without a refit)."""
    totals: dict[int, dict[str, float]] = {}
    for topic, theme in of_topic.items():
        bucket = totals.setdefault(theme, {})
        for rank, (word, _) in enumerate(keywords.get(topic, [])):
            bucket[word] = bucket.get(word, 0.0) + sizes.get(topic, 1) / (rank + 1)
    out: dict[int, list[tuple[str, float]]] = {}
    for theme, bucket in totals.items():
        total = sum(bucket.values()) or 1.0
        out[theme] = [(w, v / total) for w, v in sorted(bucket.items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]]
    return out


def theme_centroids(
    of_topic: dict[int, int], centroids: dict[int, np.ndarray], sizes: dict[int, int]
) -> dict[int, np.ndarray]:
    """Unit-length size-weighted mean of each theme's topic centroids (what matches themes across refits)."""
    out: dict[int, np.ndarray] = {}
    for theme in sorted(set(of_topic.values())):
        members = [t for t, th in of_topic.items() if th == theme and t in centroids]
        if not members:
            continue
        c = np.sum([centroids[t].astype(np.float64) * sizes.get(t, 1) for t in members], axis=0)
        out[theme] = (c / (np.linalg.norm(c) or 1.0)).astype(np.float32)
    return out


def build_themes(
    centroids: dict[int, np.ndarray],
    sizes: dict[int, int],
    keywords: dict[int, list[tuple[str, float]]],
    cases: dict[str, str] | None = None,
    k: int | None = None,
) -> Themes:
    """Themes of a fit's topics: grouping, keywords, labels ("Asylum, Children, Dreamers") and sizes."""
    of_topic = group_topics(centroids, sizes, k)
    n = (max(of_topic.values()) + 1) if of_topic else 0
    theme_sizes = {i: 0 for i in range(n)}
    for t, th in of_topic.items():
        theme_sizes[th] += sizes.get(t, 0)
    words = theme_keywords(of_topic, keywords, sizes)
    for th in range(n):
        words.setdefault(th, [])
    labels = make_labels(dict(sorted(words.items())), n_words=3, cases=cases)
    return Themes(
        of_topic=of_topic,
        keywords=words,
        labels=labels,
        sizes=theme_sizes,
        centroids=theme_centroids(of_topic, centroids, sizes),
    )
