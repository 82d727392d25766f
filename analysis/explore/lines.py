"""Attention to several things at once: each compared line (a search, a set of topics or themes, people and
organisations) as a share of all coverage over time, the same base for every line so the lines compare, overall
or within each outlet, bias group or country."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.explore.resolve import Resolved, resolve
from analysis.explore.results import OverTime
from analysis.explore.selection import Selection, ThemeId, TopicId
from analysis.explore.trends import attention, biggest
from analysis.store import Database
from analysis.store.query import read


@dataclass(frozen=True)
class Line:
    """One compared line of an attention chart: a search, a set of topics or themes, or entities; its articles
    are counted among the base (all coverage of the chosen dates, outlets, bias and country)."""

    label: str
    search: str = ""
    topics: tuple[TopicId, ...] = field(default=())
    themes: tuple[ThemeId, ...] = field(default=())
    entities: tuple[int, ...] = field(default=())


def line_mask(store: Database, r: Resolved, line: Line) -> tuple[np.ndarray, tuple[str, ...]]:
    """Which rows of the base a line counts, and the sentences on how its search was read."""
    from analysis.explore import working
    from analysis.explore.rows import aligned, positions_in

    base = r.base
    if line.search:
        hits = working.search(store, line.search)
        return ~np.isnan(aligned(base, hits.ranks)), tuple(f"{line.label}: {n}" for n in hits.notes)
    if line.topics:
        return base["topic"].isin([t.value for t in line.topics]).to_numpy(), ()
    if line.themes:
        return base["theme"].isin([t.value for t in line.themes]).to_numpy(), ()
    if line.entities:
        named = working.mentioning(store, line.entities)
        if not len(named):
            return np.zeros(len(base), dtype=bool), ()
        return positions_in(base["article_id"], pd.Series(named, dtype=object)) >= 0, ()
    return np.zeros(len(base), dtype=bool), ()


def compared(
    store: Database, selection: Selection, lines: tuple[Line, ...], period: str | None = None, by: str | None = None
) -> OverTime:
    """Attention over time of several lines, each a share of all coverage (of the sidebar's dates, outlets, bias
    and country; its topics, themes, mentions and search do not apply here), overall or within each group (by:
    the 6 biggest outlets, bias or country)."""
    r = resolve(store, selection.sources())
    base = r.base
    keep = np.ones(len(base), dtype=bool)
    if by == "outlet":
        keep = base["outlet"].isin(biggest(base)).to_numpy()
    masks, notes = [], []
    for line in lines:
        if line.search and (query := read(line.search)).empty:  # nothing to search for: no flat line at zero
            notes += [f"{line.label} is not drawn: {n}" for n in query.notes]
            continue
        mask, said = line_mask(store, r, line)
        masks.append((line.label, mask[keep]))
        notes += said
    notes += [f"{label} matches no article in the chosen dates and outlets." for label, m in masks if not m.any()]
    out = attention(base[keep], masks, r.span, period, by)
    return OverTime(out.table, out.period, out.key, out.measure, (*notes, *out.notes))
