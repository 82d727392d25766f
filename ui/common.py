"""Widgets every page shares: the empty-store and no-fit messages, charts with their data as CSV,
article tables that open the Article page, and the Methods expander."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.enrich.sentiment import THRESHOLD
from analysis.explore.export import dataframe_csv
from ui import data, topic_data

ARTICLE_PAGE = "views/article.py"
PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def require_articles() -> int:
    """The store's data version; stops the page with a sentence when the store is empty."""
    version = data.data_version()
    if version < 0 and (problem := data.store_problem()):
        st.error(f"{problem} Check NEWS_DB (README: A team store on PostgreSQL), then reload this page.")
        st.stop()
    if version < 0 or data.corpus_bounds(data.store_path(), version)[3] == 0:
        st.info(
            f"The store at {data.shown_path()} holds no articles yet. Load the demo corpus with "
            "`python -m analysis demo`, or import your own file on the Collect page or with "
            "`python -m analysis import FILE.csv`, then reload this page."
        )
        st.stop()
    return version


def require_fit(version: int) -> None:
    if not topic_data.has_fit(data.store_path(), version):
        st.info(
            "No topic model yet. Fit one on the Collect page or with `python -m analysis fit` "
            "(the demo corpus takes about two minutes); this page then fills in."
        )
        st.stop()


def no_match() -> None:
    st.warning("No article matches the filters. Widen the date range, choose other outlets or clear the search.")
    st.stop()


def chart(fig: go.Figure, key: str, table: pd.DataFrame | None = None, filename: str | None = None, **kw: Any) -> Any:
    """A plotly chart (PNG export in its toolbar) and, below it, its data as CSV."""
    event = st.plotly_chart(fig, width="stretch", key=key, config=PLOT_CONFIG, **kw)
    if table is not None:
        csv_download(table, filename or f"{key}.csv", key=f"dl_{key}", label="Chart data (CSV)")
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
    return {"x": p.get("x"), "y": p.get("y"), "curve": p.get("curve_number"), "index": p.get("point_index"),
            "custom": list(custom)}  # fmt: skip


def behind(table: pd.DataFrame, heading: str, key: str) -> None:
    """The articles behind a clicked point: a heading with their count, and the table that opens them."""
    total = table.attrs.get("total", len(table))
    shown = f" (the first {len(table):,} shown)" if total > len(table) else ""
    st.subheader(plain(f"{total:,} articles behind the point: {heading}") + shown)
    if table.empty:
        st.caption("No article is counted in this point.")
        return
    article_table(table, key=key, columns=COMMON_COLUMNS, height=300)
    csv_download(table, f"{key}.csv", key=f"dl_{key}", label="These articles (CSV)")


def coverage_notes(path: str, version: int, filters: Any, outlets: list[str]) -> None:
    """For the outlets a chart shows on their own, say where their coverage has holes (a narrower window,
    months with far fewer articles than their norm, undated articles)."""
    from analysis.explore.coverage import describe

    table = data.coverage_table(path, version).set_index("outlet")
    span = data.span(path, version, filters)
    for outlet in outlets:
        if outlet in table.index:
            note = describe(table.loc[outlet], span)
            if note:
                st.caption(plain(f"{outlet}: {note}."))


