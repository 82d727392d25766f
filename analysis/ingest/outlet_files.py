"""Outlet metadata (country, bias, owner, ratings with source and date) read from a CSV file or a rating given on
the command line; the store keeps it (store.outlets)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import BadInput
from analysis.ingest.schema import OUTLET_FIELDS

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


def read_outlet_file(path: str | Path) -> list[tuple[str, dict[str, Any]]]:
    """Outlet metadata from a CSV with a name column and any of domain, country, bias, bias_source, owner, plus
    optional rating, rating_source, rating_date: (name, values) rows for the store's upsert_outlets, which adds an
    outlet it does not have (its articles may come later); values["ratings"] adds to the stored ratings."""
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
    return rows
