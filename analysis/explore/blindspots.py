"""Coverage bars and blindspots. A coverage bar is the share of a story's outlets (or a topic's or an
entity's articles) rated left, center and right, and how many are unrated. A blindspot is a story, topic or
entity covered by fewer of one side than the corpus's own mix would give: a one-sided binomial test of that
side's count among the rated outlets (or articles) against its share of all rated coverage, Benjamini-
Hochberg corrected across every test shown, with a minimum of rated outlets (a story of three outlets can
never be a blindspot: even none of one side is likely by chance)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.explore.palette import bias_key
from analysis.explore.rows import last_labels
from analysis.explore.stats import FDR, bh_adjust

if TYPE_CHECKING:
    from analysis.explore.selection import Selection
    from analysis.store import Store

SIDES = ("left", "center", "right")
TESTED = ("left", "right")
MIN_OUTLETS = 6
BLIND_COLUMNS = ["missing", "rated", "count", "share", "expected", "p_value", "q_value", "significant"]


def side_of(rating: object) -> str:
    """left (left, lean left), center, right (right, lean right), or unrated."""
    key = bias_key(rating)
    if key in ("left", "lean left"):
        return "left"
    if key in ("right", "lean right"):
        return "right"
    return "center" if key == "center" else "unrated"


def sides(split: Mapping[str, object]) -> dict[str, int]:
    """Counts by side from counts by rating ({"lean left": 2, "right": 1, "unknown": 3})."""
    out = dict.fromkeys((*SIDES, "unrated"), 0)
    for rating, n in split.items():
        out[side_of(rating)] += int(n or 0)  # type: ignore[call-overload]
    return out


def coverage_bar(split: Mapping[str, object]) -> pd.DataFrame:
    """side, count, share (of the rated), for a story's outlets or a topic's articles; unrated last with
    no share (it is not part of the split)."""
    counts = sides(split)
    rated = sum(counts[s] for s in SIDES)
    rows = [(s, counts[s], counts[s] / rated if rated else np.nan) for s in SIDES]
    rows.append(("unrated", counts["unrated"], np.nan))
    return pd.DataFrame(rows, columns=["side", "count", "share"])


def bar_text(split: Mapping[str, object]) -> str:
    """ "Left 2 (40%) · Center 1 (20%) · Right 2 (40%) · 3 unrated"."""
    counts = sides(split)  # coverage_bar's numbers without its DataFrame (200 stories' bars took a second)
    rated = sum(counts[s] for s in SIDES)
    parts = [f"{s.capitalize()} {counts[s]} ({counts[s] / rated:.0%})" for s in SIDES] if rated else []
    unrated = counts["unrated"]
    return " · ".join(parts + ([f"{unrated} unrated"] if unrated else [])) or "no rated outlet"


def mix(splits: Iterable[Mapping[str, object]]) -> dict[str, float]:
    """Each side's share of all rated coverage in these splits (the corpus's own mix)."""
    total = dict.fromkeys(SIDES, 0)
    for split in splits:
        for side, n in sides(split).items():
            if side in total:
                total[side] += n
    rated = sum(total.values())
    return {s: (total[s] / rated if rated else np.nan) for s in SIDES}


@dataclass(frozen=True)
class Tested:
    """One row per (id, missing side) tested, lowest q first (id, then BLIND_COLUMNS), and how many tests ran."""

    table: pd.DataFrame
    tests: int


def blindspots(counts: pd.DataFrame, expected: Mapping[str, float], min_rated: int = MIN_OUTLETS) -> Tested:
    """Tests of every row of counts (an index of ids; columns left, center, right) with at least min_rated
    rated: for left and for right, P(that few or fewer | rated, the side's share of the mix). Returns one row
    per (id, missing side) tested, lowest q first: missing, rated, count, share, expected, p_value, q_value
    (Benjamini-Hochberg across all rows returned), significant."""
    from scipy.special import bdtr

    rated = counts[list(SIDES)].sum(axis=1)
    enough = counts[rated >= min_rated]
    parts = []
    for side in TESTED:
        p_side = float(expected.get(side, np.nan))
        if not np.isfinite(p_side) or p_side <= 0:
            continue
        n = rated[enough.index].to_numpy(dtype=int)
        k = enough[side].to_numpy(dtype=int)
        parts.append(pd.DataFrame({"id": enough.index, "missing": side, "rated": n, "count": k, "share": k / n,
                                   "expected": p_side, "p_value": bdtr(k, n, p_side)}))  # fmt: skip
    if not parts:
        return Tested(pd.DataFrame(columns=["id", *BLIND_COLUMNS]), 0)
    out = pd.concat(parts, ignore_index=True)
    out["q_value"] = bh_adjust(out["p_value"].to_numpy())
    out["significant"] = out["q_value"] <= FDR
    out = out.sort_values(["q_value", "p_value", "id"]).reset_index(drop=True)
    return Tested(out[["id", *BLIND_COLUMNS]], len(out))


@dataclass(frozen=True)
class Blindspots:
    """What one side covered less than the mix would give: the tested rows (significant first), how many tests
    ran, the mix (each side's share of all rated outlets or articles here) and what was counted (unit: outlets
    or articles)."""

    table: pd.DataFrame
    tests: int
    mix: dict[str, float]
    unit: str
    notes: tuple[str, ...] = field(default=())


def story_counts(stories: pd.DataFrame) -> pd.DataFrame:
    """Outlets by side of each story (index story_id) from the stories' bias splits (dicts)."""
    rows = [sides(b) for b in stories["bias"]]
    return pd.DataFrame(rows, index=stories["story_id"].to_numpy())


def article_counts(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Articles by side (from each article's outlet rating) of each value of column `by` of an article frame."""
    side = df["bias"].map(side_of)
    table = pd.crosstab(df[by], side)
    for s in (*SIDES, "unrated"):
        if s not in table.columns:
            table[s] = 0
    return table[[*SIDES, "unrated"]]


MIN_ARTICLES = 20


def topic_blindspots(df: pd.DataFrame, min_articles: int = MIN_ARTICLES, key: str = "topic") -> Blindspots:
    """Topics (key: or themes) of the selection (an article frame) whose rated articles hold fewer of one side
    than the selection's rated articles do: <key>, <key>_label, then the test's columns."""
    data = df[df[key] >= 0]
    counts = article_counts(data, key)
    expected = mix([dict(zip(counts.columns, r, strict=True)) for r in counts.to_numpy()])
    tested = blindspots(counts, expected, min_articles)
    out = tested.table.rename(columns={"id": key})
    labels = last_labels(data, key, f"{key}_label")
    out.insert(1, f"{key}_label", out[key].map(labels))
    return Blindspots(out, tested.tests, expected, "articles")


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
    tested = blindspots(counts, expected, min_articles)
    out = tested.table.rename(columns={"id": "entity_id"})
    info = table.set_index("entity_id")
    out.insert(1, "name", out["entity_id"].map(info["name"]))
    out.insert(2, "kind", out["entity_id"].map(info["kind"]))
    return Blindspots(out, tested.tests, expected, "articles")


KINDS = ("stories", "topics", "entities")


def blind_spots(store: Store, selection: Selection, what: str = "stories", minimum: int | None = None) -> Blindspots:
    """Stories, topics (or themes, at that level) or entities of the selection covered by fewer of one side."""
    from analysis.explore import working
    from analysis.explore.resolve import resolve
    from analysis.explore.stories import story_blindspots

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
    return Blindspots(found.table, found.tests, found.mix, found.unit, r.notes)
