"""The shared sidebar filters. Each widget is bound to a URL query parameter, so copying the
address reproduces the view."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis.queries import Filters
from ui import data

SEARCH_HELP = (
    "Full-text search over titles and texts. Words are combined with AND; use OR, NOT, "
    '"exact phrases", prefix* and NEAR(a b, 10). Example: "supreme court" AND (abortion OR guns)'
)


def filters() -> Filters:
    """Draw the sidebar and return the filters it selects (also kept in st.session_state)."""
    version = data.data_version()
    if version < 0:
        st.session_state["filters"] = Filters()
        return Filters()
    first, last, outlets, count = data.corpus_bounds(data.store_path(), version)
    st.sidebar.header("Filters")
    start = end = None
    if first and last:
        picked = st.sidebar.date_input(
            "Published between",
            value=(first, last),
            min_value=first,
            max_value=last,
            key="dates",
            bind="query-params",
            help="Articles without a date are included only while the full range is selected.",
        )
        if isinstance(picked, tuple | list) and len(picked) == 2:
            start, end = _narrowed(picked[0], picked[1], first, last)
    chosen = st.sidebar.multiselect("Outlets", outlets, key="outlet", bind="query-params", placeholder="All outlets")
    search = st.sidebar.text_input("Search text", key="q", bind="query-params", help=SEARCH_HELP)
    f = Filters(start=start, end=end, outlets=tuple(chosen), search=(search or "").strip())
    st.session_state["filters"] = f
    st.sidebar.caption(f"Store: {count:,} articles · {len(outlets)} outlets")
    return f


def _narrowed(start: date, end: date, first: date, last: date) -> tuple[date | None, date | None]:
    """None for an end of the range the user did not move, so undated articles stay included."""
    return (None if start <= first else start), (None if end >= last else end)


def current() -> Filters:
    """The filters drawn by app.py on this rerun."""
    return st.session_state.get("filters", Filters())
