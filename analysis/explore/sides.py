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
