"""The filters in SQL (the one SQL form of analysis.filters.Filters; analysis.explore.frames.apply_filters is
its in-memory twin, and tests/explore/test_frames.py holds them to the same rows), and full-text search.

The search condition and its syntax are the backend's dialect (an FTS5 query on SQLite); a search the engine
cannot parse is run again as plain words (dialect.plain_terms), here and nowhere else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
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
        found = self.search_rows(search)
        if found is not None and len(found[0]):
            return self._ids_of_rows(found[0].tolist(), found[1].tolist())
        if found is not None:
            return pd.Series([], index=pd.Index([], dtype=object), dtype=float, name="rank")
        rows = self._search(self.db.dialect.search_ranked(), search)
        return pd.Series([r[1] for r in rows], index=[r[0] for r in rows], dtype=float, name="rank")

    def search_rows(self, search: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(row numbers, ranks) of the articles matching a search, best first, when the search index answers by
        row number (SQLite); None otherwise (use search_ranks)."""
        by_row = self.db.dialect.search_ranked_rows()
        if not by_row:
            return None
        rows = self._search(by_row, search, tuples=True)
        rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        ranks = np.fromiter((r[1] for r in rows), dtype=float, count=len(rows))
        order = np.argsort(ranks, kind="stable")  # ties in row order; sorting here, not in SQL, halves a common word
        return rowids[order], ranks[order]

    def _search(self, sql: str, search: str, tuples: bool = False) -> list[Any]:
        """The rows of a search query; a search the engine's syntax refuses is run again as plain words."""
        run = self.db.tuples if tuples else (lambda q, p: self.db.execute(q, p).fetchall())
        try:
            return run(sql, (search.strip(),))
        except Exception as exc:
            if not self.db.dialect.is_search_syntax_error(exc):
                raise
            return run(sql, (self.db.dialect.plain_terms(search),))

    def _ids_of_rows(self, rowids: list[int], ranks: list[float]) -> pd.Series:
        """Ranks by row number as ranks by article id. Many rows are mapped through one scan of the id index (no
        article row is read: joining a common word's 420,000 matches to their rows read their text pages, 3 s
        warm and half a minute cold at a million articles); a few by looking each row up."""
        if len(rowids) > MANY_ROWS:
            pairs = self.db.execute("SELECT rid, id FROM articles").fetchall()  # read_sql took 2.5 s for a million
            ids = pd.Series([p[1] for p in pairs], index=np.fromiter((p[0] for p in pairs), np.int64, len(pairs)))
        else:
            step = self.db.dialect.max_params
            ids = pd.concat([self.db.frame(f"SELECT rid, id FROM articles WHERE rid IN ({','.join('?' * len(part))})",
                                           part) for part in (rowids[i : i + step]
                                                              for i in range(0, len(rowids), step))]
                            ).set_index("rid")["id"]  # fmt: skip
        found = ids.reindex(rowids)
        keep = found.notna().to_numpy()
        return pd.Series(ranks, dtype=float, name="rank")[keep].set_axis(found[keep].to_numpy())


MANY_ROWS = 20_000  # above this many matches, row numbers become ids through one scan of the id index
