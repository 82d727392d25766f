"""Coverage over time, normalised the way Media Cloud normalises attention: a topic's (or a search's)
articles in a period as a share of *all* articles in that period from the same outlets, dates and
bias/country filters (the "base"), with both counts beside it. Every period of the span is present:
a quiet period is a zero, a period with no articles at all from those outlets has no share (drawn as
a gap), and periods the data covers only in part are marked. Also rising and falling topics with the
app's one test (analysis.explore.stats), tone over time with confidence bands, and the articles behind any
point. Pure functions over article frames (analysis.explore.frames): published, outlet, topic, ...
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.enrich.sentiment import aggregate
from analysis.explore.periods import (
    NAT,
    choose_period,
    dated_rows,
    day,
    day_dates,
    grid,
    period_days,
    period_start,
    span_note,
)
from analysis.explore.rows import last_labels, topic_label_counts
from analysis.explore.stats import proportion_tests

CHANGE_COLUMNS = [
    "topic", "topic_label", "articles_now", "articles_before", "total_now", "total_before", "share_now",
    "share_before", "change", "z", "p_value", "q_value", "significant",
]  # fmt: skip
Span = tuple[pd.Timestamp, pd.Timestamp]


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


def _grid(span: Span | None, period: str, groups: Sequence[str] | None = None, name: str = "outlet") -> pd.DataFrame:
    if span is None:
        out = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "complete": pd.Series(dtype=bool)})
    else:
        out = grid(span[0], span[1], period)[["period", "complete"]]
    if groups is not None:
        out = out.merge(pd.DataFrame({name: list(groups)}), how="cross")
    return out


def topic_shares(
    df: pd.DataFrame,
    period: str | None = None,
    topics: list[int] | None = None,
    top_n: int = 8,
    by_outlet: bool = False,
    base: pd.DataFrame | None = None,
    span: Span | None = None,
) -> pd.DataFrame:
    """Each period's articles on the chosen topics (default: the top_n of df), the rest of df as
    "Other topics", as a share of all articles of the base that period (overall or per outlet).

    df: the selection; base: the articles it is a share of (default df itself). Columns: period,
    [outlet,] topic, topic_label, articles, total, share (NaN when total is 0), complete.
    attrs: period, note (partial periods).
    """
    base = df if base is None else base
    span = span_of(base, span)
    period = period or (choose_period(span[0], span[1]) if span else "week")
    keys = ["period", "outlet"] if by_outlet else ["period"]
    dated, _ = with_periods(df, period, columns=[*keys[1:], "topic", "topic_label"])
    cols = [*keys, "topic", "topic_label", "articles", "total", "share", "complete"]
    if span is None:
        out = pd.DataFrame(columns=cols)
        out.attrs.update(period=period, note="")
        return out
    assigned = dated[dated["topic"] >= 0]
    if topics is None:
        topics = assigned["topic"].value_counts().index[:top_n].tolist()
    keep = dated["topic"].isin(topics)
    labels = last_labels(dated)
    shown = [(int(t), str(labels.get(t, f"Topic {t}"))) for t in topics]
    if (~keep).any():
        shown.append((-1, "Other topics"))
    frame = dated.assign(topic=dated["topic"].where(keep, -1))
    outlets = sorted(df["outlet"].dropna().unique()) if by_outlet else None
    cells = _grid(span, period, outlets).merge(pd.DataFrame(shown, columns=["topic", "topic_label"]), how="cross")
    counts = frame.groupby([*keys, "topic"]).size().rename("articles").reset_index()
    base_dated, _ = with_periods(base, period, columns=keys[1:])
    totals = base_dated.groupby(keys).size().rename("total").reset_index()
    out = cells.merge(counts, on=[*keys, "topic"], how="left").merge(totals, on=keys, how="left")
    out[["articles", "total"]] = out[["articles", "total"]].fillna(0).astype(int)
    out["share"] = out["articles"] / out["total"].where(out["total"] > 0)
    order = {t: i for i, (t, _) in enumerate(shown)}
    out = out.assign(_o=out["topic"].map(order)).sort_values([*keys, "_o"]).drop(columns="_o")
    out = out[cols].reset_index(drop=True)
    out.attrs.update(period=period, note=span_note(out, *span))
    return out


def attention(
    base: pd.DataFrame,
    lines: Sequence[tuple[str, pd.Series]],
    period: str | None = None,
    span: Span | None = None,
    by_outlet: bool = False,
) -> pd.DataFrame:
    """Attention over time for several searches or topic sets, normalised alike: each line's articles
    in a period as a share of all base articles that period (overall or per outlet).

    lines: (label, boolean mask over base rows). Columns: period, [outlet,] line, articles, total,
    share, complete. attrs: period, note.
    """
    span = span_of(base, span)
    period = period or (choose_period(span[0], span[1]) if span else "week")
    keys = ["period", "outlet"] if by_outlet else ["period"]
    cols = [*keys, "line", "articles", "total", "share", "complete"]
    if span is None or not lines:
        out = pd.DataFrame(columns=cols)
        out.attrs.update(period=period, note="")
        return out
    dated, _ = with_periods(base, period, columns=keys[1:])
    totals = dated.groupby(keys).size().rename("total").reset_index()
    outlets = sorted(base["outlet"].dropna().unique()) if by_outlet else None
    parts = []
    for label, mask in lines:
        hit = dated[mask.reindex(dated.index, fill_value=False).to_numpy(dtype=bool)]
        counts = hit.groupby(keys).size().rename("articles").reset_index()
        cells = _grid(span, period, outlets).assign(line=label)
        parts.append(cells.merge(counts, on=keys, how="left").merge(totals, on=keys, how="left"))
    out = pd.concat(parts, ignore_index=True)
    out[["articles", "total"]] = out[["articles", "total"]].fillna(0).astype(int)
    out["share"] = out["articles"] / out["total"].where(out["total"] > 0)
    out = out[cols].reset_index(drop=True)
    out.attrs.update(period=period, note=span_note(out, *span))
    return out


def change_period(df: pd.DataFrame) -> str:
    """The period "this period" means on the Overview: a month over long spans, else a week or day."""
    dated = df["published"].dropna()
    if dated.empty:
        return "week"
    days = (dated.max() - dated.min()).days
    return "month" if days > 90 else "week" if days > 14 else "day"


def _latest(df: pd.DataFrame, base: pd.DataFrame, period: str | None) -> tuple[str, np.ndarray, np.ndarray]:
    """The period used (default: chosen from df's dates), and df's and base's period day numbers."""
    if period is None:
        dated = df["published"].dropna()
        period = choose_period(dated.min(), dated.max(), 100) if len(dated) else "week"
    days = period_days(df["published"], period)
    return period, days, days if base is df else period_days(base["published"], period)


def _timestamp(day_number: int) -> pd.Timestamp:
    return pd.Timestamp(day_dates(np.array([day_number]))[0])


def rising_falling(
    df: pd.DataFrame, period: str | None = None, min_articles: int = 3, base: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each topic's share of all coverage (base) in the latest period against the period before, with
    the app's one test (two-proportion z, Benjamini-Hochberg across the topics compared).

    Sorted by z (rising first). attrs: period, now, before (period starts), now_complete. Topics with
    fewer than min_articles in both periods together are left out.
    """
    base = df if base is None else base
    period, days, base_days = _latest(df, base, period)
    out = pd.DataFrame(columns=CHANGE_COLUMNS)
    periods = np.unique(base_days[base_days != NAT])
    if len(periods) < 2:
        now = _timestamp(periods[-1]) if len(periods) else None
        out.attrs.update(period=period, now=now, before=None, now_complete=True)
        return out
    now, before = int(periods[-1]), int(periods[-2])
    last_day = base["published"].max()
    now_complete = bool(grid(_timestamp(now), last_day, period)["complete"].iloc[0])
    na, nb = int((base_days == now).sum()), int((base_days == before).sum())
    ca = topic_label_counts(df, days == now).rename(columns={"articles": "articles_now"})
    cb = topic_label_counts(df, days == before).rename(columns={"articles": "articles_before"})
    both = ca.merge(cb, on=["topic", "topic_label"], how="outer").sort_values(["topic", "topic_label"])
    both[["articles_now", "articles_before"]] = both[["articles_now", "articles_before"]].fillna(0).astype(int)
    both = both[(both["articles_now"] + both["articles_before"]) >= min_articles].reset_index(drop=True)
    both["total_now"], both["total_before"] = na, nb
    both["share_now"] = both["articles_now"] / na
    both["share_before"] = both["articles_before"] / nb
    both["change"] = both["share_now"] - both["share_before"]
    both = pd.concat([both, proportion_tests(both["articles_now"], na, both["articles_before"], nb)], axis=1)
    out = both.sort_values(["z", "topic"], ascending=[False, True])[CHANGE_COLUMNS].reset_index(drop=True)
    out.attrs.update(period=period, now=_timestamp(now), before=_timestamp(before), now_complete=now_complete)
    return out


def latest_topics(
    df: pd.DataFrame, period: str | None = None, k: int = 10, base: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The biggest topics of the latest period, with their share of all coverage (base) that period:
    topic, topic_label, articles, total, share. attrs: period, now."""
    base = df if base is None else base
    period, days, base_days = _latest(df, base, period)
    cols = ["topic", "topic_label", "articles", "total", "share"]
    if not (days != NAT).any():
        return pd.DataFrame(columns=cols)
    now = int(base_days[base_days != NAT].max())
    out = topic_label_counts(df, days == now)
    out["total"] = int((base_days == now).sum())
    out["share"] = out["articles"] / out["total"].where(out["total"] > 0)
    out = out.sort_values(["articles", "topic"], ascending=[False, True])[cols].head(k).reset_index(drop=True)
    out.attrs.update(period=period, now=_timestamp(now))
    return out


def tone_over_time(
    df: pd.DataFrame,
    by: str | None = None,
    period: str | None = None,
    min_articles: int = 5,
    values: list | None = None,
    span: Span | None = None,
) -> pd.DataFrame:
    """Mean tone per period (and per `by` group: topic_label, outlet, bias) with its 95% interval and
    article count, for every period of the span (n 0 where nothing was scored, so lines break there);
    `enough` marks periods with at least min_articles. Columns: period, [by,] mean, n, sd, ci_low,
    ci_high, enough, complete."""
    span = span_of(df, span)
    period = period or (choose_period(span[0], span[1]) if span else "week")
    dated, _ = with_periods(df, period, columns=["sentiment", by or ""])
    if values is not None and by:
        dated = dated[dated[by].isin(values)]
    keys = ["period", by] if by else ["period"]
    cols = [*keys, "mean", "n", "sd", "ci_low", "ci_high", "enough", "complete"]
    if span is None or dated.empty or dated["sentiment"].notna().sum() == 0:
        out = pd.DataFrame(columns=cols)
    else:
        stats = aggregate(dated, keys, min_articles=min_articles)
        groups = (values if values is not None else sorted(dated[by].dropna().unique())) if by else None
        out = _grid(span, period, groups, name=by or "group").merge(stats, on=keys, how="left")
        out["n"] = out["n"].fillna(0).astype(int)
        out["enough"] = out["enough"].astype("boolean").fillna(False).astype(bool)
        out = out[cols].sort_values(keys).reset_index(drop=True)
    out.attrs.update(period=period, note=span_note(out, *span) if span else "")
    return out


def articles_behind(df: pd.DataFrame, period: str, start: pd.Timestamp, topic: int | None = None,
                    outlet: str | None = None, topics_shown: Sequence[int] | None = None,
                    column: str | None = None, value: object = None) -> list[str]:  # fmt: skip
    """Ids of the articles counted in one point of a chart (a period, optionally a topic, an outlet and
    a value of any column, e.g. bias). topic -1 with topics_shown: the "Other topics" of a chart
    (every article not on a shown topic)."""
    dated, _ = with_periods(df, period, columns=["article_id", "topic", "outlet", column or ""])
    mask = dated["period"] == day(start)
    if column is not None:
        mask &= dated[column].fillna("unknown").replace("", "unknown").astype(str) == str(value)
    if topic is not None and topic == -1 and topics_shown is not None:
        mask &= ~dated["topic"].isin(list(topics_shown))
    elif topic is not None:
        mask &= dated["topic"] == topic
    if outlet is not None:
        mask &= dated["outlet"] == outlet
    return dated.loc[mask, "article_id"].tolist()
