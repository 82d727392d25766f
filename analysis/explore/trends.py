"""Coverage over time, normalised the way Media Cloud normalises attention: a topic's (or a theme's, a search's,
an entity's) articles in a period as a share of *all* articles in that period from the same outlets, dates and
bias/country choices (the "base"), with both counts beside it. Every period of the span is present: a quiet
period is a zero, a period with no article at all from those outlets has no share (a gap), and periods the data
covers only in part are named. Also rising and falling topics with the app's one test (analysis.explore.stats),
tone over time with confidence bands, and the articles behind any point. Pure functions over article frames
(analysis.explore.frames); `key` names the column a table counts by ("topic" or "theme"), and the tables name
their columns after it, so a theme is never labelled a topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.explore.resolve import resolve
from analysis.explore.results import OverTime
from analysis.explore.rows import label_counts, last_labels
from analysis.explore.selection import Selection
from analysis.explore.stats import proportion_tests, tone_means
from analysis.periods import (
    NAT,
    choose_period,
    dated_rows,
    day,
    day_dates,
    grid,
    no_coverage_note,
    period_days,
    period_start,
    span_note,
)
from analysis.store import Database

Span = tuple[pd.Timestamp, pd.Timestamp]
GROUPS = ("outlet", "bias", "country")  # what a chart over time can be split by


def change_columns(key: str = "topic") -> list[str]:
    return [
        key,
        f"{key}_label",
        "articles_now",
        "articles_before",
        "total_now",
        "total_before",
        "share_now",
        "share_before",
        "change",
        "z",
        "p_value",
        "q_value",
        "significant",
    ]


def other_label(key: str) -> str:
    """The label of everything a chart does not name: "Other topics", "Other themes"."""
    return f"Other {key}s"


def with_periods(
    df: pd.DataFrame, period: str | None = None, max_periods: int = 100, columns: Sequence[str] | None = None
) -> tuple[pd.DataFrame, str]:
    """The dated rows with a `period` column (first day of each period) and the period used; columns: only
    these (and published) are kept, which at a million rows saves copying the other columns' rows."""
    wanted = None if columns is None else [c for c in dict.fromkeys(["published", *columns]) if c in df.columns]
    dated = dated_rows(df, wanted)
    if dated.empty:
        return dated.assign(period=pd.Series(dtype="datetime64[ns]")), period or "week"
    period = period or choose_period(dated["published"].min(), dated["published"].max(), max_periods)
    return dated.assign(period=period_start(dated["published"], period).to_numpy()), period


def span_of(df: pd.DataFrame, span: Span | None = None) -> Span | None:
    """The span of days charts cover: the given one, else the frame's first to last dated article."""
    if span is not None:
        return span
    dated = df["published"].dropna()
    return (dated.min(), dated.max()) if len(dated) else None


def period_for(span: Span | None, period: str | None, max_periods: int = 100) -> str:
    """The period a chart uses: the one asked for, else the finest giving at most max_periods over the span."""
    return period or (choose_period(span[0], span[1], max_periods) if span else "week")


def _grid(span: Span | None, period: str, groups: Sequence[str] | None = None, name: str = "outlet") -> pd.DataFrame:
    if span is None:
        out = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "complete": pd.Series(dtype=bool)})
    else:
        out = grid(span[0], span[1], period)[["period", "complete"]]
    if groups is not None:
        out = out.merge(pd.DataFrame({name: list(groups)}), how="cross")
    return out


def _group_values(df: pd.DataFrame, by: str) -> pd.Series:
    """The group of each row (outlet, bias or country); a missing bias or country reads "unknown"."""
    col = df[by]
    return col if by == "outlet" else col.fillna("unknown").replace("", "unknown")


def _notes(table: pd.DataFrame, span: Span | None, by: str | None) -> tuple[str, ...]:
    if span is None or table.empty:
        return ()
    return tuple(n for n in (span_note(table, *span), no_coverage_note(table, by)) if n)


