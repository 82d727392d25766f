"""The same story across outlets: candidate pairs within a time window, grouped without chaining;
and "similar news from other outlets" for one article.

Two articles are compared by meaning and by wording: the cosine of their headline + lead embeddings
and the cosine of TF-IDF vectors of their headline and first 200 words (70% and 30%). The embedding
knows that "lawmakers" and "Congress" are one subject; the words tell one event from another of the
same kind (names, places, numbers). On BASIL with 1,346 distractors (bench stories) the mix found
same-event pairs either alone missed; the weights are chosen on three same-event sets (bench story_sets).

Grouping: pairs of articles published within `window_days` of each other whose similarity reaches
`edge_threshold` form a graph; each connected part is then split by average-linkage clustering cut
at `link_threshold`, so a story is a set of articles that are similar on average, not a chain of
pairwise look-alikes (which is what joins unrelated articles into 50-article "stories").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # scipy is imported where it is used: the pages import this module
    from scipy import sparse

# Chosen on three same-event sets by the worst of their F1 scores (bench story_sets): BASIL 2010-2014 and two sets
# labelled for issue 31 (international 2016-17, AllSides 2015-20, with near-neighbour events). The earlier
# default (3 days, 0.40, 0.25, half wording), tuned on BASIL alone, kept BASIL at 1.00 / 1.00 but reached
# precision 0.72 / 0.68 and recall 0.58 / 0.56 on the other two; this one 1.00 / 0.96, 0.76 / 0.70, 0.82 / 0.79.
WINDOW_DAYS = 2
EDGE_THRESHOLD = 0.35
LINK_THRESHOLD = 0.3
LEXICAL_WEIGHT = 0.3  # of the TF-IDF cosine in a pair's similarity; the embedding cosine has the rest


@dataclass
class StoryParams:
    window_days: int = WINDOW_DAYS
    edge_threshold: float = EDGE_THRESHOLD
    link_threshold: float = LINK_THRESHOLD
    lexical_weight: float = LEXICAL_WEIGHT
    max_component: int = 4000


def pair_similarity(
    emb: np.ndarray, rows: np.ndarray, cols: np.ndarray, lex: sparse.csr_matrix | None, lexical_weight: float
) -> np.ndarray:
    """Similarity of every article in rows to every one in cols: the embedding cosine, mixed with the
    TF-IDF cosine when lexical vectors are given."""
    s = emb[rows] @ emb[cols].T
    if lex is None or lexical_weight <= 0:
        return s
    return (1 - lexical_weight) * s + lexical_weight * (lex[rows] @ lex[cols].T).toarray()


def candidate_pairs(
    days: np.ndarray,
    emb: np.ndarray,
    window_days: int,
    threshold: float,
    lex: sparse.csr_matrix | None = None,
    lexical_weight: float = LEXICAL_WEIGHT,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) within the window with similarity >= threshold: (i, j, similarity). NaN days are skipped."""
    ok = np.where(~np.isnan(days))[0]
    if len(ok) < 2:
        return np.array([], int), np.array([], int), np.array([], float)
    order = ok[np.argsort(days[ok], kind="stable")]
    d = days[order]
    src, dst, sims = [], [], []
    block = 512
    for start in range(0, len(order), block):
        stop = min(start + block, len(order))
        hi = int(np.searchsorted(d, d[stop - 1] + window_days, side="right"))
        rows = order[start:stop]
        cols = order[start:hi]
        s = pair_similarity(emb, rows, cols, lex, lexical_weight)
        dd = np.abs(d[start:stop, None] - d[None, start:hi])
        mask = (s >= threshold) & (dd <= window_days)
        # Keep each pair once: column position after row position.
        mask &= np.arange(start, hi)[None, :] > np.arange(start, stop)[:, None]
        r, c = np.nonzero(mask)
        src.append(rows[r])
        dst.append(cols[c])
        sims.append(s[r, c])
    return np.concatenate(src), np.concatenate(dst), np.concatenate(sims)


