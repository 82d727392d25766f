"""The Overview's questions: how many articles the selection holds, from whom, over what span; articles per
period by outlet; each outlet's share and its coverage (window, gap months, undated articles: its whole output
in the chosen dates, whatever topic, search or mention narrows the selection); the biggest topics or themes, in
the selection and in the latest period, and those rising or falling."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.explore import coverage as cov
from analysis.explore.resolve import Resolved, Span, resolve
from analysis.explore.results import OverTime, Share
from analysis.explore.selection import Selection
from analysis.explore.topic_stats import unit_counts
from analysis.explore.trends import Changes, Latest, change_period, latest_units, rising_falling
from analysis.periods import NAT, choose_period, day_dates, grid, period_days, span_note
from analysis.store import Database

OUTLET_COLUMNS = [
    "outlet",
    "articles",
    "share",
    "outlet_total",
    "of_its_coverage",
    "coverage",
    "gap_months",
    "undated",
    "country",
    "bias",
    "note",
]


@dataclass(frozen=True)
class Overview:
    """The selection in numbers. `articles` is the count every page shows for this selection; `base` the
    articles of the chosen dates, outlets, bias and country that shares are of."""

    selection: Selection
    articles: int
    base: int
    outlets: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    undated: int
    key: str
    units: int | None  # topics or themes with an article in the selection; None before the first fit
    unassigned: Share | None
    absent: tuple[tuple[str, str], ...] = field(default=())


def overview(store: Database, selection: Selection) -> Overview:
    """The selection in numbers (the Overview's metrics)."""
    r = resolve(store, selection)
    df = r.rows
    dated = df["published"].dropna()
    first, last = (dated.min(), dated.max()) if len(dated) else (None, None)
    key = selection.unit
    fitted = store.active_fit is not None
    assigned = int((df[key] >= 0).sum()) if fitted else 0
    return Overview(
        selection=selection,
        articles=len(df),
        base=len(r.base),
        outlets=int(df["outlet"].nunique()),
        first=first,
        last=last,
        undated=int(df["published"].isna().sum()),
        key=key,
        units=int(df.loc[df[key] >= 0, key].nunique()) if fitted else None,
        unassigned=Share(len(df) - assigned, len(df), "articles of the selection") if fitted else None,
        absent=r.absent,
    )


def articles_over_time(store: Database, selection: Selection, period: str = "week", top_n: int = 8) -> OverTime:
    """The selection's articles per period by outlet (period "auto": the finest giving at most 60 bars)."""
    r = resolve(store, selection)
    if period == "auto":
        dated = r.rows["published"].dropna()
        period = choose_period(dated.min(), dated.max(), max_periods=60) if len(dated) else "week"
    return volume(r.rows, period, top_n, r.span)


def outlets(store: Database, selection: Selection) -> pd.DataFrame:
    """The Overview's outlet table of the selection (outlet_table)."""
    return outlet_table(store, resolve(store, selection))


def volume(df: pd.DataFrame, period: str = "week", top_n: int = 8, span: Span | None = None) -> OverTime:
    """Articles per period by outlet: the top_n outlets by volume, the rest as "Other outlets", for every period
    of the span (zeros included). Columns: period (first day), outlet, articles, complete (False for periods the
    span covers only in part). Undated articles are left out."""
    measure = f"articles per {period} by outlet"
    days = period_days(df["published"], period)
    dated = days != NAT  # undated rows are left out by their period number, without copying the dated rows
    if not dated.any():
        empty = pd.DataFrame(
            {"period": pd.Series(dtype="datetime64[ns]"), "outlet": [], "articles": [], "complete": []}
        )
        return OverTime(empty, period, "outlet", measure)
    codes, names = pd.factorize(df["outlet"].astype(str), sort=False)  # counted over codes, not strings
    codes, days = codes[dated], days[dated]
    sizes = np.bincount(codes, minlength=len(names))
    ranked = sorted((i for i in range(len(names)) if sizes[i]), key=lambda i: (-sizes[i], str(names[i])))
    keep = [str(names[i]) for i in ranked[:top_n]]
    slot = np.full(len(names), len(keep), dtype=np.int64)  # top outlets 0..top_n-1, the rest "Other outlets"
    slot[ranked[:top_n]] = np.arange(len(keep))
    pairs, n = np.unique(days * (len(keep) + 1) + slot[codes], return_counts=True)
    labels = np.array([*keep, "Other outlets"], dtype=object)
    counts = pd.DataFrame(
        {"period": day_dates(pairs // (len(keep) + 1)), "outlet": labels[pairs % (len(keep) + 1)], "articles": n}
    )
    order = list(keep) + (["Other outlets"] if len(ranked) > top_n else [])
    first, last = span if span is not None else (df["published"].min(), df["published"].max())
    cells = grid(first, last, period)[["period", "complete"]].merge(pd.DataFrame({"outlet": order}), how="cross")
    out = cells.merge(counts, on=["period", "outlet"], how="left").fillna({"articles": 0})
    out["articles"] = out["articles"].astype(int)
    out["outlet"] = pd.Categorical(out["outlet"], categories=order, ordered=True)
    out = out.sort_values(["period", "outlet"]).reset_index(drop=True)
    out = out.assign(outlet=out["outlet"].astype(str))[["period", "outlet", "articles", "complete"]]
    note = span_note(out, first, last)
    return OverTime(out, period, "outlet", measure, (note,) if note else ())


def outlet_table(store: Database, r: Resolved) -> pd.DataFrame:
    """One row per outlet of the selection, and per chosen outlet with none there: articles, share (of the
    selection's articles), outlet_total (its articles in the chosen dates, outlets, bias and country),
    of_its_coverage (articles / outlet_total), coverage (its window in the chosen dates), gap_months, undated,
    country, bias, note (holes in its coverage, or why it has no article here)."""
    df, base = r.rows, r.base
    counts = df["outlet"].value_counts()
    totals = base["outlet"].value_counts()
    names = list(counts.index) + [o for o, _ in r.absent if o not in counts.index]
    if not names:
        return pd.DataFrame(columns=OUTLET_COLUMNS)
    out = pd.DataFrame({"outlet": pd.Series(names, dtype=object)})
    out["articles"] = out["outlet"].map(counts).fillna(0).astype(int)
    out["share"] = (out["articles"] / max(len(df), 1)).round(4)
    out["outlet_total"] = out["outlet"].map(totals).fillna(0).astype(int)
    out["of_its_coverage"] = (out["articles"] / out["outlet_total"].where(out["outlet_total"] > 0)).round(4)
    table = cov.in_dates(store, r.selection.start, r.selection.end)
    out = out.assign(**cov.coverage_columns(out["outlet"], table))
    meta = base.drop_duplicates("outlet").set_index("outlet")
    out["undated"] = out["outlet"].map(table.set_index("outlet")["undated"]).fillna(0).astype(int)
    out["country"] = out["outlet"].map(meta["country"])
    out["bias"] = out["outlet"].map(meta["bias"])
    why = dict(r.absent)
    out["note"] = [
        f"no article in the selection: {why[o]}" if o in why else n
        for o, n in zip(out["outlet"], out["note"], strict=True)
    ]
    out = out.sort_values(["articles", "outlet"], ascending=[False, True]).reset_index(drop=True)
    return out[OUTLET_COLUMNS]


@dataclass(frozen=True)
class UnitSizes:
    """Articles per topic (or theme) in the selection, and what the shares are of."""

    table: pd.DataFrame  # <key>, <key>_label, articles, total, share
    key: str
    articles: int  # the selection's articles (the sizes plus the unassigned)
    unassigned: int
    measure: str


def unit_sizes(store: Database, selection: Selection) -> UnitSizes:
    """The selection's articles per topic or theme (the selection's level), each a share of the selection."""
    r = resolve(store, selection)
    key = selection.unit
    table = unit_counts(r.rows, len(r.rows), key) if store.active_fit is not None else unit_counts(r.rows[:0])
    assigned = int(table["articles"].sum()) if len(table) else 0
    return UnitSizes(table, key, len(r.rows), len(r.rows) - assigned, f"articles per {key}, share of the selection")


def latest(store: Database, selection: Selection) -> Latest:
    """The biggest topics or themes of the latest period ("this period": a month over long spans, else a week or
    a day), each a share of all coverage (the base) that period."""
    r = resolve(store, selection)
    return latest_units(r.rows, r.base, change_period(r.base), selection.unit)


def changes(store: Database, selection: Selection) -> Changes:
    """The topics or themes rising or falling in the latest period against the one before, each a share of all
    coverage that period."""
    r = resolve(store, selection)
    return rising_falling(r.rows, r.base, change_period(r.base), selection.unit)