def unit_shares(
    df: pd.DataFrame,
    base: pd.DataFrame,
    span: Span | None,
    period: str | None = None,
    key: str = "topic",
    shown: Sequence[int] | None = None,
    top_n: int = 8,
    by: str | None = None,
) -> OverTime:
    """Each period's articles on each shown topic or theme (default: the top_n of df), the rest of df as "Other
    topics" (id -1), as a share of all base articles that period (overall, or within each group `by`: outlet,
    bias or country). df: the selection; base: what it is a share of (df is a subset of base).
    Columns: period, [by,] <key>, <key>_label, articles, total, share (NaN when total is 0), complete."""
    period = period_for(span, period)
    label = f"{key}_label"
    keys = ["period", by] if by else ["period"]
    cols = [*keys, key, label, "articles", "total", "share", "complete"]
    measure = f"each {key}'s articles as a share of all articles that {period} " + (
        f"from the same {by}" if by else "from the chosen outlets and dates"
    )
    if span is None:
        return OverTime(pd.DataFrame(columns=cols), period, key, measure)
    dated, _ = with_periods(df, period, columns=[*keys[1:], key, label])
    if by:
        dated = dated.assign(**{by: _group_values(dated, by)})
    assigned = dated[dated[key] >= 0]
    picked = list(shown) if shown is not None else assigned[key].value_counts().index[:top_n].tolist()
    keep = dated[key].isin(picked)
    labels = last_labels(dated, key, label)
    lines = [(int(t), str(labels.get(t, f"{key.capitalize()} {t}"))) for t in picked]
    if (~keep).any():
        lines.append((-1, other_label(key)))
    frame = dated.assign(**{key: dated[key].where(keep, -1)})
    groups = sorted(_group_values(base, by).dropna().unique()) if by else None
    cells = _grid(span, period, groups, by or "outlet").merge(pd.DataFrame(lines, columns=[key, label]), how="cross")
    counts = frame.groupby([*keys, key]).size().rename("articles").reset_index()
    base_dated, _ = with_periods(base, period, columns=keys[1:])
    if by:
        base_dated = base_dated.assign(**{by: _group_values(base_dated, by)})
    totals = base_dated.groupby(keys).size().rename("total").reset_index()
    out = cells.merge(counts, on=[*keys, key], how="left").merge(totals, on=keys, how="left")
    out[["articles", "total"]] = out[["articles", "total"]].fillna(0).astype(int)
    out["share"] = out["articles"] / out["total"].where(out["total"] > 0)
    order = {t: i for i, (t, _) in enumerate(lines)}
    out = out.assign(_o=out[key].map(order)).sort_values([*keys, "_o"]).drop(columns="_o")
    out = out[cols].reset_index(drop=True)
    return OverTime(out, period, key, measure, _notes(out, span, by))


def attention(
    base: pd.DataFrame,
    lines: Sequence[tuple[str, np.ndarray]],
    span: Span | None,
    period: str | None = None,
    by: str | None = None,
) -> OverTime:
    """Attention over time for several searches, topic sets or entities, normalised alike: each line's articles
    in a period as a share of all base articles that period (overall, or within each group `by`: outlet, bias or
    country, each line a share of its own group's articles).

    lines: (label, boolean mask over base rows). Columns: period, [by,] line, articles, total, share, complete.
    """
    period = period_for(span, period)
    keys = ["period", by] if by else ["period"]
    cols = [*keys, "line", "articles", "total", "share", "complete"]
    measure = f"articles matching each line as a share of all articles that {period} " + (
        f"from the same {by}" if by else "from the chosen outlets and dates"
    )
    if span is None or not lines:
        return OverTime(pd.DataFrame(columns=cols), period, "line", measure)
    days = period_days(base["published"], period)
    dated = days != NAT
    stamp = pd.Series(day_dates(days[dated]))
    group = _group_values(base, by).to_numpy()[dated] if by else None
    frame = pd.DataFrame({"period": stamp, **({by: group} if by else {})})
    totals = frame.groupby(keys).size().rename("total").reset_index()
    groups = sorted(pd.unique(_group_values(base, by).dropna())) if by else None
    parts = []
    for label, mask in lines:
        hit = frame[np.asarray(mask, dtype=bool)[dated]]
        counts = hit.groupby(keys).size().rename("articles").reset_index()
        cells = _grid(span, period, groups, by or "outlet").assign(line=label)
        parts.append(cells.merge(counts, on=keys, how="left").merge(totals, on=keys, how="left"))
    out = pd.concat(parts, ignore_index=True)
    out[["articles", "total"]] = out[["articles", "total"]].fillna(0).astype(int)
    out["share"] = out["articles"] / out["total"].where(out["total"] > 0)
    out = out[cols].reset_index(drop=True)
    return OverTime(out, period, "line", measure, _notes(out, span, by))


def change_period(df: pd.DataFrame) -> str:
    """The period "this period" means on the Overview: a month over long spans, else a week or day."""
    dated = df["published"].dropna()
    if dated.empty:
        return "week"
    days = (dated.max() - dated.min()).days
    return "month" if days > 90 else "week" if days > 14 else "day"


