"""Read-side queries: the filters, SQL with a malformed-search fallback, date bounds and periods."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd

from analysis.explore.periods import PERIODS, choose_period, period_start  # noqa: F401  (re-exported)
from analysis.store import Store


class QueryError(ValueError):
    """A filter that cannot be applied (e.g. a search the index cannot parse)."""


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects. Hashable, so UI caches can key on it."""

    start: date | None = None
    end: date | None = None
    outlets: tuple[str, ...] = ()
    search: str = ""
    biases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    topics: tuple[int, ...] = ()  # raw topic ids of the active fit (merged topics expanded by the caller)
    level: str = "topics"  # "themes": frames show each article's theme in its topic columns

    @property
    def noun(self) -> str:
        """What the topic columns of a frame count at this level: "topic" or "theme"."""
        return "theme" if self.level == "themes" else "topic"

    @property
    def narrows_content(self) -> bool:
        """True when topics or a search narrow the selection (not just which outlets and dates)."""
        return bool(self.topics or self.search.strip())

    def sources(self) -> Filters:
        """Only the filters that say which coverage counts (dates, outlets, bias, country): the base
        that shares of a topic or a search are taken of."""
        return replace(self, topics=(), search="")

    def where(self) -> tuple[str, list[Any]]:
        """SQL condition on table alias `a` and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.start or self.end:
            rng: list[str] = []
            if self.start:
                rng.append("a.published >= ?")
                params.append(self.start.isoformat())
            if self.end:
                rng.append("a.published < ?")
                params.append((pd.Timestamp(self.end) + pd.Timedelta(days=1)).date().isoformat())
            clauses.append("(" + " AND ".join(rng) + ")")
        if self.outlets:
            clauses.append(f"a.outlet IN ({','.join('?' * len(self.outlets))})")
            params.extend(self.outlets)
        for col, values in (("bias", self.biases), ("country", self.countries)):
            if values:
                clauses.append(f"a.outlet IN (SELECT name FROM outlets WHERE {col} IN ({','.join('?' * len(values))}))")
                params.extend(values)
        if self.topics:
            clauses.append(
                "a.id IN (SELECT article_id FROM article_topics WHERE fit_id = (SELECT CAST(value AS INTEGER)"
                f" FROM meta WHERE key = 'active_fit') AND topic IN ({','.join('?' * len(self.topics))}))"
            )
            params.extend(int(t) for t in self.topics)
        if self.search.strip():
            clauses.append("a.rid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(self.search.strip())
        return (" AND ".join(clauses) or "1"), params


def _quoted(search: str) -> str:
    """A search rewritten as plain terms, for text the FTS5 syntax cannot parse."""
    terms = [t for t in re.findall(r"\w+", search) if t not in ("AND", "OR", "NOT", "NEAR")]
    return " ".join(f'"{t}"' for t in terms) or '""'


def read_sql(store: Store, sql: str, filters: Filters, params: list[Any] | None = None) -> pd.DataFrame:
    """Run a query whose text contains {where}; retries a malformed search as plain words."""
    where, wparams = filters.where()
    try:
        return pd.read_sql_query(sql.format(where=where), store.conn, params=[*wparams, *(params or [])])
    except (sqlite3.OperationalError, pd.errors.DatabaseError) as exc:
        if "fts5" not in str(exc) and "MATCH" not in str(exc).upper():
            raise
        if not filters.search:
            raise
        fixed = replace(filters, search=_quoted(filters.search))
        where, wparams = fixed.where()
        return pd.read_sql_query(sql.format(where=where), store.conn, params=[*wparams, *(params or [])])


def all_outlets(store: Store) -> list[str]:
    """Outlet names, biggest first."""
    rows = store.conn.execute("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet")
    return [r[0] for r in rows]


def date_bounds(store: Store) -> tuple[date | None, date | None]:
    row = store.conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
    if not row or not row[0]:
        return None, None
    return pd.Timestamp(row[0]).date(), pd.Timestamp(row[1]).date()
