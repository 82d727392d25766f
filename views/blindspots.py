"""Blindspots: stories, topics and people covered by fewer left- or right-rated outlets than the corpus's own
mix would give, by a test (not a fixed share), with each one's coverage bar."""

from __future__ import annotations

import streamlit as st

from analysis.explore import blindspots as blind
from ui import common, data, sidebar, state, view_data

filters = sidebar.filters()
st.title("Blindspots")
version = common.require_articles()
path = data.store_path()
what = state.radio(st, "Look at", ["stories", "topics", "entities"], key="what", default="stories", horizontal=True,
                   format_func=lambda w: {"entities": "People, organisations, places"}.get(w, w.capitalize()))  # fmt: skip
unit = "outlets" if what == "stories" else "articles"
default = blind.MIN_OUTLETS if what == "stories" else blind.MIN_ARTICLES
minimum = state.number_input(st, f"Test only those with at least this many rated {unit}", 3, 500,
                             key=f"min_{what}", default=default)  # fmt: skip
if what == "topics":
    common.require_fit(version)
found = view_data.blindspots(path, version, filters, what, int(minimum))
mix = found.attrs.get("mix", {})
mix_text = ", ".join(f"{s} {v:.0%}" for s, v in mix.items() if v == v) or "no rated coverage"
st.caption(
    f"Tested: for each of the {found.attrs.get('tests', 0):,} comparisons, whether that few of the side's {unit} is "
    f"likely by chance given the mix of all rated {unit} here ({mix_text}): a one-sided binomial test, Benjamini-"
    f"Hochberg corrected across all of them (false discovery rate 5%). Only those with at least {int(minimum)} rated "
    f"{unit} are tested: with fewer, even none of one side is likely by chance. Outlets without a bias rating "
    "are left out of the split."
)
if found.empty:
    st.info(
        f"Nothing has {int(minimum)} or more rated {unit} in the selection; lower the minimum or widen the filters."
    )
    st.stop()
significant = found[found["significant"]]
if significant.empty:
    one = {"stories": "story", "topics": "topic", "entities": "person, organisation or place"}[what]
    st.success(f"No {one} is covered by significantly fewer of one side "
               "than the mix would give. The closest candidates are listed below (not significant).")  # fmt: skip
    shown = found.head(20)
else:
    st.write(f"{len(significant):,} found; the rows below the line are not significant.")
    shown = found.head(max(len(significant), 20))
label = {"stories": "title", "topics": "topic_label", "entities": "name"}[what]
cols = {
    label: st.column_config.TextColumn({"title": "Story", "topic_label": "Topic", "name": "Name"}[label],
                                       width="large"),
    "missing": st.column_config.TextColumn("Few from", help="The side with fewer than the mix would give"),
    "rated": st.column_config.NumberColumn(f"Rated {unit}"), "count": st.column_config.NumberColumn("Of that side"),
    "share": st.column_config.NumberColumn("Its share", format="percent"),
    "expected": st.column_config.NumberColumn("Share in the mix", format="percent"),
    "p_value": st.column_config.NumberColumn("p", format="%.4f"),
    "q_value": st.column_config.NumberColumn("q (corrected)", format="%.4f"),
    "significant": st.column_config.CheckboxColumn("Significant"),
    "coverage": st.column_config.TextColumn("Coverage by side"),
}  # fmt: skip
hidden = {"story_id", "topic", "entity_id", "first_published", "kind"} & set(shown.columns)
event = st.dataframe(shown.drop(columns=list(hidden)), hide_index=True, width="stretch", column_config=cols,
                     on_select="rerun", selection_mode="single-row", key=f"blind_{what}")  # fmt: skip
common.csv_download(found, f"blindspots_{what}.csv", key="dl_blind")
rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
if rows:
    pick = shown.iloc[rows[0]]
    if what == "stories":
        state.goto("views/stories.py", story=int(pick["story_id"]))
    elif what == "topics" and filters.level == "topics":
        state.goto("views/topics.py", topic=int(pick["topic"]))
    else:
        state.goto(common.ENTITY_PAGE, entity=int(pick["entity_id"]))
st.caption("Select a row to open it.")
