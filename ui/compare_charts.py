"""Charts that put topics, outlets and groups side by side: rising and falling topics, over/under-representation
by outlet or group, tone by group, volume by group."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis.explore.results import OverTime
from analysis.explore.trends import Changes
from ui.charts import LESS, MORE, NOT_SIGNIFICANT, PALETTE, empty_figure, mark_periods


def change_bars(changes: Changes, k: int = 8, significant_only: bool = True) -> go.Figure:
    """Rising and falling topics or themes: change in share of all coverage between two periods
    (trends.rising_falling). Significant changes in colour; the others grey, or left out when significant_only.
    Bars are clickable (customdata: id, before, now, z, q)."""
    df, key, noun = changes.table, changes.key, changes.key
    n_tests = len(df)
    if df.empty:
        if changes.before is None:
            return empty_figure("Two periods with articles are needed to compare.")
        return empty_figure(f"No {noun} has enough articles in the last two periods to compare.")
    shown = df[df["significant"].astype(bool)] if significant_only else df
    if shown.empty:
        return empty_figure(
            f"No {noun}'s share changed significantly ({n_tests} compared; two-proportion z-test, "
            "Benjamini–Hochberg 5%)."
        )
    data = pd.concat([shown.head(k), shown.tail(k)]).drop_duplicates(key).sort_values("change")
    sig = data["significant"].astype(bool).to_numpy()
    fig = go.Figure(
        go.Bar(
            x=data["change"] * 100,
            y=data[f"{key}_label"],
            orientation="h",
            marker_color=np.where(~sig, NOT_SIGNIFICANT, np.where(data["change"] >= 0, MORE, LESS)),
            customdata=np.stack(
                [
                    data[key],
                    data["articles_before"],
                    data["articles_now"],
                    data["z"],
                    data["q_value"],
                    np.where(sig, "significant", "not significant"),
                ],
                axis=1,
            ),
            hovertemplate="<b>%{y}</b><br>%{x:+.1f} share points<br>%{customdata[1]} → %{customdata[2]} articles"
            "<br>z = %{customdata[3]:.1f}, q = %{customdata[4]:.2g} (%{customdata[5]})<extra></extra>",
        )
    )
    now, before = changes.now, changes.before
    partial = "" if changes.now_complete else ", the latest so far"
    span = (
        f" ({pd.Timestamp(before):%Y-%m-%d} → {pd.Timestamp(now):%Y-%m-%d}{partial})"
        if now is not None and before is not None
        else ""
    )
    per = changes.period
    which = "significant changes" if significant_only else "grey: not significant"
    fig.update_layout(
        title=f"Rising and falling {noun}s, {per} on {per}{span}; {which}",
        xaxis_title="Change in share of all articles (percentage points)",
        height=max(300, 24 * len(data) + 120),
        margin={"l": 10},
    )
    return fig


def outlet_topic_heatmap(
    df: pd.DataFrame, labels: dict[int, str], key: str = "topic", group: str = "outlet", top_topics: int = 15
) -> go.Figure:
    """Over/under-representation of topics (key: or themes) by outlet or group (columns of
    topic_stats.share_by_group): significant cells coloured by z (teal: more than the others, brown: less), the
    rest grey."""
    noun = key
    if df.empty:
        return empty_figure(f"No article with a {noun} matches the filters.")
    top = df.groupby(key)["articles"].sum().sort_values(ascending=False).index[:top_topics]
    data = df[df[key].isin(top)]
    z = data.pivot(index=group, columns=key, values="z").reindex(columns=top)
    sig = data.pivot(index=group, columns=key, values="significant").reindex(columns=top).fillna(False)
    share = data.pivot(index=group, columns=key, values="share").reindex(columns=top)
    n = data.pivot(index=group, columns=key, values="articles").reindex(columns=top)
    q = data.pivot(index=group, columns=key, values="q_value").reindex(columns=top)
    names = [labels.get(int(t), str(t)) for t in top]
    verdict = np.where(sig.to_numpy(dtype=bool), "significant", "not significant")
    custom = np.dstack([share.to_numpy() * 100, n.to_numpy(), q.to_numpy(), verdict])
    hover = (
        "%{y} on %{x}<br>%{customdata[1]} articles, %{customdata[0]:.1f}% of its output<br>z = %{z:.1f}, "
        "q = %{customdata[2]:.2g} (%{customdata[3]})<extra></extra>"
    )
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=np.where(sig, np.nan, z.to_numpy(dtype=float)),
            x=names,
            y=z.index,
            customdata=custom,
            colorscale=[[0, NOT_SIGNIFICANT], [1, NOT_SIGNIFICANT]],
            showscale=False,
            text=share.to_numpy() * 100,
            texttemplate="%{text:.0f}%",
            hovertemplate=hover,
            name="not significant",
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=np.where(sig, z.to_numpy(dtype=float), np.nan),
            x=names,
            y=z.index,
            customdata=custom,
            zmid=0,
            zmin=-6,
            zmax=6,
            colorscale=[[0, LESS], [0.5, "#f7f7f7"], [1, MORE]],
            colorbar={"title": "z"},
            text=share.to_numpy() * 100,
            texttemplate="%{text:.0f}%",
            hovertemplate=hover,
            name="significant",
        )
    )
    fig.update_layout(
        title=f"{noun.capitalize()} share of each one's articles against the others' (teal: more, brown: less; grey: "
        "not significant)",
        showlegend=False,
        height=max(360, 26 * len(z) + 200),
    )
    return fig


def tone_by_group(df: pd.DataFrame, by: str, colors: dict[str, str] | None = None) -> go.Figure:
    """Mean tone per group with 95% error bars (columns: <by>, mean, n, ci_low, ci_high)."""
    if df.empty:
        return empty_figure("No scored article matches the filters.")
    data = df.sort_values("mean")
    names = data[by].astype(str)
    fig = go.Figure(
        go.Scatter(
            x=data["mean"],
            y=names,
            mode="markers",
            marker={"size": 11, "color": [(colors or {}).get(n, PALETTE[0]) for n in names]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (data["ci_high"] - data["mean"]).fillna(0),
                "arrayminus": (data["mean"] - data["ci_low"]).fillna(0),
                "color": "#777",
            },
            customdata=data[["n"]].to_numpy(),
            hovertemplate="<b>%{y}</b><br>mean tone %{x:.2f}<br>%{customdata[0]:,} scored articles<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": "#999", "width": 1, "dash": "dot"})
    fig.update_layout(
        title=f"Mean tone by {by} (95% confidence interval)",
        xaxis_title="Mean tone (-1 to +1)",
        height=max(280, 26 * len(data) + 120),
        margin={"l": 10},
    )
    return fig


def group_volume(volume: OverTime, group: str, colors: dict[str, str] | None = None) -> go.Figure:
    """Lines of articles per period per outlet or group (columns: period, <group>, articles, complete); every
    point clickable (customdata: group)."""
    df, period = volume.table, volume.period
    if df.empty:
        return empty_figure("No dated article matches the filters.")
    fig = px.line(
        df,
        x="period",
        y="articles",
        color=group,
        markers=True,
        color_discrete_sequence=PALETTE,
        color_discrete_map=colors or {},
        custom_data=[group],
        labels={
            "period": f"{period.capitalize()} starting",
            "articles": f"Articles per {period}",
            group: {"outlet": "Outlet", "bias": "Bias rating", "country": "Country"}.get(group, group),
        },
    )
    fig.update_traces(
        hovertemplate="<b>%{customdata[0]}</b><br>" + period + " of %{x|%Y-%m-%d}<br>%{y:,} articles<extra></extra>"
    )
    fig.update_layout(title=f"Articles per {period} by {group}", height=380, hovermode="closest")
    fig.update_yaxes(rangemode="tozero")
    return mark_periods(fig, df.drop(columns=[c for c in ("total",) if c in df.columns]), period)
