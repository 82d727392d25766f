"""Entities: the people, organisations and places the selection names most, and one entity's coverage: its share
of all coverage over time, which outlets (or bias groups, countries) name it more or less than the others within
the selection, who is named with it, and the articles."""

from __future__ import annotations

import streamlit as st

from analysis.errors import NewsError
from analysis.explore import entities, quotes, stats
from analysis.explore.corpus import Options
from ui import charts, common, sidebar, state
from ui.ask import ask
from ui.edits import edit

KINDS = {"all": None, "people": "person", "organisations": "organisation", "places": "place"}
GROUPS = {"outlets": "outlet", "bias groups": "bias", "countries": "country"}

sel = common.begin("People, organisations and places")
options = sidebar.options()
if options is None or not options.entities:
    st.info("No entities yet: they are found when the pipeline runs (Collect page, or `python -m analysis fit`).")
    st.stop()
opts: Options = options
kind = state.radio(st, "Show", list(KINDS), key="kind", default="all", horizontal=True, format_func=str.capitalize)
top = ask(entities.top, sel, KINDS[kind], 100)
if top.table.empty:
    common.no_match(sel)
st.caption(
    f"Counted: articles of the selection whose headline or first paragraphs name the entity; share: of the "
    f"selection's {top.of:,} articles. Names are merged across forms (Obama, Barack Obama, President Obama). "
    "Select a row to see one entity."
)
event = st.dataframe(
    top.table.drop(columns=["entity_id"]),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="entity_table",
    height=360,
    column_config={
        "name": st.column_config.TextColumn("Name", width="medium"),
        "kind": "Kind",
        "articles": st.column_config.NumberColumn("Articles", help="Articles of the selection naming it"),
        "mentions": st.column_config.NumberColumn("Mentions", help="Times named in those articles"),
        "share": st.column_config.ProgressColumn(
            "Share of the selection",
            format="percent",
            min_value=0,
            max_value=float(max(top.table["share"].max(), 1e-9)),
            help=f"Of the selection's {top.of:,} articles",
        ),
        "outlets": st.column_config.NumberColumn("Outlets", help="Outlets of the selection naming it"),
    },
)
common.csv_download(
    top.table,
    "entities.csv",
    key="dl_entities",
    about=common.about(sel, f"articles naming each, share of the selection's {top.of:,}"),
)
rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
if rows:
    state.set_control("entity", int(top.table.iloc[rows[0]]["entity_id"]))

picked = next(iter(state.url_values("entity")), None)
if picked is None:
    st.stop()
entity = int(picked) if picked.lstrip("-").isdigit() else -1
g1, g2 = st.columns(2)
groups = [
    g
    for g, col in GROUPS.items()
    if col == "outlet" or (col == "bias" and opts.biases) or (col == "country" and opts.countries)
]
group_label = state.radio(
    g1,
    "Compare",
    groups,
    key="entity_by",
    default="outlets",
    horizontal=True,
    help="Which outlets, bias groups or countries name it more or less than the others.",
)
group = GROUPS[group_label]
per_group = state.toggle(
    g2,
    "One line per outlet (the six with most articles)" if group == "outlet" else f"One line per {group}",
    key="per_outlet",
)
found = ask(entities.entity_coverage, sel, entity, group, None, per_group)
if found is None:
    st.warning(f"There is no entity {picked!r} in this store; entities are regrouped when the pipeline runs.")
    st.stop()
info: entities.EntityCoverage = found
st.header(f"{common.plain(info.name)} ({info.kind})")
st.caption(common.plain("Named as: " + ", ".join(info.aliases[:12])))
m1, m2, m3 = st.columns(3)
m1.metric(
    "Articles naming it",
    f"{info.in_selection.count:,}",
    help=f"{info.in_selection.text()}. The sidebar's Mentions filter does not apply here: it is the subject.",
)
m2.metric(
    "Of the selection",
    f"{info.in_selection.value:.1%}" if info.in_selection.total else "–",
    help=info.in_selection.text(),
)
m3.metric(
    "Of all coverage",
    f"{info.of_coverage.value:.1%}" if info.of_coverage.total else "–",
    help=info.of_coverage.text() + " (the sidebar's dates, outlets, bias and country, no topic, search or "
    "mention narrowing it).",
)


