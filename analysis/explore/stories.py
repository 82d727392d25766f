"""Stories across outlets for the Stories page: the list (newest or biggest) and one story's coverage."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.explore.blindspots import (
    MIN_OUTLETS,
    article_counts,
    bar_text,
    blindspots,
    coverage_bar,
    mix,
    story_counts,
)  # fmt: skip
from analysis.filters import Filters
from analysis.store import Store

STORY_SORTS = {"biggest": "outlets DESC, articles DESC, first_published DESC", "newest": "first_published DESC"}


def story_list(
    store: Store, filters: Filters, sort: str = "biggest", min_outlets: int = 2, limit: int = 200, find: str = "",
    since: date | None = None, selection: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Stories with at least one article in the filters and min_outlets outlets (find: words their title
    must contain; since: first published on or after this day): story_id, title, first_published,
    first_outlet (several when they tie on a day), tied, precision, articles, outlets, outlet_list,
    bias_split, coverage (the coverage bar as text), matching (articles in the filters). attrs["total"]
    counts all such stories. selection: the article frame filtered by the same filters (the app has it in
    memory), from whose story ids the matching articles are counted instead of joining in the store."""
    if sort not in STORY_SORTS:
        raise ValueError(f"Unknown sort {sort!r}; use one of {', '.join(STORY_SORTS)}.")
    if selection is None:
        df = store.stories.story_rows(filters, min_outlets)
    else:
        df = _rows_of(store, selection, min_outlets)
    for word in find.lower().split():
        df = df[df["title"].str.lower().str.contains(word, regex=False)]
    if since is not None:
        df = df[df["first_published"].fillna("") >= since.isoformat()]
    total = len(df)
    if df.empty:
        df = df.assign(bias_split="", coverage="")
    else:
        key = STORY_SORTS[sort].split(", ")
        df = df.sort_values([k.split()[0] for k in key], ascending=[k.endswith("ASC") for k in key]).head(limit)
        df["outlet_list"] = df["outlet_list"].map(lambda s: ", ".join(json.loads(s)))
        df["bias_split"] = df["bias"].map(_bias_text)
        df["coverage"] = df["bias"].map(lambda b: bar_text(json.loads(b or "{}")))
        df["first_published"] = pd.to_datetime(df["first_published"], utc=True).dt.tz_localize(None)
    df = df.drop(columns=["bias"]).reset_index(drop=True)
    df.attrs["total"] = total
    return df


def _rows_of(store: Store, selection: pd.DataFrame, min_outlets: int) -> pd.DataFrame:
    """story_rows from a filtered article frame: each story's articles in it (a million-article join in SQL took
    seconds), beside the stories table."""
    ids = selection["story_id"].to_numpy(dtype=float)
    ids = ids[~np.isnan(ids)].astype(np.int64)
    found, matching = np.unique(ids, return_counts=True)
    table = store.stories.story_table(min_outlets)
    counts = pd.DataFrame({"story_id": found, "matching": matching})
    out = table.merge(counts, on="story_id", how="inner")
    return out.sort_values("story_id", kind="stable").reset_index(drop=True)


def bias_text(split: dict[str, int]) -> str:
    """The outlets of a story by bias rating, left to right, e.g. "left 2, center 1, unknown 3"
    ("unknown" for outlets without a rating; ratings with no outlet are left out)."""
    from analysis.explore.palette import bias_order

    shown = {k: int(v) for k, v in split.items() if int(v) > 0}
    order = bias_order(k for k in shown if k != "unknown") + (["unknown"] if "unknown" in shown else [])
    return ", ".join(f"{k} {shown[k]}" for k in order) or "unknown"


def _bias_text(raw: str) -> str:
    return bias_text(json.loads(raw or "{}"))


def story_detail(store: Store, story_id: int) -> dict[str, Any] | None:
    """One story: its row and its articles (id, outlet, title, published, lag_hours, lag_days, first,
    bias, tone)."""
    row = store.stories.story_row(story_id)
    if row is None:
        return None
    members = store.stories.story_articles(story_id)
    members["published"] = pd.to_datetime(members["published"], utc=True).dt.tz_localize(None)
    members["first"] = members["first"].astype(bool)
    story = dict(row)
    story["outlet_list"] = json.loads(story["outlet_list"])
    story["bias"] = json.loads(story["bias"] or "{}")
    story["bias_split"] = bias_text(story["bias"])
    story["coverage"] = coverage_bar(story["bias"])
    story["by_country"] = coverage_by_country(members)
    per_outlet = members.groupby("outlet")["lag_hours"].min().sort_values()
    return {"story": story, "members": members, "outlet_lags": per_outlet.reset_index()}


def coverage_by_country(members: pd.DataFrame) -> pd.DataFrame:
    """A story's outlets by country and side: country, left, center, right, unrated, outlets (most outlets
    first); empty when no outlet has a country."""
    cols = ["country", "left", "center", "right", "unrated", "outlets"]
    outlets = members.drop_duplicates("outlet")
    outlets = outlets[outlets["country"].fillna("").astype(str).str.strip() != ""]
    if outlets.empty:
        return pd.DataFrame(columns=cols)
    table = article_counts(outlets, "country").reset_index()
    table["outlets"] = table[["left", "center", "right", "unrated"]].sum(axis=1)
    return table.sort_values(["outlets", "country"], ascending=[False, True])[cols].reset_index(drop=True)


def story_blindspots(store: Store, filters: Filters, min_outlets: int = MIN_OUTLETS) -> pd.DataFrame:
    """Stories of the filters covered by fewer left- or right-rated outlets than the mix of all their
    stories (analysis.explore.blindspots): story_id, title, first_published, outlets, coverage, then the
    test's columns; attrs: tests, mix (each side's share of rated outlets over the stories)."""
    rows = store.stories.story_rows(filters, 2)
    rows["bias"] = rows["bias"].map(lambda b: json.loads(b or "{}"))
    expected = mix(rows["bias"])
    tested = blindspots(story_counts(rows), expected, min_outlets)
    info = rows.set_index("story_id")
    out = tested.rename(columns={"id": "story_id"})
    out.insert(1, "title", out["story_id"].map(info["title"]))
    out.insert(2, "first_published", out["story_id"].map(info["first_published"]))
    out.insert(3, "outlets", out["story_id"].map(info["outlets"]))
    out.insert(4, "coverage", out["story_id"].map(info["bias"].map(bar_text)))
    out.attrs.update(tests=tested.attrs["tests"], mix=expected, stories=len(rows))
    return out
