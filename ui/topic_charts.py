"""Plotly figures of topics and themes: the map, sizes, keywords, similarity, hierarchy, outlets per topic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ui.charts import LESS, MORE, NOT_SIGNIFICANT, PALETTE, empty_figure


def topic_bars(df: pd.DataFrame, title: str, key: str = "topic", top_n: int = 12) -> go.Figure:
    """Horizontal bars of articles per topic or theme (columns: <key>, <key>_label, articles, total, share),
    clickable (customdata: id)."""
    if df.empty:
        return empty_figure(f"No article in the selection has a {key}.")
    data = df.head(top_n).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=data["articles"],
            y=data[f"{key}_label"],
            orientation="h",
            customdata=np.stack([data[key], (data["share"] * 100).round(1), data["total"]], axis=1),
            hovertemplate="<b>%{y}</b><br>%{x:,} articles (%{customdata[1]}% of %{customdata[2]:,})<extra></extra>",
            marker_color=PALETTE[0],
        )
    )
    fig.update_layout(
        title=title,
        xaxis_title="Articles",
        yaxis_title=None,
        height=max(300, 28 * len(data) + 120),
        margin={"l": 10},
    )
    return fig


def _topic_colors(labels: list[str]) -> dict[str, str]:
    colors = px.colors.qualitative.Alphabet + px.colors.qualitative.Dark24
    return {lab: colors[i % len(colors)] for i, lab in enumerate(labels)}


def topic_map(
    points: pd.DataFrame, total: int, key: str = "topic", selected: int | None = None, colored: int = 20
) -> go.Figure:
    """WebGL scatter of articles on the 2-D topic map (topics.map_points: x, y, topic, theme and their labels,
    title, outlet, published, article_id), coloured by topic or theme (key). The `colored` biggest get their own
    colour; the rest are grey. Each point's customdata starts with its topic id (a click opens the topic)."""
    if points.empty:
        return empty_figure("No article in the selection is on the topic map.")
    label = f"{key}_label"
    df = points
    sizes = df[df[key] >= 0][label].value_counts()
    top = sizes.index[:colored].tolist()
    colors = _topic_colors(top)
    fig = go.Figure()
    groups = [(f"Other {key}s", df[~df[label].isin(top) & (df[key] >= 0)]), ("Unassigned", df[df[key] < 0])] + [
        (lab, df[df[label] == lab]) for lab in top
    ]
    for name, part in groups:
        if part.empty:
            continue
        dim = selected is not None and not (part["topic"] == selected).any()
        fig.add_trace(
            go.Scattergl(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name=name,
                marker={"size": 4, "color": colors.get(name, "#d0d0d0"), "opacity": 0.15 if dim else 0.7},
                customdata=part[["topic", "article_id", "title", "outlet", "published", "topic_label"]].to_numpy(),
                hovertemplate="<b>%{customdata[5]}</b><br>%{customdata[2]}<br>%{customdata[3]} · %{customdata[4]}"
                "<extra></extra>",
            )
        )
    shown = (
        f"{len(df):,} of {total:,} articles (a sample stratified by topic)"
        if total > len(df)
        else f"{total:,} articles"
    )
    fig.update_layout(
        title=f"Topic map: {shown}; nearby points are similar articles",
        height=560,
        legend_title_text=key.capitalize(),
        xaxis={"visible": False},
        yaxis={"visible": False},
        dragmode="pan",
    )
    return fig


def size_bars(table: pd.DataFrame, key: str = "topic", top_n: int = 25) -> go.Figure:
    """Bars of the selection's articles per topic or theme (columns: <key>, <key>_label, articles, total, share),
    clickable by id (customdata[0])."""
    if table.empty:
        return empty_figure(f"No article in the selection has a {key}.")
    data = table.head(top_n).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=data["articles"],
            y=data[f"{key}_label"],
            orientation="h",
            marker_color=PALETTE[0],
            customdata=np.stack([data[key], (data["share"] * 100).round(1), data["total"]], axis=1),
            hovertemplate="<b>%{y}</b><br>%{x:,} articles (%{customdata[1]}% of the selection's "
            "%{customdata[2]:,})<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Articles per {key} in the selection (top {len(data)} of {len(table)})",
        xaxis_title="Articles",
        yaxis_title=None,
        height=max(320, 22 * len(data) + 120),
        margin={"l": 10},
    )
    return fig


