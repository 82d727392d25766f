"""Outlets: two or more outlets (or bias / country groups) side by side: volume, topic share with
over/under-representation, tone, distinctive terms, first-to-report and rank, coverage gaps."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analysis import charts
from ui import common, data, sidebar, state

filters = sidebar.filters()
st.title("Outlets")
version = common.require_articles()
path = data.store_path()
profiles = data.outlet_profiles(path, version, filters)
if profiles.empty:
    common.no_match()

groups = data.outlet_groups(path, version)
modes = ["outlets"] + [g for g in ("bias", "country") if groups[g]]
c1, c2, c3 = st.columns([1, 3, 1])
by_label = state.radio(c1, "Compare", modes, key="compare", default="outlets", horizontal=True,
                       help="Single outlets, or groups of outlets by their bias rating or country.")  # fmt: skip
by = {"outlets": "outlet"}.get(by_label, by_label)
choices = profiles["outlet"].tolist() if by == "outlet" else [*groups[by], "unknown"]
default = choices[:3] if by == "outlet" else choices[:2]
for other in ("outlet", "bias", "country"):
    if other != by:
        state.forget(f"pick_{other}")
values = state.multiselect(c2, "Side by side", choices, key=f"pick_{by}", default=default, what="outlets or groups",
                           help="The first two are also compared for coverage gaps below.")  # fmt: skip
period = state.selectbox(c3, "Period", ["auto", "week", "month", "quarter"], key="volume_period", default="auto")
if len(values) < 1:
    st.info("Pick at least one outlet or group; two or more to compare.")
    st.stop()

has_fit = data.has_fit(path, version)
if has_fit:
    view = data.outlets_view(path, version, filters, by, tuple(values), None if period == "auto" else period)
    if view["articles"] == 0:
        st.warning("The chosen outlets have no article in the selection.")
        st.stop()
    common.chart(charts.group_volume(view["volume"].rename(columns={"group": by}), by), key="volume",
                 table=view["volume"], filename="volume_by_group.csv")  # fmt: skip
    common.chart(charts.outlet_topic_heatmap(view["share"], view["labels"]), key="share", table=view["share"],
                 filename="topic_share_by_group.csv")  # fmt: skip
    if not view["tone"].empty:
        common.chart(charts.tone_by_group(view["tone"].rename(columns={"group": by}), by), key="tone",
                     table=view["tone"], filename="tone_by_group.csv")  # fmt: skip
else:
    st.info("Fit topics (Collect page or `python -m analysis fit`) for topic shares and tone side by side.")

st.subheader("Who was first, how fast the others followed, and rank")
st.caption("Stories are articles from two or more outlets on the same event within three days. "
           "Rank: by stories covered, within the outlet's country and bias group.")  # fmt: skip
shown = profiles if by != "outlet" else profiles[profiles["outlet"].isin(values)]
cols = ["outlet", "articles", "stories", "first_on", "first_share", "median_lag_hours", "rank", "rank_in_country",
        "rank_in_bias_group", "tone", "country", "bias", "first_article", "last_article"]  # fmt: skip
st.dataframe(
    shown[[c for c in cols if c in shown.columns]], hide_index=True, width="stretch",
    column_config={
        "first_on": st.column_config.NumberColumn("First on", help="Stories this outlet published first"),
        "first_share": st.column_config.NumberColumn("First share", format="percent"),
        "median_lag_hours": st.column_config.NumberColumn("Median lag (h)", format="%.1f",
                                                          help="When not first: hours after the first outlet"),
        "tone": st.column_config.NumberColumn("Tone", format="%.2f"),
        "first_article": st.column_config.DatetimeColumn("First article", format="YYYY-MM-DD"),
        "last_article": st.column_config.DatetimeColumn("Last article", format="YYYY-MM-DD"),
    },
)  # fmt: skip
common.csv_download(profiles, "outlet_profiles.csv", key="dl_profiles")

st.subheader("Distinctive terms")
outlets = profiles["outlet"].tolist()
d1, d2 = st.columns(2)
own = state.selectbox(d1, "Outlet", outlets, key="term_outlet", default=values[0] if by == "outlet" else outlets[0])
against = state.selectbox(d2, "Against", ["all other outlets", *[o for o in outlets if o != own]], key="term_against",
                          default="all other outlets")  # fmt: skip
# Against the other outlets in the same dates and search: the sidebar's outlet choice would leave nothing to compare with.
terms = data.distinctive_terms(path, version, own, None if against == "all other outlets" else against,
                               replace(filters, outlets=()))  # fmt: skip
if terms.empty:
    st.caption("Too little text to find distinctive terms.")
else:
    st.dataframe(terms, hide_index=True, width="stretch",
                 column_config={"count_a": own, "count_b": against, "z": st.column_config.NumberColumn("z", format="%.1f"),
                                "log_odds": st.column_config.NumberColumn("log-odds", format="%.2f")})  # fmt: skip
    st.caption("Weighted log-odds with an informative Dirichlet prior (Monroe et al. 2008); z > 1.96 is significant.")
    common.csv_download(terms, "distinctive_terms.csv", key="dl_terms")

if has_fit and len(values) >= 2:
    st.subheader(common.plain(f"Coverage gaps: {values[0]} against {values[1]}"))
    gaps = view["gaps"]
    if gaps.empty:
        st.caption("No topic with enough articles in these two groups.")
    else:
        sig = gaps[gaps["significant"]]
        st.caption(f"{len(sig)} of {len(gaps)} topics differ significantly (two-proportion z-test, 5% after "
                   f"Bonferroni). Positive z: {values[0]} gives the topic a bigger share of its coverage.")  # fmt: skip
        st.dataframe(gaps, hide_index=True, width="stretch",
                     column_config={"share_a": st.column_config.NumberColumn(f"share {values[0]}", format="percent"),
                                    "share_b": st.column_config.NumberColumn(f"share {values[1]}", format="percent"),
                                    "difference": st.column_config.NumberColumn("difference", format="percent"),
                                    "z": st.column_config.NumberColumn("z", format="%.1f"),
                                    "p_value": st.column_config.NumberColumn("p", format="%.2g")})  # fmt: skip
        common.csv_download(gaps, "coverage_gaps.csv", key="dl_gaps")
common.methods(version)