def group_stories(
    days: np.ndarray, emb: np.ndarray, params: StoryParams | None = None, lex: sparse.csr_matrix | None = None
) -> np.ndarray:
    """A story label per article (-1 when it shares its story with no other article). emb: unit vectors;
    lex: the articles' unit TF-IDF vectors (analysis.enrich.lexical; without them, meaning alone decides)."""
    from scipy import sparse
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial.distance import squareform

    p = params or StoryParams()
    n = len(emb)
    labels = np.full(n, -1, dtype=np.int64)
    i, j, sim = candidate_pairs(days, emb, p.window_days, p.edge_threshold, lex, p.lexical_weight)
    if len(i) == 0:
        return labels
    graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    sizes = np.bincount(comp)
    # A part of two articles is their one pair: a story when that pair is similar enough to be linked.
    pair_ok = np.zeros(len(sizes), dtype=bool)
    pair_ok[comp[i[sim >= p.link_threshold]]] = True
    order = np.argsort(comp, kind="stable")
    starts = np.r_[0, np.cumsum(sizes)]
    next_label = 0
    for c in np.flatnonzero(sizes >= 2):
        members = order[starts[c] : starts[c + 1]]
        if len(members) == 2:
            if pair_ok[c]:
                labels[members] = next_label
                next_label += 1
            continue
        if len(members) > p.max_component:
            members = members[: p.max_component]
        sub = pair_similarity(emb, members, members, lex, p.lexical_weight)
        dd = np.abs(days[members, None] - days[None, members])
        # Articles too far apart in time can never be one story: treat them as unrelated.
        dist = np.clip(1 - np.where(dd <= p.window_days, sub, 0.0), 0, 2)
        np.fill_diagonal(dist, 0)
        z = linkage(squareform(dist, checks=False), method="average")
        cut = fcluster(z, t=1 - p.link_threshold, criterion="distance")
        for k in np.unique(cut):
            group = members[cut == k]
            if len(group) >= 2:
                labels[group] = next_label
                next_label += 1
    return labels


