"""Headlines: for each outlet country, the latest stories its outlets covered, with a summary, the outlets, the
coverage bar by side and where the country's best-placed outlet on the story ranks."""

from __future__ import annotations

import streamlit as st

from analysis.explore import headlines
from analysis.explore.sides import coverage_bar
from analysis.explore.stories import when
from ui import common, state
from ui.ask import ask

sel = common.begin("Headlines")
per_country = state.slider(st, "Stories per country", 3, 30, key="per_country", default=8)
found = ask(headlines.headlines, sel, int(per_country))
if not found.has_countries:
    st.info(
        "Headlines are grouped by the country of the outlets, and no outlet in this store has a country. Add "
        "countries under “Outlets: countries and bias ratings” on the Collect page, or with "
        "`python -m analysis outlets import FILE.csv` (columns name, country, bias) or "
        "`python -m analysis outlets set NAME --country US`."
    )
    st.stop()
if not found.countries:
    st.info(
        "No story in the selection: stories are events covered by two or more outlets, grouped when the pipeline "
        "runs (Collect page, or `python -m analysis fit`). Widen the filters."
    )
    st.stop()
st.caption(
    "Stories are events covered by two or more outlets, newest first (their first article's date). Ranks: "
    "outlets of each country ordered by how many stories they covered in the selection."
)
for country in found.countries:
    st.header(f"Covered by outlets in {headlines.with_article(country.name)}")
    for r in country.stories.itertuples():
        with st.container(border=True):
            st.markdown(f"**{common.plain(r.title)}**")
            others = [o for o in r.outlet_list if o not in r.country_outlets]
            st.caption(
                common.plain(
                    f"{when(r.first_published, r.precision)} · {r.outlets} outlet{'s' if r.outlets != 1 else ''}: "
                    f"{', '.join(r.country_outlets)}"
                    + (f"; also {', '.join(others[:6])}" if others else "")
                    + ("…" if len(others) > 6 else "")
                    + f" · {r.rank_text}"
                )
            )
            st.markdown(common.side_bar(coverage_bar(r.bias)))
            if r.summary:
                st.text(r.summary[:600] + ("…" if len(r.summary) > 600 else ""))
            if st.button("Open the story", key=f"open_{country.code}_{r.story_id}"):
                state.goto(common.STORY_PAGE, story=int(r.story_id))
    common.csv_download(
        country.stories.drop(columns=["bias"]),
        common.filename("headlines", country.code),
        key=f"dl_headlines_{country.code}",
        about=common.about(sel, "the latest stories"),
    )
