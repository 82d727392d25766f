"""Blindspots: stories, topics and people covered by fewer left- or right-rated outlets than the corpus's own
mix would give, by a test (not a fixed share), with each one's coverage bar."""

from __future__ import annotations

import streamlit as st

from analysis.explore import blindspots as blind
from analysis.explore.results import plural
from ui import common, sidebar, state
from ui.ask import ask

sel = common.begin("Blindspots")
opts = sidebar.options()
if opts is None or not opts.biases:
    st.info(
        "Blindspots need outlets with a bias rating (left, center, right), and no outlet in this store has one. "
        "Add ratings under “Outlets: countries and bias ratings” on the Collect page, or with "
        "`python -m analysis outlets import FILE.csv` (columns name, bias, country) or "
        "`python -m analysis outlets set NAME --bias Left`."
    )
    st.stop()
noun = sel.unit
what = state.radio(
    st,
    "Look at",
    ["stories", "topics", "entities"],
    key="what",
    default="stories",
    horizontal=True,
    format_func=lambda w: {"entities": "People, organisations, places", "topics": f"{noun.capitalize()}s"}.get(
        w, w.capitalize()
    ),
)
unit = "outlets" if what == "stories" else "articles"
NOUNS: dict[str, tuple[str, str | None]] = {
    "stories": ("story", "stories"),
    "topics": (noun, None),
    "entities": ("name", None),
}
default = blind.MIN_OUTLETS if what == "stories" else blind.MIN_ARTICLES
minimum = state.number_input(
    st, f"Test only those with at least this many rated {unit}", 3, 500, key=f"min_{what}", default=default
)
if what == "topics" and not opts.fitted:
    st.info("Fit topics first (Collect page, or `python -m analysis fit`).")
    st.stop()
found = ask(blind.blind_spots, sel, what, int(minimum))
mix_text = ", ".join(f"{s} {v:.0%}" for s, v in found.mix.items() if v == v) or "no rated coverage"
st.caption(
    f"Tested: for each of the {plural(found.tests, 'comparison')}, whether that few of the side's {unit} is likely by "
    f"chance given the mix of rated {unit} at the time (all of them here: {mix_text}; each "
    f"{'story against the stories of its month' if what == 'stories' else 'article against the articles of its month'}"
    ", so a side whose outlets were not publishing then is not expected to cover it): a one-sided binomial test, "
    "Benjamini-Hochberg "
    f"corrected across all of them (false discovery rate 5%). Only those with at least {int(minimum)} rated "
    f"{unit} are tested: with fewer, even none of one side is likely by chance"
    + (f" ({plural(found.untested, *NOUNS[what])} had too few and were not tested)" if found.untested else "")
    + ". Outlets without a bias rating are left out of the split."
    + (
        " People, organisations and places count the articles naming them in the headline or lead: a place one side"
        " names less often can be a matter of style (writing “Washington” for the government) rather than of"
        " coverage."
        if what == "entities"
        else ""
    )
)
table = found.table
if table.empty:
    st.info(
        f"Nothing has {int(minimum)} or more rated {unit} in the selection; lower the minimum or widen the filters."
    )
    st.stop()
significant = table[table["significant"]]
if significant.empty:
    one = {"stories": "story", "topics": noun, "entities": "person, organisation or place"}[what]
    st.success(
        f"No {one} is covered by significantly fewer of one side "
        "than the mix would give. The closest candidates are listed below (not significant)."
    )
    shown = table.head(20)
else:
    st.write(f"{len(significant):,} found (ticked in the Significant column); the rows after them are not.")
    shown = table.head(max(len(significant), 20))
label = {"stories": "title", "topics": f"{noun}_label", "entities": "name"}[what]
cols = {
    label: st.column_config.TextColumn({"title": "Story", "name": "Name"}.get(label, noun.capitalize()), width="large"),
    "missing": st.column_config.TextColumn("Few from", help="The side with fewer than the mix would give"),
    "rated": st.column_config.NumberColumn(f"Rated {unit}"),
    "count": st.column_config.NumberColumn("Of that side"),
    "share": st.column_config.NumberColumn("Its share", format="percent"),
    "expected": st.column_config.NumberColumn(
        "Share in the mix", format="percent", help="The side's share of rated coverage in the months it was covered"
    ),
    "p_value": st.column_config.NumberColumn("p", format="%.4f"),
    "q_value": st.column_config.NumberColumn("q (corrected)", format="%.4f"),
    "significant": st.column_config.CheckboxColumn("Significant"),
    "coverage": st.column_config.TextColumn("Coverage by side"),
}
hidden = {"story_id", "topic", "theme", "entity_id", "first_published", "kind"} & set(shown.columns)
event = st.dataframe(
    shown.drop(columns=list(hidden)),
    hide_index=True,
    column_order=[
        label,
        "missing",
        "significant",
        "share",
        "expected",
        "q_value",
        "rated",
        "count",
        "p_value",
        "coverage",
    ],
    width="stretch",
    column_config=cols,
    on_select="rerun",
    selection_mode="single-row",
    key=f"blind_{what}",
)
common.csv_download(
    table,
    common.filename("blindspots", what if what != "topics" else f"{noun}s"),
    key="dl_blind",
    about=common.about(sel, f"rated {unit} by side, one-sided binomial test against the mix of their months"),
)
rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
if rows:
    pick = shown.iloc[rows[0]]
    if what == "stories":
        state.goto(common.STORY_PAGE, story=int(pick["story_id"]))
    elif what == "topics" and noun == "topic":
        state.goto(common.TOPIC_PAGE, topic=int(pick["topic"]))
    elif what == "entities":
        state.goto(common.ENTITY_PAGE, entity=int(pick["entity_id"]))
st.caption("Select a row to open it.")