def safe_link(url: object) -> bool:
    """True for an http(s) URL with a host: the only links the app renders."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(str(url or ""))
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def story_position(story: dict[str, Any], first: bool, lag_hours: float | None, lag_days: float | None) -> str:
    """Where one article stands in its story, claimed only as far as the dates allow."""
    tied = int(story.get("tied") or 1)
    if story.get("precision", "time") == "time":
        if first:
            return "first to publish" if tied == 1 else f"first to publish, at the same time as {tied - 1} other(s)"
        return f"{lag_hours:.1f} hours after the first ({story['first_outlet']})"
    if first:
        return (
            "first to publish (by a day at least)"
            if tied == 1
            else f"published on the story's first day, with {story['first_outlet']}: the dates have no time of day, "
            "so this is a tie"
        )
    days = int(lag_days or 0)
    return f"{days} day{'s' if days != 1 else ''} after the first day ({story['first_outlet']}; dates without times)"


def period_notes(table: pd.DataFrame, by_outlet: bool = False) -> None:
    """Say which periods are covered only in part and which have no article from the chosen outlets."""
    from analysis.explore.periods import no_coverage_note

    for text in (table.attrs.get("note", ""), no_coverage_note(table, "outlet" if by_outlet else None)):
        if text:
            st.caption(plain(text))


def csv_download(table: pd.DataFrame, filename: str, key: str, label: str = "Download (CSV)") -> None:
    """The table as CSV, spreadsheet formulas neutralised; written only when the button is clicked."""
    st.download_button(label, lambda: dataframe_csv(table), filename, "text/csv", key=key)


def article_table(
    table: pd.DataFrame, key: str, columns: dict[str, Any] | None = None, height: int | None = None
) -> None:
    """A table of articles (must have an `id` column); selecting a row opens that article."""
    shown = table.drop(columns=["id"]) if "id" in table.columns else table
    kwargs: dict[str, Any] = {"height": height} if height else {}
    event = st.dataframe(
        shown, hide_index=True, width="stretch", column_config=columns or {}, on_select="rerun",
        selection_mode="single-row", key=key, **kwargs,
    )  # fmt: skip
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows and "id" in table.columns:
        open_article(str(table.iloc[rows[0]]["id"]))
    st.caption("Select a row to open the article.")


ENTITY_PAGE = "views/entities.py"


def entity_pills(found: pd.DataFrame, label: str, key: str) -> None:
    """People, organisations and places as buttons; clicking one opens it on the Entities page."""
    if found.empty:
        return
    names = {int(e): f"{n} · {a}" if a > 1 else str(n) for e, n, a in
             zip(found["entity_id"], found["name"], found["articles"], strict=True)}  # fmt: skip
    picked = st.pills(label, list(names), format_func=lambda e: names[e], key=key, selection_mode="single",
                      help="Most named first (with how many of these articles name them); click to open.")  # fmt: skip
    if picked is not None:
        from ui import state

        state.goto(ENTITY_PAGE, entity=int(picked))


def open_article(article_id: str) -> None:
    from ui import state

    state.goto(ARTICLE_PAGE, article=article_id)


def methods(version: int) -> None:
    """What produced the figures on this page: model, parameters, corpus fingerprint and fit date."""
    if not topic_data.has_fit(data.store_path(), version):
        return
    m = topic_data.methods(data.store_path(), version)
    with st.expander("Methods"):
        st.markdown(
            f"Topics from fit {m['fit']} of {m['fitted']}: {m['articles']:,} articles embedded with "
            f"**{m['embedding model']}** (title + lead), reduced with seeded UMAP, clustered with HDBSCAN, "
            f"keywords by BERTopic's c-TF-IDF with MMR; {m['topics']} topics, "
            f"{m['unassigned share at fit']:.1%} unassigned at fit time. Corpus fingerprint "
            f"`{m['corpus fingerprint']}`. Tone: MiniLM trained on NewsMTSC news sentences (distilled from "
            "MPNet), read from the headline and the body's first 50 words (score = P(positive) − P(negative)); "
            "intervals are 95% (mean ± 1.96 SE). Stories: "
            "articles from different outlets within 3 days whose headline+lead embeddings have cosine ≥ 0.45, "
            "grouped by average linkage; ids stay the same when stories are regrouped."
        )
        st.json(m["parameters"], expanded=False)


TONE_RULE = (
    "Tone: the classifier's P(positive) − P(negative), from −1 to +1; the label comes from the score alone "
    f"(negative below −{THRESHOLD:.2f}, positive above +{THRESHOLD:.2f}, neutral between), so a label never "
    "contradicts its score."
)

COMMON_COLUMNS = {
    "title": st.column_config.TextColumn("Title", width="large"),
    "outlet": "Outlet",
    "published": "Published",
    "topic_label": "Topic",
    "sentiment": st.column_config.NumberColumn("Tone", format="%.2f", help="-1 negative … +1 positive"),
    "sentiment_label": "Tone label",
    "summary": st.column_config.TextColumn("Summary", width="large"),
    "similarity": st.column_config.ProgressColumn("Similarity", min_value=0.0, max_value=1.0, format="%.2f"),
}


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:"})


def plain(text: object) -> str:
    """Collected text (titles, outlet names, labels) made inert for Streamlit's markdown: no links,
    images, emphasis or HTML, shown exactly as written."""
    return str(text if text is not None else "").translate(_MARKDOWN)


def progress_display(label: Callable[[str, int, int], str]) -> Callable[[str, int, int], None]:
    """A text line and a progress bar, updated through the returned (stage, done, total) callback."""
    line = st.empty()
    bar = st.progress(0.0)

    def show(stage: str, done: int, total: int) -> None:
        line.text(label(stage, done, total))
        bar.progress(min(done / total, 1.0) if total else 1.0)

    return show
