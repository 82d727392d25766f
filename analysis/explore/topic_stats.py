"""Topics (or themes) by outlet or group with over/under-representation, counts per topic, the topic hierarchy
and the fit's methods. Pure functions over article frames, checked by hand in tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.explore.rows import label_counts
from analysis.explore.stats import proportion_tests
from analysis.store import Store


def share_by_group(df: pd.DataFrame, key: str = "topic", group: str = "outlet") -> pd.DataFrame:
    """How much of each outlet's (or group's) coverage each topic (key: or theme) takes, against the other
    outlets together, among the rows with a topic.

    Columns: <group>, <key>, articles, <group>_total (its articles with a topic), share, others_share, ratio
    (share / others' share; > 1 over-represented), z, p_value, q_value, significant: the app's one test
    (analysis.explore.stats, two-proportion z) with Benjamini-Hochberg across every cell of the table.
    """
    total = f"{group}_total"
    cols = [group, key, "articles", total, "share", "others_share", "ratio", "z", "p_value", "q_value",
            "significant"]  # fmt: skip
    data = df[df[key] >= 0]
    if data.empty:
        return pd.DataFrame(columns=cols)
    table = pd.crosstab(data[group], data[key])
    counts = table.to_numpy(dtype=float)
    totals = counts.sum(axis=1, keepdims=True)
    rest = counts.sum(axis=0, keepdims=True) - counts
    rest_totals = totals.sum() - totals
    with np.errstate(divide="ignore", invalid="ignore"):
        share = counts / totals
        others = rest / np.where(rest_totals == 0, np.nan, rest_totals)
        ratio = share / others
    shape = counts.shape
    tests = proportion_tests(counts.ravel(), np.broadcast_to(totals, shape).ravel(), rest.ravel(),
                             np.broadcast_to(rest_totals, shape).ravel())  # fmt: skip
    out = pd.DataFrame(
        {
            group: np.repeat(table.index.to_numpy(), shape[1]),
            key: np.tile(table.columns.to_numpy(), shape[0]),
            "articles": counts.ravel().astype(int),
            total: np.repeat(totals.ravel(), shape[1]).astype(int),
            "share": share.ravel(),
            "others_share": others.ravel(),
            "ratio": ratio.ravel(),
        }
    )
    out = pd.concat([out, tests], axis=1)
    return out[cols].sort_values([group, "z"], ascending=[True, False]).reset_index(drop=True)


def topic_share_by_outlet(df: pd.DataFrame) -> pd.DataFrame:
    """share_by_group of topics by outlet."""
    return share_by_group(df, "topic", "outlet")


def hierarchy(store: Store) -> pd.DataFrame:
    """Agglomerative tree of the visible topics by centroid similarity (average linkage, cosine).

    One row per merge, BERTopic's hierarchical_topics layout: parent_id, parent_name, topics,
    child_left_id, child_left_name, child_right_id, child_right_name, distance.
    """
    from scipy.cluster.hierarchy import linkage

    table = store.topics.topic_table()
    cents = store.fits.topic_centroids(int(store.active_fit or 0))
    table = table[table["topic"].isin(cents)]
    cols = ["parent_id", "parent_name", "topics", "child_left_id", "child_left_name", "child_right_id",
            "child_right_name", "distance"]  # fmt: skip
    if len(table) < 2:
        return pd.DataFrame(columns=cols)
    ids = table["topic"].tolist()
    names = {i: lab for i, lab in zip(table["topic"], table["label"], strict=True)}
    words = {i: kw for i, kw in zip(table["topic"], table["keywords"], strict=True)}
    members: dict[int, list[int]] = {k: [t] for k, t in enumerate(ids)}
    z = linkage(np.stack([cents[t] for t in ids]), method="average", metric="cosine")
    rows = []
    n = len(ids)
    for step, (left, right, dist, _) in enumerate(z):
        parent = n + step
        members[parent] = members[int(left)] + members[int(right)]
        top_words = pd.Series([w for t in members[parent] for w in words[t][:5]]).value_counts().index[:3]
        rows.append({
            "parent_id": parent, "parent_name": ", ".join(top_words), "topics": sorted(members[parent]),
            "child_left_id": int(left) if left >= n else ids[int(left)],
            "child_left_name": names[ids[int(left)]] if left < n else rows[int(left) - n]["parent_name"],
            "child_right_id": int(right) if right >= n else ids[int(right)],
            "child_right_name": names[ids[int(right)]] if right < n else rows[int(right) - n]["parent_name"],
            "distance": float(dist),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def words_over_time(store: Store, topic: int | None = None) -> pd.DataFrame:
    """The stored topic words per period (from the fit): topic, period, words, frequency."""
    return store.topics.words_over_time(topic)


def unit_counts(df: pd.DataFrame, total: int | None = None, key: str = "topic") -> pd.DataFrame:
    """Articles per topic (key: or theme) in an article frame: <key>, <key>_label, articles, total, share (of
    `total` articles: default all of df; pass the size of all coverage to read shares of it)."""
    cols = [key, f"{key}_label", "articles", "total", "share"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = label_counts(df, key=key)
    out["total"] = int(total if total is not None else len(df))
    out["share"] = out["articles"] / max(int(out["total"].iloc[0]) if len(out) else 1, 1)
    return out.sort_values(["articles", key], ascending=[False, True])[cols].reset_index(drop=True)


@dataclass(frozen=True)
class Methods:
    """What produced the topic figures, for a researcher to cite."""

    fit: int
    fitted: str
    embedding_model: str
    articles: int
    topics: int
    unassigned_at_fit: float
    fingerprint: str
    parameters: dict[str, object]


def methods(store: Store) -> Methods:
    """The active fit's model, parameters, corpus fingerprint and date."""
    fit = store.fits.active_fit_row()
    params = fit["params"]
    if isinstance(params, str):
        import json

        params = json.loads(params or "{}")
    return Methods(
        fit=int(fit["id"]),
        fitted=str(fit["created"]),
        embedding_model=str(fit["embedding_model"]),
        articles=int(fit["n_articles"]),
        topics=int(fit["n_topics"]),
        unassigned_at_fit=round(float(fit["outlier_share"]), 4),
        fingerprint=str(fit["fingerprint"]),
        parameters=dict(params or {}),
    )
