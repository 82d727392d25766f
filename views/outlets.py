"""Outlets: two or more outlets (or bias / country groups) side by side: volume and coverage windows,
then, over the months every one of them covers, topic share with over/under-representation, tone and
coverage gaps; first-to-report and rank; distinctive terms."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.explore import coverage, outlets, stats
from analysis.explore.behind import behind
from analysis.explore.corpus import Options
from analysis.explore.palette import app_colors, bias_order
from ui import common, compare_charts, sidebar, state
from ui.ask import ask

sel = common.begin("Outlets")
options = sidebar.options()
if options is None:
    st.stop()
opts: Options = options
colors = ask(app_colors)
modes = ["outlets"] + [g for g, present in (("bias", opts.biases), ("country", opts.countries)) if present]
c1, c2, c3 = st.columns([1, 3, 1])
by_label = state.radio(
    c1,
    "Compare",
    modes,
    key="compare",
    default="outlets",
    horizontal=True,
    help="Single outlets, or groups of outlets by their bias rating or country.",
)
by = {"outlets": "outlet"}.get(by_label, by_label)
if by == "outlet":
    choices = list(opts.outlets)
    default = choices[:3]
elif by == "bias":
    choices = [*bias_order(opts.biases), "unknown"]
    rated = bias_order(opts.biases)
    default = [rated[0], rated[-1]] if len(rated) >= 2 else rated  # left and right, as a user expects
else:
    choices = [*opts.countries, "unknown"]
    default = choices[:2]
for other in ("outlet", "bias", "country"):
    if other != by:
        state.forget(f"pick_{other}")
values = state.multiselect(
    c2,
    "Side by side",
    choices,
    key=f"pick_{by}",
    default=default,
    what="outlets or groups",
    help="The first two are also compared for coverage gaps below.",
)
period = state.selectbox(c3, "Period", ["auto", "week", "month", "quarter"], key="volume_period", default="auto")
if len(values) < 1:
    st.info("Pick at least one outlet or group; two or more to compare.")
    st.stop()
scope = state.radio(
    st,
    "Compare over",
    ["months all of them cover", "all their articles"],
    key="scope",
    default="months all of them cover",
    horizontal=True,
    help="Outlets with holes in their coverage (an outlet that stopped, months with far fewer articles than its "
    "norm) are compared only over the months every one of them covers, unless you choose all their articles.",
)
group_colors = colors["bias"] if by == "bias" else colors["outlet"] if by == "outlet" else None
view = ask(
    outlets.compare, sel, by, tuple(values), None if period == "auto" else period, scope == "months all of them cover"
)
if view.selected == 0:
    common.no_match(sel)
common.absent(view.absent, "outlet" if by == "outlet" else f"{by} group")
if view.articles == 0:
    st.warning("None of the chosen has an article in the selection.")
    st.stop()

months = view.months
key = view.key

cov = view.coverage.set_index(by)
for v in view.compared:
    if v in cov.index and cov.loc[v, "note"]:
        st.caption(common.plain(f"{v}: {cov.loc[v, 'note']}."))
st.caption(
    "Coverage windows and gaps describe each one's whole output in the sidebar's dates and outlets; a topic, "
    "search or mention never makes a hole."
)
if len(view.compared) >= 2:
    if view.common_only:
        if not months:
            st.warning(
                "These have no month in common with articles from every one of them, so they cannot be "
                "compared fairly; choose “all their articles” to compare anyway."
            )
        else:
            left_out = view.articles - view.compared_articles
            st.info(
                common.plain(
                    f"Compared over the {len(months)} month{'s' if len(months) != 1 else ''} every one of them covers "
                    f"({coverage.month_runs(list(months))}): {view.compared_articles:,} articles of the selection. "
                    "Left "
                    f"out: {left_out:,} from other months or without a date ({view.undated:,} undated). Shaded on the "
                    "chart: months not compared."
                ),
                icon=":material/date_range:",
            )
    else:
        st.info(
            f"Compared over all their articles, including months some of them do not cover: "
            f"{view.compared_articles:,} articles of the selection ({view.undated:,} undated: counted in every tab "
            "but not on the volume chart, which needs a date).",
            icon=":material/date_range:",
        )


def _volume() -> None:
    volume = view.volume
    fig = compare_charts.group_volume(volume, by, group_colors)
    if len(view.compared) >= 2 and view.common_only and months and volume.period == "month":
        for m in sorted(pd.to_datetime(volume.table["period"]).unique()):
            if m not in set(months):
                fig.add_vrect(
                    x0=m, x1=m + pd.DateOffset(months=1), fillcolor="#f2d7d5", opacity=0.45, line_width=0, layer="below"
                )
    ev = common.chart(
        fig,
        key="volume",
        table=volume.table,
        name=common.filename("volume_by", by, volume.period),
        about=common.about(sel, f"articles per {volume.period} by {by}"),
        on_select="rerun",
        selection_mode="points",
    )
    pt = common.clicked(ev)
    if pt and pt["custom"]:
        start, who = pd.Timestamp(pt["x"]), str(pt["custom"][0])
        found = ask(behind, sel, volume.period, start.date(), ((by, who),))
        common.behind(found, f"{who}, {volume.period} of {start:%Y-%m-%d}", "volume_behind")


def _topics() -> None:
    if opts.fitted and (not view.common_only or months):
        share = view.share
        common.chart(
            compare_charts.outlet_topic_heatmap(share, view.labels, key, by),
            key="share",
            table=share,
            name=common.filename(key, "share_by", by),
            about=common.about(sel, f"each {by}'s articles per {key}, as a share of its articles with a {key}"),
        )
        tests = len(share) // 2 if len(view.compared) == 2 else len(share)  # two: each test is both rows
        st.caption(
            stats.note(tests) + f" Each is compared with the others chosen here together; a {key} with fewer than "
            f"{outlets.MIN_TESTED} of their articles is not tested. Shares are of each one's articles with a {key}"
            + (" in the months all of them cover" if view.common_only else "")
            + (
                f" (a {key}, search or mention filter narrows what is counted, not what it is counted against)."
                if sel.narrows
                else "."
            )
        )
        if not view.tone.empty:
            common.chart(
                compare_charts.tone_by_group(view.tone, by, group_colors),
                key="tone",
                table=view.tone,
                name=common.filename("tone_by", by),
                about=common.about(sel, "mean tone of the scored articles, 95% interval"),
            )
            st.caption(common.TONE_RULE)
    elif not opts.fitted:
        st.info("Fit topics (Collect page or `python -m analysis fit`) for topic shares side by side.")


def _first() -> None:
    st.caption(
        "Stories are articles from two or more outlets on the same event (each within two days of others in it), "
        "over the articles of the selection. “First” is claimed only as far as the dates allow: where a story's "
        f"dates have no time of day, every {by} publishing on its first day shares first place (counted as tied), "
        "and lags are in days."
        + " Stories count only those shared by two or more of the compared, so the columns compare them with each"
        " other."
    )
    prof = view.profiles.drop(columns=["rank_in_country", "rank_in_bias_group"], errors="ignore")  # among 2-6
    if len(prof) < 3:
        prof = prof.drop(columns=["rank"], errors="ignore")
    if "median_lag_hours" in prof.columns and prof["median_lag_hours"].isna().all():
        prof = prof.drop(columns=["median_lag_hours"])  # no story here has times of day: lags are in days only
        st.caption("No story of these has times of day on its dates, so lags are given in days only.")
    cols = [
        by,
        "articles",
        "stories",
        "timed_stories",
        "first_on",
        "tied_first",
        "first_share",
        "median_lag_hours",
        "median_lag_days",
        "rank",
        "rank_in_country",
        "rank_in_bias_group",
        "tone",
        "country",
        "bias",
        "first_article",
        "last_article",
    ]
    st.dataframe(
        prof[[c for c in dict.fromkeys(cols) if c in prof.columns]],
        hide_index=True,
        width="stretch",
        column_config={
            by: by.capitalize(),
            "articles": "Articles",
            "stories": st.column_config.NumberColumn(
                "Shared stories", help="Stories it covered with at least one other of those compared"
            ),
            "timed_stories": st.column_config.NumberColumn(
                "Stories with times", help="Stories whose dates all have a time of day"
            ),
            "first_on": st.column_config.NumberColumn(
                "First alone", help="Shared stories it published before every other compared"
            ),
            "tied_first": st.column_config.NumberColumn(
                "Tied first", help="Stories where it shares first place (same day, no times)"
            ),
            "first_share": st.column_config.NumberColumn("First alone (share)", format="percent"),
            "median_lag_hours": st.column_config.NumberColumn(
                "Median lag (hours)", format="%.1f", help="When not first, in stories with times of day"
            ),
            "median_lag_days": st.column_config.NumberColumn(
                "Median lag (days)", format="%.1f", help="When not first: days after the first day"
            ),
            "rank": st.column_config.NumberColumn("Rank", help="By shared stories, among those compared"),
            "rank_in_country": "Rank in its country",
            "rank_in_bias_group": "Rank in its bias group",
            "tone": st.column_config.NumberColumn("Mean tone", format="%.2f"),
            "country": "Country",
            "bias": "Bias rating",
            "first_article": st.column_config.DatetimeColumn("First article", format="YYYY-MM-DD"),
            "last_article": st.column_config.DatetimeColumn("Last article", format="YYYY-MM-DD"),
        },
    )
    common.csv_download(
        view.profiles,
        common.filename("profiles_by", by),
        key="dl_profiles",
        about=common.about(sel, f"stories covered and first to publish, by {by}"),
    )


def _terms() -> None:
    d1, d2 = st.columns(2)
    own = state.selectbox(d1, by.capitalize(), list(values), key="term_outlet", default=values[0])
    against = state.selectbox(
        d2,
        "Against",
        ["all the others", *[v for v in values if v != own]],
        key="term_against",
        default=next((v for v in view.compared if v != own), "all the others"),  # the other one compared
    )
    scope = view.months if view.common_only else ()
    terms = ask(outlets.distinctive_terms, sel, own, None if against == "all the others" else against, by, months=scope)
    if terms.table.empty:
        st.caption("Too little text to find distinctive terms.")
    else:
        st.dataframe(
            terms.table,
            hide_index=True,
            width="stretch",
            column_config={
                "term": "Term",
                "count_a": f"Uses by {own}",
                "count_b": f"Uses by {terms.against}",
                "log_odds": st.column_config.NumberColumn("Log-odds ratio", format="%.2f"),
                "z": st.column_config.NumberColumn("z", format="%.1f"),
                "significant": "Significant",
            },
        )
        st.caption(
            common.plain(
                "Weighted log-odds with an informative Dirichlet prior (Monroe et al. 2008), from the headline and "
                "lead of "
                f"{terms.sampled[0]:,} articles of {own} and {terms.sampled[1]:,} of {terms.against} (at most 600 a "
                "side); "
                "significant: Benjamini–Hochberg 5% across the terms tested."
                + (" Only the months every one of them covers, as above." if scope else "")
                + (" The sidebar's outlet choice does not apply here." if by == "outlet" else "")
            )
        )
        common.csv_download(
            terms.table,
            common.filename("distinctive_terms", own, "vs", terms.against),
            key="dl_terms",
            about=common.about(sel, f"terms {own} uses more than {terms.against}"),
        )


def _gaps() -> None:
    if opts.fitted and len(view.compared) >= 2 and (not view.common_only or months):
        a, b = view.compared[0], view.compared[1]
        st.subheader(common.plain(f"Coverage gaps: {a} against {b}"))
        gaps = view.gaps
        if gaps.empty:
            st.caption(f"No {key} with enough articles in these two.")
        else:
            sig = gaps[gaps["significant"]]
            st.caption(
                f"{len(sig)} of {len(gaps)} {key}s differ significantly. {stats.note(len(gaps))} Positive z: "
                f"{common.plain(a)} gives the {key} a bigger share of its coverage."
            )
            show_all = state.toggle(st, f"Also list {key}s whose difference is not significant", key="all_gaps")
            listed = gaps if show_all else sig
            st.dataframe(
                listed.assign(significant=listed["significant"].map({True: "yes", False: "no"})),
                hide_index=True,
                width="stretch",
                column_config={
                    key: f"{key.capitalize()} id",
                    f"{key}_label": key.capitalize(),
                    "articles_a": f"Articles, {a}",
                    "articles_b": f"Articles, {b}",
                    "share_a": st.column_config.NumberColumn(f"Share, {a}", format="percent"),
                    "share_b": st.column_config.NumberColumn(f"Share, {b}", format="percent"),
                    "difference": st.column_config.NumberColumn("Difference", format="percent"),
                    "z": st.column_config.NumberColumn("z", format="%.1f"),
                    "p_value": st.column_config.NumberColumn("p", format="%.2g"),
                    "q_value": st.column_config.NumberColumn("q (corrected)", format="%.2g"),
                    "significant": "Significant",
                },
            )
            common.csv_download(
                gaps,
                common.filename("coverage_gaps", a, "vs", b, key),
                key="dl_gaps",
                about=common.about(sel, f"each {key}'s share of each side's articles"),
            )
    elif not opts.fitted:
        st.info("Fit topics (Collect page or `python -m analysis fit`) to compare coverage gaps.")
    else:
        st.info("Pick two outlets (or groups) with months in common to compare which topics one covers more.")


PARTS = [
    ("Volume", _volume),
    ("Topics" if key == "topic" else "Themes", _topics),
    ("Who was first", _first),
    ("Distinctive terms", _terms),
    ("Coverage gaps", _gaps),
]
state.tabbed(st, PARTS, key="view")
common.methods()
