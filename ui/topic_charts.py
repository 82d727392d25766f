"""Plotly figures of topics and themes: the map, sizes, keywords, similarity, hierarchy, outlets per topic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ui.charts import LESS, MORE, NOT_SIGNIFICANT, PALETTE, empty_figure


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
            hovertemplate="<b>%{y}</b><br>%{x:,} articles (%{customdata}% of all articles from these outlets and "
            "dates)<extra></extra>",
            marker_color=PALETTE[0],
        )
    )
    fig.update_layout(
        title=title, xaxis_title="Articles", yaxis_title=None, height=max(300, 28 * len(data) + 120),
        margin={"l": 10},
    )  # fmt: skip
    return fig


def _topic_colors(labels: list[str]) -> dict[str, str]:
    colors = px.colors.qualitative.Alphabet + px.colors.qualitative.Dark24
    return {lab: colors[i % len(colors)] for i, lab in enumerate(labels)}


def topic_map(df: pd.DataFrame, selected: int | None = None, colored: int = 20) -> go.Figure:
    """WebGL scatter of articles on the 2-D topic map (columns: x, y, topic, topic_label, title, outlet,
    published, article_id). The `colored` biggest topics get their own colour; the rest are grey."""
    if df.empty:
        return empty_figure("No article in the selection is on the topic map.")
    sizes = df[df["topic"] >= 0]["topic_label"].value_counts()
    top = sizes.index[:colored].tolist()
    colors = _topic_colors(top)
    fig = go.Figure()
    groups = [("Other topics", df[~df["topic_label"].isin(top) & (df["topic"] >= 0)]),
              ("Unassigned", df[df["topic"] < 0])] + [(lab, df[df["topic_label"] == lab]) for lab in top]  # fmt: skip
    for name, part in groups:
        if part.empty:
            continue
        dim = selected is not None and not (part["topic"] == selected).any()
        fig.add_trace(
            go.Scattergl(
                x=part["x"], y=part["y"], mode="markers", name=name,
                marker={"size": 4, "color": colors.get(name, "#d0d0d0"), "opacity": 0.15 if dim else 0.7},
                customdata=part[["topic", "article_id", "title", "outlet", "published", "topic_label"]].to_numpy(),
                hovertemplate="<b>%{customdata[5]}</b><br>%{customdata[2]}<br>%{customdata[3]} · %{customdata[4]}"
                "<extra></extra>",
            )
        )  # fmt: skip
    total = df.attrs.get("total", len(df))
    shown = (
        f"{len(df):,} of {total:,} articles (a sample stratified by topic)"
        if total > len(df)
        else f"{total:,} articles"
    )
    fig.update_layout(
        title=f"Topic map: {shown}; nearby points are similar articles", height=560, legend_title_text="Topic",
        xaxis={"visible": False}, yaxis={"visible": False}, dragmode="pan",
    )  # fmt: skip
    return fig


def topic_size_bars(table: pd.DataFrame, top_n: int = 25) -> go.Figure:
    """Bars of articles per topic (columns: topic, label, size, share), clickable by topic id."""
    if table.empty:
        return empty_figure("No topic to show.")
    data = table.head(top_n).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=data["size"], y=data["label"], orientation="h", marker_color=PALETTE[0],
            customdata=np.stack([data["topic"], (data["share"] * 100).round(1)], axis=1),
            hovertemplate="<b>%{y}</b><br>%{x:,} articles (%{customdata[1]}% of all)<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(
        title=f"Articles per topic (top {len(data)} of {len(table)})", xaxis_title="Articles", yaxis_title=None,
        height=max(320, 22 * len(data) + 120), margin={"l": 10},
    )  # fmt: skip
    return fig


def keyword_bars(weights: pd.DataFrame, label: str) -> go.Figure:
    """Bars of a topic's keywords by c-TF-IDF weight (columns: word, weight)."""
    if weights.empty:
        return empty_figure("This topic has no keywords.")
    data = weights.iloc[::-1]
    fig = go.Figure(go.Bar(x=data["weight"], y=data["word"], orientation="h", marker_color=PALETTE[1],
                           hovertemplate="%{y}: %{x:.3f} (c-TF-IDF)<extra></extra>"))  # fmt: skip
    fig.update_layout(title=f"Keywords of “{label}” (how much more the topic uses them than the rest)",
                      xaxis_title="How distinctive of the topic",
                      height=max(260, 24 * len(data) + 100), margin={"l": 10})  # fmt: skip
    return fig


