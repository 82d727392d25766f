"""Outlet metadata (country, bias, owner, ratings with source and date): import from CSV, edit, list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import BadInput, NotFound
from analysis.store import OUTLET_FIELDS, Database

NAME_COLUMNS = ("name", "outlet", "source", "publisher")


class OutletFileError(BadInput):
    """An outlet file that cannot be used; the message says why."""


def parse_rating(text: str) -> tuple[str, dict[str, str]]:
    """SOURCE=VALUE[@DATE] -> (source, {"value", "date"}); the date defaults to today."""
    if "=" not in text:
        raise BadInput(f"A rating is written SOURCE=VALUE[@DATE], e.g. AllSides=Center@2024-05-01; got {text!r}.")
    source, rest = text.split("=", 1)
    value, _, when = rest.partition("@")
    if not source.strip() or not value.strip():
        raise BadInput(f"A rating needs a source and a value; got {text!r}.")
    if when:
        try:
            date.fromisoformat(when.strip())
        except ValueError as exc:
            raise BadInput(f"The rating date {when!r} is not a YYYY-MM-DD date.") from exc
    return source.strip(), {"value": value.strip(), "date": when.strip() or date.today().isoformat()}


def set_outlet(store: Database, name: str, ratings: list[str] | None = None, **fields: str | None) -> None:
    """Edit one outlet: given fields replace the stored ones; ratings (SOURCE=VALUE[@DATE]) are added."""
    stored = store.outlets.ratings_of(name)
    if stored is None:
        raise NotFound(f"No outlet named {name!r} in the store; `python -m analysis outlets list` shows them.")
    changes: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
    if ratings:
        current = stored
        for r in ratings:
            source, value = parse_rating(r)
            current[source] = value
        changes["ratings"] = current
    if not changes:
        raise BadInput("Nothing to change: give --country, --bias, --bias-source, --owner, --domain or --rating.")
    store.outlets.update_outlet(name, **changes)


def import_outlets(store: Database, path: str | Path) -> dict[str, int]:
    """Outlet metadata from a CSV with a name column and any of domain, country, bias, bias_source,
    owner, plus optional rating, rating_source, rating_date. Outlets not in the store are added (their
    articles may come later). Returns counts: updated, added."""
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise OutletFileError(f"{path.name} could not be read as CSV ({str(exc).splitlines()[0]}).") from exc
    cols = {c.lower().strip(): c for c in df.columns}
    name_col = next((cols[c] for c in NAME_COLUMNS if c in cols), None)
    if name_col is None:
        raise OutletFileError(
            f"{path.name} has no outlet name column (looked for {', '.join(NAME_COLUMNS)};"
            f" it has {', '.join(df.columns)})."
        )
    fields = [f for f in OUTLET_FIELDS if f in cols]
    has_rating = "rating" in cols
    if not fields and not has_rating:
        raise OutletFileError(f"{path.name} has no outlet field to import (any of {', '.join(OUTLET_FIELDS)}, rating).")
    rows = []
    for _, r in df.iterrows():
        name = str(r[name_col]).strip()
        if not name:
            continue
        values: dict[str, Any] = {f: str(r[cols[f]]).strip() for f in fields if str(r[cols[f]]).strip()}
        if has_rating and str(r[cols["rating"]]).strip():
            source = str(r[cols["rating_source"]]).strip() if "rating_source" in cols else path.stem
            when = str(r[cols["rating_date"]]).strip() if "rating_date" in cols else date.today().isoformat()
            rating = {"value": str(r[cols["rating"]]).strip(), "date": when}
            values["ratings"] = lambda old, key=source or path.stem, rating=rating: {**old, key: rating}
        rows.append((name, values))
    return store.outlets.upsert_outlets(rows)


def outlet_list(store: Database) -> pd.DataFrame:
    """Every outlet with its metadata and article count."""
    df = store.outlets.outlet_table()
    df["ratings"] = df["ratings"].map(
        lambda s: "; ".join(f"{k}: {v.get('value')} ({v.get('date', '')})" for k, v in json.loads(s or "{}").items())
    )
    return df