def _over_time() -> None:
    over = info.over_time
    facet = group if per_group else None
    common.chart(
        charts.attention_chart(
            over, value="share", facet=facet, title=f"{info.name}: share of all coverage per {over.period}"
        ),
        key="entity_time",
        table=over.table,
        name=common.filename("entity", entity, info.name, "per", over.period, facet and f"by_{facet}"),
        about=common.about(sel.but(mentions=()), over.measure),
    )
    st.caption(
        "Each point: the selection's articles naming it as a share of all articles that period from the same "
        f"{facet or 'outlets'}, with both counts in the table; a period without articles is a gap, "
        "not a zero."
    )
    common.notes(over.notes)


def _by_group() -> None:
    compared = info.by_group
    total = f"{group}_total"
    shown = compared.assign(verdict=compared["significant"].map({True: "significant", False: "not significant"}))
    st.dataframe(
        shown.drop(columns=["significant"]),
        hide_index=True,
        width="stretch",
        column_config={
            group: group.capitalize(),
            "articles": "Articles naming it",
            total: st.column_config.NumberColumn("Its articles in the selection"),
            "share": st.column_config.NumberColumn("Share of its articles", format="percent"),
            "others_share": st.column_config.NumberColumn("Share of the others' articles", format="percent"),
            "ratio": st.column_config.NumberColumn("Ratio", format="%.2f", help="Over 1: names it more often"),
            "z": st.column_config.NumberColumn("z", format="%.2f"),
            "p_value": None,
            "q_value": st.column_config.NumberColumn("q (corrected p)", format="%.3f"),
            "verdict": "Test",
        },
    )
    st.caption(
        stats.note(len(compared)) + f" Each {group}'s share is of its own articles in the selection (under a topic "
        "filter: its articles on the topic), against all the others' together."
    )
    common.csv_download(
        compared,
        common.filename("entity", entity, "by", group),
        key="dl_entity_outlets",
        about=common.about(sel.but(mentions=()), f"articles naming {info.name}, share of each {group}'s"),
    )


def _named_with() -> None:
    co = info.co
    if co.empty:
        st.caption("No other entity is named in its articles of the selection.")
    else:
        ev = st.dataframe(
            co.drop(columns=["entity_id"]),
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key="co_table",
            column_config={
                "together": "Articles naming both",
                "share": st.column_config.NumberColumn("Share of its articles", format="percent"),
                "lift": st.column_config.NumberColumn(
                    "Lift", format="%.1f", help="How much likelier than in the selection as a whole"
                ),
            },
        )
        picked_rows = ev.selection.rows if ev is not None and hasattr(ev, "selection") else []
        if picked_rows:
            state.set_control("entity", int(co.iloc[picked_rows[0]]["entity_id"]))
            st.rerun()


def _articles() -> None:
    common.article_table(info.articles, key="entity_articles")


def _quoted() -> None:
    said = ask(quotes.quoted, sel.but(mentions=()), entity)
    if said.table.empty:
        st.info(f"{info.name} is not quoted directly by name in the selection's articles.")
        return
    row = said.table.iloc[0]
    n, k = int(row["articles"]), int(row["outlets"])
    st.markdown(
        f"Quoted in **{n:,}** article{'s' if n != 1 else ''} of the selection, by {k} outlet{'s' if k != 1 else ''}: "
        + common.plain(row["by"])
        + "."
    )
    st.caption(quotes.NOTE)
    st.text(f"For example: “{row['example']}”")


def _rename() -> None:
    c1, c2 = st.columns(2)
    new_name = c1.text_input("New name", value=info.name, key="entity_new_name")
    if c1.button("Rename", key="entity_rename"):
        try:
            st.success(edit("entity", "rename", entity, new_name))
        except NewsError as exc:
            st.error(str(exc))
    others = {e: n for e, n, _ in opts.entities if e != entity}
    into = c2.selectbox(
        "Merge into",
        list(others),
        format_func=lambda e: others.get(e, str(e)),
        index=None,
        key="entity_merge_into",
        placeholder="Choose an entity",
    )
    if c2.button("Merge", key="entity_merge", disabled=into is None) and into is not None:
        try:
            st.success(edit("entity", "merge", entity, int(into)))
            state.set_control("entity", int(into))
        except NewsError as exc:
            st.error(str(exc))
    st.caption("A merge can be undone with `python -m analysis entities unmerge ID`.")


PARTS = [
    ("Over time", _over_time),
    ("Who names it more", _by_group),
    ("Named with it", _named_with),
    ("Its articles", _articles),
    ("Quoted", _quoted),
    ("Rename or merge", _rename),
]
state.tabbed(st, PARTS, key="part")
