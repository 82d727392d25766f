"""AppTest of every analysis page on a fitted fixture store: the numbers, rows and messages a user
would check, one filter change per page, and the URL state round trip."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.store import Store
from tests.support.topic_fixtures import STORY_ROWS, topic_rows
from ui.common import plain

GOTHAM = sum(1 for r in topic_rows() + STORY_ROWS if r["outlet"] == "Gotham Gazette")


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def chart_titles(at):
    return [_title(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def values(v):
    """A plotly array from a figure spec: a list, or plotly's typed array {"dtype", "bdata"}."""
    if isinstance(v, dict) and "bdata" in v:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


def _title(spec):
    return spec["layout"].get("title", {}).get("text", "") or " ".join(
        a["text"] for a in spec["layout"].get("annotations", [])
    )


def chart(at, prefix):
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        if _title(spec).startswith(prefix):
            return spec
    raise AssertionError(f"no chart titled {prefix!r}; have {chart_titles(at)}")


@pytest.fixture(scope="module")
def topics(fitted_db):
    with Store(fitted_db, readonly=True) as s:
        return s.topics.topic_table()


def zeta_id(db, outlet="Daily Planet"):
    with Store(db, readonly=True) as s:
        return s.execute(
            "SELECT id FROM articles WHERE outlet = ? AND title LIKE 'Hurricane Zeta%'", (outlet,)
        ).fetchone()[0]


# -- Overview ------------------------------------------------------------------------------------


def test_overview_shows_topic_metrics_and_rising_falling(app, fitted_db, topics):
    at = app(fitted_db).run()
    assert not at.exception
    assert metric(at, "Topics") == str(len(topics))
    assert metric(at, "Unassigned") == "0.0%"
    assert chart(at, "Articles per week by outlet")  # the first tab; the others are not drawn until opened
    assert len(at.get("plotly_chart")) == 1
    at = app(fitted_db, view="Topics").run()
    titles = chart_titles(at)
    assert any(t.startswith("Biggest topics, latest month: 2020-06-01") for t in titles), titles
    # Non-significant changes are hidden by default and said so; asked for, they are drawn grey.
    at = app(fitted_db, view="Rising and falling topics").run()
    assert chart(at, "No topic's share changed significantly (6 compared")
    at.toggle(key="all_changes").set_value(True).run()
    rising = chart(at, "Rising and falling topics")
    assert "grey: not significant" in rising["layout"]["title"]["text"]
    bars = rising["data"][0]
    assert len(values(bars["y"])) == 6 and set(bars["marker"]["color"]) == {"#c4c4c4"}


# -- Topics --------------------------------------------------------------------------------------


def test_topics_lists_every_topic_with_sizes(app, fitted_db, topics):
    at = app(fitted_db, page="views/topics.py").run()
    assert not at.exception
    sizes = chart(at, "Articles per topic in the selection")
    assert sum(values(sizes["data"][0]["x"])) == 184
    assert "Methods" in [e.label for e in at.expander]
    at = app(fitted_db, page="views/topics.py", view="All topics").run()
    table = at.dataframe[0].value
    assert list(table["label"]) == list(topics["label"])
    assert table["size"].sum() == 184 and table["articles"].sum() == 184
    at = app(fitted_db, page="views/topics.py", view="Map").run()
    assert chart(at, "Topic map: 184 articles")["data"][0]["type"] == "scattergl"


def test_topic_detail_from_the_url(app, fitted_db, topics):
    t = topics.iloc[0]
    at = app(fitted_db, page="views/topics.py", topic=str(t["topic"])).run()
    assert not at.exception
    assert at.main.header[0].value == t["label"]
    assert metric(at, "Articles in the selection") == metric(at, "In the whole store") == f"{t['size']:,}"
    kw = chart(at, "Keywords of")
    assert kw["data"][0]["y"][-1] == t["keywords"][0]  # the top keyword is the top bar
    at = app(fitted_db, page="views/topics.py", topic=str(t["topic"]), part="Representative articles").run()
    reps = at.dataframe[0].value
    assert len(reps) >= 3 and reps["outlet"].nunique() >= 3  # representative articles span outlets


