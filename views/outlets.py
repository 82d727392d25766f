"""Outlets: two or more outlets (or bias / country groups) side by side: volume and coverage windows,
then, over the months every one of them covers, topic share with over/under-representation, tone and
coverage gaps; first-to-report and rank; distinctive terms."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analysis.explore import coverage, stats
from ui import charts, common, data, sidebar, state, topic_data, view_data

filters = sidebar.filters()
st.title("Outlets")
version = common.require_articles()
path = data.store_path()
profiles = view_data.outlet_profiles(path, version, filters)
if profiles.empty:
    common.no_match()
colors = data.colors(path, version)

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
scope = state.radio(
    st, "Compare over", ["months all of them cover", "all their articles"], key="scope",
    default="months all of them cover", horizontal=True,
    help="Outlets with holes in their coverage (an outlet that stopped, months with far fewer articles than its "
    "norm) are compared only over the months every one of them covers, unless you choose all their articles.",
)  # fmt: skip
group_colors = colors["bias"] if by == "bias" else colors["outlet"] if by == "outlet" else None
view = view_data.outlets_view(path, version, filters, by, tuple(values), None if period == "auto" else period,
                         scope == "months all of them cover")  # fmt: skip
if view["articles"] == 0:
    st.warning("The chosen outlets have no article in the selection.")
    st.stop()

volume = view["volume"].rename(columns={"group": by})
fig = charts.group_volume(volume, by, group_colors)
months = view["months"]
if len(values) >= 2:
    every = sorted(pd.to_datetime(volume["period"]).unique())
    if view["common_only"] and months and volume.attrs.get("period") == "month":
        for m in every:
            if m not in set(months):
                fig.add_vrect(x0=m, x1=m + pd.DateOffset(months=1), fillcolor="#f2d7d5", opacity=0.45, line_width=0,
                              layer="below")  # fmt: skip
ev = common.chart(fig, key="volume", table=volume, filename="volume_by_group.csv", on_select="rerun",
                  selection_mode="points")  # fmt: skip
pt = common.clicked(ev)
if pt and pt["custom"]:
    start, who = pd.Timestamp(pt["x"]), str(pt["custom"][0])
    col = "outlet" if by == "outlet" else by
    found = view_data.articles_behind(path, version, filters, volume.attrs.get("period", "week"), start,
                                 outlet=who if by == "outlet" else None, column=None if by == "outlet" else col,
                                 value=None if by == "outlet" else who)  # fmt: skip
    common.behind(found, f"{who}, {volume.attrs.get('period', 'week')} of {start:%Y-%m-%d}", "volume_behind")

cov = view["coverage"].set_index("group")
notes = [(v, coverage.describe(cov.loc[v], data.span(path, version, filters))) for v in values if v in cov.index]
for v, note in notes:
    if note:
        st.caption(common.plain(f"{v}: {note}."))
if len(values) >= 2:
    if view["common_only"]:
        if not months:
            st.warning("These outlets have no month in common with articles from every one of them, so they cannot be "
                       "compared fairly; choose “all their articles” to compare anyway.")  # fmt: skip
        else:
            left_out = view["articles"] - view["compared"]
            st.info(common.plain(
                f"Compared over the {len(months)} months every one of them covers ({coverage.month_runs(months)}): "
                f"{view['compared']:,} articles. Left out: {left_out:,} articles from other months or without a date "
                f"({view['undated']:,} undated). Shaded on the chart: months not compared."
            ), icon=":material/date_range:")  # fmt: skip
    else:
        st.caption("Compared over all their articles, including months some of them do not cover.")

has_fit = topic_data.has_fit(path, version)
if has_fit and (not view["common_only"] or months):
    share = view["share"]
    common.chart(charts.outlet_topic_heatmap(share, view["labels"], noun=filters.noun), key="share", table=share,
                 filename="topic_share_by_group.csv")  # fmt: skip
    st.caption(stats.note(len(share)) + " Each is compared with the others chosen here together.")
    if not view["tone"].empty:
        common.chart(charts.tone_by_group(view["tone"].rename(columns={"group": by}), by, group_colors), key="tone",
                     table=view["tone"], filename="tone_by_group.csv")  # fmt: skip
        st.caption(common.TONE_RULE)
elif not has_fit:
    st.info("Fit topics (Collect page or `python -m analysis fit`) for topic shares side by side.")

st.subheader("Who was first, how fast the others followed, and rank")
st.caption(
    "Stories are articles from two or more outlets on the same event within three days, over all the articles in "
    "the selection. “First” is claimed only as far as the dates allow: where a story's dates have no time of day, "
    "every outlet publishing on its first day shares first place (counted as tied), and lags are in days. Rank: by "
    "stories covered, within the outlet's country and bias group."
)
shown = profiles if by != "outlet" else profiles[profiles["outlet"].isin(values)]
if "median_lag_hours" in shown.columns and shown["median_lag_hours"].isna().all():
    shown = shown.drop(columns=["median_lag_hours"])  # no story here has times of day: lags are in days only
    st.caption("No story of these outlets has times of day on its dates, so lags are given in days only.")
cols = ["outlet", "articles", "stories", "timed_stories", "first_on", "tied_first", "first_share", "median_lag_hours",
        "median_lag_days", "rank", "rank_in_country", "rank_in_bias_group", "tone", "country", "bias", "first_article",
        "last_article"]  # fmt: skip
st.dataframe(
    shown[[c for c in cols if c in shown.columns]], hide_index=True, width="stretch",
    column_config={
        "outlet": "Outlet", "articles": "Articles", "stories": "Stories covered",
        "timed_stories": st.column_config.NumberColumn("Stories with times", help="Stories whose dates all have a time of day"),
        "first_on": st.column_config.NumberColumn("First alone", help="Stories this outlet published before every other"),
        "tied_first": st.column_config.NumberColumn("Tied first", help="Stories where it shares first place (same day, no times)"),
        "first_share": st.column_config.NumberColumn("First alone (share)", format="percent"),
        "median_lag_hours": st.column_config.NumberColumn("Median lag (hours)", format="%.1f",
                                                          help="When not first, in stories with times of day"),
        "median_lag_days": st.column_config.NumberColumn("Median lag (days)", format="%.0f",
                                                         help="When not first: days after the first day"),
        "rank": "Rank", "rank_in_country": "Rank in its country", "rank_in_bias_group": "Rank in its bias group",
        "tone": st.column_config.NumberColumn("Mean tone", format="%.2f"), "country": "Country", "bias": "Bias rating",
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
terms = view_data.distinctive_terms(path, version, own, None if against == "all other outlets" else against,
                               replace(filters, outlets=()))  # fmt: skip
if terms.empty:
    st.caption("Too little text to find distinctive terms.")
else:
    st.dataframe(terms, hide_index=True, width="stretch",
                 column_config={"term": "Term", "count_a": f"Uses by {own}", "count_b": f"Uses by {against}",
                                "log_odds": st.column_config.NumberColumn("Log-odds ratio", format="%.2f"),
                                "z": st.column_config.NumberColumn("z", format="%.1f"),
                                "significant": "Significant"})  # fmt: skip
    st.caption("Weighted log-odds with an informative Dirichlet prior (Monroe et al. 2008), from the headline and lead "
               "of up to 600 articles a side; significant: Benjamini–Hochberg 5% across the terms tested.")  # fmt: skip
    common.csv_download(terms, "distinctive_terms.csv", key="dl_terms")

if has_fit and len(values) >= 2 and (not view["common_only"] or months):
    st.subheader(common.plain(f"Coverage gaps: {values[0]} against {values[1]}"))
    gaps = view["gaps"]
    if gaps.empty:
        st.caption("No topic with enough articles in these two groups.")
    else:
        sig = gaps[gaps["significant"]]
        st.caption(
            f"{len(sig)} of {len(gaps)} topics differ significantly. {stats.note(len(gaps))} Positive z: "
            f"{common.plain(values[0])} gives the topic a bigger share of its coverage."
        )
        show_all = state.toggle(st, "Also list topics whose difference is not significant", key="all_gaps")
        listed = gaps if show_all else sig
        st.dataframe(
            listed.assign(significant=listed["significant"].map({True: "yes", False: "no"})), hide_index=True,
            width="stretch",
            column_config={"topic": "Topic id", "topic_label": "Topic",
                           "articles_a": f"Articles, {values[0]}", "articles_b": f"Articles, {values[1]}",
                           "share_a": st.column_config.NumberColumn(f"Share, {values[0]}", format="percent"),
                           "share_b": st.column_config.NumberColumn(f"Share, {values[1]}", format="percent"),
                           "difference": st.column_config.NumberColumn("Difference", format="percent"),
                           "z": st.column_config.NumberColumn("z", format="%.1f"),
                           "p_value": st.column_config.NumberColumn("p", format="%.2g"),
                           "q_value": st.column_config.NumberColumn("q (corrected)", format="%.2g"),
                           "significant": "Significant"},
        )  # fmt: skip
        common.csv_download(gaps, "coverage_gaps.csv", key="dl_gaps")
common.methods(version)
