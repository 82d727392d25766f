"""Copying a store's derived tables to and from a plain SQLite file (how the demo ships its results). The
file is always SQLite; the store it is copied from or into may be any backend."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from analysis.store.base import Family


class Snapshot(Family):
    """Copying a store's derived tables to and from a plain SQLite file (how the demo ships its results)."""

    def export_tables(self, path: Path, tables: Sequence[str], meta_keys: Sequence[str]) -> None:
        """Write the tables, the meta rows named and the article ids they belong to into a new file."""
        keys = ", ".join("?" * len(meta_keys))
        parts: list[tuple[str, str, tuple[str, ...]]] = [(t, f"SELECT * FROM {t}", ()) for t in tables]
        parts += [("meta", f"SELECT * FROM meta WHERE key IN ({keys})", tuple(meta_keys))]
        parts += [("article_ids", "SELECT id FROM articles", ())]
        with closing(sqlite3.connect(path)) as snap, snap:
            for table, sql, params in parts:
                cur = self.db.execute(sql, params)
                cols = [d[0] for d in cur.description]
                snap.execute(f"CREATE TABLE {table} ({', '.join(cols)})")
                snap.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(cols))})", (tuple(r) for r in cur))
            if "fits" in tables:
                snap.execute("UPDATE fits SET model_path = NULL")  # no saved model folder ships

    def import_tables(self, path: Path, tables: Sequence[str]) -> bool:
        """Replace the tables with the file's, in one transaction, when the file was made for exactly this
        store's articles (False, and nothing written, otherwise). Columns the file lacks keep their defaults."""
        with closing(sqlite3.connect(path)) as snap:
            ids = {r[0] for r in snap.execute("SELECT id FROM article_ids")}
            if ids != {r[0] for r in self.db.execute("SELECT id FROM articles")}:
                return False
            with self.db.transaction():
                for table in tables:
                    theirs = {r[1] for r in snap.execute(f"PRAGMA table_info({table})")}
                    cols = [c for c in self.db.columns(table) if c in theirs]
                    self.db.execute(f"DELETE FROM {table}")
                    rows = snap.execute(f"SELECT {', '.join(cols)} FROM {table}")
                    self.db.executemany(
                        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows
                    )
                for key, value in snap.execute("SELECT key, value FROM meta").fetchall():
                    self.db.set_meta(key, value)
                self.db.bump_version()
        return True
