"""The filters in SQL (the one SQL form of analysis.filters.Filters; analysis.explore.frames.apply_filters is
its in-memory twin, and tests/explore/test_frames.py holds them to the same rows), and full-text search.

The search condition and its syntax are the backend's dialect (an FTS5 query on SQLite); a search the engine
cannot parse is run again as plain words (dialect.plain_terms), here and nowhere else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from analysis.filters import Filters
from analysis.store.base import Family


class Filtering(Family):
    """The filters as SQL conditions, queries in the filters, and search ranks."""

    def where(self, filters: Filters) -> tuple[str, list[Any]]:
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
        if filters.entities:
            clauses.append(
                "a.id IN (SELECT article_id FROM article_entities"
                f" WHERE entity_id IN ({','.join('?' * len(filters.entities))}))"
            )
            params.extend(int(e) for e in filters.entities)
        if filters.search.strip():
            clauses.append(self.db.dialect.search_condition())
            params.append(filters.search.strip())
        return (" AND ".join(clauses) or "1 = 1"), params

    def query(self, sql: str, filters: Filters, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a query whose text contains {where}; a malformed search is retried as plain words."""
        clause, wparams = self.where(filters)
        try:
            return self.db.frame(sql.format(where=clause), [*wparams, *(params or [])])
        except Exception as exc:
            if not filters.search or not self.db.dialect.is_search_syntax_error(exc):
                raise
            clause, wparams = self.where(replace(filters, search=self.db.dialect.plain_terms(filters.search)))
            return self.db.frame(sql.format(where=clause), [*wparams, *(params or [])])

    def search_ranks(self, search: str) -> pd.Series:
        """The rank (lower is better) of each article matching a search, indexed by article id."""
        sql = self.db.dialect.search_ranked()
        try:
            rows = self.db.execute(sql, (search.strip(),)).fetchall()
        except Exception as exc:
            if not self.db.dialect.is_search_syntax_error(exc):
                raise
            rows = self.db.execute(sql, (self.db.dialect.plain_terms(search),)).fetchall()
        return pd.Series([r[1] for r in rows], index=[r[0] for r in rows], dtype=float, name="rank")
