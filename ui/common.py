"""Widgets every page shares: the start of a page (sidebar, title, the empty-store and no-fit messages), the
sentences of an answer, charts ready for a paper (the selection and the measure on the chart, in its image and
in its data), downloads, article tables that open the Article page, and the Methods expander."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.config import TONE_THRESHOLD
from analysis.explore.export import dataframe_csv
from analysis.explore.results import Articles
from analysis.explore.selection import Selection
from analysis.explore.stories import Story
from ui import data, sidebar, state
from ui.paper import for_paper

ARTICLE_PAGE = "views/article.py"
ENTITY_PAGE = "views/entities.py"
TOPIC_PAGE = "views/topics.py"
STORY_PAGE = "views/stories.py"


def begin(title: str | None, *, fit: bool = False) -> Selection:
    """Draw the sidebar and the page title; stop with a sentence when the store is empty (or, with fit, has no
    topic model yet). Returns the selection every question of the page takes."""
    selection = sidebar.selection()
    if title:
        st.title(title)
    opts = sidebar.options()
    if opts is None and (problem := data.store_problem()):
        st.error(f"{problem} Check NEWS_DB (README: A team store on PostgreSQL), then reload this page.")
        st.stop()
    if opts is None or opts.articles == 0:
        st.info(
            f"The store at {data.shown_path()} holds no articles yet. Load the demo corpus with "
            "`python -m analysis demo`, or import your own file on the Collect page or with "
            "`python -m analysis import FILE.csv`, then reload this page."
        )
        st.stop()
    if fit and not opts.fitted:
        st.info(
            "No topic model yet. Fit one on the Collect page or with `python -m analysis fit` "
            "(the demo corpus takes about two minutes); this page then fills in."
        )
        st.stop()
    from analysis.explore.resolve import said
    from ui.ask import ask

    told = ask(said, selection)
    notes(told.notes)
    absent(told.absent)
    return selection


def notes(sentences: Sequence[str], where: Any = None) -> None:
    """The sentences an answer carries (a search read otherwise than typed, an outlet with no article...)."""
    for text in dict.fromkeys(sentences):
        (where or st).caption(plain(text))


def absent(missing: Sequence[tuple[str, str]], what: str = "outlet") -> None:
    """Say which chosen outlets (or groups) have no article in the selection, and why."""
    for name, why in missing:
        st.warning(
            plain(f"The chosen {what} {name} has no article in the selection: {why}."), icon=":material/visibility_off:"
        )


def no_match(selection: Selection) -> None:
    """Stop the page: nothing matches the selection (or its search has no word to look for, as a note said)."""
    from analysis.explore.resolve import said
    from ui.ask import ask

    if not ask(said, selection).searched:
        st.warning("Nothing was searched (the note above says why): type a word that picks out the subject.")
    else:
        st.warning("No article matches the filters. Widen the date range, choose other outlets or clear the search.")
    st.stop()


def about(selection: Selection, measure: str = "") -> str:
    """The line a chart and its data carry: the selection in words, and what the values are."""
    opts = sidebar.options()
    text = selection.describe(opts.names() if opts else None)
    return f"{text}. {measure[0].upper() + measure[1:]}." if measure else text + "."


def filename(*parts: object) -> str:
    """A download's name from what it shows: "attention_climate_vs_tariffs_month.csv"."""
    said = [re.sub(r"(^|[\s(])-(?=\w)", r"\1not ", str(p)) for p in parts if p not in (None, "")]  # -word: not_word
    words = [re.sub(r"[^0-9a-z]+", "_", p.lower()).strip("_") for p in said]
    stem = "_".join(w for w in words if w)[:90].rstrip("_") or "data"
    return stem + ".csv"


def chart(
    fig: go.Figure, key: str, table: pd.DataFrame | None = None, name: str | None = None, about: str = "", **kw: Any
) -> Any:
    """A plotly chart ready for a paper (the `about` line under its title, a legend that fits, a PNG of the whole
    figure from its toolbar) and, below it, its data as CSV with the same line in its `selection` column."""
    csv_name = name or filename(key)
    fig = for_paper(fig, about)
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": csv_name.removesuffix(".csv"),
            "scale": 2,
            "width": 1400,
            "height": max(int(fig.layout.height or 450), 450) + 120,
        },
    }
    event = st.plotly_chart(fig, width="stretch", key=key, config=config, **kw)
    if table is not None:
        csv_download(table, csv_name, key=f"dl_{key}", label="Chart data (CSV)", about=about)
    return event


