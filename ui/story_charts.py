"""Charts of one story: who published when, and its coverage bar by side."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import PALETTE, empty_figure


def story_timeline(members: pd.DataFrame, timed: bool = True) -> go.Figure:
    """When each outlet published on a story: hours after the first article, or days after the first
    day when the dates have no time of day (columns: outlet, lag_hours, lag_days, title)."""
    if members.empty:
        return empty_figure("This story has no articles.")
    col, unit = ("lag_hours", "hours") if timed else ("lag_days", "days")
    data = members.sort_values(col)
    fig = go.Figure(
        go.Scatter(
            x=data[col],
            y=data["outlet"],
            mode="markers",
            marker={"size": 11, "color": PALETTE[2]},
            customdata=data[["title"]].to_numpy(),
            hovertemplate="<b>%{y}</b><br>%{x:.1f} " + unit + " after the first<br>%{customdata[0]}<extra></extra>",
        )
    )
    title = (
        "Who published when (hours after the first article)"
        if timed
        else ("Who published when (days after the first day; the dates have no time of day)")
    )
    fig.update_layout(
        title=title,
        xaxis_title=f"{unit.capitalize()} after the first",
        yaxis={"autorange": "reversed"},
        height=max(240, 28 * data["outlet"].nunique() + 120),
    )
    if not timed:
        fig.update_xaxes(dtick=1)
    return fig


def coverage_bar(bar: pd.DataFrame, title: str = "Coverage by side") -> go.Figure:
    """A story's (or topic's) coverage bar: its rated outlets left, center and right as one stacked bar, with
    counts and shares; the unrated are named in the title, outside the split."""
    from analysis.explore.palette import bias_color

    rated = bar[bar["side"] != "unrated"]
    unrated = int(bar.loc[bar["side"] == "unrated", "count"].sum())
    fig = go.Figure()
    for r in rated.itertuples():
        share = 0.0 if pd.isna(r.share) else float(r.share)
        fig.add_trace(
            go.Bar(
                x=[share],
                y=[""],
                orientation="h",
                name=f"{r.side.capitalize()} {r.count}",
                marker_color=bias_color(r.side),
                text=f"{r.side.capitalize()} {r.count} ({share:.0%})",
                textposition="inside",
                customdata=[[r.side, r.count]],
                hovertemplate="%{customdata[0]}: %{customdata[1]} outlets, %{x:.0%} of the rated<extra></extra>",
            )
        )
    note = f" · {unrated} unrated outlet{'s' if unrated != 1 else ''}" if unrated else ""
    fig.update_layout(
        barmode="stack",
        height=140,
        title=f"{title}{note}",
        showlegend=False,
        xaxis={"tickformat": ".0%", "range": [0, 1]},
        margin={"l": 10, "r": 10, "t": 40, "b": 20},
    )
    return fig
