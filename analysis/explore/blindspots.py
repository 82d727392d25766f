"""Blindspots: a story, topic or
entity covered by fewer of one side than the corpus's own mix would give: a one-sided binomial test of that
side's count among the rated outlets (or articles) against its share of all rated coverage, Benjamini-
Hochberg corrected across every test shown, with a minimum of rated outlets (a story of three outlets can
never be a blindspot: even none of one side is likely by chance)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.explore.resolve import resolve
from analysis.explore.rows import last_labels
from analysis.explore.selection import Selection
from analysis.explore.sides import SIDES, article_counts, bar_text, mix, side_of, story_counts, timed_mix
from analysis.explore.stats import FDR, bh_adjust
from analysis.explore.stories import rows_of
from analysis.store import Database

TESTED = ("left", "right")
MIN_OUTLETS = 6
BLIND_COLUMNS = ["missing", "rated", "count", "share", "expected", "p_value", "q_value", "significant"]


@dataclass(frozen=True)
class Tested:
    """One row per (id, missing side) tested, lowest q first (id, then BLIND_COLUMNS), and how many tests ran."""

    table: pd.DataFrame
    tests: int
    untested: int = 0  # ids with some rated coverage, too little to test


def blindspots(
    counts: pd.DataFrame, expected: Mapping[str, float] | pd.DataFrame, min_rated: int = MIN_OUTLETS
) -> Tested:
    """Tests of every row of counts (an index of ids; columns left, center, right) with at least min_rated
    rated: for left and for right, P(that few or fewer | rated, the side's share of the mix). expected: one mix,
    or one per id (a frame indexed like counts, columns the sides: sides.timed_mix). Returns one row
    per (id, missing side) tested, lowest q first: missing, rated, count, share, expected, p_value, q_value
    (Benjamini-Hochberg across all rows returned), significant."""
    from scipy.special import bdtr

    rated = counts[list(SIDES)].sum(axis=1)
    enough = counts[rated >= min_rated]
    parts = []
    for side in TESTED:
        if isinstance(expected, pd.DataFrame):
            p_side = expected[side].reindex(enough.index).to_numpy(dtype=float)
        else:
            p_side = np.full(len(enough), float(expected.get(side, np.nan)))
        keep = np.isfinite(p_side) & (p_side > 0)
        if not keep.any():
            continue
        n = rated[enough.index].to_numpy(dtype=int)[keep]
        k = enough[side].to_numpy(dtype=int)[keep]
        p_side = p_side[keep]
        parts.append(
            pd.DataFrame(
                {
                    "id": enough.index[keep],
                    "missing": side,
                    "rated": n,
                    "count": k,
                    "share": k / n,
                    "expected": p_side,
                    "p_value": bdtr(k, n, p_side),
                }
            )
        )
    untested = int(((rated > 0) & (rated < min_rated)).sum())
    if not parts:
        return Tested(pd.DataFrame(columns=["id", *BLIND_COLUMNS]), 0, untested)
    out = pd.concat(parts, ignore_index=True)
    out["q_value"] = bh_adjust(out["p_value"].to_numpy())
    out["significant"] = out["q_value"] <= FDR
    out = out.sort_values(["q_value", "p_value", "id"]).reset_index(drop=True)
    return Tested(out[["id", *BLIND_COLUMNS]], len(out), untested)


@dataclass(frozen=True)
class Blindspots:
    """What one side covered less than the mix would give: the tested rows (significant first), how many tests
    ran, the mix (each side's share of all rated outlets or articles here) and what was counted (unit: outlets
    or articles)."""

    table: pd.DataFrame
    tests: int
    mix: dict[str, float]
    unit: str
    untested: int = 0  # stories, topics or entities with some rated coverage, too little to test


MIN_ARTICLES = 20


def topic_blindspots(df: pd.DataFrame, min_articles: int = MIN_ARTICLES, key: str = "topic") -> Blindspots:
    """Topics (key: or themes) of the selection (an article frame) whose rated articles hold fewer of one side
    than the selection's rated articles do: <key>, <key>_label, then the test's columns."""
    data = df[df[key] >= 0]
    counts = article_counts(data, key)
    expected = mix([dict(zip(counts.columns, r, strict=True)) for r in counts.to_numpy()])
    tested = blindspots(counts, timed_mix(data, data, key), min_articles)
    out = tested.table.rename(columns={"id": key})
    labels = last_labels(data, key, f"{key}_label")
    out.insert(1, f"{key}_label", out[key].map(labels))
    return Blindspots(out, tested.tests, expected, "articles", tested.untested)


def entity_blindspots(
    df: pd.DataFrame, links: pd.DataFrame, table: pd.DataFrame, min_articles: int = MIN_ARTICLES
) -> Blindspots:
    """Entities named in the selection's articles mostly by one side, against the mix of the rated articles
    naming any entity: entity_id, name, kind, then the test's columns."""
    named = links[links["article_id"].isin(df["article_id"])][["article_id", "entity_id"]].drop_duplicates()
    data = named.merge(df[["article_id", "bias"]], on="article_id")
    counts = article_counts(data, "entity_id")
    each = data.drop_duplicates("article_id")["bias"].map(side_of).value_counts().to_dict()
    expected = mix([each])  # each article once, however many entities it names
    naming = df[df["article_id"].isin(named["article_id"])]
    items = data.merge(df[["article_id", "published"]], on="article_id")
    tested = blindspots(counts, timed_mix(naming, items, "entity_id"), min_articles)
    out = tested.table.rename(columns={"id": "entity_id"})
    info = table.set_index("entity_id")
    out.insert(1, "name", out["entity_id"].map(info["name"]))
    out.insert(2, "kind", out["entity_id"].map(info["kind"]))
    return Blindspots(out, tested.tests, expected, "articles", tested.untested)


KINDS = ("stories", "topics", "entities")


def blind_spots(store: Database, selection: Selection, what: str = "stories", minimum: int | None = None) -> Blindspots:
    """Stories, topics (or themes, at that level) or entities of the selection covered by fewer of one side."""
    from analysis.explore import working

    if what not in KINDS:
        raise ValueError(f"Unknown kind {what!r}; use one of {', '.join(KINDS)}.")
    if what == "stories":
        return story_blindspots(store, selection, MIN_OUTLETS if minimum is None else minimum)
    r = resolve(store, selection)
    low = MIN_ARTICLES if minimum is None else minimum
    if what == "topics":
        found = topic_blindspots(r.rows, low, selection.unit)
    else:
        found = entity_blindspots(r.rows, working.links(store), working.entity_table(store), low)
    return Blindspots(found.table, found.tests, found.mix, found.unit, found.untested)


def monthly_mix(counts: pd.DataFrame, published: pd.Series) -> pd.DataFrame:
    """Each story's expected mix: the sides' shares of all rated outlets of the stories first published in its
    month (undated: of all stories), so an outlet that was not publishing then is not expected to cover it.
    counts: story_counts (index story ids); published: each story's first date, in the same order."""
    month = pd.to_datetime(published, utc=True).dt.strftime("%Y-%m").fillna("").to_numpy()
    rated = counts[list(SIDES)]
    by_month = rated.groupby(month).sum()
    whole = rated.sum()
    shares = by_month.div(by_month.sum(axis=1).replace(0, np.nan), axis=0)
    shares.loc[""] = whole / whole.sum() if whole.sum() else np.nan
    out = shares.reindex(month)
    out.index = counts.index
    return out


def story_blindspots(store: Database, selection: Selection, min_outlets: int = MIN_OUTLETS) -> Blindspots:
    """Stories of the selection covered by fewer left- or right-rated outlets than the mix of all their
    stories (analysis.explore.blindspots): story_id, title, first_published, outlets, coverage, then the
    test's columns."""
    r = resolve(store, selection)
    rows = rows_of(store, r.rows, 2)
    rows["bias"] = rows["bias"].map(lambda b: json.loads(b or "{}"))
    expected = mix(rows["bias"])
    counts = story_counts(rows)
    tested = blindspots(counts, monthly_mix(counts, rows["first_published"]), min_outlets)
    info = rows.set_index("story_id")
    out = tested.table.rename(columns={"id": "story_id"})
    out.insert(1, "title", out["story_id"].map(info["title"]))
    out.insert(2, "first_published", out["story_id"].map(info["first_published"]))
    out.insert(3, "outlets", out["story_id"].map(info["outlets"]))
    out.insert(4, "coverage", out["story_id"].map(info["bias"].map(bar_text)))
    return Blindspots(out, tested.tests, expected, "outlets", tested.untested)
