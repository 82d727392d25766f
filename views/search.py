"""Search: full-text search with the sidebar filters and a sort; results export to CSV."""

from __future__ import annotations

import streamlit as st

from analysis.explore.article import SEARCH_SORTS
from ui import common, data, sidebar, state, view_data

filters = sidebar.filters()
st.title("Search")
version = common.require_articles()
path = data.store_path()
st.caption("Type in **Search text** in the sidebar. " + sidebar.search_help())
if pending := data.search_pending(path):
    st.info(f"Search is catching up: {pending:,} articles of a big import are stored but not indexed yet, so a"
            " search cannot find them until indexing finishes (the import command does it next).")  # fmt: skip
c1, c2 = st.columns([1, 1])
sort = state.selectbox(c1, "Sort by", list(SEARCH_SORTS), key="sort", default="relevance",
                       help="relevance: BM25 rank of the search text (newest first without one).")  # fmt: skip
limit = state.select_slider(c2, "Show at most", [50, 100, 200, 500, 1000], key="limit", default=200)
results = view_data.search(path, version, filters, sort, int(limit))
total = results.attrs.get("total", len(results))
if total == 0:
    common.no_match()
st.caption(f"{total:,} articles match; showing {len(results):,}.")
common.article_table(results, key="results", columns=common.COMMON_COLUMNS, height=560)
common.csv_download(results, "search_results.csv", key="dl_results", label="Download these results (CSV)")
