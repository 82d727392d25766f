"""Per-article outputs of the pipeline's stages: one table per stage, keyed by article id, whose rows say what the
stage has done; the version of the code that wrote them; and the corpus's term counts the tags are weighed
against. The store takes and returns plain rows: what a stage computes and how is the pipeline's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis.store.base import Family
from analysis.store.pg_schema import translate

COLUMN_TYPES = frozenset({"TEXT", "REAL", "INTEGER", "BLOB", "TEXT NOT NULL", "REAL NOT NULL", "INTEGER NOT NULL"})


def table_sql(table: str, columns: Sequence[tuple[str, str]]) -> str:
    """CREATE TABLE IF NOT EXISTS for a stage's table: article_id, then (name, type) columns."""
    for name, kind in columns:
        if not name.isidentifier() or kind not in COLUMN_TYPES:
            raise ValueError(f"bad column for {table}: {name} {kind}")
    cols = ", ".join(f"{n} {k}" for n, k in columns)
    return f"CREATE TABLE IF NOT EXISTS {table} (article_id TEXT PRIMARY KEY, {cols})"


class Outputs(Family):
    """Per-article stage tables, the versions that wrote them, and the tags' term counts."""

    def ensure(self, table: str, columns: Sequence[tuple[str, str]]) -> None:
        """Create a stage's table when the store does not have it yet (a stage added after the store was made)."""
        if not self.db.columns(table):
            sql = table_sql(table, columns)
            with self.db.transaction():
                self.db.execute(sql if self.db.dialect.name == "sqlite" else translate(sql) or sql)

    def shape(self, table: str) -> list[tuple[str, str]]:
        """A stage table's (name, type) columns after article_id, as ensure takes them: what another store needs to
        make the same table (migrate)."""
        return [
            (n, f"{t} NOT NULL" if not_null else t)
            for n, t, not_null in self.db.column_types(table)
            if n != "article_id"
        ]

    def missing(self, table: str, ids: Sequence[str]) -> list[str]:
        """Which of these articles have no row in the table, in the order given."""
        have: set[str] = set()
        step = self.db.dialect.max_params
        for i in range(0, len(ids), step):
            part = list(ids[i : i + step])
            rows = self.db.tuples(
                f"SELECT article_id FROM {table} WHERE article_id IN ({','.join('?' * len(part))})", part
            )
            have |= {r[0] for r in rows}
        return [i for i in ids if i not in have]

    def read(self, table: str, columns: Sequence[str], ids: Sequence[str] | None = None) -> pd.DataFrame:
        """(article_id, *columns) of a stage's table, for these articles or all; empty (with those columns) when
        the store has no such table yet."""
        names = ["article_id", *columns]
        have = set(self.db.columns(table))
        if not have or not set(names) <= have:
            return pd.DataFrame(columns=names)
        sql = f"SELECT {', '.join(names)} FROM {table}"
        if ids is None:
            return self.db.frame(sql + " ORDER BY article_id")
        step = self.db.dialect.max_params
        parts = [
            self.db.frame(
                f"{sql} WHERE article_id IN ({','.join('?' * len(ids[i : i + step]))})", list(ids[i : i + step])
            )
            for i in range(0, len(ids), step)
        ]
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=names)
        return out.sort_values("article_id", kind="stable").reset_index(drop=True)

    def done_count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def save(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Rows of (article_id, *columns), replacing an article's earlier row, in one transaction."""
        sql = self.db.dialect.insert(table, ("article_id", *columns), conflict="replace", keys=("article_id",))
        with self.db.transaction():
            self.db.executemany(sql, rows)
            self.db.bump_version()

    def version(self, stage: str) -> str:
        """The version of the stage's code that wrote its rows ('' when none recorded)."""
        return self.db.meta(f"stage:{stage}", "")

    def reset(self, stage: str, table: str | None, version: str) -> None:
        """Start a stage again under a new version: its rows go (they were made by other code)."""
        with self.db.transaction():
            if table:
                self.db.execute(f"DELETE FROM {table}")
            self.db.set_meta(f"stage:{stage}", version)
            self.db.bump_version()

    def set_version(self, stage: str, version: str) -> None:
        with self.db.transaction():
            self.db.set_meta(f"stage:{stage}", version)

    def rates(self) -> dict[str, float]:
        """Articles per second this machine measured on its last runs, by step ("stages", "topics")."""
        rows = self.db.tuples("SELECT key, value FROM meta WHERE key LIKE 'rate:%'")
        return {str(k)[5:]: float(v) for k, v in rows if v}

    def record_rate(self, step: str, articles: int, seconds: float, at_least: int = 200) -> None:
        """Keep a run's rate for the next estimate (a run of fewer than at_least articles says little: not kept)."""
        if articles >= at_least and seconds > 0:
            with self.db.transaction():
                self.db.set_meta(f"rate:{step}", f"{articles / seconds:.3f}")

    def term_stats(self) -> tuple[int, dict[str, int]] | None:
        """(documents, term -> documents holding it) of the corpus the tags were made against; None when no
        full run has recorded them (a store from before they were kept)."""
        docs = self.db.meta("tag_docs", "")
        if not docs:
            return None
        return int(docs), dict(self.db.execute("SELECT term, docs FROM tag_terms").fetchall())

    def save_term_stats(self, docs: int, df: dict[str, int]) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM tag_terms")
            self.db.executemany("INSERT INTO tag_terms(term, docs) VALUES (?, ?)", df.items())
            self.db.set_meta("tag_docs", str(docs))