def keyword_bars(weights: pd.DataFrame, label: str) -> go.Figure:
    """Bars of a topic's keywords by c-TF-IDF weight (columns: word, weight)."""
    if weights.empty:
        return empty_figure("This topic has no keywords.")
    data = weights.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=data["weight"],
            y=data["word"],
            orientation="h",
            marker_color=PALETTE[1],
            hovertemplate="%{y}: %{x:.3f} (c-TF-IDF)<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Keywords of “{label}” (how much more the topic uses them than the rest)",
        xaxis_title="How distinctive of the topic",
        height=max(260, 24 * len(data) + 100),
        margin={"l": 10},
    )
    return fig


def similarity_heatmap(sims: pd.DataFrame) -> go.Figure:
    """Heatmap of cosine similarity between topic centroids (square frame with labels)."""
    if sims.empty:
        return empty_figure("Too few topics for a similarity map.")
    fig = go.Figure(
        go.Heatmap(
            z=sims.to_numpy(),
            x=sims.columns,
            y=sims.index,
            colorscale="Blues",
            zmin=0,
            zmax=1,
            colorbar={"title": "cosine"},
            hovertemplate="%{y}<br>%{x}<br>similarity %{z:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Similarity between the {len(sims)} biggest topics (cosine of centroids)",
        height=max(420, 20 * len(sims) + 200),
        yaxis={"autorange": "reversed"},
    )
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
    fig = go.Figure(
        go.Icicle(
            ids=ids,
            parents=parents,
            labels=names,
            values=values,
            branchvalues="remainder",
            maxdepth=4,
            hovertemplate="%{label}<extra></extra>",
        )
    )
    fig.update_layout(
        title="Topic hierarchy (click a branch to zoom; topics joined by centroid similarity)",
        height=520,
        margin={"t": 50, "l": 0, "r": 0, "b": 0},
    )
    return fig


def topic_outlet_bars(df: pd.DataFrame, label: str, noun: str = "topic") -> go.Figure:
    """One topic's (or theme's: noun) share of each outlet's output, coloured by the app's one test (teal: significantly
    more than the other outlets, brown: less, grey: not significant). Columns of
    topic_stats.share_by_group for one topic; bars clickable (customdata[4]: outlet)."""
    if df.empty:
        return empty_figure(f"No outlet of the selection has an article on this {noun}.")
    data = df.sort_values("share")
    sig = data["significant"].astype(bool).to_numpy()
    color = np.where(~sig, NOT_SIGNIFICANT, np.where(data["z"] > 0, MORE, LESS))
    fig = go.Figure(
        go.Bar(
            x=data["share"] * 100,
            y=data["outlet"],
            orientation="h",
            marker_color=color,
            customdata=np.stack(
                [
                    data["articles"],
                    data["outlet_total"],
                    data["z"],
                    data["others_share"] * 100,
                    data["outlet"],
                    data["q_value"],
                    np.where(sig, "significant", "not significant"),
                ],
                axis=1,
            ),
            hovertemplate="<b>%{y}</b><br>%{x:.1f}% of its articles (%{customdata[0]} of %{customdata[1]})"
            "<br>other outlets: %{customdata[3]:.1f}%<br>z = %{customdata[2]:.1f}, q = %{customdata[5]:.2g} "
            "(%{customdata[6]})<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Share of each outlet's articles on “{label}” (teal: more, brown: less, grey: not significant)",
        xaxis_title="Share of the outlet's articles (%)",
        height=max(280, 24 * len(data) + 120),
        margin={"l": 10},
    )
    return fig
