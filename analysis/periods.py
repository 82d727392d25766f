"""Periods for charts over time: choosing a period length, the first day of each period, the full grid
of periods over a span (so a quiet period is a zero, never skipped), and which periods the data covers
only in part (the first and last ones, e.g. the current month)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PERIODS = ("day", "week", "month", "quarter", "year")
OFFSET = {
    "day": pd.DateOffset(days=1),
    "week": pd.DateOffset(weeks=1),
    "month": pd.DateOffset(months=1),
    "quarter": pd.DateOffset(months=3),
    "year": pd.DateOffset(years=1),
}


def choose_period(first: pd.Timestamp | None, last: pd.Timestamp | None, max_periods: int = 100) -> str:
    """The finest of day/week/month/quarter/year that gives at most max_periods periods."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "week"
    days = max((pd.Timestamp(last) - pd.Timestamp(first)).days, 1)
    for period, length in (("day", 1), ("week", 7), ("month", 30.44), ("quarter", 91.3), ("year", 365.25)):
        if days / length <= max_periods:
            return period
    return "year"


NAT = np.iinfo(np.int64).min  # NaT as an integer


def day_numbers(ts: pd.Series) -> np.ndarray:
    """Each timestamp's UTC day as a day number since 1970-01-01 (NAT when missing)."""
    if not isinstance(ts.dtype, pd.DatetimeTZDtype) and not pd.api.types.is_datetime64_dtype(ts.dtype):
        ts = pd.to_datetime(ts, utc=True)
    values = ts.array  # UTC integers in the array's unit, whatever its time zone
    ticks = values.asi8
    per_day = np.timedelta64(1, "D").astype(f"timedelta64[{values.unit}]").astype(np.int64)
    return np.where(ticks == NAT, NAT, ticks // per_day)


def period_days(ts: pd.Series, period: str) -> np.ndarray:
    """The first day of the period each timestamp falls in (weeks start on Monday) as a day number (NAT when
    missing): calendar arithmetic on day numbers, where pandas' period conversion took 0.1 s a call at a million
    rows. Comparing and counting these numbers saves copying the dated rows of a frame."""
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}; use one of {', '.join(PERIODS)}.")
    n = day_numbers(ts)
    if period == "day":
        return n
    if period == "week":  # 1970-01-01, day 0, was a Thursday: Monday is 3 days before
        return np.where(n == NAT, NAT, n - (n + 3) % 7)
    months = n.astype("datetime64[D]").astype("datetime64[M]")  # NAT stays NaT through the conversions
    if period == "quarter":
        m = months.astype(np.int64)
        months = np.where(n == NAT, NAT, m - m % 3).astype("datetime64[M]")
    elif period == "year":
        months = months.astype("datetime64[Y]")
    return months.astype("datetime64[D]").astype(np.int64)


def period_start(ts: pd.Series, period: str) -> pd.Series:
    """The first day of the period each timestamp falls in (weeks start on Monday), time-zone naive."""
    return pd.Series(day_dates(period_days(ts, period)), index=ts.index, name=ts.name)


def day_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers (NAT when missing) as time-zone-naive dates (datetime64[us], NaT when missing)."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[us]")


def dated_rows(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows with a publication date, optionally only some columns; df itself when every row is dated
    (as analysis.explore.rows.keep does)."""
    part = df if columns is None else df[list(columns)]
    dated = part["published"].notna().to_numpy()
    return part if dated.all() else part.take(np.flatnonzero(dated))


def start_of(day: pd.Timestamp, period: str) -> pd.Timestamp:
    """The first day of the period a day falls in."""
    return pd.Timestamp(period_start(pd.Series([pd.Timestamp(day)]), period).iloc[0])


def day(ts: object) -> pd.Timestamp:
    """A date or timestamp as a time-zone-naive day (UTC)."""
    t = pd.Timestamp(ts)
    if t.tzinfo is not None:
        t = t.tz_convert("UTC").tz_localize(None)
    return t.normalize()


_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}


def grid(first: pd.Timestamp, last: pd.Timestamp, period: str) -> pd.DataFrame:
    """Every period from the one holding `first` to the one holding `last` (days, inclusive).

    Columns: period (first day), period_end (first day of the next period), complete (the span covers
    the whole period; False for a first period the data starts inside and a last one it stops inside).
    """
    first_day, last_day = day(first), day(last)
    starts = pd.date_range(start_of(first_day, period), start_of(last_day, period), freq=_FREQ[period])
    ends = starts.shift(1, freq=_FREQ[period]) if len(starts) else starts
    out = pd.DataFrame({"period": starts, "period_end": ends})
    out["complete"] = (out["period"] >= first_day) & (out["period_end"] - pd.Timedelta(days=1) <= last_day)
    return out


def span_note(table: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> str:
    """A sentence naming the periods the data covers only in part, or "" when every period is whole."""
    if table.empty or "complete" not in table.columns:
        return ""
    partial = table.drop_duplicates("period")
    partial = partial[~partial["complete"].astype(bool)]
    if partial.empty:
        return ""
    first_day, last_day = day(first), day(last)
    parts = [
        f"{pd.Timestamp(p):%Y-%m-%d} (the data starts {first_day:%Y-%m-%d})"
        if pd.Timestamp(p) < first_day
        else f"{pd.Timestamp(p):%Y-%m-%d} (the data ends {last_day:%Y-%m-%d})"
        for p in partial["period"]
    ]
    return (
        "Periods the data covers only in part (shaded; their counts are not comparable with whole periods): "
        + "; ".join(parts)
        + "."
    )


def ranges(starts: list[pd.Timestamp], every: list[pd.Timestamp]) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Consecutive runs (first, last period start) of `starts` within the ordered periods `every`."""
    pos = {pd.Timestamp(p): i for i, p in enumerate(every)}
    idx = sorted(pos[pd.Timestamp(s)] for s in starts if pd.Timestamp(s) in pos)
    out: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for i in idx:
        if out and pos[out[-1][1]] == i - 1:
            out[-1] = (out[-1][0], pd.Timestamp(every[i]))
        else:
            out.append((pd.Timestamp(every[i]), pd.Timestamp(every[i])))
    return out


def no_coverage_note(table: pd.DataFrame, by: str | None = None, limit: int = 6) -> str:
    """A sentence naming the periods with no article at all from the outlets chosen (per outlet with by),
    where a share cannot be computed (columns: period, total[, by])."""
    if table.empty or "total" not in table.columns:
        return ""
    every = sorted(pd.to_datetime(table["period"].unique()))
    cells = table.drop_duplicates(["period", by] if by else ["period"])
    groups = cells.groupby(by) if by else [("", cells)]
    parts = []
    for name, part in groups:
        empty = part.loc[part["total"] == 0, "period"].tolist()
        if not empty:
            continue
        runs = ranges(empty, every)
        text = ", ".join(f"{a:%Y-%m-%d}" if a == b else f"{a:%Y-%m-%d} to {b:%Y-%m-%d}" for a, b in runs[:limit])
        more = f" and {len(runs) - limit} more" if len(runs) > limit else ""
        counted = f"{len(empty)} of {len(every)} period{'s' if len(every) != 1 else ''} ({text}{more})"
        parts.append(f"{name}: {counted}" if by else counted)
    if not parts:
        return ""
    return "No article at all from the chosen outlets, so no share (shaded red): " + "; ".join(parts) + "."
