"""Same story across outlets, measured on BASIL (Fan et al., EMNLP 2019).

50 events, each covered by Fox News, The New York Times and HuffPost, hidden among 1,346 AllSides
articles of 53 other outlets from the same weeks. Pairwise precision and recall are computed over
the 150 BASIL articles only (their gold: same event). Compared in the same run, over a grid of
thresholds: a plain cosine threshold with connected components (the chaining baseline); our grouping
by meaning alone (the embedding of headline + lead, the previous default); and our grouping by
meaning and wording (half the embedding cosine, half the TF-IDF cosine of headline + first 200
words: the default, marked).
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pandas as pd

from bench.common import RESULTS, SHARED, report

BASIL = SHARED / "eval" / "basil" / "basil_2010_2014_with_distractors.jsonl"


def load() -> tuple[pd.DataFrame, np.ndarray]:
    from analysis.enrich.embeddings import embedding_text, get_embedder

    df = pd.DataFrame([json.loads(line) for line in BASIL.open(encoding="utf-8")])
    cache = RESULTS / "basil_embeddings.npy"
    if cache.exists():
        emb = np.load(cache)
    else:
        emb = get_embedder().encode([embedding_text(t, x) for t, x in zip(df.title, df.text, strict=True)])
        np.save(cache, emb)
    return df, emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)


def lexical(df: pd.DataFrame) -> Any:
    """The articles' unit TF-IDF vectors, as the pipeline makes them."""
    from analysis.enrich.lexical import lexical_vectors

    return lexical_vectors(df["title"].tolist(), df["text"].tolist())


def basil_days(df: pd.DataFrame) -> np.ndarray:
    return (pd.to_datetime(df["date"], errors="coerce") - pd.Timestamp("1970-01-01")).dt.days.to_numpy(dtype=float)


def components(days: np.ndarray, emb: np.ndarray, threshold: float, window: int) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from analysis.enrich.similarity import candidate_pairs

    i, j, _ = candidate_pairs(days, emb, window, threshold)
    n = len(emb)
    _, comp = connected_components(coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n)), directed=False)
    sizes = np.bincount(comp)
    return np.where(sizes[comp] >= 2, comp, -1)


def _row(method: str, labels: np.ndarray, gold: np.ndarray, scope: np.ndarray, **extra: Any) -> dict[str, Any]:
    from analysis.enrich.similarity import pair_scores

    s = pair_scores(labels, gold, scope)
    biggest = int(np.bincount(labels[labels >= 0]).max()) if (labels >= 0).any() else 0
    return {
        "method": method,
        **{k: v for k, v in extra.items() if k != "seconds"},
        "precision": round(s["precision"], 3),
        "recall": round(s["recall"], 3),
        "largest_story": biggest,
        "stories": len(set(labels) - {-1}),
        **({"seconds": extra["seconds"]} if "seconds" in extra else {}),
    }


def run() -> None:
    from analysis.enrich.similarity import (
        EDGE_THRESHOLD,
        LEXICAL_WEIGHT,
        LINK_THRESHOLD,
        WINDOW_DAYS,
        StoryParams,
        group_stories,
    )

    if not BASIL.exists():
        report("stories_quality", [], [f"skipped: data not present ({BASIL})"])
        return
    df, emb = load()
    days = basil_days(df)
    gold = df["triplet_uuid"].fillna("").to_numpy()
    scope = gold != ""
    rows = []
    for thr in (0.5, 0.55, 0.6, 0.65, 0.7):
        labels = components(days, emb, thr, WINDOW_DAYS)
        rows.append(_row("cosine threshold + connected components", labels, gold, scope, weight=0.0, edge=thr))
    t = time.perf_counter()
    lex = lexical(df)
    lex_secs = time.perf_counter() - t
    grids = [
        ("meaning alone (the embedding)", 0.0, (0.4, 0.45, 0.5, 0.55), (0.35, 0.4, 0.45, 0.5)),
        ("meaning and wording", LEXICAL_WEIGHT, (0.35, 0.375, 0.4, 0.425, 0.45), (0.15, 0.2, 0.25, 0.3)),
    ]
    for name, weight, edges, links in grids:
        for edge in edges:
            for link in links:
                t = time.perf_counter()
                labels = group_stories(days, emb, StoryParams(WINDOW_DAYS, edge, link, weight), lex=lex)
                secs = round(time.perf_counter() - t, 2)
                chosen = (edge, link, weight) == (EDGE_THRESHOLD, LINK_THRESHOLD, LEXICAL_WEIGHT)
                method = f"window + average linkage, {name}{' (default)' if chosen else ''}"
                rows.append(_row(method, labels, gold, scope, weight=weight, edge=edge, link=link, seconds=secs))
    report(
        "stories_quality",
        rows,
        [
            f"window {WINDOW_DAYS} days; meaning: cosine of the MiniLM embeddings of headline + 60-word lead; wording: "
            f"cosine of TF-IDF vectors of headline + 200 words, weighed over the 1,496 articles ({lex_secs:.2f} s); "
            "weight: the wording's share of a pair's similarity",
            "target: precision and recall >= 0.97 on BASIL pairs",
        ],
    )


