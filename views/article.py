"""Article: one article done right: summary, tags, topic, tone, outlet context, a link to the
original, and similar news from other outlets. Addressed by ?article=ID."""

from __future__ import annotations

import streamlit as st

from ui import common, data, entity_data, sidebar, state, view_data

NOTE_HELP = "wire copy: near-identical text (cosine ≥ 0.95); same story: grouped into one story with this article"

sidebar.filters()
version = common.require_articles()
path = data.store_path()
article_id = next(iter(state.url_values("article")), "")
if not article_id:
    st.title("Article")
    st.info("Open an article from any table (select its row), or search for one on the Search page.")
    st.page_link("views/search.py", label="Search articles", icon=":material/search:")
    st.stop()
a = view_data.article(path, version, article_id)
if a is None:
    st.title("Article")
    st.warning(f"There is no article with id {article_id!r} in this store; it may have been removed.")
    st.stop()

st.title(common.plain(a["title"] or "(untitled)"))
profiles = view_data.outlet_profiles(path, version, sidebar.Filters())
prof = profiles[profiles["outlet"] == a["outlet"]] if not profiles.empty else profiles
where = []
if a["country"]:
    where.append(a["country"])
if a["bias"]:
    where.append(f"bias: {a['bias']}")
rank = ""
if not prof.empty:
    p = prof.iloc[0]
    scope = f" in {a['country']}" if a["country"] else ""
    pos, size = p["rank_in_country"].split(" of ")
    rank = f" · #{pos} of {size} outlets{scope} by stories covered"
published = (a["published"] or "")[:16].replace("T", " ") or "no date"
st.caption(f"**{common.plain(a['outlet'])}**{' (' + common.plain(', '.join(where)) + ')' if where else ''}{common.plain(rank)} · {published} UTC"
           + (f" · {common.plain(a['authors'])}" if a["authors"] else ""))  # fmt: skip

if a["duplicate_of"]:
    d = a["duplicate_of"]
    st.info(
        common.plain(
            f"Near-duplicate of an earlier article: “{d['title']}” ({d['outlet']}, {(d['published'] or 'no date')[:10]}). "
            "Copies count for their outlet but are left out of topics, tone and stories; open the original for those."
        ),
        icon=":material/content_copy:",
    )
    if st.button("Open the original", key="open_original"):
        state.goto("views/article.py", article=d["id"])
if a["copies"]:
    outlets = sorted({c["outlet"] for c in a["copies"]})
    st.caption(
        common.plain(
            f"Republished nearly word for word {len(a['copies'])} time(s), by {', '.join(outlets[:6])}"
            + (f" and {len(outlets) - 6} more" if len(outlets) > 6 else "")
            + "."
        )
    )

c1, c2, c3 = st.columns([2, 1, 1])
c1.metric("Topic", a["topic_label"] or "–", help="From the current topic model.")
tone = a["sentiment"]
c2.metric(
    f"Tone: {a['sentiment_label']}" if tone is not None else "Tone",
    f"{tone:+.2f}" if tone is not None else (a["sentiment_label"] or "–"),
    help="-1 negative … +1 positive; read from the first 50 words of the article body.",
)
head = a["headline_sentiment"]
c3.metric(f"Headline tone: {a['headline_label']}" if head is not None else "Headline tone",
          f"{head:+.2f}" if head is not None else "–")  # fmt: skip
if a["tags"]:
    st.pills("Tags", a["tags"], key="tags", disabled=True)
common.entity_pills(entity_data.entities_of(path, version, (article_id,)), "People, organisations and places",
                    key="article_entities")  # fmt: skip

st.subheader("Summary")
st.caption("Summarized so you can read it quickly: the most central sentences of the article, in order.")
st.text(a["summary"] or "No summary yet; run the pipeline on the Collect page.")
if common.safe_link(a["url"]):
    st.link_button("Read more at the source", a["url"])
if a["story"]:
    s = a["story"]
    first = common.story_position(s, bool(a["first"]), a["lag_hours"], a.get("lag_days"))
    st.caption(
        common.plain(
            f"Part of a story covered by {s['outlets']} outlets in {s['articles']} articles; this one was {first}."
        )
    )
    if st.button("Open the story", key="open_story"):
        state.goto("views/stories.py", story=s["story_id"])
if a["topic"] is not None and a["topic"] >= 0 and st.button("Open the topic", key="open_topic"):
    state.goto("views/topics.py", topic=a["topic"])

st.subheader("Similar news from other outlets")
st.caption(
    "Articles of the same story come first, then the closest in meaning; each outlet once (its closest"
    " article), within two weeks of this one."
)
k = state.slider(st, "How many", 3, 20, key="how_many", default=8)
sim = view_data.similar(path, version, article_id, k)
if sim.attrs.get("note"):
    st.caption(sim.attrs["note"])
if sim.empty:
    st.info("No similar article from another outlet within two weeks (or this article has no vector yet).")
else:
    sim = sim.assign(
        note=sim["wire_copy"].map({True: "wire copy", False: ""})
        + sim["same_story"].map({True: " same story", False: ""})
    )
    common.article_table(
        sim[["id", "outlet", "title", "published", "similarity", "note", "summary"]], key="similar",
        columns={**common.COMMON_COLUMNS, "note": st.column_config.TextColumn("Note", help=NOTE_HELP)},
    )  # fmt: skip
    common.csv_download(sim.drop(columns=["note"]), f"similar_{article_id}.csv", key="dl_similar")

with st.expander("Full text"):
    st.text(a["text"])