def similarity_heatmap(sims: pd.DataFrame) -> go.Figure:
    """Heatmap of cosine similarity between topic centroids (square frame with labels)."""
    if sims.empty:
        return empty_figure("Too few topics for a similarity map.")
    fig = go.Figure(
        go.Heatmap(
            z=sims.to_numpy(), x=sims.columns, y=sims.index, colorscale="Blues", zmin=0, zmax=1,
            colorbar={"title": "cosine"}, hovertemplate="%{y}<br>%{x}<br>similarity %{z:.2f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(title=f"Similarity between the {len(sims)} biggest topics (cosine of centroids)",
                      height=max(420, 20 * len(sims) + 200), yaxis={"autorange": "reversed"})  # fmt: skip
    return fig


def hierarchy_figure(tree: pd.DataFrame, labels: dict[int, str]) -> go.Figure:
    """The topic hierarchy as an icicle: each merge of topic_stats.hierarchy is a node, topics are leaves."""
    if tree.empty:
        return empty_figure("Too few topics for a hierarchy.")
    ids, parents, names, values = [], [], [], []
    parent_of: dict[str, str] = {}
    for r in tree.itertuples():
        for child in (r.child_left_id, r.child_right_id):
            key = f"n{child}" if child in set(tree["parent_id"]) else f"t{child}"
            parent_of[key] = f"n{r.parent_id}"
    root = f"n{int(tree['parent_id'].max())}"
    node_names = {f"n{r.parent_id}": r.parent_name for r in tree.itertuples()}
    leaf_size = {f"t{t}": 1 for t in labels}
    for key in [root, *parent_of]:
        ids.append(key)
        parents.append(parent_of.get(key, ""))
        names.append(labels.get(int(key[1:]), key) if key.startswith("t") else node_names.get(key, ""))
        values.append(leaf_size.get(key, 0))
    fig = go.Figure(go.Icicle(ids=ids, parents=parents, labels=names, values=values, branchvalues="remainder",
                              maxdepth=4, hovertemplate="%{label}<extra></extra>"))  # fmt: skip
    fig.update_layout(title="Topic hierarchy (click a branch to zoom; topics joined by centroid similarity)",
                      height=520, margin={"t": 50, "l": 0, "r": 0, "b": 0})  # fmt: skip
    return fig


def topic_outlet_bars(df: pd.DataFrame, label: str) -> go.Figure:
    """One topic's share of each outlet's output, coloured by the app's one test (teal: significantly
    more than the other outlets, brown: less, grey: not significant). Columns of
    topic_stats.topic_share_by_outlet for one topic; bars clickable (customdata[4]: outlet)."""
    if df.empty:
        return empty_figure("No outlet covered this topic in the selection.")
    data = df.sort_values("share")
    sig = data["significant"].astype(bool).to_numpy()
    color = np.where(~sig, NOT_SIGNIFICANT, np.where(data["z"] > 0, MORE, LESS))
    fig = go.Figure(go.Bar(
        x=data["share"] * 100, y=data["outlet"], orientation="h", marker_color=color,
        customdata=np.stack([data["articles"], data["outlet_total"], data["z"], data["others_share"] * 100,
                             data["outlet"], data["q_value"], np.where(sig, "significant", "not significant")], axis=1),
        hovertemplate="<b>%{y}</b><br>%{x:.1f}% of its articles (%{customdata[0]} of %{customdata[1]})"
        "<br>other outlets: %{customdata[3]:.1f}%<br>z = %{customdata[2]:.1f}, q = %{customdata[5]:.2g} "
        "(%{customdata[6]})<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(title=f"Share of each outlet's articles on “{label}” (teal: more than the other outlets, "
                      "brown: less; grey: not significant)",
                      xaxis_title="Share of the outlet's articles (%)", height=max(280, 24 * len(data) + 120),
                      margin={"l": 10})  # fmt: skip
    return fig
