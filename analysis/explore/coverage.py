"""Where each outlet's coverage has holes, so comparisons are made only over periods every compared
outlet covers.

An outlet's coverage window runs from the month of its first dated article to the month of its last.
A month inside the window is a gap when the outlet published far fewer articles than its norm: the
count is below half its median month and, for a Poisson count with that median as its mean, at most
1% likely (so small outlets' quiet months are not flagged). Undated articles cannot be placed in a
month and are counted separately.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.periods import day, grid, period_start

if TYPE_CHECKING:
    from analysis.store import Database

GAP_P = 0.01


def _covered_share(months: pd.DatetimeIndex, span: tuple[pd.Timestamp, pd.Timestamp]) -> np.ndarray:
    """The share of each month (by its first day) that falls inside the span of days."""
    first, last = (day(x) for x in span)
    ends = months + pd.DateOffset(months=1)
    inside = (np.minimum(ends, last + pd.Timedelta(days=1)) - np.maximum(months, first)).days
    return np.clip(np.asarray(inside) / np.asarray((ends - months).days), 0, 1)


def coverage(df: pd.DataFrame, key: str = "outlet", span: tuple | None = None) -> pd.DataFrame:
    """One row per outlet (or per value of `key`, e.g. bias): articles, undated, first_month,
    last_month, months (in the window), norm (median articles per whole month of the window),
    gap_months (list of month starts), gaps (how many). span: the days the whole corpus covers
    (default: df's first to last dated article), so its partial first and last months are not read
    as gaps. Computed on one outlets x months matrix (1,246 outlets of 100,000 articles in 0.1 s)."""
    from scipy.special import pdtr  # the Poisson CDF (scipy.stats costs a second to import)

    cols = ["articles", "undated", "first_month", "last_month", "months", "norm", "gap_months", "gaps"]
    if df.empty:
        return pd.DataFrame(columns=[key, *cols])
    values = df[key] if key == "outlet" else df[key].fillna("unknown").replace("", "unknown")
    published = df["published"]
    if isinstance(published.dtype, pd.DatetimeTZDtype):  # to_numpy() would make a Timestamp object per row
        published = published.dt.tz_convert("UTC").dt.tz_localize(None)
    # Counted with numpy over integer codes (pandas' groupby over a million outlet names took a second).
    codes, names = pd.factorize(values, sort=False)
    stamps = published.to_numpy(dtype="datetime64[ns]")
    ok = codes >= 0
    is_dated = ok & ~np.isnat(stamps)
    k = len(names)
    index = pd.Index(names, name=key)
    out = pd.DataFrame(
        {"articles": np.bincount(codes[ok], minlength=k), "dated": np.bincount(codes[is_dated], minlength=k)},
        index=index,
    )
    out["undated"] = out["articles"] - out["dated"]
    out["first_month"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    out["last_month"] = out["first_month"]
    out["months"], out["norm"] = 0, 0.0
    gap_lists: dict[object, list[pd.Timestamp]] = {}
    if is_dated.any():
        month_of = stamps[is_dated].astype("datetime64[M]")
        dated_days = stamps[is_dated]
        span = span or (pd.Timestamp(dated_days.min()), pd.Timestamp(dated_days.max()))
        lo = min(pd.Timestamp(month_of.min()), day(span[0]))
        hi = max(pd.Timestamp(month_of.max()), day(span[1]))
        months = pd.DatetimeIndex(grid(lo, hi, "month")["period"])
        at = (month_of - np.datetime64(months[0].to_datetime64(), "M")).astype(np.int64)
        grid_size = len(months)
        flat = np.bincount(codes[is_dated] * grid_size + at, minlength=k * grid_size)
        c = flat.reshape(k, grid_size).astype(float)
        rows = c.sum(axis=1) > 0
        c = c[rows]
        pos = np.arange(grid_size)
        has = c > 0
        first = has.argmax(axis=1)
        last = grid_size - 1 - has[:, ::-1].argmax(axis=1)
        window = (pos[None, :] >= first[:, None]) & (pos[None, :] <= last[:, None])
        covered = _covered_share(months, span)
        whole = window & (covered[None, :] >= 0.999)
        use = np.where(whole.any(axis=1)[:, None], whole, window)
        norm = np.nanmedian(np.where(use, c, np.nan), axis=1)
        expected = norm[:, None] * covered[None, :]
        low = window & (c < 0.5 * expected) & (pdtr(c, np.maximum(expected, 1e-12)) <= GAP_P)
        where = np.flatnonzero(rows)
        out.iloc[where, out.columns.get_loc("first_month")] = months[first]
        out.iloc[where, out.columns.get_loc("last_month")] = months[last]
        out.iloc[where, out.columns.get_loc("months")] = last - first + 1
        out.iloc[where, out.columns.get_loc("norm")] = norm
        gap_lists = {names[i]: [pd.Timestamp(m) for m in months[row]] for i, row in zip(where, low, strict=True)}
    out["gap_months"] = [gap_lists.get(n, []) for n in out.index]
    out["gaps"] = out["gap_months"].map(len)
    out = out.rename_axis(key).reset_index()
    return out[[key, *cols]].sort_values("articles", ascending=False, kind="stable").reset_index(drop=True)


def coverage_columns(outlets: pd.Series, table: pd.DataFrame) -> dict[str, pd.Series]:
    """For a column of outlet names, from a coverage table (with its `note`): coverage ("2019-01 to 2020-06", or
    "no dated article"), gap_months and note, aligned with the names (one lookup for all: a lookup per outlet
    took seconds for 25,000 outlets)."""
    by = table.set_index("outlet")
    first = pd.to_datetime(outlets.map(by["first_month"]))
    last = pd.to_datetime(outlets.map(by["last_month"]))
    span = first.dt.strftime("%Y-%m") + " to " + last.dt.strftime("%Y-%m")
    return {
        "coverage": span.where(first.notna(), "no dated article").astype(object),
        "gap_months": outlets.map(by["gaps"]).fillna(0).astype(int),
        "note": outlets.map(by["note"]).astype(object).fillna("")
        if "note" in by.columns
        else pd.Series("", index=outlets.index),
    }


def covered_months(row: pd.Series) -> set[pd.Timestamp]:
    """The months an outlet (a coverage row) covers: its window without its gaps."""
    if pd.isna(row["first_month"]):
        return set()
    window = set(grid(row["first_month"], row["last_month"], "month")["period"])
    return window - set(row["gap_months"])


def common_months(table: pd.DataFrame, key: str, values: Sequence[str]) -> list[pd.Timestamp]:
    """The months every one of `values` covers (sorted)."""
    rows = table.set_index(key)
    sets = [covered_months(rows.loc[v]) for v in values if v in rows.index]
    if not sets or len(sets) < len(values):
        return []
    return sorted(set.intersection(*sets))


def restrict(df: pd.DataFrame, months: Sequence[pd.Timestamp]) -> pd.DataFrame:
    """The dated articles published in the given months."""
    dated = df[df["published"].notna()]
    keep = period_start(dated["published"], "month").isin(list(months)).to_numpy()
    return dated[keep]


def month_runs(months: Sequence[pd.Timestamp]) -> str:
    """Months as short ranges: "2018-01 to 2018-12, 2019-03"."""
    if not len(months):
        return "none"
    ms = sorted(pd.Timestamp(m) for m in months)
    runs: list[list[pd.Timestamp]] = [[ms[0], ms[0]]]
    for m in ms[1:]:
        if (m.year - runs[-1][1].year) * 12 + m.month - runs[-1][1].month == 1:
            runs[-1][1] = m
        else:
            runs.append([m, m])
    return ", ".join(f"{a:%Y-%m}" if a == b else f"{a:%Y-%m} to {b:%Y-%m}" for a, b in runs)


def _month_of(ts: object) -> pd.Timestamp:
    t = day(ts)
    return pd.Timestamp(t.year, t.month, 1)


def describe(row: pd.Series, span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> str:
    """One sentence on an outlet's coverage: its window when narrower than the span, gaps, undated."""
    parts = []
    if pd.isna(row.get("first_month")):
        parts.append("no dated article")
    else:
        first, last = pd.Timestamp(row["first_month"]), pd.Timestamp(row["last_month"])
        narrower = span is None or first > _month_of(span[0]) or last < _month_of(span[1])
        if narrower:
            parts.append(f"articles only {month_runs([first]) if first == last else f'{first:%Y-%m} to {last:%Y-%m}'}")
        if row["gaps"]:
            parts.append(f"far fewer articles than usual in {month_runs(row['gap_months'])}")
    if row["undated"]:
        parts.append(f"{row['undated']:,} of {row['articles']:,} articles undated")
    return "; ".join(parts)


def flagged(table: pd.DataFrame, span: tuple[pd.Timestamp, pd.Timestamp] | None, key: str = "outlet") -> pd.DataFrame:
    """The rows whose coverage needs a warning, with the sentence: key, note."""
    notes = [(r[key], describe(r, span)) for _, r in table.iterrows()]
    return pd.DataFrame([(k, n) for k, n in notes if n], columns=[key, "note"])


TABLE_FORMAT = 1  # bump when store_table's columns change


def store_table(store: Database) -> pd.DataFrame:
    """coverage of every outlet over the whole store, against the days the store covers, with a sentence on
    each (`note`): what the Overview's outlet table and the notes under comparisons read."""
    from analysis.explore.frames import cached_article_frame

    first, last = store.articles.date_bounds()
    days = (pd.Timestamp(first), pd.Timestamp(last)) if first and last else None
    table = coverage(cached_article_frame(store), "outlet", days)
    return table.assign(note=[describe(r, days) for r in table.to_dict("records")])


def cached_table(store: Database) -> pd.DataFrame:
    """store_table, kept as a Parquet file beside the store while its data version stands (the pipeline writes
    it after the article frame); gap months travel as text there."""
    from analysis.explore.frames import cached

    def flat(s: Database) -> pd.DataFrame:
        table = store_table(s)
        return table.assign(gap_months=[",".join(f"{m:%Y-%m-%d}" for m in ms) for ms in table["gap_months"]])

    table = cached(store, "coverage", flat, TABLE_FORMAT)
    gaps = [[pd.Timestamp(m) for m in str(text).split(",") if m] for text in table["gap_months"]]
    return table.assign(
        gap_months=gaps,
        first_month=pd.to_datetime(table["first_month"]),
        last_month=pd.to_datetime(table["last_month"]),
    )


def in_dates(store: Database, start: date | None, end: date | None) -> pd.DataFrame:
    """Each outlet's coverage over its whole output in these dates (the whole store when none): the columns of
    coverage() and a sentence on each (`note`). Topics, searches and mentions never change it: they pick some
    of an outlet's articles, not its coverage."""
    from analysis.explore import working

    if start is None and end is None:
        return working.memo(store, "coverage", (), lambda: cached_table(store))

    def build() -> pd.DataFrame:
        df = working.frame(store)
        mask = np.ones(len(df), dtype=bool)
        if start is not None:
            mask &= (df["published"] >= pd.Timestamp(start, tz="UTC")).to_numpy()
        if end is not None:
            mask &= (df["published"] < pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1)).to_numpy()
        rows = df[["outlet", "published"]][mask]
        dated = df["published"].dropna()
        if dated.empty:
            return coverage(rows).assign(note="")
        first = pd.Timestamp(start) if start else day(dated.min())
        last = pd.Timestamp(end) if end else day(dated.max())
        table = coverage(rows, "outlet", (first, last))
        return table.assign(note=[describe(r, (first, last)) for r in table.to_dict("records")])

    return working.memo(store, "coverage-in", (start, end), build)
