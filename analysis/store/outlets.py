"""Outlet metadata rows: ratings, upserts from a metadata file, the outlet list with article counts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pandas as pd

from analysis.store.sqlite import Store, utcnow


def ratings_of(store: Store, name: str) -> dict[str, Any] | None:
    """An outlet's ratings by source, or None when there is no such outlet."""
    row = store.conn.execute("SELECT ratings FROM outlets WHERE name = ?", (name,)).fetchone()
    return None if row is None else json.loads(row[0] or "{}")


def upsert_outlets(store: Store, rows: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, int]:
    """(name, values) rows in one transaction: a missing outlet is added, given values replace the stored
    ones; values["ratings"] may be a callable taking the stored ratings. Returns counts: updated, added."""
    counts = {"updated": 0, "added": 0}
    now = utcnow()
    with store.transaction():
        for name, values in rows:
            existing = store.conn.execute("SELECT ratings FROM outlets WHERE name = ?", (name,)).fetchone()
            if existing is None:
                store.conn.execute("INSERT INTO outlets (name, ratings, updated_at) VALUES (?, '{}', ?)", (name, now))
                counts["added"] += 1
            else:
                counts["updated"] += 1
            values = dict(values)
            if callable(values.get("ratings")):
                values["ratings"] = json.dumps(
                    values["ratings"](json.loads((existing[0] if existing else None) or "{}"))
                )
            if values:
                store.conn.execute(
                    f"UPDATE outlets SET {', '.join(f'{k} = ?' for k in values)}, updated_at = ? WHERE name = ?",
                    (*values.values(), now, name),
                )
        store.bump_version()
    return counts


def outlet_table(store: Store) -> pd.DataFrame:
    """Every outlet with its metadata (ratings as stored JSON) and article count, most articles first."""
    return pd.read_sql_query(
        "SELECT o.name, o.domain, o.country, o.bias, o.bias_source, o.owner, o.ratings,"
        " (SELECT count(*) FROM articles a WHERE a.outlet = o.name) AS articles FROM outlets o"
        " ORDER BY articles DESC, o.name",
        store.conn,
    )


def rename_bias_source(store: Store, prefix: str, new: str) -> None:
    """Outlets whose bias source starts with prefix get the new source name."""
    store.conn.execute("UPDATE outlets SET bias_source = ? WHERE bias_source LIKE ?", (new, prefix + "%"))


def outlet_values(store: Store, column: str) -> list[str]:
    """The distinct non-empty values of an outlet field (bias or country), sorted."""
    if column not in ("bias", "country"):
        raise ValueError(f"Outlets cannot be grouped by {column!r}.")
    rows = store.conn.execute(
        f"SELECT DISTINCT {column} FROM outlets WHERE coalesce({column}, '') != '' ORDER BY {column}"
    ).fetchall()
    return [r[0] for r in rows]


def outlet_rows(store: Store) -> pd.DataFrame:
    """The outlets table as stored, by name."""
    return pd.read_sql_query("SELECT * FROM outlets ORDER BY name", store.conn)
