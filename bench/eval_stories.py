"""Same story across outlets, measured on BASIL (Fan et al., EMNLP 2019).

50 events, each covered by Fox News, The New York Times and HuffPost, hidden among 1,346 AllSides
articles of 53 other outlets from the same weeks. Pairwise precision and recall are computed over
the 150 BASIL articles only (their gold: same event). Compared in the same run: a plain cosine
threshold with connected components (the chaining baseline) and our grouping, over a grid of
thresholds; the chosen defaults are marked.
"""

from __future__ import annotations

import json
import time

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
    return df, emb


def components(days: np.ndarray, emb: np.ndarray, threshold: float, window: int) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from analysis.enrich.similarity import candidate_pairs

    i, j, _ = candidate_pairs(days, emb, window, threshold)
    n = len(emb)
    _, comp = connected_components(coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n)), directed=False)
    sizes = np.bincount(comp)
    return np.where(sizes[comp] >= 2, comp, -1)


def run() -> None:
    from analysis.enrich.similarity import (
        EDGE_THRESHOLD,
        LINK_THRESHOLD,
        WINDOW_DAYS,
        StoryParams,
        group_stories,
        pair_scores,
    )

    if not BASIL.exists():
        report("stories_quality", [], [f"skipped: data not present ({BASIL})"])
        return
    df, emb = load()
    days = (pd.to_datetime(df["date"], errors="coerce") - pd.Timestamp("1970-01-01")).dt.days.to_numpy(dtype=float)
    gold = df["triplet_uuid"].fillna("").to_numpy()
    scope = gold != ""
    rows = []
    for thr in (0.5, 0.55, 0.6, 0.65, 0.7):
        labels = components(days, emb, thr, WINDOW_DAYS)
        s = pair_scores(labels, gold, scope)
        biggest = int(np.bincount(labels[labels >= 0]).max()) if (labels >= 0).any() else 0
        rows.append({"method": "cosine threshold + connected components", "edge": thr, "link": None,
                     "precision": round(s["precision"], 3), "recall": round(s["recall"], 3),
                     "largest_story": biggest, "stories": len(set(labels) - {-1})})  # fmt: skip
    for edge in (0.45, 0.5, 0.55, 0.6):
        for link in (0.35, 0.4, 0.45, 0.5, 0.55):
            t = time.perf_counter()
            labels = group_stories(days, emb, StoryParams(WINDOW_DAYS, edge, link))
            secs = time.perf_counter() - t
            s = pair_scores(labels, gold, scope)
            biggest = int(np.bincount(labels[labels >= 0]).max()) if (labels >= 0).any() else 0
            chosen = " (default)" if (edge, link) == (EDGE_THRESHOLD, LINK_THRESHOLD) else ""
            rows.append({"method": "ours: window + average linkage" + chosen, "edge": edge, "link": link,
                         "precision": round(s["precision"], 3), "recall": round(s["recall"], 3),
                         "largest_story": biggest, "stories": len(set(labels) - {-1}),
                         "seconds": round(secs, 2)})  # fmt: skip
    report("stories_quality", rows, [f"window {WINDOW_DAYS} days; embeddings: headline + 60-word lead (MiniLM)",
                                     "target: precision and recall >= 0.95 on BASIL pairs"])  # fmt: skip


def similar_news(df: pd.DataFrame, emb: np.ndarray, days: np.ndarray, k: int = 3) -> list[dict[str, object]]:
    """ "Similar news from other outlets" on BASIL: for each of the 150 BASIL articles, its top k from
    other outlets within 14 days (among all 1,496 articles), as the Article page lists them."""
    from analysis.enrich.similarity import similar_from_other_outlets

    unit = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
    gold = df["triplet_uuid"].fillna("").to_numpy()
    outlets = df["source"].to_numpy()
    relevant = np.array([((gold == g) & (outlets != o)).sum() for g, o in zip(gold, outlets, strict=True)])
    hits = []
    for i in np.where(gold != "")[0]:
        top = similar_from_other_outlets(i, unit, outlets, k=k, days=days, max_days=14)
        hits.append((sum(gold[r] == gold[i] for r, _, _ in top), min(k, int(relevant[i]))))
    found = np.array([h for h, _ in hits], dtype=float)
    possible = np.array([m for _, m in hits], dtype=float)
    return [{"measure": f"same-story precision@{k}, of the slots the event can fill (target >= 0.8)",
             "value": round(float((found / possible).mean()), 3), "articles": len(hits)},
            {"measure": f"strict precision@{k} (event articles / {k}; at most 2/3 here: each has 2 others)",
             "value": round(float(found.mean() / k), 3), "articles": len(hits)},
            {"measure": f"articles with both of their event's other articles in the top {k}",
             "value": round(float((found == possible).mean()), 3), "articles": len(hits)}]  # fmt: skip


def run_similar() -> None:
    if not BASIL.exists():
        report("similar_news", [], [f"skipped: data not present ({BASIL})"])
        return
    df, emb = load()
    days = (pd.to_datetime(df["date"], errors="coerce") - pd.Timestamp("1970-01-01")).dt.days.to_numpy(dtype=float)
    report("similar_news", similar_news(df, emb, days), [
        "BASIL (Fan et al. 2019) with 1,346 distractors: each BASIL article's event has 2 other articles, from the "
        "other two outlets; candidates: other outlets within 14 days, ranked by cosine of headline + lead (MiniLM)",
        "distractors may cover the same event without a label, so both figures are lower bounds",
    ])  # fmt: skip


if __name__ == "__main__":
    run()
    run_similar()
