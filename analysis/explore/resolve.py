"""A selection resolved in a store, in one place: the selected articles, the base every share of them is counted
against (the same dates, outlets, bias and country, with no topic, theme, mention or search narrowing it), the
days charts over time cover, the search as read, and the sentences a user needs (a search read otherwise than
typed, a chosen outlet with no article in the selection and why, a value the store does not have)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from analysis.explore import working
from analysis.explore.rows import aligned, keep, positions_in
from analysis.explore.selection import Selection
from analysis.store import Database

Span = tuple[pd.Timestamp, pd.Timestamp]


@dataclass(frozen=True)
class Resolved:
    """What a selection picks in a store version. `rows` and `base` are rows of the shared article frame
    (analysis.explore.frames; never modify them); rows is always a subset of base."""

    selection: Selection
    rows: pd.DataFrame
    base: pd.DataFrame
    span: Span | None
    hits: working.Hits | None
    notes: tuple[str, ...]
    absent: tuple[tuple[str, str], ...]  # chosen outlets with no article in the selection, and why

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def ranks(self) -> pd.Series | None:
        """The search's rank of each matching row, by frame row label (None without a search)."""
        return None if self.hits is None else self.hits.ranks


def resolve(store: Database, selection: Selection) -> Resolved:
    """The selection in this store version (kept for the few most recent selections)."""
    return working.memo(store, "resolved", (selection,), lambda: _resolve(store, selection))


def _resolve(store: Database, sel: Selection) -> Resolved:
    df = working.frame(store)
    notes: list[str] = list(sel.notes)
    mask = np.ones(len(df), dtype=bool)
    if sel.start is not None:
        mask &= (df["published"] >= pd.Timestamp(sel.start, tz="UTC")).to_numpy()
    if sel.end is not None:
        mask &= (df["published"] < pd.Timestamp(sel.end, tz="UTC") + pd.Timedelta(days=1)).to_numpy()
    for col, values in (("outlet", sel.outlets), ("bias", sel.biases), ("country", sel.countries)):
        if values:
            mask &= df[col].isin(values).to_numpy()
    base = keep(df, mask)
    content = np.ones(len(base), dtype=bool)
    if sel.topics:
        content &= base["topic"].isin([t.value for t in sel.topics]).to_numpy()
    if sel.themes:
        content &= base["theme"].isin([t.value for t in sel.themes]).to_numpy()
    hits = None
    if sel.search:
        hits = working.search(store, sel.search)
        notes += hits.notes
        content &= ~np.isnan(aligned(base, hits.ranks))
    if sel.mentions:
        named = working.mentioning(store, sel.mentions)
        content &= positions_in(base["article_id"], pd.Series(named, dtype=object)) >= 0 if len(named) else False
    rows = keep(base, content)
    notes += _unknown(store, df, sel)
    absent = absent_outlets(store, sel.outlets, rows, sel)
    return Resolved(sel, rows, base, span_of(store, sel), hits, tuple(dict.fromkeys(notes)), absent)


def span_of(store: Database, sel: Selection) -> Span | None:
    """The days charts over time cover: the store's first to last dated article, narrowed by the dates."""
    df = working.frame(store)

    def bounds() -> tuple[pd.Timestamp, pd.Timestamp] | None:
        dated = df["published"].dropna()
        if dated.empty:
            return None
        return _day(dated.min()), _day(dated.max())

    whole = working.memo(store, "bounds", (), bounds)
    if whole is None:
        return None
    start = pd.Timestamp(sel.start) if sel.start else whole[0]
    end = pd.Timestamp(sel.end) if sel.end else whole[1]
    return (start, end) if start <= end else None


def _days(ts: pd.Series) -> pd.Series:
    """Each timestamp's day, naive UTC."""
    t = pd.to_datetime(ts)
    return (t.dt.tz_convert("UTC").dt.tz_localize(None) if t.dt.tz is not None else t).dt.normalize()


def _day(ts: pd.Timestamp) -> pd.Timestamp:
    t = pd.Timestamp(ts)
    return (t.tz_convert("UTC").tz_localize(None) if t.tzinfo else t).normalize()