def test_topic_filter_change_narrows_the_map(app, fitted_db):
    at = app(fitted_db, page="views/topics.py", view="Map").run()
    at.multiselect(key="outlet").select("Gotham Gazette").run()
    assert not at.exception
    gotham = sum(len(values(tr["x"])) for tr in chart(at, "Topic map")["data"])
    assert gotham == GOTHAM
    assert chart(at, "Topic map")["layout"]["title"]["text"].startswith(f"Topic map: {GOTHAM} articles")


def test_rename_merge_and_hide_from_the_page_are_stored(app, fitted_copy):
    with Store(fitted_copy, readonly=True) as s:
        table = s.topics.topic_table()
    first, second = int(table.iloc[0]["topic"]), int(table.iloc[1]["topic"])
    at = app(fitted_copy, page="views/topics.py", topic=str(first), part="Edit").run()
    at.text_input(key="new_label").input("Storm season").run()
    at.button(key="rename").click().run()
    assert not at.exception
    assert at.main.header[0].value == "Storm season"
    assert "is now called “Storm season”" in at.success[0].value
    at.selectbox(key="merge_to").select(second).run()
    at.button(key="merge").click().run()
    assert not at.exception
    with Store(fitted_copy, readonly=True) as s:
        after = s.topics.topic_table()
    assert first not in set(after["topic"])  # folded into the second
    assert after.loc[after["topic"] == second, "size"].iloc[0] == table.iloc[0]["size"] + table.iloc[1]["size"]
    # Every page follows: the Overview counts one topic less.
    ov = app(fitted_copy).run()
    assert metric(ov, "Topics") == str(len(table) - 1)


def test_renaming_to_nothing_says_why(app, fitted_copy, topics):
    at = app(fitted_copy, page="views/topics.py", topic=str(topics.iloc[0]["topic"]), part="Edit").run()
    at.text_input(key="new_label").input("   ").run()
    at.button(key="rename").click().run()
    assert not at.exception
    assert at.error[0].value == "A topic label cannot be empty."


def test_unknown_topic_in_url_shows_the_list(app, fitted_db):
    at = app(fitted_db, page="views/topics.py", topic="999").run()
    assert not at.exception
    assert at.selectbox(key="topic").value is None
    assert "topic" not in at.query_params


def test_sidebar_topic_filter_round_trips_through_the_url(app, fitted_db, topics):
    t = topics.iloc[1]
    at = app(fitted_db, page="views/search.py", topics=str(t["topic"])).run()
    assert not at.exception
    assert at.multiselect(key="topics").value == [t["topic"]]
    assert f"{t['size']:,} articles match" in " ".join(c.value for c in at.caption)
    at.multiselect(key="topics").unselect(t["topic"]).run()
    assert "topics" not in at.query_params
    assert "184 articles match" in " ".join(c.value for c in at.caption)


# -- Trends --------------------------------------------------------------------------------------


def test_trends_shares_per_month_add_up(app, fitted_db):
    at = app(fitted_db, page="views/trends.py").run()
    assert not at.exception
    at.selectbox(key="period").select("month").run()
    at.radio(key="show").set_value("articles").run()
    spec = chart(at, "Topics over time (articles per month)")
    total = sum(sum(values(tr["y"])) for tr in spec["data"])
    assert total == 184
    assert chart(app(fitted_db, page="views/trends.py", view="Tone").run(), "Tone over time")


def test_trends_sidebar_bias_filter(app, fitted_db):
    at = app(fitted_db, page="views/trends.py").run()
    at.multiselect(key="bias").select("Right").run()  # Gotham Gazette only
    at.selectbox(key="period").select("month").run()
    at.radio(key="show").set_value("articles").run()
    assert not at.exception
    assert sum(sum(values(tr["y"])) for tr in chart(at, "Topics over time")["data"]) == GOTHAM


