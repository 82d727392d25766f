"""Entities: the people, organisations and places the selection names most, and one entity's coverage:
its share of all coverage over time, which outlets name it more or less than the others, who is named
with it, and the articles."""

from __future__ import annotations

import streamlit as st

from analysis.errors import NewsError
from analysis.explore import stats
from ui import charts, common, data, entity_data, sidebar, state

KINDS = {"all": None, "people": "person", "organisations": "organisation", "places": "place"}

filters = sidebar.filters()
st.title("People, organisations and places")
version = common.require_articles()
path = data.store_path()
table = data.entity_table(path, version)
if table.empty:
    st.info("No entities yet: they are found when the pipeline runs (Collect page, or `python -m analysis fit`).")
    st.stop()
kind = state.radio(st, "Show", list(KINDS), key="kind", default="all", horizontal=True, format_func=str.capitalize)
top = entity_data.top(path, version, filters, KINDS[kind], 100)
if top.empty:
    common.no_match()
else:
    st.caption(
        f"Counted: articles of the selection whose headline or first paragraphs name the entity; share: of the "
        f"selection's {len(data.assignments(path, version, filters)):,} articles. Names are merged across forms "
        "(Obama, Barack Obama, President Obama). Select a row to see one entity."
    )
    event = st.dataframe(
        top.drop(columns=["entity_id"]), hide_index=True, width="stretch", on_select="rerun",
        selection_mode="single-row", key="entity_table", height=360,
        column_config={
            "name": st.column_config.TextColumn("Name", width="medium"), "kind": "Kind",
            "articles": st.column_config.NumberColumn("Articles", help="Articles of the selection naming it"),
            "mentions": st.column_config.NumberColumn("Mentions", help="Times named in those articles"),
            "share": st.column_config.ProgressColumn("Share of the selection", format="percent", min_value=0,
                                                     max_value=float(max(top["share"].max(), 1e-9))),
            "outlets": st.column_config.NumberColumn("Outlets", help="Outlets of the selection naming it"),
        },
    )  # fmt: skip
    common.csv_download(top, "entities.csv", key="dl_entities")
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        state.set_control("entity", int(top.iloc[rows[0]]["entity_id"]))

picked = next(iter(state.url_values("entity")), None)
if picked is None:
    st.stop()
try:
    entity = int(picked)
except ValueError:
    entity = -1
per_outlet = state.toggle(st, "One line per outlet (the six with most articles)", key="per_outlet")
info = entity_data.detail(path, version, entity, filters, None, per_outlet)
if not info:
    st.warning(f"There is no entity {picked!r} in this store; entities are regrouped when the pipeline runs.")
    st.stop()
row = info["row"]
st.header(f"{common.plain(row['name'])} ({row['kind']})")
st.caption(common.plain("Named as: " + ", ".join(row["aliases"][:12])))
m1, m2, m3 = st.columns(3)
m1.metric("Articles in the selection", f"{info['in_selection']:,}",
          help=f"Of the selection's {info['selection']:,} articles.")  # fmt: skip
share = info["in_all"] / info["all"] if info["all"] else 0.0
m2.metric("Share of all coverage", f"{share:.1%}",
          help=f"{info['in_all']:,} of the {info['all']:,} articles from the sidebar's dates, outlets, bias and "
          "country (its topics, mentions and search do not narrow this base).")  # fmt: skip
m3.metric("Outlets naming it", int((info["by_outlet"]["articles"] > 0).sum()) if len(info["by_outlet"]) else 0)
over = info["over_time"]
common.chart(charts.attention_chart(over, value="share", facet="outlet" if per_outlet else None), key="entity_time",
             table=over, filename=f"entity_{entity}_over_time.csv")  # fmt: skip
st.caption("Each point: articles naming it as a share of all articles that period from the same outlets, with both "
           "counts in the table; a period without articles from those outlets is a gap, not a zero.")  # fmt: skip
common.period_notes(over, per_outlet)

st.subheader("Which outlets name it more, or less, than the others")
outlets = info["by_outlet"]
shown = outlets.assign(verdict=outlets["significant"].map({True: "significant", False: "not significant"}))
st.dataframe(shown.drop(columns=["significant"]), hide_index=True, width="stretch", column_config={
    "articles": "Articles naming it", "outlet_total": "Outlet's articles",
    "share": st.column_config.NumberColumn("Share of the outlet", format="percent"),
    "others_share": st.column_config.NumberColumn("Share of the other outlets", format="percent"),
    "ratio": st.column_config.NumberColumn("Ratio", format="%.2f", help="Over 1: this outlet names it more often"),
    "z": st.column_config.NumberColumn("z", format="%.2f"), "p_value": None,
    "q_value": st.column_config.NumberColumn("q (corrected p)", format="%.3f"), "verdict": "Test",
})  # fmt: skip
st.caption(stats.note(len(outlets)))
common.csv_download(outlets, f"entity_{entity}_outlets.csv", key="dl_entity_outlets")

st.subheader("Named in the same articles")
co = info["co"]
if co.empty:
    st.caption("No other entity is named in its articles of the selection.")
else:
    ev = st.dataframe(co.drop(columns=["entity_id"]), hide_index=True, width="stretch", on_select="rerun",
                      selection_mode="single-row", key="co_table", column_config={
                          "together": "Articles naming both",
                          "share": st.column_config.NumberColumn("Share of its articles", format="percent"),
                          "lift": st.column_config.NumberColumn("Lift", format="%.1f",
                                                                help="How much likelier than in the selection as a whole"),
                      })  # fmt: skip
    picked_rows = ev.selection.rows if ev is not None and hasattr(ev, "selection") else []
    if picked_rows:
        state.set_control("entity", int(co.iloc[picked_rows[0]]["entity_id"]))
        st.rerun()

st.subheader("Articles naming it")
common.article_table(info["articles"], key="entity_articles")

with st.expander("Rename or merge this entity"):
    c1, c2 = st.columns(2)
    new_name = c1.text_input("New name", value=str(row["name"]), key="entity_new_name")
    if c1.button("Rename", key="entity_rename"):
        try:
            st.success(entity_data.edit("rename", entity, new_name))
        except NewsError as exc:
            st.error(str(exc))
    others = {int(e): n for e, n in zip(table["entity_id"], table["name"], strict=True) if int(e) != entity}
    into = c2.selectbox("Merge into", list(others)[:2000], format_func=lambda e: others.get(e, str(e)),
                        index=None, key="entity_merge_into", placeholder="Choose an entity")  # fmt: skip
    if c2.button("Merge", key="entity_merge", disabled=into is None):
        try:
            st.success(entity_data.edit("merge", entity, int(into)))
            state.set_control("entity", int(into))
        except NewsError as exc:
            st.error(str(exc))
    st.caption("A merge can be undone with `python -m analysis entities unmerge ID`.")
