"""Stories across outlets for the Stories page: the selection's stories (newest or biggest) and one story's
coverage."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.explore.resolve import resolve
from analysis.explore.selection import Selection
from analysis.explore.sides import article_counts, bar_text, coverage_bar
from analysis.store import Database
from analysis.store.query import matches_text, read

STORY_SORTS = {"biggest": "outlets DESC, articles DESC, first_published DESC", "newest": "first_published DESC"}


@dataclass(frozen=True)
class StoryList:
    """Stories with an article in the selection (and min_outlets outlets): story_id, title, first_published,
    first_outlet (several when they tie on a day), tied, precision, articles, outlets, outlet_list, bias_split,
    coverage (the coverage bar as text), matching (its articles in the selection); at most a page of them, and
    how many there are in all."""

    table: pd.DataFrame
    total: int
    notes: tuple[str, ...] = field(default=())
    searched: bool = True  # False when "Find a story" holds text with no word to look for


def story_list(
    store: Database,
    selection: Selection,
    sort: str = "biggest",
    min_outlets: int = 2,
    limit: int = 200,
    find: str = "",
    since: date | None = None,
) -> StoryList:
    """The selection's stories, biggest or newest first; find: a search of their headlines (the search boxes'
    syntax, word for word); since: first published on or after this day."""
    if sort not in STORY_SORTS:
        raise ValueError(f"Unknown sort {sort!r}; use one of {', '.join(STORY_SORTS)}.")
    r = resolve(store, selection)
    df = rows_of(store, r.rows, min_outlets)
    notes: list[str] = []
    searched = True
    if find.strip():
        query = read(find)
        searched = not query.empty
        notes += [f"Find a story: {n}" for n in query.notes]
        df = df[[matches_text(query.node, t) for t in df["title"].fillna("")]] if len(df) else df
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
    return StoryList(df, total, tuple(dict.fromkeys(notes)), searched)


def rows_of(store: Database, selection: pd.DataFrame, min_outlets: int) -> pd.DataFrame:
    """The stories (with min_outlets outlets) of the rows of an article frame, with `matching`: how many of
    their articles are among those rows (a million-article join in SQL took seconds)."""
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


@dataclass(frozen=True)
class Story:
    """One story: its id, title (its most central headline), first outlet(s) and when, how many tie for first,
    the precision of its dates (time or day), its articles and outlets, the outlets' list and their bias split."""

    story_id: int
    title: str
    first_published: str | None
    first_outlet: str | None
    tied: int
    precision: str
    articles: int
    outlets: int
    outlet_list: list[str]
    bias: dict[str, int]
    bias_split: str

    @property
    def timed(self) -> bool:
        return self.precision == "time"

    @property
    def when(self) -> str:
        """Its first date as precisely as it is known ("2020-03-10 06:00 UTC", or "2020-03-10")."""
        text = (self.first_published or "")[: 16 if self.timed else 10].replace("T", " ")
        return text + (" UTC" if self.timed and text else "")


def story_of(row: dict[str, Any]) -> Story:
    """A stored story row as a Story."""
    bias = json.loads(str(row.get("bias") or "{}"))
    return Story(
        story_id=int(row["story_id"]),
        title=str(row.get("title") or ""),
        first_published=row.get("first_published"),
        first_outlet=row.get("first_outlet"),
        tied=int(row.get("tied") or 1),
        precision=str(row.get("precision") or "time"),
        articles=int(row.get("articles") or 0),
        outlets=int(row.get("outlets") or 0),
        outlet_list=list(json.loads(str(row.get("outlet_list") or "[]"))),
        bias={str(k): int(v) for k, v in bias.items()},
        bias_split=bias_text(bias),
    )


@dataclass(frozen=True)
class StoryDetail:
    """One story: its row (title, first outlet(s) and time, precision of its dates, sizes, outlets, the split by
    bias as text and as a coverage bar, the outlets by country and side) and its articles, oldest first (id,
    outlet, title, published, lag_hours, lag_days, first, bias, tone, country)."""

    story: Story
    members: pd.DataFrame
    coverage: pd.DataFrame
    by_country: pd.DataFrame
    entities: pd.DataFrame


def story_detail(store: Database, story_id: int) -> StoryDetail | None:
    """One story, or None when there is no such story (stories are regrouped when the pipeline runs)."""
    from analysis.explore.entities import named_in

    row = store.stories.story_row(int(story_id))
    if row is None:
        return None
    members = store.stories.story_articles(int(story_id))
    members["published"] = pd.to_datetime(members["published"], utc=True).dt.tz_localize(None)
    members["first"] = members["first"].astype(bool)
    members.insert(4, "when", [when(p, pr) for p, pr in zip(members["published"], members["precision"], strict=True)])
    story = story_of(row)
    return StoryDetail(
        story, members, coverage_bar(story.bias), coverage_by_country(members), named_in(store, tuple(members["id"]))
    )


def when(published: object, precision: object) -> str:
    """A date as precisely as it is known: "2019-04-17 14:05" (UTC) or "2019-04-17" (a day only); "" when none."""
    if published is None or pd.isna(published):
        return ""
    t = pd.Timestamp(published)
    return f"{t:%Y-%m-%d}" if precision == "day" else f"{t:%Y-%m-%d %H:%M}"


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
