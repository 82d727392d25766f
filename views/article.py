"""Article: one article done right: summary, tags, topic, tone, outlet context, a link to the
original, and similar news from other outlets. Addressed by ?article=ID."""

from __future__ import annotations

import streamlit as st

from analysis.explore import article as articles
from analysis.explore.entities import named_in
from analysis.explore.quotes import NOTE as QUOTES_NOTE
from analysis.explore.quotes import article_quotes
from ui import common, state
from ui.ask import ask

NOTE_HELP = (
    "same story: grouped into one story with this article; related: close in meaning, not the same story; wire copy:"
    " near-identical text (cosine ≥ 0.95)"
)

common.begin(None)
article_id = next(iter(state.url_values("article")), "")
if not article_id:
    st.title("Article")
    st.info("Open an article from any table (select its row), or search for one on the Search page.")
    st.page_link("views/search.py", label="Search articles", icon=":material/search:")
    st.stop()
a = ask(articles.article, article_id)
if a is None:
    st.title("Article")
    st.warning(f"There is no article with id {article_id!r} in this store; it may have been removed.")
    st.stop()

st.title(common.plain(a.title or "(untitled)"))
where = [x for x in (a.country, f"bias: {a.bias}" if a.bias else None) if x]
rank = ""
if a.rank:
    pos, size = a.rank.split(" of ")
    rank = f" · #{pos} of {size} outlets{f' in {a.country}' if a.country else ''} by stories covered"
byline = f" · {common.plain(a.authors)}" if a.authors else ""
st.caption(
    f"**{common.plain(a.outlet)}**{' (' + common.plain(', '.join(where)) + ')' if where else ''}"
    f"{common.plain(rank)} · {common.plain(a.when)}{byline}"
)

if a.duplicate_of:
    d = a.duplicate_of
    st.info(
        common.plain(
            f"Near-duplicate of an earlier article: “{d.title}” ({d.outlet}, {(d.published or 'no date')[:10]}). "
            "Copies count for their outlet but are left out of topics, tone and stories; open the original for those."
        ),
        icon=":material/content_copy:",
    )
    if st.button("Open the original", key="open_original"):
        state.goto(common.ARTICLE_PAGE, article=d.id)
if a.copies:
    outlets = sorted({c.outlet for c in a.copies})
    st.caption(
        common.plain(
            f"Republished nearly word for word {len(a.copies)} time{'s' if len(a.copies) != 1 else ''}, by "
            f"{', '.join(outlets[:6])}" + (f" and {len(outlets) - 6} more" if len(outlets) > 6 else "") + "."
        )
    )

c1, c2, c3 = st.columns([2, 1, 1])
c1.metric("Topic", a.topic_label or "–", help="From the current topic model.")
c2.metric(
    f"Tone: {a.tone_label}" if a.tone is not None else "Tone",
    f"{a.tone:+.2f}" if a.tone is not None else (a.tone_label or "–"),
    help="-1 negative … +1 positive; read from the first 50 words of the article body.",
)
c3.metric(
    f"Headline tone: {a.headline_label}" if a.headline_tone is not None else "Headline tone",
    f"{a.headline_tone:+.2f}" if a.headline_tone is not None else "–",
)
if a.tags:
    st.pills("Tags", a.tags, key="tags", disabled=True)
common.entity_pills(ask(named_in, (article_id,)), "People, organisations and places", key="article_entities")

st.subheader("Summary")
st.caption("Summarized so you can read it quickly: the most central sentences of the article, in order.")
st.text(a.summary or "No summary yet; run the pipeline on the Collect page.")
if common.safe_link(a.url):
    st.link_button("Read more at the source", str(a.url))

said = ask(article_quotes, article_id)
st.subheader("Who is quoted")
if said.empty:
    st.caption("No direct quotation of four words or more in this article (or the pipeline has not read it yet).")
else:
    st.caption(QUOTES_NOTE)
    st.dataframe(
        said[["speaker", "quote"]].fillna({"speaker": "(not named)"}),
        hide_index=True,
        width="stretch",
        key="article_quotes",
        column_config={
            "speaker": st.column_config.TextColumn("Speaker", width="small"),
            "quote": st.column_config.TextColumn("Quotation", width="large"),
        },
    )
if a.story:
    s = a.story
    place = common.story_position(s, a.first, a.lag_hours, a.lag_days)
    st.caption(
        common.plain(
            f"Part of a story covered by {s.outlets} outlet{'s' if s.outlets != 1 else ''} in {s.articles} "
            f"article{'s' if s.articles != 1 else ''}; this one was {place}."
        )
    )
    if st.button("Open the story", key="open_story"):
        state.goto(common.STORY_PAGE, story=s.story_id)
if a.topic is not None and st.button("Open the topic", key="open_topic"):
    state.goto(common.TOPIC_PAGE, topic=a.topic.value)

st.subheader("Similar news from other outlets")
st.caption(
    "Articles of the same story come first; then related coverage (not the same story), only those close in"
    f" meaning (similarity {articles.RELATED_FLOOR:.2f} or more); each outlet once (its closest article), within two"
    " weeks of this one."
)
k = state.slider(st, "How many", 3, 20, key="how_many", default=8)
sim = ask(articles.similar, article_id, k)
if sim.note:
    st.caption(sim.note)
if sim.table.empty:
    st.info(
        "No other outlet's article within two weeks is of the same story or close enough to count as related"
        + (f" ({sim.below} are nearer, but below the similarity floor)." if sim.below else ".")
    )
else:
    table = sim.table.assign(
        note=sim.table["same_story"].map({True: "same story", False: "related"})
        + sim.table["wire_copy"].map({True: ", wire copy", False: ""})
    )
    common.article_table(
        table[["id", "outlet", "title", "published", "similarity", "note", "summary"]],
        key=f"similar_{article_id}",  # a new table per article: a selection must not carry over
        columns={**common.COMMON_COLUMNS, "note": st.column_config.TextColumn("Note", help=NOTE_HELP)},
    )
    if not sim.table["same_story"].all() and sim.below:
        st.caption(f"{sim.below} less similar articles are left out: below the floor they are rarely on the subject.")
    elif sim.table["same_story"].all():
        st.caption("No related coverage beyond this story is close enough to list.")
    common.csv_download(sim.table, common.filename("similar", article_id), key="dl_similar")

with st.expander("Full text"):
    st.text(a.text)
