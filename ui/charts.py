"""Pure chart builders: DataFrame in, plotly Figure out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis.explore.palette import with_alpha
from analysis.explore.results import OverTime
from analysis.periods import OFFSET

PERIOD_LABEL = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}
PALETTE = px.colors.qualitative.Safe + px.colors.qualitative.Pastel
OTHER = "Other outlets"
# Over- and under-representation, rising and falling: teal and brown (blue and red mean left and right).
MORE, LESS, NOT_SIGNIFICANT = "#1b7f79", "#b35806", "#c4c4c4"


def empty_figure(message: str) -> go.Figure:
    """A blank figure that states why there is nothing to plot."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14}, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=300)
    return fig


def mark_periods(fig: go.Figure, df: pd.DataFrame, period: str, facet: bool = False) -> go.Figure:
    """Shade the periods the data covers only in part (grey, "partial") and those with no article at
    all from the outlets chosen (red): one rectangle per run of such periods, added in one layout
    update (plotly's add_vrect copies every shape each time: 65 of them took 5 s). Columns: period,
    complete[, total]."""
    if df.empty or "period" not in df.columns:
        return fig
    step = OFFSET.get(period, pd.DateOffset(days=1))
    agg = {"complete": ("complete", "all")} if "complete" in df.columns else {}
    if "total" in df.columns:
        agg["total"] = ("total", "sum")
    if not agg:
        return fig
    by_period = df.groupby("period").agg(**agg).sort_index()
    empty = (by_period["total"] == 0).to_numpy() if "total" in by_period else np.zeros(len(by_period), bool)
    partial = (
        ~by_period["complete"].astype(bool).to_numpy() & ~empty
        if "complete" in by_period
        else np.zeros(len(by_period), bool)
    )
    starts = list(by_period.index)
    shapes, notes = [], []
    for mask, color, opacity, label in ((empty, "#f2d7d5", 0.5, None), (partial, "#9e9e9e", 0.18, "partial")):
        for a, b in _runs(mask):
            x0, x1 = pd.Timestamp(starts[a]), pd.Timestamp(starts[b - 1]) + step
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": x0,
                    "x1": x1,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": color,
                    "opacity": opacity,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
            if label:
                notes.append(
                    {
                        "text": label,
                        "xref": "x",
                        "yref": "paper",
                        "x": x0,
                        "y": 1,
                        "xanchor": "left",
                        "yanchor": "bottom",
                        "showarrow": False,
                        "font": {"size": 10, "color": "#666"},
                    }
                )
    if shapes:
        fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])
    return fig


def volume_chart(volume: OverTime, colors: dict[str, str] | None = None) -> go.Figure:
    """Stacked bars of articles per period by outlet (overview.volume); every bar is clickable (customdata:
    outlet)."""
    df, period = volume.table, volume.period
    unit = PERIOD_LABEL.get(period, period)
    if df.empty:
        return empty_figure("No dated articles match the filters.")
    fig = px.bar(
        df,
        x="period",
        y="articles",
        color="outlet",
        color_discrete_sequence=PALETTE,
        color_discrete_map={OTHER: "#c8c8c8", **(colors or {})},
        title=f"Articles per {unit} by outlet",
        labels={"period": f"{unit.capitalize()} starting", "articles": f"Articles per {unit}", "outlet": "Outlet"},
        custom_data=["outlet"],
    )
    fig.update_traces(
        hovertemplate="<b>%{customdata[0]}</b><br>" + unit + " of %{x|%Y-%m-%d}<br>%{y:,} articles<extra></extra>"
    )
    fig.update_layout(barmode="stack", bargap=0.05, legend_title_text="Outlet", hovermode="closest", height=420)
    return mark_periods(fig, df, period)


