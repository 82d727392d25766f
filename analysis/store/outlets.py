"""Outlet metadata rows: ratings, upserts from a metadata file, the outlet list with article counts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pandas as pd

from analysis.errors import BadInput, NotFound
from analysis.ingest.schema import OUTLET_FIELDS
from analysis.store.base import Family, utcnow


class Outlets(Family):
    """Outlet metadata rows: ratings, upserts from a metadata file, the outlet list with article counts."""

    def biases(self) -> dict[str, str]:
        """Each outlet's bias rating ('' when unrated)."""
        return dict(self.db.execute("SELECT name, coalesce(bias, '') FROM outlets").fetchall())

    def records(self) -> list[dict[str, Any]]:
        """Every outlet row as a dict, by name."""
        return [dict(r) for r in self.db.execute("SELECT * FROM outlets ORDER BY name")]

    def update_outlet(self, name: str, **fields: Any) -> None:
        """Edit an outlet's metadata (domain, country, bias, bias_source, owner, ratings)."""
        unknown = set(fields) - set(OUTLET_FIELDS) - {"ratings"}
        if unknown:
            raise BadInput(f"Unknown outlet field(s): {', '.join(sorted(unknown))}")
        if "ratings" in fields and not isinstance(fields["ratings"], str):
            fields["ratings"] = json.dumps(fields["ratings"])
        with self.db.transaction():
            cur = self.db.execute(
                f"UPDATE outlets SET {', '.join(f'{k} = ?' for k in fields)}, updated_at = ? WHERE name = ?",
                (*fields.values(), utcnow(), name),
            )
            if not cur.rowcount:
                raise NotFound(f"No outlet named {name!r} in the store.")
            self.db.bump_version()

    def set_outlet(self, name: str, ratings: dict[str, dict[str, str]] | None = None, **fields: str | None) -> None:
        """Edit one outlet: given fields replace the stored ones; ratings (source -> value and date) are added."""
        stored = self.ratings_of(name)
        if stored is None:
            raise NotFound(f"No outlet named {name!r} in the store; `python -m analysis outlets list` shows them.")
        changes: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
        if ratings:
            changes["ratings"] = {**stored, **ratings}
        if not changes:
            raise BadInput("Nothing to change: give --country, --bias, --bias-source, --owner, --domain or --rating.")
        self.update_outlet(name, **changes)

    def listing(self) -> pd.DataFrame:
        """Every outlet with its metadata, its ratings as text ("AllSides: Center (2024-05-01)") and article count."""
        df = self.outlet_table()
        df["ratings"] = df["ratings"].map(
            lambda s: "; ".join(
                f"{k}: {v.get('value')} ({v.get('date', '')})" for k, v in json.loads(s or "{}").items()
            )
        )
        return df

    def ratings_of(self, name: str) -> dict[str, Any] | None:
        """An outlet's ratings by source, or None when there is no such outlet."""
        row = self.db.execute("SELECT ratings FROM outlets WHERE name = ?", (name,)).fetchone()
        return None if row is None else json.loads(row[0] or "{}")

    def upsert_outlets(self, rows: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, int]:
        """(name, values) rows in one transaction: a missing outlet is added, given values replace the stored
        ones; values["ratings"] may be a callable taking the stored ratings. Returns counts: updated, added."""
        counts = {"updated": 0, "added": 0}
        now = utcnow()
        with self.db.transaction():
            for name, values in rows:
                existing = self.db.execute("SELECT ratings FROM outlets WHERE name = ?", (name,)).fetchone()
                if existing is None:
                    self.db.execute("INSERT INTO outlets (name, ratings, updated_at) VALUES (?, '{}', ?)", (name, now))
                    counts["added"] += 1
                else:
                    counts["updated"] += 1
                values = dict(values)
                if callable(values.get("ratings")):
                    values["ratings"] = json.dumps(
                        values["ratings"](json.loads((existing[0] if existing else None) or "{}"))
                    )
                if values:
                    self.db.execute(
                        f"UPDATE outlets SET {', '.join(f'{k} = ?' for k in values)}, updated_at = ? WHERE name = ?",
                        (*values.values(), now, name),
                    )
            self.db.bump_version()
        return counts

    def outlet_table(self) -> pd.DataFrame:
        """Every outlet with its metadata (ratings as stored JSON) and article count, most articles first."""
        return self.db.frame(
            "SELECT o.name, o.domain, o.country, o.bias, o.bias_source, o.owner, o.ratings,"
            " (SELECT count(*) FROM articles a WHERE a.outlet = o.name) AS articles FROM outlets o"
            " ORDER BY articles DESC, o.name"
        )

    def rename_bias_source(self, prefix: str, new: str) -> None:
        """Outlets whose bias source starts with prefix get the new source name."""
        self.db.execute("UPDATE outlets SET bias_source = ? WHERE bias_source LIKE ?", (new, prefix + "%"))

    def outlet_values(self, column: str) -> list[str]:
        """The distinct non-empty values of an outlet field (bias or country), sorted."""
        if column not in ("bias", "country"):
            raise ValueError(f"Outlets cannot be grouped by {column!r}.")
        rows = self.db.execute(
            f"SELECT DISTINCT {column} FROM outlets WHERE coalesce({column}, '') != '' ORDER BY {column}"
        ).fetchall()
        return [r[0] for r in rows]

    def outlet_rows(self) -> pd.DataFrame:
        """The outlets table as stored, by name."""
        return self.db.frame("SELECT * FROM outlets ORDER BY name")
