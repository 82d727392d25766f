"""Pure chart builders: DataFrame in, plotly Figure out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis.explore.palette import with_alpha
from analysis.explore.periods import OFFSET
from analysis.explore.results import OverTime
from analysis.explore.trends import Changes

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
    partial = ~by_period["complete"].astype(bool).to_numpy() & ~empty if "complete" in by_period else np.zeros(
        len(by_period), bool
    )  # fmt: skip
    starts = list(by_period.index)
    shapes, notes = [], []
    for mask, color, opacity, label in ((empty, "#f2d7d5", 0.5, None), (partial, "#9e9e9e", 0.18, "partial")):
        for a, b in _runs(mask):
            x0, x1 = pd.Timestamp(starts[a]), pd.Timestamp(starts[b - 1]) + step
            shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
                           "fillcolor": color, "opacity": opacity, "line": {"width": 0}, "layer": "below"})  # fmt: skip
            if label:
                notes.append({"text": label, "xref": "x", "yref": "paper", "x": x0, "y": 1, "xanchor": "left",
                              "yanchor": "bottom", "showarrow": False, "font": {"size": 10, "color": "#666"}})  # fmt: skip
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
    shares: OverTime, value: str = "share", kind: str = "area", facet: str | None = None,
    colors: dict[str, str] | None = None,
) -> go.Figure:  # fmt: skip
    """Topic (or theme: shares.key) shares of all coverage (or counts) over time: stacked area or lines, every
    point clickable (customdata: id, articles, total, group). Columns of trends.unit_shares. A period with no
    article from the outlets chosen has no share: a gap in lines, shaded in both."""
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
    kwargs = {"x": "period", "y": value, "color": label, "custom_data": custom,
              "labels": {"period": f"{period.capitalize()} starting", value: ylab, label: noun.capitalize()},
              "color_discrete_map": {other: "#d9d9d9", **(colors or {})}, "markers": True}  # fmt: skip
    if facet:
        kwargs.update(facet_row=facet, facet_row_spacing=0.04)
        fig = px.area(data, **kwargs) if kind == "area" else px.line(data, **kwargs)
    else:  # graph objects directly: plotly express took 0.2 s of every filter change at 100,000 articles
        fig = _lines_by(data, label, value, custom, kind == "area", {other: "#d9d9d9", **(colors or {})},
                        noun.capitalize())  # fmt: skip
        fig.update_layout(xaxis_title=f"{period.capitalize()} starting", yaxis_title=ylab)
    if kind == "area":  # a click picks the period's point of a topic, never the shape of the one above it
        fig.update_traces(hoveron="points")
    what = "share of all articles" if value == "share" else "articles"
    return _over_time(fig, df, period, value, facet, f"{noun.capitalize()}s over time ({what} per {period})",
                      "%{fullData.name}", ".0%", 460)  # fmt: skip


def _lines_by(data: pd.DataFrame, by: str, value: str, custom: list[str], stacked: bool, colors: dict[str, str],
              legend: str) -> go.Figure:  # fmt: skip
    """One line (or stacked area) per value of `by`, in the frame's order, with markers and customdata."""
    fig = go.Figure()
    sequence = px.colors.qualitative.Plotly
    for i, (name, part) in enumerate(data.groupby(by, sort=False)):
        color = colors.get(str(name), sequence[i % len(sequence)])
        fig.add_trace(go.Scatter(
            x=part["period"], y=part[value], name=str(name), mode="lines+markers", line={"color": color},
            marker={"color": color}, customdata=part[custom].to_numpy(), legendgroup=str(name),
            **({"stackgroup": "one", "fillcolor": color} if stacked else {}),
        ))  # fmt: skip
    fig.update_layout(legend_title_text=legend)
    return fig