def share_chart(
    shares: OverTime,
    value: str = "share",
    kind: str = "area",
    facet: str | None = None,
    colors: dict[str, str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Topic (or theme: shares.key) shares of all coverage (or counts) over time: stacked area or lines, every
    point clickable (customdata: id, articles, total, group). Columns of trends.unit_shares. A period with no
    article from the outlets chosen has no share: a gap in lines, shaded in both. title: instead of "Topics over
    time" (one topic's chart names it)."""
    df, period, key = shares.table, shares.period, shares.key
    noun = key
    if df.empty:
        return empty_figure(f"No dated article with a {noun} matches the filters.")
    label = f"{key}_label"
    data = df.copy()
    other = f"Other {noun}s"
    group = facet or "group"
    if group not in data.columns:
        data[group] = ""
    if kind == "area":  # a stack cannot have holes: periods without coverage are shaded instead
        data["share"] = data["share"].fillna(0.0)
    ylab = f"Share of all articles that {period}" if value == "share" else f"Articles per {period}"
    custom = [key, "articles", "total", group]
    kwargs = {
        "x": "period",
        "y": value,
        "color": label,
        "custom_data": custom,
        "labels": {"period": f"{period.capitalize()} starting", value: ylab, label: noun.capitalize()},
        "color_discrete_map": {other: "#d9d9d9", **(colors or {})},
        "markers": True,
    }
    if facet:
        kwargs.update(facet_row=facet, facet_row_spacing=0.04)
        fig = px.area(data, **kwargs) if kind == "area" else px.line(data, **kwargs)
    else:  # graph objects directly: plotly express took 0.2 s of every filter change at 100,000 articles
        fig = _lines_by(
            data, label, value, custom, kind == "area", {other: "#d9d9d9", **(colors or {})}, noun.capitalize()
        )
        fig.update_layout(xaxis_title=f"{period.capitalize()} starting", yaxis_title=ylab)
    if kind == "area":  # a click picks the period's point of a topic, never the shape of the one above it
        fig.update_traces(hoveron="points")
    what = "share of all articles" if value == "share" else "articles"
    return _over_time(
        fig,
        df,
        period,
        value,
        facet,
        title or f"{noun.capitalize()}s over time ({what} per {period})",
        "%{fullData.name}",
        ".0%",
        460,
    )


def _lines_by(
    data: pd.DataFrame, by: str, value: str, custom: list[str], stacked: bool, colors: dict[str, str], legend: str
) -> go.Figure:
    """One line (or stacked area) per value of `by`, in the frame's order, with markers and customdata."""
    fig = go.Figure()
    sequence = px.colors.qualitative.Plotly
    for i, (name, part) in enumerate(data.groupby(by, sort=False)):
        color = colors.get(str(name), sequence[i % len(sequence)])
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=part[value],
                name=str(name),
                mode="lines+markers",
                line={"color": color},
                marker={"color": color},
                customdata=part[custom].to_numpy(),
                legendgroup=str(name),
                **({"stackgroup": "one", "fillcolor": color} if stacked else {}),
            )
        )
    fig.update_layout(legend_title_text=legend)
    return fig


def _over_time(
    fig: go.Figure,
    df: pd.DataFrame,
    period: str,
    value: str,
    facet: str | None,
    title: str,
    name: str,
    tickformat: str,
    height: int,
) -> go.Figure:
    """The common finish of a chart of counts or shares over time: hover with the counts (customdata
    1 and 2), gaps kept, facet titles without "outlet=", partial and empty periods shaded."""
    fig.update_traces(
        marker={"size": 5},
        connectgaps=False,
        hovertemplate="<b>" + name + "</b><br>" + period + " of %{x|%Y-%m-%d}<br>%{customdata[1]:,} of "
        "%{customdata[2]:,} articles"
        + (" (%{y:" + tickformat.replace("0", "1", 1) + "})" if value == "share" else "")
        + "<extra></extra>",
    )
    fig.update_layout(title=title, height=height if not facet else 220 * df[facet].nunique() + 120, hovermode="closest")
    if facet:
        fig.for_each_annotation(lambda a: a.update(text=a.text.split("=", 1)[-1]))
    if value == "share":
        fig.update_yaxes(tickformat=tickformat)
    return mark_periods(fig, df, period, facet=bool(facet))


