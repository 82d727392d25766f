"""The shared sidebar: it draws the filters (each kept in the address by ui/state.py, so a copied link
reproduces the view and every page change keeps them) and returns what they select as one Selection
(analysis.explore.selection), the value every question of every page takes."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis.explore import corpus
from analysis.explore.selection import Selection, ThemeId, TopicId
from ui import data, state
from ui.ask import ask, remember_version

SEARCH_HELP = (
    "Full-text search over titles and texts, written as for a web search engine: all words must match; "
    '"an exact phrase"; words joined by hyphens (COVID-19) are searched as the phrase they are; OR between two '
    "parts; -word or NOT word leaves a word out; prefix* and (brackets); NEAR(a b, 10) for words close together. "
    'Common words (the, of) are left out. Example: "supreme court" (abortion OR guns) -opinion'
)
_SELECTION = "_selection"


def options() -> corpus.Options | None:
    """The sidebar's choices for the current store version (None when there is no store)."""
    version = data.data_version()
    if version < 0:
        return None
    remember_version(version)
    return ask(corpus.options)


def selection() -> Selection:
    """Draw the sidebar and return what it selects (also kept for this run: current())."""
    opts = options()
    if opts is None:
        st.session_state[_SELECTION] = Selection()
        return Selection()
    bar = st.sidebar
    bar.header("Filters")
    start = end = None
    if opts.first and opts.last:
        picked = state.date_range(
            bar,
            "Published between",
            opts.first,
            opts.last,
            key="dates",
            help="Articles without a date are included only while the full range is selected.",
        )
        start, end = _narrowed(picked[0], picked[1], opts.first, opts.last)
    outlets = state.multiselect(
        bar, "Outlets", list(opts.outlets), key="outlet", what="outlets", placeholder="All outlets"
    )
    biases: list[str] = []
    countries: list[str] = []
    if opts.biases:
        biases = state.multiselect(
            bar,
            "Outlet bias rating",
            list(opts.biases),
            key="bias",
            what="bias ratings",
            placeholder="Any rating",
            help="The outlets' bias ratings from the outlets table (the demo's come from AllSides).",
        )
    if opts.countries:
        countries = state.multiselect(
            bar, "Outlet country", list(opts.countries), key="country", what="countries", placeholder="Any country"
        )
    level = "topics"
    if opts.themes:
        level = state.radio(
            bar,
            "Level",
            ["topics", "themes"],
            key="level",
            default="topics",
            horizontal=True,
            format_func=str.capitalize,
            help="Themes group related topics (about 5 to 25 of them). Every chart, table and download of topics "
            "follows this choice.",
        )
    topics: tuple[TopicId, ...] = ()
    themes: tuple[ThemeId, ...] = ()
    choices = opts.themes if level == "themes" else opts.topics
    if choices:
        labels = dict(choices)
        noun = "theme" if level == "themes" else "topic"
        picked_ids = state.multiselect(
            bar,
            f"{noun.capitalize()}s",
            list(labels),
            key=f"{noun}s",
            what=f"{noun}s",
            placeholder=f"All {noun}s",
            format_func=lambda t: labels.get(t, f"{noun.capitalize()} {t}"),
        )
        if level == "themes":
            themes = tuple(ThemeId(int(t)) for t in picked_ids)
        else:
            topics = tuple(TopicId(int(t)) for t in picked_ids)
    mentions = _mentions(bar, opts)
    search = state.text_input(bar, "Search text", key="q", help=SEARCH_HELP)
    chosen = Selection(
        start=start,
        end=end,
        outlets=tuple(outlets),
        biases=tuple(biases),
        countries=tuple(countries),
        level="themes" if level == "themes" else "topics",
        topics=topics,
        themes=themes,
        mentions=mentions,
        search=search,
    )
    st.session_state[_SELECTION] = chosen
    bar.caption(f"Store: {opts.articles:,} articles · {len(opts.outlets):,} outlets")
    return chosen


def _mentions(bar: object, opts: corpus.Options) -> tuple[int, ...]:
    """The "Mentions" filter: articles naming any of the chosen people, organisations or places."""
    if not opts.entities:
        return ()
    names = {e: (n, k) for e, n, k in opts.entities}
    # The most mentioned are offered, and whatever the link or the user already chose.
    chosen = [int(v) for v in state.url_values("mentions") if v.lstrip("-").isdigit()]
    chosen += [int(v) for v in st.session_state.get("mentions", []) or []]
    extra = tuple(e for e in dict.fromkeys(chosen) if e not in names)
    if extra:
        names.update(ask(corpus.entity_names, extra))
    picked = state.multiselect(
        bar,
        "Mentions",
        list(names),
        key="mentions",
        what="entities",
        placeholder="Anyone, anything",
        format_func=lambda e: f"{names[e][0]} ({names[e][1]})" if e in names else f"entity {e}",
        help="Articles whose headline or first paragraphs name any of these people, organisations or places.",
    )
    return tuple(int(e) for e in picked)


def _narrowed(start: date, end: date, first: date, last: date) -> tuple[date | None, date | None]:
    """None for an end of the range the user did not move, so undated articles stay included."""
    return (None if start <= first else start), (None if end >= last else end)


def current() -> Selection:
    """The selection drawn on this run."""
    value = st.session_state.get(_SELECTION)
    return value if isinstance(value, Selection) else Selection()
