"""Trends: topics (or themes) as a share of all coverage over time, attention to searches, topics and entities
compared (overall or split by outlet, bias or country), rising and falling topics, tone over time with its
confidence band, and the articles behind any point. One tab at a time (the open one is in the link)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.explore import lines as compare
from analysis.explore import trends
from analysis.explore.behind import behind
from analysis.explore.lines import Line
from analysis.explore.palette import app_colors
from analysis.explore.selection import unit_id
from ui import charts, common, sidebar, state
from ui.ask import ask
from ui.changes import rising_falling

sel = common.begin("Trends", fit=True)
opts = sidebar.options()
noun = sel.unit
st.caption(
    "Shares are of **all** articles from the chosen outlets in each period (the sidebar's dates, outlets, bias "
    "and country), with the counts beside them: a topic, search or mention filter narrows what is counted, never "
    "what it is counted against."
)
SPLITS = {"no split": None, "outlet (the biggest 6)": "outlet", "bias rating": "bias", "country": "country"}
available = {None: True, "outlet": True, "bias": bool(opts and opts.biases), "country": bool(opts and opts.countries)}
c1, c2, c3 = st.columns(3)
period = common.period_picker(c1, "Period", "period", "at most 100 points")
value = state.radio(
    c2,
    "Show",
    ["share", "articles"],
    key="show",
    default="share",
    horizontal=True,
    help="share: of all articles from the chosen outlets that period; articles: counts.",
)
split = state.selectbox(
    c3,
    "One chart per",
    [k for k, v in SPLITS.items() if available[v]],
    key="split",
    default="no split",
    help="Each chart's shares are of its own group's articles.",
)
by = SPLITS[split]
chosen_period = None if period == "auto" else period


def _shares() -> None:
    s1, s2 = st.columns(2)
    kind = state.radio(s1, "Chart", ["area", "lines"], key="chart", default="area", horizontal=True)
    top_n = state.slider(
        s2,
        f"{noun.capitalize()}s",
        3,
        15,
        key="top_topics",
        default=8,
        help=f"The biggest {noun}s in the selection; the rest are grouped.",
    )
    shares = ask(trends.topic_trends, sel, chosen_period, top_n, by)
    if shares.table.empty or int(shares.table["articles"].sum()) == 0:
        common.no_match(sel)
    event = common.chart(
        charts.share_chart(shares, value=value, kind=kind, facet=by),
        key="shares",
        table=shares.table,
        name=common.filename(noun, "shares_per", shares.period, by and f"by_{by}"),
        about=common.about(sel, shares.measure),
        on_select="rerun",
        selection_mode="points",
    )
    common.notes(shares.notes)
    point = common.clicked(event)
    if not (point and point["custom"]):
        st.caption("Click a point on the chart to list the articles behind it.")
        return
    unit, group = int(point["custom"][0]), (point["custom"][3] or None) if by else None
    start = pd.Timestamp(point["x"])
    where = ((by, group),) if by and group else ()
    label = shares.table.loc[shares.table[noun] == unit, f"{noun}_label"].iloc[0]
    if unit == -1:
        shown = tuple(int(t) for t in shares.table[noun].unique() if t >= 0)
        found = ask(behind, sel, shares.period, start.date(), where, (noun, shown))
    else:
        found = ask(behind, sel, shares.period, start.date(), ((noun, unit), *where))
    common.behind(found, f"{label}{', ' + group if group else ''}, {shares.period} of {start:%Y-%m-%d}", "behind")


def _attention() -> None:
    a1, a2 = st.columns([3, 2])
    searches = state.lines_input(
        a1,
        "Searches (one per line)",
        key="compare",
        height=110,
        placeholder='climate\n"supreme court" (abortion OR guns)\ntariffs OR "trade war"',
        help=sidebar.SEARCH_HELP,
    )
    choices = dict(opts.themes if noun == "theme" else opts.topics) if opts else {}
    picked = state.multiselect(
        a2,
        f"{noun.capitalize()}s",
        list(choices),
        key="compare_topics",
        what=f"{noun}s",
        format_func=lambda t: choices.get(t, f"{noun.capitalize()} {t}"),
        placeholder=f"Add {noun}s",
    )
    as_set = state.toggle(a2, f"The chosen {noun}s as one set (one line)", key="topic_set")
    people = {e: n for e, n, _ in opts.entities} if opts else {}
    named = state.multiselect(
        a2,
        "People, organisations, places",
        list(people),
        key="compare_entities",
        what="entities",
        format_func=lambda e: people.get(e, f"entity {e}"),
        placeholder="Add people",
    )
    sets = [tuple(picked)] if as_set and picked else [(t,) for t in picked]
    lines = [Line(f"search: {q if len(q) <= 60 else q[:59] + '…'}", search=q) for q in searches]
    for ts in sets:
        label = (
            f"{noun}s: " + " + ".join(choices.get(t, str(t)) for t in ts)
            if len(ts) > 1
            else choices.get(ts[0], str(ts[0]))
        )
        ids = tuple(unit_id(sel.level, t) for t in ts)
        lines.append(Line(label, topics=ids if noun == "topic" else (), themes=ids if noun == "theme" else ()))  # type: ignore[arg-type]
    lines += [Line(people.get(e, f"entity {e}"), entities=(int(e),)) for e in named]
    if len(lines) > 5:
        st.warning(f"Compare at most five lines at once; the first five of your {len(lines)} are drawn.")
        lines = lines[:5]
    if not lines:
        st.caption(f"Type searches or pick {noun}s or people to draw each as its share of all coverage over time.")
        return
    att = ask(compare.compared, sel, tuple(lines), chosen_period, by)
    common.notes(att.notes)
    ev = common.chart(
        charts.attention_chart(att, value=value, facet=by),
        key="attention",
        table=att.table,
        name=common.filename("attention", "_vs_".join(line.label for line in lines), att.period, by and f"by_{by}"),
        about=common.about(sel.sources(), att.measure),
        on_select="rerun",
        selection_mode="points",
    )
    st.caption(
        "Every line counts the articles matching it among all articles of the sidebar's dates, outlets, bias and "
        "country (the sidebar's own topics, mentions and search do not apply here), so the lines are comparable."
        + (f" Split by {by}: each line is a share of its own {by}'s articles." if by else "")
    )
    pt = common.clicked(ev)
    if pt and pt["custom"]:
        name = str(pt["custom"][0])
        line = next((ln for ln in lines if ln.label == name), None)
        start = pd.Timestamp(pt["x"])
        group = (pt["custom"][3] or None) if by else None
        if line is not None:
            where = ((by, group),) if by and group else ()
            found = ask(behind, sel.sources(), att.period, start.date(), where, None, line)
            common.behind(
                found, f"{name}{', ' + group if group else ''}, {att.period} of {start:%Y-%m-%d}", "attention_behind"
            )


def _changes() -> None:
    rising_falling(sel, ask(trends.changes, sel, chosen_period), noun)


def _tone() -> None:
    colors = ask(app_colors)
    t1, t2 = st.columns([1, 3])
    tone_by = state.selectbox(
        t1,
        "By",
        ["all articles", "topic", "outlet", "bias"],
        key="tone_by",
        default="all articles",
        format_func=lambda b: noun if b == "topic" else b,
    )
    min_n = state.number_input(
        t1,
        "Minimum articles per point",
        1,
        500,
        key="tone_min",
        default=5,
        help="Periods with fewer scored articles are gaps in the chart (kept in the CSV).",
    )
    col = {"topic": f"{noun}_label", "outlet": "outlet", "bias": "bias"}.get(tone_by)
    values_by = ask(trends.group_values, sel, col) if col else []
    picked = state.multiselect(t1, "Show", values_by, key="tone_values", default=values_by[:4]) if col else []
    if not col:
        state.forget("tone_values")
    tone = ask(trends.tone_trend, sel, chosen_period, col, tuple(picked) if col else None, int(min_n))
    tone_colors = colors["bias"] if col == "bias" else colors["outlet"] if col == "outlet" else None
    with t2:
        ev = common.chart(
            charts.tone_chart(tone, by=col, colors=tone_colors),
            key="tone",
            table=tone.table,
            name=common.filename("tone_per", tone.period, col and f"by_{col}"),
            about=common.about(sel, tone.measure),
            on_select="rerun",
            selection_mode="points",
        )
    st.caption(common.TONE_RULE)
    pt = common.clicked(ev)
    if pt and len(pt["custom"]) >= 4:
        start = pd.Timestamp(pt["x"])
        group = str(pt["custom"][3])
        found = ask(behind, sel, tone.period, start.date(), ((col, group),) if col else ())
        common.behind(found, f"tone of {group}, {tone.period} of {start:%Y-%m-%d}", "tone_behind")


state.tabbed(
    st,
    [
        (f"{noun.capitalize()}s over time", _shares),
        ("Compare searches and people", _attention),
        (f"Rising and falling {noun}s", _changes),
        ("Tone", _tone),
    ],
    key="view",
)
common.methods()
