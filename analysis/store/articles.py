"""Reading articles: the app's per-article frame, ids matching the filters, outlets and date bounds,
headline-and-lead samples, short rows by id."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.filters import Filters
from analysis.store.filtering import query
from analysis.store.sqlite import Store


def frame_parts(store: Store) -> dict[str, pd.DataFrame]:
    """The narrow reads the article frame is merged from (each served by a covering index; joining in SQL
    made SQLite read every row's text pages, 1.3 s against 0.4 s at 100,000 articles): articles, outlets,
    tone, stories, and topics (of the active fit; empty without one)."""
    conn = store.conn
    return {
        "articles": pd.read_sql_query(
            "SELECT id AS article_id, published, published_precision AS precision, outlet, title FROM articles", conn
        ),
        "outlets": pd.read_sql_query("SELECT name AS outlet, bias, country FROM outlets", conn),
        "tone": pd.read_sql_query("SELECT article_id, sentiment FROM article_intel", conn),
        "stories": pd.read_sql_query(
            "SELECT article_id, story_id, first, lag_hours, lag_days FROM story_members", conn
        ),
        "topics": pd.read_sql_query(
            "SELECT article_id, topic, x, y FROM article_topics WHERE fit_id = ?", conn, params=(store.active_fit,)
        ),
    }


def matching_ids(store: Store, filters: Filters) -> set[str]:
    """Ids of the articles that pass the filters."""
    return set(query(store, "SELECT a.id FROM articles a WHERE {where}", filters)["id"])


def outlet_names(store: Store) -> list[str]:
    """Outlet names, most articles first."""
    rows = store.conn.execute("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet")
    return [r[0] for r in rows]


def date_bounds(store: Store) -> tuple[date | None, date | None]:
    """The first and last publication day in the store (None, None when nothing is dated)."""
    row = store.conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
    if not row or not row[0]:
        return None, None
    return pd.Timestamp(row[0]).date(), pd.Timestamp(row[1]).date()


def lead_sample(store: Store, filters: Filters, outlet: str, *, same: bool, limit: int, chars: int) -> list[str]:
    """Headline and first `chars` characters of up to `limit` articles in the filters from this outlet (or,
    with same False, from every other outlet), picked by id, which is a hash and so an even sample."""
    sql = (
        f"SELECT a.title || '. ' || substr(a.text, 1, {int(chars)}) AS doc FROM articles a WHERE {{where}}"
        f" AND a.outlet {'=' if same else '!='} ? ORDER BY a.id LIMIT ?"
    )
    return query(store, sql, filters, [outlet, limit])["doc"].tolist()


def short_rows(store: Store, ids: list[str]) -> pd.DataFrame:
    """id, title, outlet, published (day), sentiment_label, summary of the given ids, in that order (the one
    "article rows by id" every list of articles uses)."""
    if not ids:
        return pd.DataFrame(columns=["id", "title", "outlet", "published", "sentiment_label", "summary"])
    df = pd.read_sql_query(
        "SELECT a.id, a.title, a.outlet, substr(a.published, 1, 10) AS published, i.sentiment_label, i.summary"
        f" FROM articles a LEFT JOIN article_intel i ON i.article_id = a.id WHERE a.id IN ({','.join('?' * len(ids))})",
        store.conn,
        params=ids,
    )
    order = {a: i for i, a in enumerate(ids)}
    return df.sort_values("id", key=lambda s: s.map(order)).reset_index(drop=True)


def article_row(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article with its outlet's metadata, tone, summary, tags (JSON) and story place."""
    row = store.conn.execute(
        "SELECT a.id, a.url, a.title, a.text, a.outlet, a.published, a.authors, a.language, o.country, o.bias,"
        " o.owner, i.sentiment, i.sentiment_label, i.headline_sentiment, i.headline_label, i.summary, i.tags,"
        " m.story_id, m.lag_hours, m.lag_days, m.first, a.duplicate_of FROM articles a"
        " LEFT JOIN outlets o ON o.name = a.outlet LEFT JOIN article_intel i ON i.article_id = a.id"
        " LEFT JOIN story_members m ON m.article_id = a.id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return dict(row) if row else None


def raw_topic_of(store: Store, article_id: str) -> int | None:
    """The article's topic id in the active fit (before edits), None when it has none."""
    if store.active_fit is None:
        return None
    row = store.conn.execute(
        "SELECT topic FROM article_topics WHERE fit_id = ? AND article_id = ?", (store.active_fit, article_id)
    ).fetchone()
    return None if row is None else int(row[0])


def brief(store: Store, article_id: str) -> dict[str, Any] | None:
    """id, title, outlet, published of one article."""
    row = store.conn.execute("SELECT id, title, outlet, published FROM articles WHERE id = ?", (article_id,)).fetchone()
    return dict(row) if row else None


def copies_of(store: Store, article_id: str) -> list[dict[str, Any]]:
    """id, title, outlet, published of the near-duplicates of an article, oldest first."""
    rows = store.conn.execute(
        "SELECT id, title, outlet, published FROM articles WHERE duplicate_of = ? ORDER BY published, id", (article_id,)
    )
    return [dict(r) for r in rows]


def vectors_in_window(store: Store, model: str, start: str, end: str) -> tuple[pd.DataFrame, np.ndarray]:
    """(id, outlet, published, story_id) and unit vectors of the articles published from start to end (ISO
    times) whose vectors are cached. The articles_window index covers the scan."""
    return _vectors(store, model, "a.published BETWEEN ? AND ?", (start, end))


def vectors_sharing_words(
    store: Store, model: str, article_id: str, words: list[str]
) -> tuple[pd.DataFrame, np.ndarray]:
    """The same for an article and the (at most 2,000) articles whose text best matches any of the words."""
    match = " OR ".join(f'"{w}"' for w in words) or '""'
    return _vectors(
        store, model, "(a.id = ? OR a.rid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank"
        " LIMIT 2000))", (article_id, match),
    )  # fmt: skip


def _vectors(store: Store, model: str, where: str, params: tuple[Any, ...]) -> tuple[pd.DataFrame, np.ndarray]:
    rows = store.conn.execute(
        "SELECT a.id, a.outlet, a.published, e.vector FROM articles a"
        f" CROSS JOIN embeddings e ON e.model = ? AND e.content_hash = a.content_hash WHERE {where}",  # a first
        (model, *params),
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