def _over_time(fig: go.Figure, df: pd.DataFrame, period: str, value: str, facet: str | None, title: str,
               name: str, tickformat: str, height: int) -> go.Figure:  # fmt: skip
    """The common finish of a chart of counts or shares over time: hover with the counts (customdata
    1 and 2), gaps kept, facet titles without "outlet=", partial and empty periods shaded."""
    fig.update_traces(
        marker={"size": 5}, connectgaps=False,
        hovertemplate="<b>" + name + "</b><br>" + period + " of %{x|%Y-%m-%d}<br>%{customdata[1]:,} of "
        "%{customdata[2]:,} articles" + (" (%{y:" + tickformat.replace("0", "1", 1) + "})" if value == "share" else "")
        + "<extra></extra>",
    )  # fmt: skip
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
    kwargs = {"x": "period", "y": value, "color": "line", "custom_data": ["line", "articles", "total", group],
              "labels": {"period": f"{period.capitalize()} starting", value: ylab, "line": "Compared"},
              "markers": True, "color_discrete_sequence": px.colors.qualitative.Bold}  # fmt: skip
    if facet:
        kwargs.update(facet_row=facet, facet_row_spacing=0.04)
    fig = px.line(data, **kwargs)
    what = "share of all articles" if value == "share" else "articles"
    per = f", each a share of its own {facet}'s articles" if facet and value == "share" else ""
    title = title or f"Attention over time ({what} per {period}{per})"
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


def tone_chart(tone: OverTime, by: str | None = None, colors: dict[str, str] | None = None) -> go.Figure:
    """Mean tone per period with its 95% band (trends.tone_over_time: period, [by,] mean, n, ci_low, ci_high,
    enough). Periods without enough scored articles are gaps, so no line is drawn across them; every point is
    clickable (customdata: n, ci_low, ci_high, group)."""
    df = tone.table
    data = df[df["enough"]] if "enough" in df.columns else df
    if data.empty:
        return empty_figure("Not enough scored articles per period; lower the minimum or widen the filters.")
    period = tone.period
    fig = go.Figure()
    groups = df.groupby(by, sort=False) if by else [("All articles", df)]
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
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines", fill="toself", fillcolor=with_alpha(c, 0.18), line={"width": 0},
                hoverinfo="skip", showlegend=False, legendgroup=str(name), name=f"{name} 95% band",
            ))  # fmt: skip
        group = np.full(len(part), str(name), dtype=object)
        fig.add_trace(go.Scatter(
            x=part["period"], y=mean, mode="lines+markers", name=str(name), line={"color": c, "width": 2},
            marker={"size": 6, "color": c}, legendgroup=str(name), connectgaps=False,
            customdata=np.stack([part["n"], part["ci_low"], part["ci_high"], group], axis=1),
            hovertemplate="<b>" + str(name) + "</b><br>" + period + " of %{x|%Y-%m-%d}<br>tone %{y:.2f} (95% CI "
            "%{customdata[1]:.2f} to %{customdata[2]:.2f})<br>%{customdata[0]:,} scored articles<extra></extra>",
        ))  # fmt: skip
    fig.add_hline(y=0, line={"color": "#999", "width": 1, "dash": "dot"})
    fig.update_layout(title=f"Tone over time (mean per {period}, 95% confidence band; -1 negative, +1 positive)",
                      xaxis_title=f"{period.capitalize()} starting", yaxis_title="Mean tone", height=420,
                      hovermode="closest")  # fmt: skip
    return mark_periods(fig, df.drop(columns=[c for c in ("total",) if c in df.columns]), period)


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
        return empty_figure(f"No {noun}'s share changed significantly ({n_tests} compared; two-proportion z-test, "
                            "Benjamini–Hochberg 5%).")  # fmt: skip
    data = pd.concat([shown.head(k), shown.tail(k)]).drop_duplicates(key).sort_values("change")
    sig = data["significant"].astype(bool).to_numpy()
    fig = go.Figure(go.Bar(
        x=data["change"] * 100, y=data[f"{key}_label"], orientation="h",
        marker_color=np.where(~sig, NOT_SIGNIFICANT, np.where(data["change"] >= 0, MORE, LESS)),
        customdata=np.stack([data[key], data["articles_before"], data["articles_now"], data["z"], data["q_value"],
                             np.where(sig, "significant", "not significant")], axis=1),
        hovertemplate="<b>%{y}</b><br>%{x:+.1f} share points<br>%{customdata[1]} → %{customdata[2]} articles"
        "<br>z = %{customdata[3]:.1f}, q = %{customdata[4]:.2g} (%{customdata[5]})<extra></extra>",
    ))  # fmt: skip
    now, before = changes.now, changes.before
    partial = "" if changes.now_complete else ", the latest so far"
    span = (
        f" ({pd.Timestamp(before):%Y-%m-%d} → {pd.Timestamp(now):%Y-%m-%d}{partial})"
        if now is not None and before is not None
        else ""
    )
    per = changes.period
    which = "significant changes" if significant_only else "grey: not significant"
    fig.update_layout(title=f"Rising and falling {noun}s, {per} on {per}{span}; {which}",
                      xaxis_title="Change in share of all articles (percentage points)",
                      height=max(300, 24 * len(data) + 120), margin={"l": 10})  # fmt: skip
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
    hover = ("%{y} on %{x}<br>%{customdata[1]} articles, %{customdata[0]:.1f}% of its output<br>z = %{z:.1f}, "
             "q = %{customdata[2]:.2g} (%{customdata[3]})<extra></extra>")  # fmt: skip
    fig = go.Figure()
    fig.add_trace(go.Heatmap(z=np.where(sig, np.nan, z.to_numpy(dtype=float)), x=names, y=z.index, customdata=custom,
                             colorscale=[[0, NOT_SIGNIFICANT], [1, NOT_SIGNIFICANT]], showscale=False,
                             hovertemplate=hover, name="not significant"))  # fmt: skip
    fig.add_trace(go.Heatmap(
        z=np.where(sig, z.to_numpy(dtype=float), np.nan), x=names, y=z.index, customdata=custom, zmid=0, zmin=-6,
        zmax=6, colorscale=[[0, LESS], [0.5, "#f7f7f7"], [1, MORE]], colorbar={"title": "z"}, hovertemplate=hover,
        name="significant",
    ))  # fmt: skip
    fig.update_layout(title=f"{noun.capitalize()} share of each against the others (teal: more, brown: less; grey: "
                      "not significant)", showlegend=False,
                      height=max(360, 26 * len(z) + 200))  # fmt: skip
    return fig


