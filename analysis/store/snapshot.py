"""Copying a store's derived tables to and from a plain SQLite file (how the demo ships its results)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from analysis.store.sqlite import Store


def export_tables(store: Store, path: Path, tables: Sequence[str], meta_keys: Sequence[str]) -> None:
    """Write the tables, the meta rows named and the article ids they belong to into a new file."""
    store.conn.execute("ATTACH DATABASE ? AS snap", (str(path),))
    try:
        for table in tables:
            store.conn.execute(f"CREATE TABLE snap.{table} AS SELECT * FROM main.{table}")
        if "fits" in tables:
            store.conn.execute("UPDATE snap.fits SET model_path = NULL")  # no saved model folder ships
        keys = ", ".join("?" * len(meta_keys))
        store.conn.execute(f"CREATE TABLE snap.meta AS SELECT * FROM main.meta WHERE key IN ({keys})", tuple(meta_keys))
        store.conn.execute("CREATE TABLE snap.article_ids AS SELECT id FROM main.articles")
    finally:
        store.conn.execute("DETACH DATABASE snap")


def import_tables(store: Store, path: Path, tables: Sequence[str]) -> bool:
    """Replace the tables with the file's, in one transaction, when the file was made for exactly this
    store's articles (False, and nothing written, otherwise). Columns the file lacks keep their defaults."""
    with sqlite3.connect(path) as snap:
        ids = {r[0] for r in snap.execute("SELECT id FROM article_ids")}
    if ids != {r[0] for r in store.conn.execute("SELECT id FROM articles")}:
        return False
    store.conn.execute("ATTACH DATABASE ? AS snap", (str(path),))
    try:
        with store.transaction():
            for table in tables:
                mine = [r[1] for r in store.conn.execute(f"PRAGMA main.table_info({table})")]
                theirs = {r[1] for r in store.conn.execute(f"PRAGMA snap.table_info({table})")}
                cols = ", ".join(c for c in mine if c in theirs)
                store.conn.execute(f"DELETE FROM main.{table}")
                store.conn.execute(f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM snap.{table}")
            for key, value in store.conn.execute("SELECT key, value FROM snap.meta").fetchall():
                store.set_meta(key, value)
            store.bump_version()
    finally:
        store.conn.execute("DETACH DATABASE snap")
    return True
