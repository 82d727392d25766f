"""One article with its context (outlet rank, topic, tone, summary, tags), "similar news from other
outlets", and full-text search results for the Search page."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pandas as pd

from analysis.config import EMBED_MODEL
from analysis.enrich.similarity import similar_from_other_outlets
from analysis.store import Store, fits
from analysis.store import topics as topic_store

SEARCH_SORTS = ("relevance", "newest", "oldest", "most positive", "most negative")


def embedding_model(store: Store) -> str:
    if store.active_fit is not None:
        return str(fits.active_fit_row(store)["embedding_model"])
    return EMBED_MODEL


def _vectors(store: Store, where: str, params: tuple[Any, ...]) -> tuple[pd.DataFrame, np.ndarray]:
    """(id, outlet, published, story_id) of the articles matching `where` (on alias a) that have a
    cached vector, and their unit vectors (float32). The articles_window index covers the scan."""
    rows = store.conn.execute(
        "SELECT a.id, a.outlet, a.published, e.vector FROM articles a"
        f" CROSS JOIN embeddings e ON e.model = ? AND e.content_hash = a.content_hash WHERE {where}",  # a first
        (embedding_model(store), *params),
    ).fetchall()
    ids = [r[0] for r in rows]
    story: dict[str, int] = {}
    for i in range(0, len(ids), 900):
        part = ids[i : i + 900]
        story.update(store.conn.execute(
            f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({','.join('?' * len(part))})", part
        ).fetchall())  # fmt: skip
    out = pd.DataFrame({"id": ids, "outlet": [r[1] for r in rows], "published": [r[2] for r in rows],
                        "story_id": [story.get(a, -1) for a in ids]})  # fmt: skip
    if not rows:
        return out, np.zeros((0, 0), dtype=np.float32)
    emb = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.float16).reshape(len(rows), -1).astype(np.float32)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
    return out, emb


def article(store: Store, article_id: str) -> dict[str, Any] | None:
    """Everything the Article page shows about one article, or None if there is no such article."""
    row = store.conn.execute(
        "SELECT a.id, a.url, a.title, a.text, a.outlet, a.published, a.authors, a.language, o.country, o.bias,"
        " o.owner, i.sentiment, i.sentiment_label, i.headline_sentiment, i.headline_label, i.summary, i.tags,"
        " m.story_id, m.lag_hours, m.lag_days, m.first FROM articles a LEFT JOIN outlets o ON o.name = a.outlet"
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
    copy_of = store.conn.execute("SELECT duplicate_of FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    brief = "SELECT id, title, outlet, published FROM articles"
    original = store.conn.execute(f"{brief} WHERE id = ?", (copy_of,)).fetchone() if copy_of else None
    out["duplicate_of"] = dict(original) if original else None
    out["copies"] = [dict(r) for r in store.conn.execute(f"{brief} WHERE duplicate_of = ? ORDER BY published, id",
                                                         (article_id,))]  # fmt: skip
    if out["story_id"] is not None:
        s = store.conn.execute("SELECT * FROM stories WHERE story_id = ?", (out["story_id"],)).fetchone()
        out["story"] = dict(s) if s else None
    else:
        out["story"] = None
    return out


def similar(store: Store, article_id: str, k: int = 8, max_days: float = 14) -> pd.DataFrame:
    """Nearest articles from other outlets, most similar first: id, title, outlet, published,
    similarity, same_story, wire_copy, summary. A dated article looks within max_days of its date and
    never at undated articles; an undated one looks at articles sharing words of its headline (their
    dates shown as they are). Only those vectors are read, so this stays fast however big the store
    is. Empty when the article has no vector."""
    cols = ["id", "title", "outlet", "published", "similarity", "same_story", "wire_copy", "summary"]
    seed = store.conn.execute("SELECT published, title FROM articles WHERE id = ?", (article_id,)).fetchone()
    if seed is None:
        return pd.DataFrame(columns=cols)
    if seed[0]:
        t = pd.Timestamp(seed[0])
        lo = (t - pd.Timedelta(days=max_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        hi = (t + pd.Timedelta(days=max_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        cand, emb = _vectors(store, "a.published BETWEEN ? AND ?", (lo, hi))
    else:
        # No date to anchor a window: pre-select by the headline's words (FTS5, best 2,000), then rank
        # by meaning. Reading every vector took seconds at 100,000 articles.
        words = [w for w in re.findall(r"\w{4,}", (seed[1] or "").lower())][:12]
        match = " OR ".join(f'"{w}"' for w in words) or '""'
        cand, emb = _vectors(
            store, "(a.id = ? OR a.rid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank"
            " LIMIT 2000))", (article_id, match),
        )  # fmt: skip
    if article_id not in set(cand["id"]):
        return pd.DataFrame(columns=cols)
    pos = int(np.flatnonzero(cand["id"].to_numpy() == article_id)[0])
    published = pd.to_datetime(cand["published"], utc=True, format="ISO8601")
    days = ((published - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds() / 86400).to_numpy(dtype=float)
    stories = cand["story_id"].to_numpy()
    hits = similar_from_other_outlets(
        pos, emb, cand["outlet"].to_numpy(), labels=stories, k=k, days=days, max_days=max_days
    )
    if not hits:
        return pd.DataFrame(columns=cols)
    ids = [str(cand["id"].iloc[h]) for h, _, _ in hits]
    meta = pd.read_sql_query(
        "SELECT a.id, a.title, a.outlet, substr(a.published, 1, 10) AS published, i.summary FROM articles a"
        f" LEFT JOIN article_intel i ON i.article_id = a.id WHERE a.id IN ({','.join('?' * len(ids))})",
        store.conn,
        params=ids,
    ).set_index("id")
    story = stories[pos]
    rows = []
    for (h, sim, wire), aid in zip(hits, ids, strict=True):
        m = meta.loc[aid]
        rows.append({
            "id": aid, "title": m["title"], "outlet": m["outlet"], "published": m["published"],
            "similarity": round(sim, 3), "same_story": bool(story >= 0 and stories[h] == story),
            "wire_copy": wire, "summary": m["summary"],
        })  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def search(
    store: Store, df: pd.DataFrame, ranks: pd.Series | None = None, sort: str = "relevance", limit: int = 200
) -> pd.DataFrame:
    """The articles of a filtered article frame, sorted, with title, outlet, date, topic, tone and
    summary: id, title, outlet, published, topic_label, sentiment, sentiment_label, summary.
    ranks: BM25 of the search (frames.search_ranks); relevance without a search is newest first.
    attrs["total"] counts all matches."""
    if sort not in SEARCH_SORTS:
        raise ValueError(f"Unknown sort {sort!r}; use one of {', '.join(SEARCH_SORTS)}.")
    cols = ["id", "title", "outlet", "published", "topic_label", "sentiment", "sentiment_label", "summary"]
    data = df[["article_id", "published", "sentiment", "topic_label"]]
    if sort == "relevance" and ranks is not None:
        data = data.assign(rank=data["article_id"].map(ranks)).sort_values(["rank", "article_id"])
    elif sort in ("relevance", "newest", "oldest"):
        data = data.sort_values(["published", "article_id"], ascending=sort == "oldest", na_position="last")
    else:
        data = data.sort_values(["sentiment", "article_id"], ascending=sort == "most negative", na_position="last")
    top = data.head(limit)
    ids = top["article_id"].tolist()
    if not ids:
        out = pd.DataFrame(columns=cols)
        out.attrs["total"] = 0
        return out
    meta = pd.read_sql_query(
        "SELECT a.id, a.title, a.outlet, substr(a.published, 1, 10) AS published, i.sentiment_label, i.summary"
        f" FROM articles a LEFT JOIN article_intel i ON i.article_id = a.id WHERE a.id IN ({','.join('?' * len(ids))})",
        store.conn,
        params=ids,
    ).set_index("id")
    out = meta.loc[ids].reset_index()
    out["topic_label"] = top["topic_label"].to_numpy()
    out["sentiment"] = top["sentiment"].to_numpy()
    out = out[cols]
    out.attrs["total"] = len(df)
    return out
