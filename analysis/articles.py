"""One article with its context (outlet rank, topic, tone, summary, tags), "similar news from other
outlets", and full-text search results for the Search page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis import topic_store
from analysis.config import EMBED_MODEL
from analysis.queries import Filters, read_sql
from analysis.similarity import similar_from_other_outlets
from analysis.store import Store

SEARCH_SORTS = {
    "relevance": None,
    "newest": "a.published DESC",
    "oldest": "a.published ASC",
    "most positive": "i.sentiment DESC",
    "most negative": "i.sentiment ASC",
}


@dataclass
class SimilarityIndex:
    """Every embedded article's unit vector with its outlet, day and story, for nearest-neighbour lookups."""

    ids: np.ndarray
    outlets: np.ndarray
    days: np.ndarray
    stories: np.ndarray
    emb: np.ndarray
    position: dict[str, int]

    @property
    def nbytes(self) -> int:
        return int(self.emb.nbytes)


def embedding_model(store: Store) -> str:
    if store.active_fit is not None:
        return str(topic_store.active_fit_row(store)["embedding_model"])
    return EMBED_MODEL


def load_index(store: Store) -> SimilarityIndex:
    """Load the cached article vectors (no model is run). float32, unit length."""
    rows = store.conn.execute(
        "SELECT a.id, a.outlet, a.published, coalesce(m.story_id, -1), e.vector FROM articles a"
        " JOIN embeddings e ON e.content_hash = a.content_hash AND e.model = ?"
        " LEFT JOIN story_members m ON m.article_id = a.id",
        (embedding_model(store),),
    ).fetchall()
    if not rows:
        empty = np.zeros((0, 1), dtype=np.float32)
        return SimilarityIndex(np.array([]), np.array([]), np.array([]), np.array([], dtype=int), empty, {})
    ids = np.array([r[0] for r in rows])
    emb = np.frombuffer(b"".join(r[4] for r in rows), dtype=np.float16).reshape(len(rows), -1).astype(np.float32)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
    published = pd.to_datetime(pd.Series([r[2] for r in rows]), utc=True)
    days = ((published - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds() / 86400).to_numpy(dtype=float)
    return SimilarityIndex(
        ids=ids, outlets=np.array([r[1] for r in rows]), days=days, stories=np.array([r[3] for r in rows]),
        emb=emb, position={a: i for i, a in enumerate(ids)},
    )  # fmt: skip


def article(store: Store, article_id: str) -> dict[str, Any] | None:
    """Everything the Article page shows about one article, or None if there is no such article."""
    row = store.conn.execute(
        "SELECT a.id, a.url, a.title, a.text, a.outlet, a.published, a.authors, a.language, o.country, o.bias,"
        " o.owner, i.sentiment, i.sentiment_label, i.headline_sentiment, i.headline_label, i.summary, i.tags,"
        " m.story_id, m.lag_hours, m.first FROM articles a LEFT JOIN outlets o ON o.name = a.outlet"
        " LEFT JOIN article_intel i ON i.article_id = a.id LEFT JOIN story_members m ON m.article_id = a.id"
        " WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    out = dict(row)
    out["tags"] = json.loads(out["tags"] or "[]")
    out["topic"], out["topic_label"] = -1, None
    if store.active_fit is not None:
        t = store.conn.execute(
            "SELECT topic FROM article_topics WHERE fit_id = ? AND article_id = ?", (store.active_fit, article_id)
        ).fetchone()
        if t is not None:
            mapped = topic_store.apply_edits(store, pd.DataFrame({"topic": [int(t[0])]})).iloc[0]
            out["topic"], out["topic_label"] = int(mapped["topic"]), mapped["topic_label"]
    if out["story_id"] is not None:
        s = store.conn.execute("SELECT * FROM stories WHERE story_id = ?", (out["story_id"],)).fetchone()
        out["story"] = dict(s) if s else None
    else:
        out["story"] = None
    return out


def similar(
    store: Store, index: SimilarityIndex, article_id: str, k: int = 8, max_days: float | None = 14
) -> pd.DataFrame:
    """Nearest articles from other outlets: id, title, outlet, published, similarity, same_story,
    wire_copy, summary. Empty when the article has no vector yet."""
    cols = ["id", "title", "outlet", "published", "similarity", "same_story", "wire_copy", "summary"]
    pos = index.position.get(article_id)
    if pos is None:
        return pd.DataFrame(columns=cols)
    hits = similar_from_other_outlets(
        pos, index.emb, index.outlets, labels=index.stories, k=k, days=index.days, max_days=max_days
    )
    if not hits:
        return pd.DataFrame(columns=cols)
    ids = [str(index.ids[h]) for h, _, _ in hits]
    meta = pd.read_sql_query(
        "SELECT a.id, a.title, a.outlet, substr(a.published, 1, 10) AS published, i.summary FROM articles a"
        f" LEFT JOIN article_intel i ON i.article_id = a.id WHERE a.id IN ({','.join('?' * len(ids))})",
        store.conn,
        params=ids,
    ).set_index("id")
    story = index.stories[pos]
    rows = []
    for (h, sim, wire), aid in zip(hits, ids, strict=True):
        m = meta.loc[aid]
        rows.append({
            "id": aid, "title": m["title"], "outlet": m["outlet"], "published": m["published"],
            "similarity": round(sim, 3), "same_story": bool(story >= 0 and index.stories[h] == story),
            "wire_copy": wire, "summary": m["summary"],
        })  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def search(store: Store, filters: Filters, sort: str = "relevance", limit: int = 200) -> pd.DataFrame:
    """Articles matching the filters (the search text through FTS5): id, title, outlet, published,
    topic_label, sentiment, sentiment_label, summary. Relevance is BM25 when there is search text,
    else newest first. attrs["total"] counts all matches."""
    order = SEARCH_SORTS.get(sort)
    if sort not in SEARCH_SORTS:
        raise ValueError(f"Unknown sort {sort!r}; use one of {', '.join(SEARCH_SORTS)}.")
    rank = ""
    if order is None:
        if filters.search.strip():
            rank = (
                ", (SELECT bm25(articles_fts) FROM articles_fts WHERE articles_fts MATCH ? AND rowid = a.rid) AS rank"
            )
            order = "rank ASC"
        else:
            order = "a.published DESC"
    base = (
        "SELECT a.id, a.title, a.outlet, substr(a.published, 1, 10) AS published, i.sentiment, i.sentiment_label,"
        f" i.summary{rank} FROM articles a LEFT JOIN article_intel i ON i.article_id = a.id WHERE {{where}}"
        f" ORDER BY {order} NULLS LAST, a.id LIMIT ?"
    )
    params: list[Any] = [limit]
    if rank:
        # The rank subquery's MATCH parameter comes before the WHERE parameters.
        df = _search_ranked(store, base, filters, limit)
    else:
        df = read_sql(store, base, filters, params)
    total = int(read_sql(store, "SELECT count(*) AS n FROM articles a WHERE {where}", filters)["n"].iloc[0])
    df = df.drop(columns=[c for c in ("rank",) if c in df.columns])
    if store.active_fit is not None and not df.empty:
        topics = topic_store.article_topics(store)[["article_id", "topic_label"]]
        df = df.merge(topics, left_on="id", right_on="article_id", how="left").drop(columns="article_id")
    else:
        df["topic_label"] = None
    df["topic_label"] = df["topic_label"].fillna("Unassigned")
    df = df[["id", "title", "outlet", "published", "topic_label", "sentiment", "sentiment_label", "summary"]]
    df.attrs["total"] = total
    return df


def _search_ranked(store: Store, sql: str, filters: Filters, limit: int) -> pd.DataFrame:
    from dataclasses import replace

    from analysis.queries import _quoted

    where, wparams = filters.where()
    try:
        return pd.read_sql_query(sql.format(where=where), store.conn, params=[filters.search, *wparams, limit])
    except Exception as exc:  # malformed FTS5 syntax: search the words instead
        if "fts5" not in str(exc).lower() and "match" not in str(exc).lower():
            raise
        fixed = replace(filters, search=_quoted(filters.search))
        where, wparams = fixed.where()
        return pd.read_sql_query(sql.format(where=where), store.conn, params=[fixed.search, *wparams, limit])