def tone_by_group(df: pd.DataFrame, by: str, colors: dict[str, str] | None = None) -> go.Figure:
    """Mean tone per group with 95% error bars (columns: <by>, mean, n, ci_low, ci_high)."""
    if df.empty:
        return empty_figure("No scored article matches the filters.")
    data = df.sort_values("mean")
    names = data[by].astype(str)
    fig = go.Figure(go.Scatter(
        x=data["mean"], y=names, mode="markers",
        marker={"size": 11, "color": [(colors or {}).get(n, PALETTE[0]) for n in names]},
        error_x={"type": "data", "symmetric": False, "array": (data["ci_high"] - data["mean"]).fillna(0),
                 "arrayminus": (data["mean"] - data["ci_low"]).fillna(0), "color": "#777"},
        customdata=data[["n"]].to_numpy(),
        hovertemplate="<b>%{y}</b><br>mean tone %{x:.2f}<br>%{customdata[0]:,} scored articles<extra></extra>",
    ))  # fmt: skip
    fig.add_vline(x=0, line={"color": "#999", "width": 1, "dash": "dot"})
    fig.update_layout(title=f"Mean tone by {by} (95% confidence interval)", xaxis_title="Mean tone (-1 to +1)",
                      height=max(280, 26 * len(data) + 120), margin={"l": 10})  # fmt: skip
    return fig


def group_volume(volume: OverTime, group: str, colors: dict[str, str] | None = None) -> go.Figure:
    """Lines of articles per period per outlet or group (columns: period, <group>, articles, complete); every
    point clickable (customdata: group)."""
    df, period = volume.table, volume.period
    if df.empty:
        return empty_figure("No dated article matches the filters.")
    fig = px.line(df, x="period", y="articles", color=group, markers=True, color_discrete_sequence=PALETTE,
                  color_discrete_map=colors or {}, custom_data=[group],
                  labels={"period": f"{period.capitalize()} starting", "articles": f"Articles per {period}",
                          group: {"outlet": "Outlet", "bias": "Bias rating", "country": "Country"}.get(group, group)})  # fmt: skip
    fig.update_traces(hovertemplate="<b>%{customdata[0]}</b><br>" + period + " of %{x|%Y-%m-%d}<br>%{y:,} articles"
                      "<extra></extra>")  # fmt: skip
    fig.update_layout(title=f"Articles per {period} by {group}", height=380, hovermode="closest")
    return mark_periods(fig, df.drop(columns=[c for c in ("total",) if c in df.columns]), period)