def similar_news(df: pd.DataFrame, emb: np.ndarray, days: np.ndarray, k: int = 3) -> list[dict[str, object]]:
    """ "Similar news from other outlets" on BASIL: for each of the 150 BASIL articles, its top k from
    other outlets within 14 days (among all 1,496 articles), as the Article page lists them: its own
    story (grouped as the pipeline groups stories) first, then by similarity; and by similarity alone."""
    from analysis.enrich.similarity import group_stories
    from analysis.explore.similar import similar_from_other_outlets

    gold = df["triplet_uuid"].fillna("").to_numpy()
    outlets = df["source"].to_numpy()
    relevant = np.array([((gold == g) & (outlets != o)).sum() for g, o in zip(gold, outlets, strict=True)])
    stories = group_stories(days, emb, lex=lexical(df))
    rows: list[dict[str, object]] = []
    orders = (
        ("its story first, then by similarity, each outlet once (the Article page)", stories, 1),
        ("by similarity alone, each outlet once", None, 1),
        ("by similarity alone, an outlet any number of times (before)", None, k),
    )
    for order, labels, per_outlet in orders:
        hits = []
        for i in np.where(gold != "")[0]:
            top = similar_from_other_outlets(
                i, emb, outlets, labels=labels, k=k, days=days, max_days=14, per_outlet=per_outlet
            )
            hits.append((sum(gold[r] == gold[i] for r, _, _ in top), min(k, int(relevant[i]))))
        found = np.array([h for h, _ in hits], dtype=float)
        possible = np.array([m for _, m in hits], dtype=float)
        rows += [
            {
                "order": order,
                "measure": f"same-story precision@{k}, of the slots the event can fill (target >= 0.9)",
                "value": round(float((found / possible).mean()), 3),
                "articles": len(hits),
            },
            {
                "order": order,
                "measure": f"strict precision@{k} (event articles / {k}; at most 2/3 here)",
                "value": round(float(found.mean() / k), 3),
                "articles": len(hits),
            },
            {
                "order": order,
                "measure": f"articles with both of their event's other articles in the top {k}",
                "value": round(float((found == possible).mean()), 3),
                "articles": len(hits),
            },
        ]
    return rows


def run_similar() -> None:
    if not BASIL.exists():
        report("similar_news", [], [f"skipped: data not present ({BASIL})"])
        return
    df, emb = load()
    report(
        "similar_news",
        similar_news(df, emb, basil_days(df)),
        [
            "BASIL (Fan et al. 2019) with 1,346 distractors: each BASIL article's event has 2 other articles, from the "
            "other two outlets; candidates: other outlets within 14 days, ranked by cosine of "
            "headline + lead (MiniLM), "
            "the article's own story first where the Article page does so",
            "distractors may cover the same event without a label, so both figures are lower bounds",
        ],
    )


if __name__ == "__main__":
    run()
    run_similar()