def attention_chart(att: OverTime, value: str = "share", facet: str | None = None, title: str = "") -> go.Figure:
    """Attention over time: one line per search, topic set or entity, each a share of all coverage (columns of
    trends.attention); every point clickable (customdata: line, articles, total, group)."""
    df, period = att.table, att.period
    if df.empty:
        return empty_figure("Add a search or a topic set to compare.")
    group = facet or "group"
    data = df.assign(**{group: df[facet] if facet else ""})
    ylab = f"Share of all articles that {period}" if value == "share" else f"Articles per {period}"
    kwargs = {
        "x": "period",
        "y": value,
        "color": "line",
        "custom_data": ["line", "articles", "total", group],
        "labels": {"period": f"{period.capitalize()} starting", value: ylab, "line": "Compared"},
        "markers": True,
        "color_discrete_sequence": px.colors.qualitative.Bold,
    }
    if facet:
        kwargs.update(facet_row=facet, facet_row_spacing=0.04)
    fig = px.line(data, **kwargs)
    what = "share of all articles" if value == "share" else "articles"
    per = f", each a share of its own {facet}'s articles" if facet and value == "share" else ""
    title = title or f"Attention over time ({what} per {period}{per})"
    fig.update_yaxes(rangemode="tozero")  # a line of zeros sits on the axis, not mid-chart between -1 and 1
    return _over_time(fig, df, period, value, facet, title, "%{customdata[0]}", ".1%", 440)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True values."""
    out, start = [], None
    for i, m in enumerate([*list(mask), False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            out.append((start, i))
            start = None
    return out


def tone_chart(
    tone: OverTime, by: str | None = None, colors: dict[str, str] | None = None, name: str = "All articles"
) -> go.Figure:
    """Mean tone per period with its 95% band (trends.tone_over_time: period, [by,] mean, n, ci_low, ci_high,
    enough). Periods without enough scored articles are gaps, so no line is drawn across them; every point is
    clickable (customdata: n, ci_low, ci_high, group). name: the one line's name when not by a group."""
    df = tone.table
    data = df[df["enough"]] if "enough" in df.columns else df
    if data.empty:
        return empty_figure("Not enough scored articles per period; lower the minimum or widen the filters.")
    period = tone.period
    fig = go.Figure()
    groups = df.groupby(by, sort=False) if by else [(name, df)]
    for i, (name, part) in enumerate(groups):
        c = (colors or {}).get(str(name), PALETTE[i % len(PALETTE)])
        part = part.sort_values("period")
        ok = part["enough"].to_numpy(dtype=bool) if "enough" in part.columns else np.ones(len(part), bool)
        mean = part["mean"].where(ok)
        band_ok = ok & part["ci_low"].notna().to_numpy() & part["ci_high"].notna().to_numpy()
        xs: list = []
        ys: list = []
        for a, b in _runs(band_ok):  # one polygon per run of periods, all in one trace (gaps between them)
            seg = part.iloc[a:b]
            xs += [*seg["period"], *seg["period"][::-1], None]
            ys += [*seg["ci_high"], *seg["ci_low"][::-1], None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    fill="toself",
                    fillcolor=with_alpha(c, 0.18),
                    line={"width": 0},
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=str(name),
                    name=f"{name} 95% band",
                )
            )
        group = np.full(len(part), str(name), dtype=object)
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=mean,
                mode="lines+markers",
                name=str(name),
                line={"color": c, "width": 2},
                marker={"size": 6, "color": c},
                legendgroup=str(name),
                connectgaps=False,
                customdata=np.stack([part["n"], part["ci_low"], part["ci_high"], group], axis=1),
                hovertemplate="<b>" + str(name) + "</b><br>" + period + " of %{x|%Y-%m-%d}<br>tone %{y:.2f} (95% CI "
                "%{customdata[1]:.2f} to %{customdata[2]:.2f})<br>%{customdata[0]:,} scored articles<extra></extra>",
            )
        )
    fig.add_hline(y=0, line={"color": "#999", "width": 1, "dash": "dot"})
    fig.update_layout(
        title=f"Tone over time (mean per {period}, 95% confidence band; -1 negative, +1 positive)",
        xaxis_title=f"{period.capitalize()} starting",
        yaxis_title="Mean tone",
        height=420,
        hovermode="closest",
    )
    return mark_periods(fig, df.drop(columns=[c for c in ("total",) if c in df.columns]), period)