def story_timeline(members: pd.DataFrame, timed: bool = True) -> go.Figure:
    """When each outlet published on a story: hours after the first article, or days after the first
    day when the dates have no time of day (columns: outlet, lag_hours, lag_days, title)."""
    if members.empty:
        return empty_figure("This story has no articles.")
    col, unit = ("lag_hours", "hours") if timed else ("lag_days", "days")
    data = members.sort_values(col)
    fig = go.Figure(go.Scatter(
        x=data[col], y=data["outlet"], mode="markers", marker={"size": 11, "color": PALETTE[2]},
        customdata=data[["title"]].to_numpy(),
        hovertemplate="<b>%{y}</b><br>%{x:.1f} " + unit + " after the first<br>%{customdata[0]}<extra></extra>",
    ))  # fmt: skip
    title = "Who published when (hours after the first article)" if timed else (
        "Who published when (days after the first day; the dates have no time of day)"
    )  # fmt: skip
    fig.update_layout(title=title, xaxis_title=f"{unit.capitalize()} after the first", yaxis={"autorange": "reversed"},
                      height=max(240, 28 * data["outlet"].nunique() + 120))  # fmt: skip
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
        fig.add_trace(go.Bar(x=[share], y=[""], orientation="h", name=f"{r.side.capitalize()} {r.count}",
                             marker_color=bias_color(r.side), text=f"{r.side.capitalize()} {r.count} ({share:.0%})",
                             textposition="inside", customdata=[[r.side, r.count]],
                             hovertemplate="%{customdata[0]}: %{customdata[1]} outlets, %{x:.0%} of the rated<extra></extra>"))  # fmt: skip
    note = f" · {unrated} unrated outlet{'s' if unrated != 1 else ''}" if unrated else ""
    fig.update_layout(barmode="stack", height=140, title=f"{title}{note}", showlegend=False,
                      xaxis={"tickformat": ".0%", "range": [0, 1]}, margin={"l": 10, "r": 10, "t": 40, "b": 20})  # fmt: skip
    return fig


LEGEND_CHARS = 48  # longer legend labels are shortened (the chart's data keeps them whole)


def for_paper(fig: go.Figure, about: str = "") -> go.Figure:
    """A figure ready to be exported: the selection and measure (`about`) as a subtitle, part of the image;
    legend labels shortened and the legend laid out under the plot, with the figure grown to hold it, so a
    long label never squeezes the plot and the PNG holds the whole legend."""
    title = fig.layout.title.text or ""
    about = _inert(about)
    if about:
        fig.update_layout(title={"text": title, "subtitle": {"text": _wrap(about), "font": {"size": 11}}},
                          margin={"t": 90 + 14 * _wrap(about).count("<br>")})  # fmt: skip
    named = [t for t in fig.data if getattr(t, "showlegend", None) is not False and getattr(t, "name", None)]
    if len(named) < 2 or fig.layout.showlegend is False:
        return fig
    for t in named:
        name = t.name if len(t.name) <= LEGEND_CHARS else t.name[: LEGEND_CHARS - 1] + "…"
        t.update(name=_inert(name))
    labels = {t.name for t in named}
    per_row = max(1, 1200 // (9 * max(len(n) for n in labels) + 40))
    rows = -(-len(labels) // per_row)
    height = int(fig.layout.height or 450)
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top", "yref": "paper",
                "title": {"side": "top"}},
        height=height + 22 * rows + 30,
        margin={"b": 60 + 22 * rows},
    )  # fmt: skip
    return fig


def _inert(text: str) -> str:
    """Text plotly shows as written: its pseudo-HTML (<a href>, <b>) needs < and > as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if "<" in text or ">" in text else text


def _wrap(text: str, width: int = 150) -> str:
    """A long line broken for a subtitle (plotly does not wrap)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)
