"""Overview: how many articles, from whom, over what span, where each outlet's coverage has holes, and how volume
and topics move over time. One tab at a time (the open one is in the link)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.explore import overview
from analysis.explore.behind import behind, in_unit
from analysis.explore.palette import app_colors
from ui import common, sidebar, state
from ui.ask import ask
from ui.changes import rising_falling
from ui.charts import volume_chart
from ui.topic_charts import topic_bars

sel = common.begin("Overview")
opts = sidebar.options()
ov = ask(overview.overview, sel)
if ov.articles == 0:
    common.no_match(sel)

noun = ov.key
m1, m2, m3, m4, m5, m6, m7 = st.columns(7)
m1.metric(
    "Articles",
    f"{ov.articles:,}",
    help=f"Of the {ov.base:,} articles from the chosen dates, outlets, bias and country.",
)
m2.metric("Outlets", f"{ov.outlets:,}")
m3.metric("First article", f"{ov.first:%Y-%m}" if ov.first is not None else "–")
m4.metric("Last article", f"{ov.last:%Y-%m}" if ov.last is not None else "–")
m5.metric("Without a date", f"{ov.undated:,}", help="Kept and counted; left out of charts over time.")
if ov.units is not None and ov.unassigned is not None:
    m6.metric(
        f"{noun.capitalize()}s",
        f"{ov.units:,}",
        help=f"{noun.capitalize()}s with at least one article in the selection.",
    )
    m7.metric(
        "Unassigned",
        f"{ov.unassigned.value:.1%}",
        help=f"Articles in no {noun}: {ov.unassigned.count:,} of {ov.unassigned.total:,}.",
    )
else:
    m6.metric("Topics", "–", help="Run `python -m analysis fit` to find topics.")

fitted = bool(opts and opts.fitted)


def _over_time() -> None:
    c1, c2 = st.columns([4, 1])
    with c2:
        period = common.period_picker(st, "Group by", "group", "at most 60 bars")
        top_n = state.slider(
            st, "Outlets shown", 3, 20, key="top_outlets", default=8, help="The rest are grouped as 'Other outlets'."
        )
    volume = ask(overview.articles_over_time, sel, period, top_n)
    with c1:
        ev = common.chart(
            volume_chart(volume, ask(app_colors)["outlet"]),
            key="volume_chart",
            table=volume.table,
            name=common.filename("articles_per", volume.period, "by_outlet"),
            about=common.about(sel, volume.measure),
            on_select="rerun",
            selection_mode="points",
        )
        common.notes(volume.notes)
    pt = common.clicked(ev)
    if pt and pt["custom"]:
        start, outlet = pd.Timestamp(pt["x"]), str(pt["custom"][0])
        if outlet == "Other outlets":
            shown = tuple(o for o in volume.table["outlet"].unique() if o != "Other outlets")
            found = ask(behind, sel, volume.period, start.date(), (), ("outlet", shown))
        else:
            found = ask(behind, sel, volume.period, start.date(), (("outlet", outlet),))
        common.behind(found, f"{outlet}, {volume.period} of {start:%Y-%m-%d}", "volume_behind")


def _outlets() -> None:
    table = ask(overview.outlets, sel)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_order=[
            c for c in overview.OUTLET_COLUMNS if sel.narrows or c not in ("outlet_total", "of_its_coverage")
        ],
        column_config={
            "outlet": "Outlet",
            "articles": st.column_config.NumberColumn("Articles", format="%d", help="Its articles in the selection"),
            "share": st.column_config.ProgressColumn(
                "Share of the selection",
                format="percent",
                min_value=0.0,
                max_value=1.0,
                help=f"Of the selection's {ov.articles:,} articles",
            ),
            "outlet_total": st.column_config.NumberColumn(
                "Its articles", format="%d", help="All its articles in these dates (no topic, search or mention filter)"
            ),
            "of_its_coverage": st.column_config.NumberColumn(
                "Of its coverage",
                format="percent",
                help="Its selected articles among all its articles in these dates "
                "(without the topic and search filters)",
            ),
            "coverage": st.column_config.TextColumn(
                "Coverage window", help="Months of its first and last dated article in the chosen dates"
            ),
            "gap_months": st.column_config.NumberColumn(
                "Gap months",
                help="Months in its window with far fewer articles "
                "than its norm (below half its median month, Poisson p ≤ 0.01)",
            ),
            "undated": st.column_config.NumberColumn("Undated"),
            "country": "Country",
            "bias": "Bias rating",
            "note": st.column_config.TextColumn("Coverage note", width="large"),
        },
    )
    holes = int((table["note"] != "").sum())
    if holes:
        st.caption(
            f"{holes:,} outlet{'s have' if holes != 1 else ' has'} holes in coverage (a narrower window, gap months or "
            "undated articles) or no article here. Coverage describes each outlet's whole output in these dates, "
            "whatever topic, search or mention narrows the selection; comparisons on the Outlets page are made over "
            "the months every compared outlet covers."
        )
    common.csv_download(
        table,
        "outlets.csv",
        key="dl_outlets",
        label="Download outlet table (CSV)",
        about=common.about(sel, "articles per outlet"),
    )


def _units() -> None:
    t1, t2 = st.columns(2)
    sizes = ask(overview.unit_sizes, sel)
    with t1:
        ev = common.chart(
            topic_bars(sizes.table, f"Articles per {noun} in the selection (top 12)", noun),
            key="topic_bars",
            table=sizes.table,
            name=common.filename(noun, "counts"),
            about=common.about(sel, sizes.measure),
            on_select="rerun",
            selection_mode="points",
        )
    lt = ask(overview.latest, sel)
    ev_latest = None
    with t2:
        if not lt.table.empty and lt.now is not None:
            ev_latest = common.chart(
                topic_bars(
                    lt.table,
                    f"Biggest {noun}s, latest {lt.period}: {lt.now:%Y-%m-%d}"
                    + (f" (partial, to {lt.ends:%m-%d})" if lt.ends is not None else ""),
                    noun,
                    top_n=10,
                ),
                key="latest_bars",
                table=lt.table,
                name=common.filename("latest", noun, "s", lt.now.date()),
                about=common.about(sel, f"articles per {noun}, share of all articles that {lt.period}"),
                on_select="rerun",
                selection_mode="points",
            )
    pt = common.clicked(ev)
    if pt and pt["custom"]:
        unit = int(pt["custom"][0])
        common.behind(ask(in_unit, sel, noun, unit), str(pt["y"]), "topic_behind")
        if noun == "topic" and st.button("Open this topic", key="open_topic"):
            state.goto(common.TOPIC_PAGE, topic=unit)
    pt = common.clicked(ev_latest)
    if pt and pt["custom"] and lt.now is not None:
        found = ask(behind, sel, lt.period, lt.now.date(), ((noun, int(pt["custom"][0])),))
        common.behind(found, f"{pt['y']}, {lt.period} of {lt.now:%Y-%m-%d}", "latest_behind")


def _changes() -> None:
    rising_falling(sel, ask(overview.changes, sel), noun, k=6)


PARTS = [("Articles over time", _over_time), ("Outlets", _outlets)]
if fitted:
    PARTS += [(f"{noun.capitalize()}s", _units), (f"Rising and falling {noun}s", _changes)]
state.tabbed(st, PARTS, key="view")
common.methods()