def test_trends_tone_by_outlet_has_a_band(app, fitted_db):
    at = app(fitted_db, page="views/trends.py", view="Tone").run()
    at.selectbox(key="tone_by").select("outlet").run()
    at.number_input(key="tone_min").set_value(1).run()
    assert not at.exception
    spec = chart(at, "Tone over time")
    bands = [tr for tr in spec["data"] if tr.get("fill") == "toself"]
    assert len({b["legendgroup"] for b in bands}) == 4  # a band for each outlet shown (the default picks four)
    assert {b["mode"] for b in bands} == {"lines"}  # no markers on the band edges


# -- Outlets -------------------------------------------------------------------------------------


def test_outlets_side_by_side_and_first_to_report(app, fitted_db):
    at = app(fitted_db, page="views/outlets.py", view="Who was first").run()
    assert not at.exception
    profiles = at.dataframe[0].value
    assert len(profiles) == 3  # the default: the three biggest
    at.multiselect(key="pick_outlet").select("Gotham Gazette").run()
    profiles = at.dataframe[0].value.set_index("outlet")
    assert profiles["stories"].min() >= 1
    gaps = app(fitted_db, page="views/outlets.py", view="Coverage gaps").run()
    assert "Coverage gaps" in " ".join(s.value for s in gaps.subheader)


def test_outlets_by_bias_group_compares_groups(app, fitted_db):
    at = app(fitted_db, page="views/outlets.py").run()
    at.radio(key="compare").set_value("bias").run()
    assert not at.exception
    assert at.multiselect(key="pick_bias").value == ["Left", "Right"]  # left and right, as a user expects
    spec = chart(at, "Articles per")
    assert {tr["name"] for tr in spec["data"]} == {"Left", "Right"}
    gaps = app(fitted_db, page="views/outlets.py", compare="bias", view="Coverage gaps").run()
    assert plain("Coverage gaps: Left against Right") in [s.value for s in gaps.subheader]
    first = app(fitted_db, page="views/outlets.py", compare="bias", view="Who was first").run()
    profiles = first.dataframe[0].value  # who was first, by group: the groups, not their outlets
    assert set(profiles["bias"]) == {"Left", "Right"}


def test_outlets_filter_to_nothing_says_so(app, fitted_db):
    at = app(fitted_db, page="views/outlets.py", q="zzzunknown").run()
    assert not at.exception
    assert "No article matches the filters" in at.warning[0].value


# -- Stories -------------------------------------------------------------------------------------


