"""Headlines: for each outlet country, the latest stories its outlets covered, with a summary, the outlets,
the coverage bar by side and where the country's best-placed outlet on the story ranks."""

from __future__ import annotations

import streamlit as st

from analysis.explore.headlines import country_name
from ui import common, data, sidebar, state, view_data

filters = sidebar.filters()
st.title("Headlines")
version = common.require_articles()
path = data.store_path()
per_country = state.slider(st, "Stories per country", 3, 30, key="per_country", default=8)
found = view_data.headlines(path, version, filters, int(per_country))
if not found:
    st.info("No headlines: they need stories covered by two or more outlets (made when the pipeline runs) and "
            "outlets with a country (Collect page, or `python -m analysis outlets set NAME --country US`).")  # fmt: skip
    st.stop()
st.caption("Stories are events covered by two or more outlets, newest first (their first article's date). Ranks: "
           "outlets of each country ordered by how many stories they covered in the selection.")  # fmt: skip
for code, table in found.items():
    name = country_name(code)
    st.header(f"{name} latest news, {name} headlines")
    for r in table.itertuples():
        with st.container(border=True):
            st.markdown(f"**{common.plain(r.title)}**")
            when = str(r.first_published or "")[:10]
            st.caption(common.plain(f"{when} · {r.outlets} outlets · {r.coverage} · {r.rank_text}"))
            if r.summary:
                st.text(r.summary[:600] + ("…" if len(r.summary) > 600 else ""))
            if st.button("Open the story", key=f"open_{code}_{r.story_id}"):
                state.goto("views/stories.py", story=int(r.story_id))
    common.csv_download(table, f"headlines_{code}.csv", key=f"dl_headlines_{code}")
