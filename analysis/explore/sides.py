"""Coverage by side: an outlet's bias rating read as left, center or right (or unrated), a story's (or topic's,
entity's) outlets or articles counted by side, its coverage bar, and the corpus's own mix of sides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.explore.palette import bias_key

SIDES = ("left", "center", "right")


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


def story_counts(stories: pd.DataFrame) -> pd.DataFrame:
    """Outlets by side of each story (index story_id; columns left, center, right, unrated) from the stories' bias
    splits (dicts)."""
    rows = [sides(b) for b in stories["bias"]]
    return pd.DataFrame(rows, index=stories["story_id"].to_numpy(), columns=[*SIDES, "unrated"]).fillna(0).astype(int)


def article_counts(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Articles by side (from each article's outlet rating) of each value of column `by` of an article frame."""
    side = df["bias"].map(side_of)
    table = pd.crosstab(df[by], side)
    for s in (*SIDES, "unrated"):
        if s not in table.columns:
            table[s] = 0
    return table[[*SIDES, "unrated"]]


def _months(published: pd.Series) -> np.ndarray:
    """Month numbers (year * 12 + month) of timestamps; -1 where there is no date."""
    t = pd.to_datetime(published)
    return np.where(t.notna(), t.dt.year.fillna(0) * 12 + t.dt.month.fillna(0), -1).astype(int)


def timed_mix(articles: pd.DataFrame, items: pd.DataFrame, by: str) -> pd.DataFrame:
    """What each side's share of an item's rated articles would be if the item followed the mix of the months it
    was covered in: for each rated article of an item (items: rows with `by`, bias, published), its side's share
    of all rated articles (articles: bias, published) in that article's month (undated: the whole mix), averaged
    over the item's rated articles. Index: the values of `by`; columns: left, center, right. An outlet (or side)
    that stopped publishing before a topic arose is then not expected to cover it."""
    side = articles["bias"].map(side_of)
    rated = side.isin(SIDES).to_numpy()
    month = _months(articles["published"])[rated]
    table = pd.crosstab(month, side[rated].to_numpy()).reindex(columns=list(SIDES), fill_value=0)
    whole = table.sum(axis=0)
    shares = table.div(table.sum(axis=1), axis=0)
    overall = whole / whole.sum() if whole.sum() else whole.astype(float)
    shares.loc[-1] = overall
    item_side = items["bias"].map(side_of)
    mine = items[item_side.isin(SIDES).to_numpy()]
    if mine.empty:
        return pd.DataFrame(columns=list(SIDES), dtype=float)
    per = shares.reindex(_months(mine["published"])).fillna(overall)
    per.index = mine[by].to_numpy()
    return per.groupby(level=0).mean()
