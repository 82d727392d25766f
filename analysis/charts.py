"""Pure chart builders: DataFrame in, plotly Figure out."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

PERIOD_LABEL = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}
PALETTE = px.colors.qualitative.Safe + px.colors.qualitative.Pastel
OTHER = "Other outlets"


def empty_figure(message: str) -> go.Figure:
    """A blank figure that states why there is nothing to plot."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14}, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=300)
    return fig


def volume_chart(df: pd.DataFrame, period: str) -> go.Figure:
    """Stacked bars of articles per period by outlet (columns: period, outlet, articles)."""
    unit = PERIOD_LABEL.get(period, period)
    if df.empty:
        return empty_figure("No dated articles match the filters.")
    fig = px.bar(
        df,
        x="period",
        y="articles",
        color="outlet",
        color_discrete_sequence=PALETTE,
        color_discrete_map={OTHER: "#c8c8c8"},
        title=f"Articles per {unit} by outlet",
        labels={"period": f"{unit.capitalize()} starting", "articles": f"Articles per {unit}", "outlet": "Outlet"},
        custom_data=["outlet"],
    )
    fig.update_traces(
        hovertemplate="<b>%{customdata[0]}</b><br>" + unit + " of %{x|%Y-%m-%d}<br>%{y:,} articles<extra></extra>"
    )
    fig.update_layout(barmode="stack", bargap=0.05, legend_title_text="Outlet", hovermode="closest", height=420)
    return fig


def topic_bars(df: pd.DataFrame, title: str = "Biggest topics", top_n: int = 12) -> go.Figure:
    """Horizontal bars of articles per topic (columns: topic_label, articles, share)."""
    if df.empty:
        return empty_figure("No article in the selection has a topic.")
    data = df.head(top_n).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=data["articles"],
            y=data["topic_label"],
            orientation="h",
            customdata=(data["share"] * 100).round(1),
            hovertemplate="<b>%{y}</b><br>%{x:,} articles (%{customdata}% of the selection)<extra></extra>",
            marker_color=PALETTE[0],
        )
    )
    fig.update_layout(
        title=title, xaxis_title="Articles", yaxis_title=None, height=max(300, 28 * len(data) + 120),
        margin={"l": 10},
    )  # fmt: skip
    return fig