def test_stories_lists_the_cross_outlet_story(app, fitted_db):
    at = app(fitted_db, page="views/stories.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    top = table.iloc[0]
    assert top["outlets"] == 4
    assert set(top["outlet_list"].split(", ")) == {r["outlet"] for r in STORY_ROWS}
    assert top["bias_split"] == "Left 2, Center 1, Right 1"


def test_story_detail_from_the_url(app, fitted_db):
    with Store(fitted_db, readonly=True) as s:
        sid = s.execute("SELECT story_id FROM stories ORDER BY outlets DESC LIMIT 1").fetchone()[0]
    at = app(fitted_db, page="views/stories.py", story=str(sid)).run()
    assert not at.exception
    assert metric(at, "Outlets") == "4"
    # A day-only article (no time of day) opens the story on 9 March: first by a day, lags in whole days.
    assert metric(at, "First") == "Daily Planet"
    assert any("no time of day" in c.value for c in at.caption)
    members = next(d.value for d in at.dataframe if "outlet" in d.value.columns and "title" in d.value.columns)
    assert "lag_hours" not in members.columns
    assert list(members["lag_days"]) == [0, 1, 1, 1, 2]


def test_stories_search_filter(app, fitted_db):
    at = app(fitted_db, page="views/stories.py").run()
    at.text_input(key="q").input("election").run()
    assert not at.exception
    assert "No story matches" in at.info[0].value


# -- Article -------------------------------------------------------------------------------------


def test_article_page_by_id(app, fitted_db):
    aid = zeta_id(fitted_db)
    at = app(fitted_db, page="views/article.py", article=aid).run()
    assert not at.exception
    assert at.title[0].value == plain("Hurricane Zeta makes landfall near the coast (Daily Planet)")
    assert at.caption[0].value.startswith(
        f"**Daily Planet** ({plain('US, bias: Left')}) · {plain('#1 of 3')} outlets in US"
    )
    assert at.text[0].value.startswith("Hurricane Zeta made landfall")  # the summary, as text
    tone = next(m for m in at.metric if m.label.startswith("Tone: "))
    assert tone.label.removeprefix("Tone: ") in {"negative", "neutral", "positive"}
    assert -1 <= float(tone.value) <= 1
    similar = at.dataframe[0].value
    assert "Daily Planet" not in set(similar["outlet"])
    assert {"Gotham Gazette", "Star City Star", "Metropolis Mirror"} <= set(similar["outlet"])
    assert similar["similarity"].is_monotonic_decreasing or similar["note"].str.contains("same story").any()


def test_article_with_unknown_id_says_so(app, fitted_db):
    at = app(fitted_db, page="views/article.py", article="nope").run()
    assert not at.exception
    assert "There is no article with id 'nope'" in at.warning[0].value


def test_article_text_is_never_rendered_as_html(app, fitted_copy):
    with Store(fitted_copy) as s:
        s.execute(
            "UPDATE articles SET text = '<script>alert(1)</script><b>bold</b> body' WHERE id = ?",
            (zeta_id(fitted_copy),),
        )
        s.bump_version()
    at = app(fitted_copy, page="views/article.py", article=zeta_id(fitted_copy)).run()
    assert not at.exception
    assert any(t.value == "<script>alert(1)</script><b>bold</b> body" for t in at.text)
    assert all("<script>" not in m.value for m in at.markdown)


def test_markdown_in_a_title_is_shown_literally(app, fitted_copy):
    aid = zeta_id(fitted_copy)
    with Store(fitted_copy) as s:
        s.execute(
            "UPDATE articles SET title = '[Click](https://evil.example) **now** <img src=x>' WHERE id = ?", (aid,)
        )
        s.bump_version()
    at = app(fitted_copy, page="views/article.py", article=aid).run()
    assert not at.exception
    assert at.title[0].value == r"\[Click\]\(https\://evil\.example\) \*\*now\*\* \<img src=x\>"


def test_near_duplicate_copy_points_to_its_original_and_back(app, fitted_copy):
    original = zeta_id(fitted_copy)
    with Store(fitted_copy) as s:
        s.execute(
            "INSERT INTO articles(id, url, canonical_url, title, text, outlet, outlet_domain, published, collected,"
            " authors, language, content_hash, extra, import_id, duplicate_of)"
            " SELECT 'copy0000000000ab', url || '?wire', canonical_url || '?wire', title, text || ' (AP)',"
            " 'Coast Courier', 'courier.example', published, collected, authors, language, content_hash || 'x',"
            " extra, import_id, id FROM articles WHERE id = ?",
            (original,),
        )
        s.bump_version()
    at = app(fitted_copy, page="views/article.py", article="copy0000000000ab").run()
    assert not at.exception
    assert at.info[0].value.startswith(plain("Near-duplicate of an earlier article: “Hurricane Zeta makes landfall"))
    assert plain("Daily Planet") in at.info[0].value
    at.button(key="open_original").click().run()
    assert at.query_params["article"] == original
    back = app(fitted_copy, page="views/article.py", article=original).run()
    assert any(c.value == plain("Republished nearly word for word 1 time, by Coast Courier.") for c in back.caption)


# -- Search --------------------------------------------------------------------------------------


def test_search_counts_sorts_and_exports(app, fitted_db):
    at = app(fitted_db, page="views/search.py", q="zeta").run()
    assert not at.exception
    assert "4 articles match" in " ".join(c.value for c in at.caption)
    at.selectbox(key="sort").select("newest").run()
    results = at.dataframe[0].value
    assert results["outlet"].iloc[0] == "Metropolis Mirror"  # published last
    assert list(results.columns[:4]) == ["title", "outlet", "published", "topic_label"]


def test_search_outlet_filter_and_nothing_found(app, fitted_db):
    at = app(fitted_db, page="views/search.py", q="zeta").run()
    at.multiselect(key="outlet").select("Star City Star").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 1
    at.text_input(key="q").input("zzzunknown").run()
    assert "No article matches the filters" in at.warning[0].value


# -- Collect -------------------------------------------------------------------------------------


def test_collect_page_collects_a_feed_and_lists_failures(app, fixture_db_copy, monkeypatch):
    from tests.support.newssite import NewsServer, Site

    monkeypatch.setenv("NEWS_COLLECT_ALLOW_HOSTS", "localhost")  # the child process inherits it
    server = NewsServer(Site("Harbour Herald"), host_name="localhost")
    try:
        at = app(fixture_db_copy, page="views/collect.py").run()
        assert not at.exception
        at.text_area(key="collect_feeds").input(server.url("/feed.xml"))
        at.text_area(key="collect_urls").input(f"{server.url('/gone')}\nftp://files.example/a.txt\nnot a url").run()
        at.button(key="do_collect").click().run(timeout=120)
        assert not at.exception, at.exception
        said = at.warning[0].value  # stored, but not everything: not a plain success
        assert "Fetched 6 pages; stored 6 new articles (0 of them near-duplicates" in said and "3 failed" in said
        failures = at.dataframe[0].value
        assert sorted(failures["reason"]) == ["HTTP 404", "not a web address", "unsupported scheme"]
        assert not any(failures["url"].str.startswith("https://not"))  # the line as typed, not made an address
        runs = at.dataframe[-1].value
        assert runs["stored"].iloc[0] == 6
    finally:
        server.close()
    with Store(fixture_db_copy) as s:
        assert s.execute("SELECT count(*) FROM articles WHERE outlet = 'Harbour Herald'").fetchone()[0] == 6


def test_collect_page_reads_saved_pages(app, fixture_db_copy, tmp_path):
    from tests.support.newssite import article_page, paragraphs

    at = app(fixture_db_copy, page="views/collect.py").run()
    at.button(key="do_collect").click().run()  # nothing pasted yet
    assert "Paste at least one feed" in at.warning[0].value
    from datetime import UTC, datetime

    html = article_page(
        "Saved Gazette",
        "Council approves housing plan",
        paragraphs(7, "Saved Gazette"),
        datetime(2026, 11, 1, tzinfo=UTC),
        canonical="https://savedgazette.example/housing",
    )
    code, _, summary = __import__("ui.runs", fromlist=["run_collect"]).run_collect(
        str(fixture_db_copy), [], [], html=[_write(tmp_path / "page.html", html)]
    )
    assert code == 0 and summary["stored"] == 1


def _write(path, text):
    path.write_text(text)
    return path


def test_data_page_shows_pipeline_state(app, fitted_db):
    at = app(fitted_db, page="views/collect.py").run()
    assert not at.exception
    assert metric(at, "Articles") == "184"
    assert metric(at, "Placed by the topic model") == "184"
    with Store(fitted_db, readonly=True) as s:
        outliers = s.execute(
            "SELECT count(*) FROM article_topics WHERE topic < 0 AND fit_id = (SELECT CAST(value AS INTEGER) FROM meta"
            " WHERE key = 'active_fit')"
        ).fetchone()[0]
    said = next(c.value for c in at.caption if "not placed yet" in c.value)
    assert said.startswith("0 articles are not placed yet") and f"{outliers:,} placed ones are in no topic" in said
    history = next(d.value for d in at.dataframe if "stored" in d.value.columns)
    assert history["stored"].iloc[0] == 184


def test_pages_before_a_fit_explain_how_to_fit(app, fixture_db):
    for page in ("views/topics.py", "views/trends.py"):
        at = app(fixture_db, page=page).run()
        assert not at.exception
        assert "No topic model yet" in at.info[0].value


@pytest.mark.parametrize(
    "page",
    [
        "views/topics.py",
        "views/trends.py",
        "views/outlets.py",
        "views/stories.py",
        "views/article.py",
        "views/search.py",
        "views/entities.py",
        "views/blindspots.py",
        "views/headlines.py",
    ],
)
def test_every_page_on_an_empty_store(app, tmp_path, page):
    at = app(tmp_path / "empty.db", page=page).run()
    assert not at.exception
    assert "holds no articles yet" in at.info[0].value


def test_pipeline_job_reports_up_to_date(fitted_copy):
    from ui.runs import run_pipeline

    code, messages = run_pipeline(str(fitted_copy), update=True)
    assert code == 0
    assert "no new articles" in messages.lower() or "up to date" in messages.lower()


def test_outlet_metadata_from_the_collect_page_is_imported_in_a_child_run(fitted_copy, tmp_path, monkeypatch):
    from analysis.store import Store
    from ui import data
    from ui.edits import edit_outlets
    from ui.runs import run_outlet_import

    good = tmp_path / "outlets.csv"
    good.write_text("name,country,bias\nDaily Planet,CA,Center\nBrand New Wire,UK,\n")
    code, said = run_outlet_import(str(fitted_copy), good)
    assert code == 0 and "1 outlets updated, 1 added" in said
    bad = tmp_path / "bad.csv"
    bad.write_text("title,bias\nx,Left\n")
    code, said = run_outlet_import(str(fitted_copy), bad)
    assert code == 1 and said.splitlines()[-1].startswith("error: bad.csv has no outlet name column")
    monkeypatch.setattr(data, "store_path", lambda: str(fitted_copy))
    edit_outlets([("Gotham Gazette", "US", "Right")])
    with Store(fitted_copy, readonly=True) as s:
        rows = dict(s.tuples("SELECT name, country || '/' || coalesce(bias, '') FROM outlets"))
    assert rows["Daily Planet"] == "CA/Center" and rows["Brand New Wire"].startswith("UK/")
    assert rows["Gotham Gazette"] == "US/Right"


def test_trends_articles_behind_a_point():
    from analysis.explore.trends import articles_behind

    df = pd.DataFrame(
        {
            "article_id": ["a", "b", "c"],
            "published": pd.to_datetime(["2020-01-06", "2020-01-07", "2020-01-14"], utc=True),
            "outlet": ["X", "Y", "X"],
            "topic": [1, 1, 1],
            "topic_label": ["t"] * 3,
            "tone": [0.1, 0.2, 0.3],
        }
    )
    assert articles_behind(df, "week", pd.Timestamp("2020-01-06"), (("topic", 1),)) == ["a", "b"]
    assert articles_behind(df, "week", pd.Timestamp("2020-01-06"), (("topic", 1), ("outlet", "Y"))) == ["b"]
    assert articles_behind(df, "week", pd.Timestamp("2020-01-06"), (), ("outlet", ("Y",))) == ["a"]


@pytest.mark.parametrize(
    ("params", "sentence"),
    [
        ({"dates": ["foo", "bar"]}, "are not dates (YYYY-MM-DD); all dates are shown"),
        ({"dates": ["2030-01-01", "2031-01-01"]}, "lie outside the store's"),
        ({"period": "fortnight"}, "The link asks for period “fortnight”, which is not available here"),
        ({"top_topics": "x"}, "is not a number; the default is used"),
        ({"compare": list("abcdef"), "view": "Compare searches and people"}, "Compare at most five lines at once"),
        ({"view": "Nowhere"}, "The link asks for tab “Nowhere”, which is not available here"),
    ],
)
def test_a_link_the_store_cannot_honour_says_so_and_shows_the_rest(app, fitted_db, params, sentence):
    at = app(fitted_db, page="views/trends.py", **params).run()
    assert not at.exception
    assert any(sentence in w.value for w in at.warning), [w.value for w in at.warning]
    assert chart(at, "Topics over time" if "compare" not in params else "Attention over time")  # the rest shows