def absent_outlets(
    store: Database, chosen: tuple[str, ...], rows: pd.DataFrame, sel: Selection, column: str = "outlet"
) -> tuple[tuple[str, str], ...]:
    """Each chosen outlet (or bias rating, or country: column) with no article among rows, with the reason in
    words: not in the store, outside its coverage window, or nothing matching the rest of the selection."""
    if not chosen:
        return ()
    present = set(rows[column].fillna("unknown").replace("", "unknown").astype(str)) if len(rows) else set()
    missing = [c for c in chosen if c not in present]
    if not missing:
        return ()
    known = _known_values(store, column)
    kept = {"outlet": sel.outlets, "bias": sel.biases, "country": sel.countries}.get(column, ())
    out = []
    for name in missing:
        if name not in known:
            out.append((name, "not in this store"))
            continue
        if kept and name not in kept:  # the filter chose others: say which filter, not "nothing matches"
            more = f" and {len(kept) - 3} more" if len(kept) > 3 else ""
            out.append((name, f"the {column} filter keeps only {', '.join(kept[:3])}{more}"))
            continue
        window = _window(store, name, column)
        if window is None:
            out.append((name, "none of its articles has a date" if sel.start or sel.end else "no article matches"))
        elif (sel.end and window[0] > pd.Timestamp(sel.end)) or (sel.start and window[1] < pd.Timestamp(sel.start)):
            out.append((name, f"its articles run {window[0]:%Y-%m-%d} to {window[1]:%Y-%m-%d}, outside these dates"))
        else:
            out.append((name, "none of its articles matches the rest of the selection"))
    return tuple(out)


def _units(df: pd.DataFrame, col: str) -> set[int]:
    return set(df[col].astype(int).tolist())


def _known_values(store: Database, column: str) -> set[str]:
    df = working.frame(store)
    return working.memo(
        store, "values", (column,), lambda: set(df[column].fillna("unknown").replace("", "unknown").unique().tolist())
    )


def _window(store: Database, name: str, column: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last day of an outlet's (or group's) dated articles in the whole store."""

    def windows() -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
        df = working.frame(store)
        key = df[column].fillna("unknown").replace("", "unknown").astype(str)
        dated = df["published"].notna().to_numpy()
        g = df.loc[dated, "published"].groupby(key[dated].to_numpy())
        first, last = _days(g.min()), _days(g.max())
        return dict(zip(first.index.astype(str), zip(first, last, strict=True), strict=True))

    return working.memo(store, "windows", (column,), windows).get(name)


def _unknown(store: Database, df: pd.DataFrame, sel: Selection) -> list[str]:
    """Sentences for chosen values the store does not have (outlets are named by absent_outlets)."""
    notes = []
    for what, col, values in (("bias ratings", "bias", sel.biases), ("countries", "country", sel.countries)):
        unknown = sorted(set(values) - _known_values(store, col))
        if unknown:
            notes.append(f"No outlet has the {what} {', '.join(unknown[:5])}; nothing matches them.")
    for noun, col, ids in (("topic", "topic", sel.topics), ("theme", "theme", sel.themes)):
        present = working.memo(store, "units", (col,), partial(_units, df, col))
        gone = [str(i) for i in ids if i.value not in present]
        if gone:
            notes.append(
                f"The current model has no {noun} {', '.join(gone[:5])} with articles (a refit or an edit may have"
                " replaced it); nothing matches it."
            )
    if sel.mentions:
        table = working.entity_table(store)
        absent = sorted(set(sel.mentions) - set(table["entity_id"].astype(int).tolist())) if len(table) else []
        if absent:
            notes.append(f"There is no entity {', '.join(map(str, absent[:5]))} in this store; nothing matches it.")
    return notes


@dataclass(frozen=True)
class Said:
    """What a page says about its selection before anything else: how many articles it holds, the sentences on
    how it was read (a search read otherwise than typed, a value the store does not have), and each chosen
    outlet with no article in it, with the reason; searched: False when the search box holds text with no word to
    search for (so nothing matches because nothing was searched)."""

    articles: int
    notes: tuple[str, ...]
    absent: tuple[tuple[str, str], ...]
    searched: bool = True


def said(store: Database, selection: Selection) -> Said:
    """The sentences every page shows about its selection."""
    r = resolve(store, selection)
    absent = r.absent
    if r.rows.empty:  # nothing matches at all: only a reason that is the outlet's own is worth a line
        absent = tuple((o, why) for o, why in absent if "rest of the selection" not in why)
    from analysis.store.query import read

    return Said(len(r.rows), r.notes, absent, not (selection.search and read(selection.search).empty))
