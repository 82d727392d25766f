"""What rises and falls: topic shares in one period against the previous one, tone over time with
confidence bands, and the articles behind a point on a chart. Pure functions over the assignments
frame of topic_stats.assignments (published, outlet, topic, topic_label, sentiment, ...)."""

from __future__ import annotations

import pandas as pd

from analysis.compare import two_proportion_z
from analysis.queries import choose_period, period_start
from analysis.sentiment import aggregate

CHANGE_COLUMNS = [
    "topic", "topic_label", "articles_now", "articles_before", "share_now", "share_before", "change", "z",
]  # fmt: skip


def with_periods(df: pd.DataFrame, period: str | None = None, max_periods: int = 100) -> tuple[pd.DataFrame, str]:
    """The dated rows with a `period` column (first day of each period) and the period used."""
    dated = df[df["published"].notna()].copy()
    if dated.empty:
        return dated.assign(period=pd.Series(dtype="datetime64[ns]")), period or "week"
    period = period or choose_period(dated["published"].min(), dated["published"].max(), max_periods)
    dated["period"] = period_start(dated["published"], period)
    return dated, period


def change_period(df: pd.DataFrame) -> str:
    """The period "this period" means on the Overview: a month over long spans, else a week or day."""
    dated = df["published"].dropna()
    if dated.empty:
        return "week"
    days = (dated.max() - dated.min()).days
    return "month" if days > 90 else "week" if days > 14 else "day"


def rising_falling(df: pd.DataFrame, period: str | None = None, min_articles: int = 3) -> pd.DataFrame:
    """Each topic's share of the latest period against the period before, with a two-proportion z.

    Sorted by z (rising first). attrs: period, now, before (period starts). Topics with fewer than
    min_articles in both periods together are left out.
    """
    dated, period = with_periods(df, period)
    out = pd.DataFrame(columns=CHANGE_COLUMNS)
    periods = sorted(dated["period"].unique()) if not dated.empty else []
    if len(periods) < 2:
        out.attrs.update(period=period, now=periods[-1] if periods else None, before=None)
        return out
    now, before = periods[-1], periods[-2]
    a, b = dated[dated["period"] == now], dated[dated["period"] == before]
    na, nb = len(a), len(b)
    ca = a[a["topic"] >= 0].groupby(["topic", "topic_label"]).size()
    cb = b[b["topic"] >= 0].groupby(["topic", "topic_label"]).size()
    both = pd.concat([ca.rename("articles_now"), cb.rename("articles_before")], axis=1).fillna(0).astype(int)
    both = both[(both["articles_now"] + both["articles_before"]) >= min_articles].reset_index()
    both["share_now"] = both["articles_now"] / na
    both["share_before"] = both["articles_before"] / nb
    both["change"] = both["share_now"] - both["share_before"]
    both["z"] = two_proportion_z(both["articles_now"], na, both["articles_before"], nb)
    out = both.sort_values(["z", "topic"], ascending=[False, True])[CHANGE_COLUMNS].reset_index(drop=True)
    out.attrs.update(period=period, now=now, before=before)
    return out


def latest_topics(df: pd.DataFrame, period: str | None = None, k: int = 10) -> pd.DataFrame:
    """The biggest topics of the latest period: topic, topic_label, articles, share. attrs: period, now."""
    dated, period = with_periods(df, period)
    cols = ["topic", "topic_label", "articles", "share"]
    if dated.empty:
        return pd.DataFrame(columns=cols)
    now = dated["period"].max()
    last = dated[dated["period"] == now]
    out = last[last["topic"] >= 0].groupby(["topic", "topic_label"]).size().rename("articles").reset_index()
    out["share"] = out["articles"] / len(last)
    out = out.sort_values(["articles", "topic"], ascending=[False, True])[cols].head(k).reset_index(drop=True)
    out.attrs.update(period=period, now=now)
    return out


def topic_shares(
    df: pd.DataFrame,
    period: str | None = None,
    topics: list[int] | None = None,
    top_n: int = 8,
    by_outlet: bool = False,
) -> pd.DataFrame:
    """Articles and share of each period's articles for the chosen topics (default: the top_n),
    the rest as "Other topics". Columns: period, [outlet,] topic, topic_label, articles, total, share."""
    dated, period = with_periods(df, period)
    keys = ["period", "outlet"] if by_outlet else ["period"]
    cols = [*keys, "topic", "topic_label", "articles", "total", "share"]
    if dated.empty:
        out = pd.DataFrame(columns=cols)
        out.attrs["period"] = period
        return out
    assigned = dated[dated["topic"] >= 0]
    if topics is None:
        topics = assigned["topic"].value_counts().index[:top_n].tolist()
    keep = dated["topic"].isin(topics)
    labels = dated["topic_label"].where(keep, "Other topics")
    ids = dated["topic"].where(keep, -1)
    frame = dated.assign(topic=ids, topic_label=labels)
    totals = frame.groupby(keys).size().rename("total")
    out = frame.groupby([*keys, "topic", "topic_label"]).size().rename("articles").reset_index()
    out = out.merge(totals.reset_index(), on=keys)
    out["share"] = out["articles"] / out["total"]
    order = {t: i for i, t in enumerate(topics)}
    out["_o"] = out["topic"].map(order).fillna(len(order))
    out = out.sort_values([*keys, "_o"]).drop(columns="_o")[cols].reset_index(drop=True)
    out.attrs["period"] = period
    return out


def tone_over_time(
    df: pd.DataFrame,
    by: str | None = None,
    period: str | None = None,
    min_articles: int = 5,
    values: list | None = None,
) -> pd.DataFrame:
    """Mean tone per period (and per `by` group: topic_label, outlet, bias) with its 95% interval
    and article count; `enough` marks periods with at least min_articles. Columns: period, [by,]
    mean, n, sd, ci_low, ci_high, enough."""
    dated, period = with_periods(df, period)
    if values is not None and by:
        dated = dated[dated[by].isin(values)]
    keys = ["period", by] if by else ["period"]
    if dated.empty or dated["sentiment"].notna().sum() == 0:
        out = pd.DataFrame(columns=[*keys, "mean", "n", "sd", "ci_low", "ci_high", "enough"])
    else:
        out = aggregate(dated, keys, min_articles=min_articles)
    out.attrs["period"] = period
    return out


def articles_behind(df: pd.DataFrame, period: str, start: pd.Timestamp, topic: int | None = None,
                    outlet: str | None = None) -> list[str]:  # fmt: skip
    """Ids of the articles counted in one point of a chart (a period, optionally a topic and outlet)."""
    dated, _ = with_periods(df, period)
    mask = dated["period"] == pd.Timestamp(start).tz_localize(None)
    if topic is not None:
        mask &= dated["topic"] == topic
    if outlet is not None:
        mask &= dated["outlet"] == outlet
    return dated.loc[mask, "article_id"].tolist()
