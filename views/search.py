"""Search: full-text search with the sidebar filters and a sort; results export to CSV."""

from __future__ import annotations

import streamlit as st

from analysis.explore import article, export
from ui import common, data, sidebar, state
from ui.ask import ask, fresh

sel = common.begin("Search")
st.caption("Type in **Search text** in the sidebar. " + sidebar.SEARCH_HELP)
if pending := data.search_pending(data.store_path()):
    st.info(
        f"Search is catching up: {pending:,} articles of a big import are stored but not indexed yet, so a"
        " search cannot find them until indexing finishes (the import command does it next)."
    )
c1, c2 = st.columns([1, 1])
sort = state.selectbox(
    c1,
    "Sort by",
    list(article.SEARCH_SORTS),
    key="sort",
    default="relevance",
    help="relevance: how well each article matches the search text (newest first without one).",
)
limit = state.select_slider(c2, "Show at most", [50, 100, 200, 500, 1000], key="limit", default=200)
results = ask(article.search, sel, sort, int(limit))
if results.total == 0:
    common.no_match(sel)
st.caption(
    f"{results.total:,} {'article matches' if results.total == 1 else 'articles match'}; showing "
    f"{len(results.table):,}."
)
common.article_table(results.table, key="results", height=560)
d1, d2 = st.columns(2)
with d1:
    common.csv_download(
        results.table,
        common.filename("search", sel.search or "all", sort),
        key="dl_results",
        label=f"Download the {len(results.table):,} shown (CSV)",
        about=common.about(sel, f"articles, sorted by {sort}"),
    )
with d2:
    st.download_button(
        f"Download all {results.total:,} (CSV, every column)",
        lambda: fresh(export.articles_csv, sel),
        common.filename("articles", sel.search or "all"),
        "text/csv",
        key="dl_all_results",
        help="Every matching article with its URL, topic, tone, tags and entities, oldest first: the columns of"
        " `python -m analysis export articles` with the same choices.",
    )
