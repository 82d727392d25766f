"""Topics (or themes) by outlet or group with over/under-representation, counts per topic, the topic hierarchy
and the fit's methods. Pure functions over article frames, checked by hand in tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.explore.rows import label_counts
from analysis.explore.stats import proportion_tests
from analysis.store import Database


def share_columns(group: str, key: str | None = None) -> list[str]:
    """The columns of a share test per group (and per topic or theme: key): counts, shares, the one test."""
    tested = ["share", "others_share", "ratio", "z", "p_value", "q_value", "significant"]
    return [group, *([key] if key else []), "articles", f"{group}_total", *tested]


def share_by_group(
    df: pd.DataFrame,
    key: str = "topic",
    group: str = "outlet",
    base: pd.DataFrame | None = None,
    min_articles: int = 1,
) -> pd.DataFrame:
    """How much of each outlet's (or group's) coverage each topic (key: or theme) takes, against the other
    outlets together, among the rows with a topic.

    base: the rows each share is counted against (a search, topic or mention narrows df, never base: Media
    Cloud's rule); by default df itself. Topics with fewer than min_articles rows in df are not tested.

    Columns: <group>, <key>, articles, <group>_total (its base rows with a topic), share, others_share, ratio
    (share / others' share; > 1 over-represented), z, p_value, q_value, significant: the app's one test
    (analysis.explore.stats, two-proportion z) with Benjamini-Hochberg across every cell of the table.
    """
    total = f"{group}_total"
    cols = share_columns(group, key)
    data = df[df[key] >= 0]
    if data.empty:
        return pd.DataFrame(columns=cols)
    table = pd.crosstab(data[group], data[key])
    table = table.loc[:, table.sum(axis=0) >= min_articles]
    if table.shape[1] == 0:
        return pd.DataFrame(columns=cols)
    counts = table.to_numpy(dtype=float)
    if base is None:
        totals = data.groupby(group).size().reindex(table.index).to_numpy(dtype=float)[:, None]
    else:
        with_key = base[base[key] >= 0]
        totals = with_key.groupby(group).size().reindex(table.index, fill_value=0).to_numpy(dtype=float)[:, None]
        totals = np.maximum(totals, counts.sum(axis=1, keepdims=True))
    rest = counts.sum(axis=0, keepdims=True) - counts
    rest_totals = totals.sum() - totals
    with np.errstate(divide="ignore", invalid="ignore"):
        share = counts / totals
        others = rest / np.where(rest_totals == 0, np.nan, rest_totals)
        ratio = share / others
    shape = counts.shape
    tests = proportion_tests(
        counts.ravel(),
        np.broadcast_to(totals, shape).ravel(),
        rest.ravel(),
        np.broadcast_to(rest_totals, shape).ravel(),
    )
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


def windowed_share(df: pd.DataFrame, inside: np.ndarray, key: str, unit: int, group: str = "outlet") -> pd.DataFrame:
    """One topic's (or theme's: unit, named key) share of each outlet's (group's) dated articles against the other
    outlets' dated articles in the months that outlet published in, so an outlet that stopped before the topic
    arose is not read as ignoring it. inside: which rows of df are the topic's. share_by_group's columns plus
    months (the outlet's months with an article); Benjamini-Hochberg across the outlets."""
    cols = [*share_columns(group, key), "months"]
    dated = df["published"].notna().to_numpy()
    if not dated.any():
        return pd.DataFrame(columns=cols)
    t = pd.to_datetime(df.loc[dated, "published"])
    month = (t.dt.year * 12 + t.dt.month).to_numpy()
    m_codes, m_of = np.unique(month, return_inverse=True)
    g_codes, g_of = np.unique(df.loc[dated, group].astype(str).to_numpy(), return_inverse=True)
    total = np.zeros((len(g_codes), len(m_codes)))
    np.add.at(total, (g_of, m_of), 1)
    mine = np.zeros_like(total)
    hit = inside[dated]
    np.add.at(mine, (g_of[hit], m_of[hit]), 1)
    window = total > 0
    n, k = total.sum(axis=1), mine.sum(axis=1)
    rest_n = window @ total.sum(axis=0) - n
    rest_k = window @ mine.sum(axis=0) - k
    tested = (k + rest_k > 0) & (rest_n > 0)  # an outlet whose months hold none of the topic is shown, not tested
    with np.errstate(divide="ignore", invalid="ignore"):
        share, others = k / n, rest_k / np.where(rest_n == 0, np.nan, rest_n)
        ratio = share / others
    out = pd.DataFrame(
        {
            group: g_codes,
            key: unit,
            "articles": k.astype(int),
            f"{group}_total": n.astype(int),
            "share": share,
            "others_share": others,
            "ratio": ratio,
            "months": window.sum(axis=1),
        }
    )
    tests = proportion_tests(k[tested], n[tested], rest_k[tested], rest_n[tested])
    tests.index = out.index[tested]
    out = out.join(tests)
    out["significant"] = out["significant"].fillna(False).astype(bool)
    return out[cols].sort_values(["z", group], ascending=[False, True], na_position="last").reset_index(drop=True)


def topic_share_by_outlet(df: pd.DataFrame) -> pd.DataFrame:
    """share_by_group of topics by outlet."""
    return share_by_group(df, "topic", "outlet")


def hierarchy(store: Database) -> pd.DataFrame:
    """Agglomerative tree of the visible topics by centroid similarity (average linkage, cosine).

    One row per merge, BERTopic's hierarchical_topics layout: parent_id, parent_name, topics,
    child_left_id, child_left_name, child_right_id, child_right_name, distance.
    """
    from scipy.cluster.hierarchy import linkage

    table = store.topics.topic_table()
    cents = store.fits.topic_centroids(int(store.active_fit or 0))
    table = table[table["topic"].isin(cents)]
    cols = [
        "parent_id",
        "parent_name",
        "topics",
        "child_left_id",
        "child_left_name",
        "child_right_id",
        "child_right_name",
        "distance",
    ]
    if len(table) < 2:
        return pd.DataFrame(columns=cols)
    ids = table["topic"].tolist()
    names = {i: lab for i, lab in zip(table["topic"], table["label"], strict=True)}
    words = {i: kw for i, kw in zip(table["topic"], table["keywords"], strict=True)}
    members: dict[int, list[int]] = {k: [t] for k, t in enumerate(ids)}
    z = linkage(np.stack([cents[t] for t in ids]), method="average", metric="cosine")
    rows: list[dict[str, Any]] = []
    n = len(ids)
    for step, (left, right, dist, _) in enumerate(z):
        parent = n + step
        members[parent] = members[int(left)] + members[int(right)]
        top_words = pd.Series([w for t in members[parent] for w in words[t][:5]]).value_counts().index[:3]
        rows.append(
            {
                "parent_id": parent,
                "parent_name": ", ".join(top_words),
                "topics": sorted(members[parent]),
                "child_left_id": int(left) if left >= n else ids[int(left)],
                "child_left_name": names[ids[int(left)]] if left < n else rows[int(left) - n]["parent_name"],
                "child_right_id": int(right) if right >= n else ids[int(right)],
                "child_right_name": names[ids[int(right)]] if right < n else rows[int(right) - n]["parent_name"],
                "distance": float(dist),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def words_over_time(store: Database, topic: int | None = None) -> pd.DataFrame:
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


def methods(store: Database) -> Methods:
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
