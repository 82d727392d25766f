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

import pandas as pd

from analysis.periods import grid, period_start

GAP_P = 0.01


def _monthly(df: pd.DataFrame, key: str) -> pd.DataFrame:
    dated = df[df["published"].notna()]
    months = period_start(dated["published"], "month")
    return pd.DataFrame({key: dated[key].to_numpy(), "month": months.to_numpy()})


def gaps_of(counts: pd.Series, covered: pd.Series | None = None) -> tuple[float, list[pd.Timestamp]]:
    """The norm (median of whole months) and the gap months of one monthly count series over its
    window. covered: the share of each month the data spans (the corpus's first and last months are
    partial), which scales what the month is expected to hold."""
    from scipy.special import pdtr  # the Poisson CDF (scipy.stats costs a second to import)

    covered = pd.Series(1.0, index=counts.index) if covered is None else covered.reindex(counts.index, fill_value=1.0)
    whole = counts[covered >= 0.999]
    norm = float((whole if len(whole) else counts).median()) if len(counts) else 0.0
    if norm <= 0:
        return norm, []
    expected = norm * covered.to_numpy()
    low = (counts.to_numpy() < 0.5 * expected) & (pdtr(counts.to_numpy(), expected) <= GAP_P)
    return norm, [pd.Timestamp(m) for m in counts.index[low]]


def _covered_share(months: pd.Series, span: tuple[pd.Timestamp, pd.Timestamp]) -> pd.Series:
    """The share of each month (by its first day) that falls inside the span of days."""
    first, last = (pd.Timestamp(x).tz_localize(None) if pd.Timestamp(x).tzinfo else pd.Timestamp(x) for x in span)
    first, last = first.normalize(), last.normalize()
    out = {}
    for m in months:
        end = m + pd.DateOffset(months=1)
        days = (end - m).days
        inside = (min(end, last + pd.Timedelta(days=1)) - max(m, first)).days
        out[m] = max(inside, 0) / days
    return pd.Series(out)


def coverage(df: pd.DataFrame, key: str = "outlet", span: tuple | None = None) -> pd.DataFrame:
    """One row per outlet (or per value of `key`, e.g. bias): articles, undated, first_month,
    last_month, months (in the window), norm (median articles per month), gap_months (list of month
    starts), gaps (how many). span: the days the whole corpus covers (default: df's first to last
    dated article), so its partial first and last months are not read as gaps."""
    cols = ["articles", "undated", "first_month", "last_month", "months", "norm", "gap_months", "gaps"]
    if df.empty:
        return pd.DataFrame(columns=[key, *cols])
    values = df[key].fillna("unknown").replace("", "unknown") if key != "outlet" else df[key]
    frame = df.assign(**{key: values})
    monthly = _monthly(frame, key)
    dated = df["published"].dropna()
    span = span or ((dated.min(), dated.max()) if len(dated) else None)
    rows = []
    for name, part in frame.groupby(key, sort=False):
        m = monthly.loc[monthly[key] == name, "month"]
        row = {key: name, "articles": len(part), "undated": int(part["published"].isna().sum())}
        if m.empty:
            rows.append({**row, "first_month": pd.NaT, "last_month": pd.NaT, "months": 0, "norm": 0.0,
                         "gap_months": [], "gaps": 0})  # fmt: skip
            continue
        window = grid(m.min(), m.max(), "month")["period"]
        counts = m.value_counts().reindex(window, fill_value=0).sort_index()
        norm, gaps = gaps_of(counts, _covered_share(counts.index, span) if span else None)
        rows.append({**row, "first_month": m.min(), "last_month": m.max(), "months": len(window), "norm": norm,
                     "gap_months": gaps, "gaps": len(gaps)})  # fmt: skip
    out = pd.DataFrame(rows)
    return out.sort_values("articles", ascending=False).reset_index(drop=True)


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


def describe(row: pd.Series, span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> str:
    """One sentence on an outlet's coverage: its window when narrower than the span, gaps, undated."""
    parts = []
    if pd.isna(row.get("first_month")):
        parts.append("no dated article")
    else:
        first, last = pd.Timestamp(row["first_month"]), pd.Timestamp(row["last_month"])
        narrower = (
            span is None
            or first > period_start(pd.Series([span[0]]), "month").iloc[0]
            or (last < period_start(pd.Series([span[1]]), "month").iloc[0])
        )
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
