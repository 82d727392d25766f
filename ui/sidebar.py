"""The shared sidebar filters. Each is kept in the URL (ui/state.py), so copying the address
reproduces the view and every page change keeps them."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis.filters import Filters
from ui import data, state, topic_data

MENTION_OPTIONS = 2000
SQLITE_SEARCH_HELP = (
    "Full-text search over titles and texts. Words are combined with AND; use OR, NOT, "
    '"exact phrases", prefix* and NEAR(a b, 10). Example: "supreme court" AND (abortion OR guns)'
)
POSTGRES_SEARCH_HELP = (
    "Full-text search over titles and texts (a headline's words count more), written as for a web search "
    'engine: all words must match; use "exact phrases", or, and -word to leave a word out. This team store '
    'has no prefix* or NEAR. Example: "supreme court" abortion or guns'
)


def search_help() -> str:
    """How to write a search for the store in use (SQLite's FTS5 and PostgreSQL read different syntaxes)."""
    from analysis.store import is_postgres

    return POSTGRES_SEARCH_HELP if is_postgres(data.store_path()) else SQLITE_SEARCH_HELP


def filters() -> Filters:
    """Draw the sidebar and return the filters it selects (also kept in st.session_state)."""
    version = data.data_version()
    if version < 0:
        st.session_state["filters"] = Filters()
        return Filters()
    path = data.store_path()
    first, last, outlets, count = data.corpus_bounds(path, version)
    groups = data.outlet_groups(path, version)
    bar = st.sidebar
    bar.header("Filters")
    start = end = None
    if first and last:
        picked = state.date_range(
            bar, "Published between", first, last, key="dates",
            help="Articles without a date are included only while the full range is selected.",
        )  # fmt: skip
        start, end = _narrowed(picked[0], picked[1], first, last)
    chosen = state.multiselect(bar, "Outlets", outlets, key="outlet", what="outlets", placeholder="All outlets")
    biases = countries = []
    if groups["bias"]:
        biases = state.multiselect(
            bar, "Outlet bias rating", groups["bias"], key="bias", what="bias ratings", placeholder="Any rating",
            help="The outlets' bias ratings from the outlets table (the demo's come from AllSides).",
        )  # fmt: skip
    if groups["country"]:
        countries = state.multiselect(
            bar, "Outlet country", groups["country"], key="country", what="countries", placeholder="Any country"
        )
    topic_ids: tuple[int, ...] = ()
    level = "topics"
    if topic_data.theme_choices(path, version):
        level = state.radio(
            bar, "Level", ["topics", "themes"], key="level", default="topics", horizontal=True,
            format_func=str.capitalize,
            help="Themes group related topics (about 5 to 25 of them). Every chart, table and download "
            "of topics follows this choice.",
        )  # fmt: skip
    choices = topic_data.level_choices(path, version, level)
    if choices:
        labels = dict(choices)
        noun = level  # "topics" or "themes"
        picked_topics = state.multiselect(
            bar, noun.capitalize(), list(labels), key=noun, what=noun, placeholder=f"All {noun}",
            format_func=lambda t: labels.get(t, f"{noun[:-1].capitalize()} {t}"),
        )  # fmt: skip
        topic_ids = topic_data.raw_topics(path, version, tuple(int(t) for t in picked_topics), level)
        if picked_topics and not topic_ids:
            topic_ids = (-999,)  # topics that no longer exist match nothing
    entity_ids = _mentions(bar, path, version)
    search = state.text_input(bar, "Search text", key="q", help=search_help())
    f = Filters(
        start=start, end=end, outlets=tuple(chosen), search=(search or "").strip(), biases=tuple(biases),
        countries=tuple(countries), topics=topic_ids, level=level, entities=entity_ids,
    )  # fmt: skip
    st.session_state["filters"] = f
    bar.caption(f"Store: {count:,} articles · {len(outlets)} outlets")
    return f


def _mentions(bar: object, path: str, version: int) -> tuple[int, ...]:
    """The "Mentions" filter: articles naming any of the chosen people, organisations or places."""
    table = data.entity_table(path, version)
    if table.empty:
        return ()
    names = dict(zip(table["entity_id"].astype(int), table["name"], strict=True))
    kinds = dict(zip(table["entity_id"].astype(int), table["kind"], strict=True))
    # The most mentioned are offered (a list of every entity would travel to the browser on each rerun),
    # and whatever the link or the user already chose.
    options = list(names)[:MENTION_OPTIONS]
    chosen = [int(v) for v in state.url_values("mentions") if v.lstrip("-").isdigit()]
    chosen += [int(v) for v in st.session_state.get("mentions", []) or []]
    options += [e for e in dict.fromkeys(chosen) if e in names and e not in options[:MENTION_OPTIONS]]
    picked = state.multiselect(
        bar, "Mentions", options, key="mentions", what="entities", placeholder="Anyone, anything",
        format_func=lambda e: f"{names.get(e, e)} ({kinds.get(e, 'entity')})",
        help="Articles whose headline or first paragraphs name any of these people, organisations or places.",
    )  # fmt: skip
    return data.raw_entities(path, version, tuple(int(e) for e in picked)) if picked else ()


def _narrowed(start: date, end: date, first: date, last: date) -> tuple[date | None, date | None]:
    """None for an end of the range the user did not move, so undated articles stay included."""
    return (None if start <= first else start), (None if end >= last else end)


def current() -> Filters:
    """The filters drawn on this rerun."""
    return st.session_state.get("filters", Filters())