def clicked(event: Any) -> dict[str, Any] | None:
    """The point a user clicked on a chart (x, y, curve, index and customdata as a list), or None.
    Plotly sends a line's customdata as {"0": ..., "1": ...} and a bar's as a list: both are read."""
    selection = getattr(event, "selection", None)
    if selection is None and isinstance(event, dict):
        selection = event.get("selection")
    points = (selection or {}).get("points", []) if hasattr(selection or {}, "get") else []
    if not points:
        return None
    p = points[0]
    custom = p.get("customdata")
    if isinstance(custom, dict):
        custom = [custom[k] for k in sorted(custom, key=lambda k: int(k) if str(k).isdigit() else 0)]
    elif custom is None:
        custom = []
    elif not isinstance(custom, list | tuple):
        custom = [custom]
    return {
        "x": p.get("x"),
        "y": p.get("y"),
        "curve": p.get("curve_number"),
        "index": p.get("point_index"),
        "custom": list(custom),
    }


def behind(found: Articles, heading: str, key: str) -> None:
    """The articles behind a clicked point: a heading with their count, and the table that opens them."""
    shown = f" (the first {len(found.rows):,} shown)" if found.total > len(found.rows) else ""
    st.subheader(plain(f"{articles_count(found.total)} behind the point: {heading}") + shown)
    if found.empty:
        st.caption("No article is counted in this point.")
        return
    article_table(found.rows, key=key, columns=COMMON_COLUMNS, height=300)
    csv_download(found.rows, f"{key}.csv", key=f"dl_{key}", label="These articles (CSV)")


def articles_count(n: int) -> str:
    return f"{n:,} article{'s' if n != 1 else ''}"