@dataclass(frozen=True)
class Changes:
    """Each topic's (or theme's) share of all coverage in the latest period against the period before, with the
    app's one test. `now` and `before` are the periods' first days (None when fewer than two periods have
    articles); `tests`: how many were compared (the correction's n)."""

    table: pd.DataFrame
    key: str
    period: str
    now: pd.Timestamp | None
    before: pd.Timestamp | None
    now_complete: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def tests(self) -> int:
        return len(self.table)


def _latest(df: pd.DataFrame, base: pd.DataFrame, period: str | None) -> tuple[str, np.ndarray, np.ndarray]:
    """The period used (default: chosen from base's dates), and df's and base's period day numbers."""
    if period is None:
        dated = base["published"].dropna()
        period = choose_period(dated.min(), dated.max(), 100) if len(dated) else "week"
    days = period_days(df["published"], period)
    return period, days, days if base is df else period_days(base["published"], period)


def _timestamp(day_number: int) -> pd.Timestamp:
    return pd.Timestamp(day_dates(np.array([day_number]))[0])


def rising_falling(
    df: pd.DataFrame, base: pd.DataFrame, period: str | None = None, key: str = "topic", min_articles: int = 3
) -> Changes:
    """Each topic's (key: or theme's) share of all coverage (base) in the latest period against the period
    before, with the app's one test (two-proportion z, Benjamini-Hochberg across those compared); sorted by z
    (rising first). Those with fewer than min_articles in both periods together are left out."""
    cols = change_columns(key)
    period, days, base_days = _latest(df, base, period)
    periods = np.unique(base_days[base_days != NAT])
    if len(periods) < 2:
        now = _timestamp(periods[-1]) if len(periods) else None
        return Changes(pd.DataFrame(columns=cols), key, period, now, None)
    now, before = int(periods[-1]), int(periods[-2])
    last_day = base["published"].max()
    now_complete = bool(grid(_timestamp(now), last_day, period)["complete"].iloc[0])
    na, nb = int((base_days == now).sum()), int((base_days == before).sum())
    label = f"{key}_label"
    ca = label_counts(df, days == now, key).rename(columns={"articles": "articles_now"})
    cb = label_counts(df, days == before, key).rename(columns={"articles": "articles_before"})
    both = ca.merge(cb, on=[key, label], how="outer").sort_values([key, label])
    both[["articles_now", "articles_before"]] = both[["articles_now", "articles_before"]].fillna(0).astype(int)
    both = both[(both["articles_now"] + both["articles_before"]) >= min_articles].reset_index(drop=True)
    both["total_now"], both["total_before"] = na, nb
    both["share_now"] = both["articles_now"] / na
    both["share_before"] = both["articles_before"] / nb
    both["change"] = both["share_now"] - both["share_before"]
    both = pd.concat([both, proportion_tests(both["articles_now"], na, both["articles_before"], nb)], axis=1)
    out = both.sort_values(["z", key], ascending=[False, True])[cols].reset_index(drop=True)
    return Changes(out, key, period, _timestamp(now), _timestamp(before), now_complete)


@dataclass(frozen=True)
class Latest:
    """The biggest topics (or themes) of the latest period, with their share of all coverage that period."""

    table: pd.DataFrame
    key: str
    period: str
    now: pd.Timestamp | None
    ends: pd.Timestamp | None = None  # the data's last day, when it falls before the period's end (a partial one)


def latest_units(
    df: pd.DataFrame, base: pd.DataFrame, period: str | None = None, key: str = "topic", k: int = 10
) -> Latest:
    """The k biggest topics (key: or themes) of the latest period of base: <key>, <key>_label, articles, total,
    share (of all base articles that period)."""
    period, days, base_days = _latest(df, base, period)
    cols = [key, f"{key}_label", "articles", "total", "share"]
    if not (base_days != NAT).any():
        return Latest(pd.DataFrame(columns=cols), key, period, None)
    now = int(base_days[base_days != NAT].max())
    out = label_counts(df, days == now, key)
    out["total"] = int((base_days == now).sum())
    out["share"] = out["articles"] / out["total"].where(out["total"] > 0)
    out = out.sort_values(["articles", key], ascending=[False, True])[cols].head(k).reset_index(drop=True)
    start = _timestamp(now)
    last = pd.Timestamp(base["published"].max()).tz_localize(None).normalize()
    step = pd.offsets.MonthBegin(1) if period == "month" else pd.Timedelta(days=7 if period == "week" else 1)
    return Latest(out, key, period, start, last if last + pd.Timedelta(days=1) < start + step else None)


