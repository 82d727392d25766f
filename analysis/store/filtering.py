"""The filters in SQL (the one SQL form of analysis.filters.Filters; analysis.explore.frames.apply_filters is
its in-memory twin, and tests/explore/test_frames.py holds them to the same rows), and full-text search.

SQLite-specific: the search is an FTS5 MATCH query; text FTS5 cannot parse is searched again as plain
words (plain_terms), here and nowhere else.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from typing import Any

import pandas as pd

from analysis.filters import Filters
from analysis.store.sqlite import Store


def where(filters: Filters) -> tuple[str, list[Any]]:
    """The filters as an SQL condition on table alias `a`, and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.start or filters.end:
        rng: list[str] = []
        if filters.start:
            rng.append("a.published >= ?")
            params.append(filters.start.isoformat())
        if filters.end:
            rng.append("a.published < ?")
            params.append((pd.Timestamp(filters.end) + pd.Timedelta(days=1)).date().isoformat())
        clauses.append("(" + " AND ".join(rng) + ")")
    if filters.outlets:
        clauses.append(f"a.outlet IN ({','.join('?' * len(filters.outlets))})")
        params.extend(filters.outlets)
    for col, values in (("bias", filters.biases), ("country", filters.countries)):
        if values:
            clauses.append(f"a.outlet IN (SELECT name FROM outlets WHERE {col} IN ({','.join('?' * len(values))}))")
            params.extend(values)
    if filters.topics:
        clauses.append(
            "a.id IN (SELECT article_id FROM article_topics WHERE fit_id = (SELECT CAST(value AS INTEGER)"
            f" FROM meta WHERE key = 'active_fit') AND topic IN ({','.join('?' * len(filters.topics))}))"
        )
        params.extend(int(t) for t in filters.topics)
    if filters.search.strip():
        clauses.append("a.rid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(filters.search.strip())
    return (" AND ".join(clauses) or "1"), params


def plain_terms(search: str) -> str:
    """A search rewritten as plain quoted terms, for text the FTS5 syntax cannot parse."""
    terms = [t for t in re.findall(r"\w+", search) if t not in ("AND", "OR", "NOT", "NEAR")]
    return " ".join(f'"{t}"' for t in terms) or '""'


def query(store: Store, sql: str, filters: Filters, params: list[Any] | None = None) -> pd.DataFrame:
    """Run a query whose text contains {where}; a malformed search is retried as plain words."""
    clause, wparams = where(filters)
    try:
        return pd.read_sql_query(sql.format(where=clause), store.conn, params=[*wparams, *(params or [])])
    except (sqlite3.OperationalError, pd.errors.DatabaseError) as exc:
        if "fts5" not in str(exc) and "MATCH" not in str(exc).upper():
            raise
        if not filters.search:
            raise
        clause, wparams = where(replace(filters, search=plain_terms(filters.search)))
        return pd.read_sql_query(sql.format(where=clause), store.conn, params=[*wparams, *(params or [])])


def search_ranks(store: Store, search: str) -> pd.Series:
    """BM25 rank (lower is better) of each article matching a search, indexed by article id."""
    sql = (
        "SELECT a.id, bm25(articles_fts) AS rank FROM articles_fts JOIN articles a ON a.rid = articles_fts.rowid"
        " WHERE articles_fts MATCH ?"
    )
    try:
        rows = store.conn.execute(sql, (search.strip(),)).fetchall()
    except sqlite3.OperationalError:  # FTS5 syntax it cannot parse ("unterminated string", "syntax error", ...)
        rows = store.conn.execute(sql, (plain_terms(search),)).fetchall()
    return pd.Series([r[1] for r in rows], index=[r[0] for r in rows], dtype=float, name="rank")