def safe_link(url: object) -> bool:
    """True for an http(s) URL with a host: the only links the app renders."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(str(url or ""))
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def story_position(story: Story, first: bool, lag_hours: float | None, lag_days: float | None) -> str:
    """Where one article stands in its story, claimed only as far as the dates allow."""
    tied = story.tied
    if story.timed:
        if first:
            return (
                "first to publish"
                if tied == 1
                else f"first to publish, at the same time as {tied - 1} other{'s' if tied > 2 else ''}"
            )
        return f"{lag_hours or 0:.1f} hours after the first ({story.first_outlet})"
    if first:
        return (
            "first to publish (by a day at least)"
            if tied == 1
            else f"published on the story's first day, with {story.first_outlet}: the dates have no time of day, "
            "so this is a tie"
        )
    days = int(lag_days or 0)
    return f"{days} day{'s' if days != 1 else ''} after the first day ({story.first_outlet}; dates without times)"


def period_picker(where: Any, label: str, key: str, limit: str) -> str:
    """The period charts over time count by ("auto", day ... quarter), kept in the URL under key; limit says
    what "auto" keeps to ("at most 60 bars")."""
    return str(
        state.selectbox(
            where,
            label,
            ["auto", "day", "week", "month", "quarter"],
            key=key,
            default="auto",
            help=f"auto picks the finest period that gives {limit}.",
        )
    )


def csv_download(
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    key: str,
    label: str = "Download (CSV)",
    about: str = "",
) -> None:
    """The table (or what a function returns, when the button is clicked) as CSV with the `about` line as a
    `selection` column, spreadsheet formulas neutralised; written only when the button is clicked."""

    def written() -> bytes:
        rows = table() if callable(table) else table
        return dataframe_csv(rows.assign(selection=about) if about and not rows.empty else rows)

    st.download_button(label, written, name, "text/csv", key=key)


def article_table(
    table: pd.DataFrame, key: str, columns: dict[str, Any] | None = None, height: int | None = None
) -> None:
    """A table of articles (must have an `id` column); selecting a row opens that article."""
    shown = table.drop(columns=["id"]) if "id" in table.columns else table
    kwargs: dict[str, Any] = {"height": height} if height else {}
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=columns or COMMON_COLUMNS,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        **kwargs,
    )
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows and "id" in table.columns:
        open_article(str(table.iloc[rows[0]]["id"]))
    st.caption("Select a row to open the article.")


def entity_pills(found: pd.DataFrame, label: str, key: str) -> None:
    """People, organisations and places as buttons; clicking one opens it on the Entities page."""
    if found.empty:
        return
    names = {
        int(e): f"{n} · {a}" if a > 1 else str(n)
        for e, n, a in zip(found["entity_id"], found["name"], found["articles"], strict=True)
    }
    picked = st.pills(
        label,
        list(names),
        format_func=lambda e: names[e],
        key=key,
        selection_mode="single",
        help="Most named first (with how many of these articles name them); click to open.",
    )
    if picked is not None:
        from ui import state

        state.goto(ENTITY_PAGE, entity=int(picked))


def open_article(article_id: str) -> None:
    from ui import state

    state.goto(ARTICLE_PAGE, article=article_id)


def methods() -> None:
    """What produced the figures on this page: model, parameters, corpus fingerprint and fit date."""
    from analysis.explore.topic_stats import methods as fit_methods
    from ui.ask import ask

    opts = sidebar.options()
    if opts is None or not opts.fitted:
        return
    m = ask(fit_methods)
    with st.expander("Methods"):
        st.markdown(
            f"Topics from fit {m.fit} of {m.fitted}: {m.articles:,} articles embedded with "
            f"**{m.embedding_model}** (title + lead), reduced with seeded UMAP, clustered with HDBSCAN, "
            f"keywords by BERTopic's c-TF-IDF with MMR; {m.topics} topics, "
            f"{m.unassigned_at_fit:.1%} unassigned at fit time. Corpus fingerprint "
            f"`{m.fingerprint}`. Tone: MiniLM trained on NewsMTSC news sentences (distilled from "
            "MPNet), read from the headline and the body's first 50 words (score = P(positive) − P(negative)); "
            "intervals are 95% (mean ± 1.96 SE). Stories: "
            "articles from different outlets within 3 days whose headline+lead embeddings have cosine ≥ 0.45, "
            "grouped by average linkage; ids stay the same when stories are regrouped."
        )
        if m.parameters:
            st.caption(plain("Parameters: " + "; ".join(f"{k} = {v}" for k, v in m.parameters.items())))


TONE_RULE = (
    "Tone: the classifier's P(positive) − P(negative), from −1 to +1; the label comes from the score alone "
    f"(negative below −{TONE_THRESHOLD:.2f}, positive above +{TONE_THRESHOLD:.2f}, neutral between), so a label "
    "never contradicts its score."
)

COMMON_COLUMNS: dict[str, Any] = {
    "title": st.column_config.TextColumn("Title", width="large"),
    "outlet": "Outlet",
    "published": "Published",
    "topic_label": "Topic",
    "tone": st.column_config.NumberColumn("Tone", format="%.2f", help="-1 negative … +1 positive"),
    "tone_label": "Tone label",
    "summary": st.column_config.TextColumn("Summary", width="large"),
    "similarity": st.column_config.ProgressColumn("Similarity", min_value=0.0, max_value=1.0, format="%.2f"),
}


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:"})


def plain(text: object) -> str:
    """Collected text (titles, outlet names, labels) made inert for Streamlit's markdown: no links,
    images, emphasis or HTML, shown exactly as written."""
    return str(text if text is not None else "").translate(_MARKDOWN)


def stage_bars() -> Callable[[str, int, int], None]:
    """One progress bar per stage of a pipeline run, each saying what it counts, updated through the returned
    (stage, done, total) callback: a step that reports no count (the topic model's) says it is running."""
    area = st.container()
    bars: dict[str, Any] = {}
    started: dict[str, float] = {}

    def show(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = area.progress(0.0)
            started[stage] = time.monotonic()
        took = time.monotonic() - started[stage]
        if total <= 1:
            text = f"{stage}: done in {took:.0f} s" if done >= total else f"{stage}: running…"
        else:
            text = f"{stage}: {done:,} of {total:,} articles · {took:.0f} s"
            if 0 < done < total and took > 2:
                text += f", about {took / done * (total - done):.0f} s to go"
        bars[stage].progress(min(done / total, 1.0) if total else 1.0, text=text)

    return show


def progress_display(label: Callable[[str, int, int], str]) -> Callable[[str, int, int], None]:
    """A text line and a progress bar, updated through the returned (stage, done, total) callback."""
    line = st.empty()
    bar = st.progress(0.0)

    def show(stage: str, done: int, total: int) -> None:
        line.text(label(stage, done, total))
        bar.progress(min(done / total, 1.0) if total else 1.0)

    return show


SIDE_COLORS = {"left": "blue", "center": "violet", "right": "red"}


def side_bar(bar: pd.DataFrame, width: int = 24) -> str:
    """A coverage bar by side as Streamlit markdown (coloured blocks, then the counts): drawn without a chart, so a
    page of story cards stays light. bar: sides.coverage_bar (side, count, share)."""
    rated = bar[bar["side"] != "unrated"]
    total = int(rated["count"].sum())
    unrated = int(bar.loc[bar["side"] == "unrated", "count"].sum())
    if not total:
        return f"no rated outlet · {unrated} unrated" if unrated else "no rated outlet"
    blocks = " ".join(
        f":{SIDE_COLORS[r.side]}[{'█' * max(1, round(width * r.count / total))}]" for r in rated.itertuples() if r.count
    )
    counts = " · ".join(f"{r.side.capitalize()} {r.count} ({r.count / total:.0%})" for r in rated.itertuples())
    return f"{blocks} {counts}" + (f" · {unrated} unrated" if unrated else "")