def tone_over_time(
    df: pd.DataFrame,
    span: Span | None,
    by: str | None = None,
    period: str | None = None,
    min_articles: int = 5,
    values: Sequence[str] | None = None,
) -> OverTime:
    """Mean tone per period (and per `by` group: a label column, outlet, bias) with its 95% interval and article
    count, for every period of the span (n 0 where nothing was scored, so lines break there); `enough` marks
    periods with at least min_articles. Columns: period, [by,] mean, n, sd, ci_low, ci_high, enough, complete."""
    period = period_for(span, period)
    dated, _ = with_periods(df, period, columns=["tone", by or ""])
    if values is not None and by:
        dated = dated[dated[by].isin(list(values))]
    keys = ["period", by] if by else ["period"]
    cols = [*keys, "mean", "n", "sd", "ci_low", "ci_high", "enough", "complete"]
    measure = "mean tone of the scored articles (−1 to +1), with its 95% confidence band"
    if span is None or dated.empty or dated["tone"].notna().sum() == 0:
        return OverTime(pd.DataFrame(columns=cols), period, by or "all", measure)
    stats = tone_means(dated, keys, min_articles=min_articles)
    groups = (list(values) if values is not None else sorted(dated[by].dropna().unique())) if by else None
    out = _grid(span, period, groups, name=by or "group").merge(stats, on=keys, how="left")
    out["n"] = out["n"].fillna(0).astype(int)
    out["enough"] = out["enough"].astype("boolean").fillna(False).astype(bool)
    out = out[cols].sort_values(keys).reset_index(drop=True)
    return OverTime(out, period, by or "all", measure, tuple(n for n in (span_note(out, *span),) if n))


Where = tuple[tuple[str, object], ...]


def articles_behind(
    df: pd.DataFrame,
    period: str,
    start: pd.Timestamp,
    where: Where = (),
    others: tuple[str, tuple[object, ...]] | None = None,
    mask: np.ndarray | None = None,
) -> list[str]:
    """Ids of the articles counted in one point of a chart over time: the rows of df in the period starting on
    `start` whose columns equal the values of `where` ((column, value) pairs: a topic or theme id, an outlet, a
    bias rating, a label...; a missing bias or country is "unknown"), and, with `others` (column, values), whose
    column is none of the values (the "Other topics" or "Other outlets" of a chart); mask: only these rows."""
    rows = df if mask is None else df[np.asarray(mask, dtype=bool)]
    days = period_days(rows["published"], period)
    keep = days == int(day(start).to_datetime64().astype("datetime64[D]").astype(np.int64))
    for column, value in where:
        values = _group_values(rows, column) if column in GROUPS else rows[column]
        keep &= (values.astype(str) == str(value)).to_numpy()
    if others is not None:
        column, values = others
        keep &= ~rows[column].isin(list(values)).to_numpy()
    return rows.loc[keep, "article_id"].tolist()


# -- The Trends page's questions ------------------------------------------------------------------------------


def biggest(df: pd.DataFrame, n: int = 6) -> list[str]:
    return df["outlet"].value_counts().index[:n].tolist()


def topic_trends(
    store: Database, selection: Selection, period: str | None = None, top_n: int = 8, by: str | None = None
) -> OverTime:
    """Topic (or theme) shares of all coverage over time, overall or per group (by: the 6 biggest outlets of the
    selection, bias or country)."""
    r = resolve(store, selection)
    df, base = r.rows, r.base
    if by == "outlet":
        top = biggest(df)
        df, base = df[df["outlet"].isin(top)], base[base["outlet"].isin(top)]
    return unit_shares(df, base, r.span, period, selection.unit, top_n=top_n, by=by)


def changes(store: Database, selection: Selection, period: str | None = None) -> Changes:
    """The topics (or themes) rising or falling in the latest period against the one before (period: default the
    one the span gives charts over time), each a share of all coverage."""
    r = resolve(store, selection)
    return rising_falling(r.rows, r.base, period or period_for(r.span, None), selection.unit)


def tone_trend(
    store: Database,
    selection: Selection,
    period: str | None = None,
    by: str | None = None,
    values: tuple[str, ...] | None = None,
    min_articles: int = 5,
) -> OverTime:
    """Mean tone over time of the selection, overall or per group (by: a label column, outlet, bias)."""
    r = resolve(store, selection)
    df = r.rows
    if by in ("bias", "country"):
        df = df.assign(**{by: _group_values(df, by)})
    return tone_over_time(df, r.span, by, period, min_articles, list(values) if by and values is not None else None)


def group_values(store: Database, selection: Selection, column: str) -> list[str]:
    """The values of a column in the selection, most articles first (topic labels, outlets, bias ratings)."""
    df = resolve(store, selection).rows
    col = _group_values(df, column) if column in ("bias", "country") else df[column]
    vals = col[col.notna() & (col != "Unassigned")].value_counts()
    return [str(v) for v in vals.index]
