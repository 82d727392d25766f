"""What the Topics page shows: the 2-D map (downsampled for the browser), topic similarity, and one
topic's detail (keywords, summary, representative articles, stories, share over time and by outlet)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.enrich.summarize import topic_summary
from analysis.filters import Filters
from analysis.store import Store

MAP_POINTS = 20_000  # most points sent to the browser; WebGL draws this many smoothly


def map_points(df: pd.DataFrame, max_points: int = MAP_POINTS, seed: int = 0) -> pd.DataFrame:
    """Map coordinates of the articles of a (filtered) article frame: article_id, x, y, topic,
    topic_label, title, outlet, published (day). Above max_points, a sample stratified by topic (every
    topic keeps at least a few points); attrs["total"] is the number before sampling."""
    cols = ["article_id", "x", "y", "topic", "topic_label", "title", "outlet", "published"]
    data = df.dropna(subset=["x", "y"])
    total = len(data)
    if total > max_points:
        rng = np.random.default_rng(seed)
        frac = max_points / total
        keep = np.zeros(total, dtype=bool)
        for _, idx in data.groupby("topic").indices.items():
            n = max(min(len(idx), 5), round(len(idx) * frac))
            keep[rng.choice(idx, size=n, replace=False)] = True
        data = data[keep]
    out = data.assign(published=data["published"].dt.strftime("%Y-%m-%d").fillna(""))[cols].reset_index(drop=True)
    out.attrs["total"] = total
    return out


def topic_similarity(store: Store, top_n: int = 30) -> pd.DataFrame:
    """Cosine similarity between the centroids of the top_n visible topics (square frame, labels)."""
    table = store.topics.topic_table()
    cents = store.fits.topic_centroids(int(store.active_fit or 0))
    table = table[table["topic"].isin(cents)].head(top_n)
    if table.empty:
        return pd.DataFrame()
    merged = _merged_centroids(store, table["topic"].tolist(), cents)
    m = np.stack([merged[t] for t in table["topic"]])
    sims = np.clip(m @ m.T, -1, 1)
    return pd.DataFrame(sims, index=table["label"].tolist(), columns=table["label"].tolist())


def _merged_centroids(store: Store, topics: list[int], cents: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """Each displayed topic's centroid, averaging in topics merged into it."""
    raw = {t: store.topics.raw_topic_ids([t]) for t in topics}
    out = {}
    for t, members in raw.items():
        vecs = [cents[m] for m in members if m in cents] or [cents[t]]
        v = np.mean(vecs, axis=0)
        out[t] = v / (np.linalg.norm(v) or 1.0)
    return out


def topic_detail(store: Store, topic: int, filters: Filters = Filters()) -> dict[str, Any] | None:
    """One topic: label, keywords with weights, size, summary sentences, representative articles,
    its stories, and the ids behind it. None when the topic is not in the current model."""
    table = store.topics.topic_table(include_hidden=True)
    row = table[table["topic"] == topic]
    if row.empty:
        return None
    r = row.iloc[0]
    members = store.topics.raw_topic_ids([topic])
    weights = _keyword_weights(store, members)
    reps = list(dict.fromkeys(r["representative"]))[:8]
    rep = _articles(store, reps)
    summary = topic_summary([(o, s) for o, s in zip(rep["outlet"], rep["summary"].fillna(""), strict=True)])
    stories = topic_stories(store, members, filters)
    return {
        "topic": int(r["topic"]),
        "label": r["label"],
        "auto_label": r["auto_label"],
        "hidden": bool(r["hidden"]),
        "size": int(r["size"]),
        "share": float(r["share"]),
        "keywords": weights,
        "summary": summary,
        "representative": rep,
        "stories": stories,
        "members": list(members),
    }


def topic_stories(store: Store, members: tuple[int, ...] | list[int], filters: Filters = Filters()) -> pd.DataFrame:
    """The biggest stories (two or more outlets) with articles of these raw topic ids in the filters."""
    return store.stories.topic_story_rows(members, filters)


def _keyword_weights(store: Store, members: tuple[int, ...]) -> pd.DataFrame:
    """Keywords of a topic (and topics merged into it) with their c-TF-IDF weights, summed."""
    weights: dict[str, float] = {}
    for kw in store.topics.keyword_lists(members):
        for word, w in kw:
            weights[word] = weights.get(word, 0.0) + float(w)
    out = pd.DataFrame(sorted(weights.items(), key=lambda x: -x[1]), columns=["word", "weight"])
    return out.head(10)


def _articles(store: Store, ids: list[str]) -> pd.DataFrame:
    """id, title, outlet, published, summary for the given ids, in that order."""
    return store.articles.short_rows(ids).drop(columns=["sentiment_label"])