def story_table(articles: pd.DataFrame, labels: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stories and their coverage. articles: id, outlet, published (UTC), title[, bias][, precision].

    "Who was first" is claimed only as far as the dates allow. When every article of a story's first
    day carries a time of day ("time" precision) the earliest is first and articles with times get a
    lag in hours. Otherwise ("day") every outlet with an article on the first day shares first place
    (a tie). Every article gets its lag in whole days after the first day.

    Returns (stories, members): stories has story_id, title, first_published,
    first_outlet (the first outlets, comma-separated when tied), tied (how many outlets share first
    place), precision ("time" or "day"), articles, outlets, outlet_list, and bias_* counts of
    outlets (bias_unknown for outlets without a rating); members has story_id, id, outlet,
    published, lag_hours (NaN without a time or in a "day" story), lag_days, first.
    """
    df = articles.assign(story_id=labels)
    df = df[df["story_id"] >= 0].copy()
    member_cols = ["story_id", "id", "outlet", "published", "lag_hours", "lag_days", "first"]
    if df.empty:
        story_cols = [
            "story_id",
            "title",
            "first_published",
            "first_outlet",
            "tied",
            "precision",
            "articles",
            "outlets",
            "outlet_list",
        ]
        return pd.DataFrame(columns=story_cols), pd.DataFrame(columns=member_cols)
    df["published"] = pd.to_datetime(df["published"], utc=True)
    if "precision" not in df.columns:
        df["precision"] = np.where(df["published"].dt.strftime("%H:%M:%S") == "00:00:00", "day", "time")
    df["precision"] = df["precision"].fillna("day")
    df = df.sort_values(["story_id", "published", "id"])
    df["day"] = df["published"].dt.tz_localize(None).dt.normalize()
    g = df.groupby("story_id")
    t0 = g["published"].transform("min")
    d0 = g["day"].transform("min")
    timed = df["precision"].eq("time")
    # First place by time only when every article of the first day has a time of day.
    on_first_day = df["day"] == d0
    exact = (timed | ~on_first_day).groupby(df["story_id"]).transform("all").to_numpy(dtype=bool)
    df["lag_hours"] = np.where(exact & timed.to_numpy(), (df["published"] - t0).dt.total_seconds() / 3600, np.nan)
    df["lag_days"] = (df["day"] - d0).dt.days.astype(float)
    df["first"] = np.where(exact, df["published"] == t0, on_first_day)
    exact_by_story = pd.Series(exact, index=df.index).groupby(df["story_id"]).first()
    firsts = df[df["first"]]
    first = g.head(1).set_index("story_id")
    first_outlets = firsts.groupby("story_id")["outlet"].agg(lambda s: sorted(set(s), key=list(s).index))
    stories = pd.DataFrame(
        {
            "story_id": first.index,
            "title": first["title"].to_numpy(),
            "first_published": first["published"].to_numpy(),
            "first_outlet": first_outlets.reindex(first.index).map(", ".join).to_numpy(),
            "tied": first_outlets.reindex(first.index).map(len).to_numpy(),
            "precision": np.where(exact_by_story.reindex(first.index).to_numpy(dtype=bool), "time", "day"),
            "articles": g.size().reindex(first.index).to_numpy(),
            "outlets": g["outlet"].nunique().reindex(first.index).to_numpy(),
            "outlet_list": g["outlet"].agg(lambda s: sorted(set(s))).reindex(first.index).to_numpy(),
        }
    )
    if "bias" in df.columns:
        rated = df.drop_duplicates(["story_id", "outlet"])
        rated = rated.assign(bias=rated["bias"].fillna("").replace("", "unknown"))
        per = rated.groupby(["story_id", "bias"]).size().unstack(fill_value=0)
        for b in per.columns:
            stories[f"bias_{b}"] = stories["story_id"].map(per[b]).fillna(0).astype(int).to_numpy()
    members = df[member_cols].reset_index(drop=True)
    return stories.reset_index(drop=True), members


def pair_scores(labels: np.ndarray, gold: np.ndarray, scope: np.ndarray) -> dict[str, float]:
    """Pairwise precision and recall of story labels against gold groups, over articles in scope."""
    idx = np.where(scope)[0]
    li, gi = labels[idx], gold[idx]
    same_pred = (li[:, None] == li[None, :]) & (li[:, None] >= 0)
    same_gold = (gi[:, None] == gi[None, :]) & (gi[:, None] != "")
    upper = np.triu(np.ones_like(same_pred, dtype=bool), k=1)
    tp = int((same_pred & same_gold & upper).sum())
    pp = int((same_pred & upper).sum())
    gp = int((same_gold & upper).sum())
    precision = tp / pp if pp else 1.0
    recall = tp / gp if gp else 1.0
    return {"precision": precision, "recall": recall, "tp": tp, "pred_pairs": pp, "gold_pairs": gp}


def stable_story_ids(members: pd.DataFrame, previous: dict[str, int], next_id: int) -> tuple[dict[int, int], int]:
    """Ids for regrouped stories that keep links working: a story whose articles were mostly (more
    than half) one earlier story keeps that story's id; others get new ids from next_id.
    members: story_id (new label), id (article). Returns ({label: id}, the next free id)."""
    next_id = max(next_id, max(previous.values(), default=-1) + 1)
    claims = []
    for label, group in members.groupby("story_id"):
        old = pd.Series([previous.get(a) for a in group["id"]]).dropna()
        if len(old):
            top = old.value_counts()
            if top.iloc[0] * 2 > len(group):
                claims.append((int(top.iloc[0]), int(label), int(top.index[0])))
    mapping: dict[int, int] = {}
    taken: set[int] = set()
    for _, label, old_id in sorted(claims, reverse=True):  # biggest overlap first
        if old_id not in taken:
            mapping[label] = old_id
            taken.add(old_id)
    for label in sorted(int(x) for x in members["story_id"].unique()):
        if label not in mapping:
            mapping[label] = next_id
            next_id += 1
    return mapping, next_id


def central_titles(labels: np.ndarray, vecs: np.ndarray, titles: np.ndarray) -> dict[int, str]:
    """Each story's most representative headline: the member closest to the story's mean vector
    (the first article's headline is often an opinion piece or a live blog on the wider subject)."""
    out: dict[int, str] = {}
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    for lo, hi in zip(starts, np.r_[starts[1:], len(order)], strict=True):
        label = int(sorted_labels[lo])
        if label < 0:
            continue
        idx = order[lo:hi]
        centre = vecs[idx].mean(axis=0)
        out[label] = str(titles[idx[int(np.argmax(vecs[idx] @ centre))]])
    return out
