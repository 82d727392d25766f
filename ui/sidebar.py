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
    path = data.store_path()
    first, last, outlets, count = data.corpus_bounds(path, version)
    groups = data.outlet_groups(path, version)
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
    biases = countries = []
    if groups["bias"]:
        biases = st.sidebar.multiselect(
            "Outlet bias rating", groups["bias"], key="bias", bind="query-params", placeholder="Any rating",
            help="The outlets' bias ratings from the outlets table (the demo's come from AllSides).",
        )  # fmt: skip
    if groups["country"]:
        countries = st.sidebar.multiselect(
            "Outlet country", groups["country"], key="country", bind="query-params", placeholder="Any country"
        )
    topic_ids: tuple[int, ...] = ()
    choices = data.topic_choices(path, version)
    if choices:
        labels = dict(choices)
        if "topics" not in st.session_state:  # first run: from the URL (ids, so renaming keeps links valid)
            st.session_state["topics"] = [t for t in url_ints("topics") if t in labels]
        picked_topics = st.sidebar.multiselect(
            "Topics", list(labels), format_func=lambda t: labels.get(t, f"Topic {t}"), key="topics",
            placeholder="All topics",
        )  # fmt: skip
        set_url("topics", [str(t) for t in picked_topics])
        topic_ids = data.raw_topics(path, version, tuple(int(t) for t in picked_topics))
        if picked_topics and not topic_ids:
            topic_ids = (-999,)  # topics that no longer exist match nothing
    search = st.sidebar.text_input("Search text", key="q", bind="query-params", help=SEARCH_HELP)
    f = Filters(
        start=start, end=end, outlets=tuple(chosen), search=(search or "").strip(), biases=tuple(biases),
        countries=tuple(countries), topics=topic_ids,
    )  # fmt: skip
    st.session_state["filters"] = f
    st.sidebar.caption(f"Store: {count:,} articles · {len(outlets)} outlets")
    return f


def url_ints(key: str) -> list[int]:
    """Integer ids from a query parameter (repeated or comma-separated); anything else is ignored."""
    out = []
    for raw in st.query_params.get_all(key):
        for part in str(raw).split(","):
            if part.strip().lstrip("-").isdigit():
                out.append(int(part))
    return out


def set_url(key: str, values: list[str]) -> None:
    """Keep a query parameter equal to values (removed when empty)."""
    if values:
        if st.query_params.get_all(key) != values:
            st.query_params[key] = values
    elif key in st.query_params:
        del st.query_params[key]


def _narrowed(start: date, end: date, first: date, last: date) -> tuple[date | None, date | None]:
    """None for an end of the range the user did not move, so undated articles stay included."""
    return (None if start <= first else start), (None if end >= last else end)


def current() -> Filters:
    """The filters drawn on this rerun."""
    return st.session_state.get("filters", Filters())
