"""The defects a researcher and a journalist met when pages each rebuilt the selection, each tested as they met it:
a hyphenated search, a topic opened on the themes level, sizes that ignored the dates, a topic filter read as holes
in the outlets' coverage, a chosen outlet that vanished, mixed denominators on the Entities page, charts not ready
for a paper, and the small defects (dates without a time shown as 00:00, "1 outlets", cards without outlets)."""

from __future__ import annotations

import json
import re

import pytest

from analysis.store import Store
from tests.app.test_pages import chart, metric, values
from tests.support.fixtures import write_csv
from ui.common import plain

SEARCH_PAGES = [
    "views/overview.py",
    "views/search.py",
    "views/trends.py",
    "views/topics.py",
    "views/outlets.py",
    "views/stories.py",
    "views/entities.py",
    "views/blindspots.py",
    "views/headlines.py",
]


def texts(at) -> str:
    return " ".join(e.value for kind in ("caption", "warning", "info", "success") for e in getattr(at, kind))


@pytest.mark.parametrize("page", SEARCH_PAGES)
@pytest.mark.parametrize("q", ["COVID-19", "storm AND", '"(', "the of", "-hurricane", "NEAR(zeta", "x:y*"])
def test_no_search_typed_in_the_sidebar_breaks_a_page(app, fitted_db, page, q):
    at = app(fitted_db, page=page, q=q).run()
    assert not at.exception, at.exception
    if q in ("storm AND", '"(', "the of", "-hurricane"):
        assert any(w in texts(at) for w in ("plain words", "common words", "no word", "one word to find")), q


def test_a_hyphenated_search_is_the_phrase_and_counts_match_across_pages(app, fitted_db):
    with Store(fitted_db, readonly=True) as s:
        zeta = len(s.search.matches("Hurricane-Zeta"))
    assert zeta == 4  # the four articles of the Zeta story, not "hurricane NOT zeta"
    search = app(fitted_db, page="views/search.py", q="Hurricane-Zeta").run()
    assert "4 articles match" in texts(search)
    overview = app(fitted_db, page="views/overview.py", q="Hurricane-Zeta").run()
    assert metric(overview, "Articles") == "4"


def test_the_trends_comparison_box_takes_any_search(app, fitted_db):
    at = app(
        fitted_db,
        page="views/trends.py",
        compare=["COVID-19", "zeta OR storm", "((", "the", "qqqzzx"],
        view="Compare searches and people",
    ).run()
    assert not at.exception
    spec = chart(at, "Attention over time")
    names = {t["name"] for t in spec["data"]}
    assert names >= {"search: COVID-19", "search: zeta OR storm"} and not names & {"search: the", "search: (("}
    assert plain("search: the is not drawn: “the” has only common words") in texts(at)  # no flat line at 0%
    assert plain("search: (( is not drawn: “((” has no word to search for") in texts(at)
    assert plain("search: qqqzzx matches no article in the chosen dates and outlets.") in texts(at)
    long = "a" * 300
    at = app(fitted_db, page="views/trends.py", compare=[long], view="Compare searches and people").run()
    assert [t["name"] for t in chart(at, "Attention over time")["data"]] == ["search: " + "a" * 59 + "…"]


def test_find_a_story_takes_any_search(app, fitted_db):
    for find in ("Zeta", "zeta -landfall", "((", "landfall OR"):
        at = app(fitted_db, page="views/stories.py", find=find).run()
        assert not at.exception, find
    at = app(fitted_db, page="views/stories.py", find="Hurricane-Zeta").run()
    assert "1 story in the selection" in texts(at)  # one, not "1 stories"
    for find in ("OR", "-landfall", "the"):
        at = app(fitted_db, page="views/stories.py", find=find).run()
        said = texts(at)
        assert "Nothing was searched" in said and "No story matches" not in said, find


def _topic_and_theme_with_one_id(db):
    """A topic id that is also a theme id, whose topic and theme hold different articles."""
    with Store(db, readonly=True) as s:
        topics, themes = s.topics.topic_table(), s.topics.theme_table()
    for t in topics.itertuples():
        row = themes[themes["theme"] == t.topic]
        if len(row) and int(row["size"].iloc[0]) != int(t.size):
            return t, row.iloc[0]
    raise AssertionError("the fixture has no topic id that is also a theme id of another size")


def test_a_topic_opened_on_the_themes_level_shows_the_topics_own_data(app, fitted_db):
    topic, theme = _topic_and_theme_with_one_id(fitted_db)
    at = app(fitted_db, page="views/topics.py", level="themes", topic=str(topic.topic), part="Over time").run()
    assert not at.exception
    assert at.main.header[-1].value == topic.label
    assert metric(at, "Articles in the selection") == f"{topic.size:,}" != f"{theme['size']:,}"
    share = chart(at, "Share of all coverage per")
    assert [t["name"] for t in share["data"] if t.get("mode") == "lines+markers"] == [topic.label]
    counted = sum(int(c[1]) for c in share["data"][0]["customdata"])
    assert counted == topic.size  # every dated article of the topic, none of the theme's others


def test_a_theme_opens_on_the_themes_level_with_its_own_data(app, fitted_db):
    topic, theme = _topic_and_theme_with_one_id(fitted_db)
    with Store(fitted_db, readonly=True) as s:
        members = s.topics.topic_table()
    mine = members[members["theme"] == int(theme["theme"])]
    at = app(fitted_db, page="views/topics.py", level="themes", theme=str(int(theme["theme"])), part="Over time")
    at.run()
    assert not at.exception
    assert at.main.header[-1].value == theme["label"]
    assert metric(at, "Articles in the selection") == f"{int(theme['size']):,}" != f"{topic.size:,}"
    share = chart(at, "Share of all coverage per")
    assert [t["name"] for t in share["data"] if t.get("mode") == "lines+markers"] == [theme["label"]]
    assert sum(int(c[1]) for c in share["data"][0]["customdata"]) == int(theme["size"])
    at = app(fitted_db, page="views/topics.py", level="themes", theme=str(int(theme["theme"])), part="Topics").run()
    listed = at.dataframe[0].value
    assert set(listed["topic"]) == set(mine["topic"]) and listed["articles"].sum() == int(theme["size"])
    at.selectbox(key="topic").select(int(mine["topic"].iloc[0])).run()  # a topic picked goes before the theme
    assert at.main.header[-1].value == mine["label"].iloc[0]
    other = members[(members["theme"] != int(theme["theme"])) & (members["theme"] >= 0)].iloc[0]
    at.selectbox(key="topic").select(int(other["topic"])).run()  # another theme's topic: the Theme box follows
    assert at.main.header[-1].value == other["label"] and at.selectbox(key="theme").value == int(other["theme"])
    at = app(fitted_db, page="views/topics.py", level="themes", theme="9999").run()
    assert not at.exception and "no theme 9999" in texts(at)
    at = app(fitted_db, page="views/topics.py", theme=str(int(theme["theme"]))).run()  # the topics level: no theme
    assert not at.exception and "Topic sizes" in [t.label for t in at.tabs]


def test_topic_sizes_and_the_topic_table_follow_the_sidebar(app, fitted_db):
    link = {"dates": ["2020-03-01", "2020-04-30"]}
    overview = app(fitted_db, page="views/overview.py", **link).run()
    count = int(metric(overview, "Articles").replace(",", ""))
    at = app(fitted_db, page="views/topics.py", **link).run()
    assert not at.exception
    table = app(fitted_db, page="views/topics.py", view="All topics", **link).run().dataframe[0].value
    said = next(c.value for c in at.caption if c.value.startswith("Articles of the selection ("))
    selected, unassigned = (int(x.replace(",", "")) for x in re.findall(r"[\d,]+", said)[:2])
    assert selected == count and table["articles"].sum() + unassigned == count
    sizes = chart(at, "Articles per topic in the selection")
    assert sum(values(sizes["data"][0]["x"])) == table["articles"].sum()
    with Store(fitted_db, readonly=True) as s:
        whole = int(s.topics.topic_table()["size"].sum())
    assert table["articles"].sum() < whole  # not the whole store's sizes


def test_a_topic_filter_is_never_read_as_holes_in_an_outlets_coverage(app, fitted_db):
    with Store(fitted_db, readonly=True) as s:
        topic = int(s.topics.topic_table()["topic"].iloc[0])
    plain_view = app(fitted_db, page="views/outlets.py").run()
    narrowed = app(fitted_db, page="views/outlets.py", topics=str(topic)).run()
    assert not narrowed.exception

    def coverage_notes(at):
        return sorted(c.value for c in at.caption if "articles only" in c.value or "far fewer" in c.value)

    assert coverage_notes(narrowed) == coverage_notes(plain_view)

    def months(at):
        return [i.value.split(":")[0] for i in at.info if "Compared over the" in i.value]

    assert months(narrowed) == months(plain_view) and months(plain_view)  # the same months, whatever the topic


@pytest.fixture(scope="module")
def two_eras(tmp_path_factory):
    """Old Times publishes only in 2018, New Post only in 2020: a comparison in 2020 finds no Old Times."""
    from analysis.pipeline.load import import_file

    d = tmp_path_factory.mktemp("eras")
    rows = [
        {
            "title": f"{o} story {i}",
            "text": f"Report {i} from {o} about the harbour and the council. " * 3,
            "outlet": o,
            "date": f"{year}-0{1 + i % 6}-1{i % 9}",
        }
        for o, year in (("Old Times", 2018), ("New Post", 2020))
        for i in range(12)
    ]
    with Store(d / "news.db") as s:
        import_file(s, write_csv(d / "rows.csv", rows))
    return d / "news.db"


def test_a_chosen_outlet_with_no_article_is_named_with_the_reason(app, two_eras):
    at = app(
        two_eras, page="views/outlets.py", pick_outlet=["New Post", "Old Times"], dates=["2020-01-01", "2020-06-30"]
    ).run()
    assert not at.exception
    warned = [w.value for w in at.warning]
    assert any(plain("Old Times has no article in the selection") in w and "outside these dates" in w for w in warned)
    assert not any("not in this store" in w for w in warned)
    assert at.multiselect(key="pick_outlet").value == ["New Post", "Old Times"]  # kept, not dropped as unknown
    ov = app(
        two_eras,
        page="views/overview.py",
        outlet=["New Post", "Old Times"],
        dates=["2020-01-01", "2020-06-30"],
        view="Outlets",
    )
    ov.run()
    assert any(plain("Old Times has no article") in w.value for w in ov.warning)
    table = ov.dataframe[0].value.set_index("outlet")
    assert table.loc["Old Times", "articles"] == 0 and "outside these dates" in table.loc["Old Times", "note"]


def test_the_entities_page_names_its_denominators_and_tests_within_the_selection(app, fitted_db):
    with Store(fitted_db, readonly=True) as s:
        table = s.entities.entity_table()
        topic = int(s.topics.topic_table()["topic"].iloc[0])
    entity = int(table["entity_id"].iloc[0])
    at = app(
        fitted_db,
        page="views/entities.py",
        entity=str(entity),
        topics=str(topic),
        entity_by="bias groups",
        part="Who names it more",
    ).run()
    assert not at.exception
    helps = {m.label: m.help for m in at.metric}
    assert "articles of the selection" in helps["Of the selection"]
    assert "articles from the chosen outlets and dates" in helps["Of all coverage"]
    groups = next(d.value for d in at.dataframe if "bias_total" in d.value.columns)
    with Store(fitted_db, readonly=True) as s:
        in_topic = s.topics.topic_table().set_index("topic").loc[topic, "size"]
    assert groups["bias_total"].sum() == in_topic  # each group's articles on the topic, not all its articles


def test_charts_carry_the_selection_and_a_legend_that_fits(app, fitted_db):
    at = app(fitted_db, page="views/trends.py", level="themes", outlet="Daily Planet", period="month").run()
    assert not at.exception
    spec = chart(at, "Themes over time")
    subtitle = spec["layout"]["title"]["subtitle"]["text"]
    assert "outlets: Daily Planet" in subtitle and "level: themes" in subtitle and "share of all articles" in subtitle
    assert spec["layout"]["legend"]["orientation"] == "h"
    names = {t["name"] for t in spec["data"]}
    assert "Other topics" not in names
    assert spec["layout"]["legend"]["title"]["text"] == "Theme"


def test_attention_can_be_split_by_bias_group(app, fitted_db):
    at = app(
        fitted_db,
        page="views/trends.py",
        compare="zeta",
        split="bias rating",
        period="month",
        view="Compare searches and people",
    ).run()
    assert not at.exception
    spec = chart(at, "Attention over time")
    assert "each a share of its own bias's articles" in spec["layout"]["title"]["text"]
    facets = {a["text"] for a in spec["layout"]["annotations"] if a.get("text") in ("Left", "Right", "Center")}
    assert facets == {"Left", "Right", "Center"}


def test_a_date_without_a_time_never_shows_00_00(app, tmp_path):
    from analysis.pipeline.load import import_file

    with Store(tmp_path / "news.db") as s:
        import_file(
            s,
            write_csv(
                tmp_path / "r.csv",
                [
                    {
                        "title": "Dated by day",
                        "text": "A council report on the harbour works. " * 4,
                        "outlet": "A",
                        "date": "2019-04-17",
                    }
                ],
            ),
        )
        aid = s.execute("SELECT id FROM articles").fetchone()[0]
    at = app(tmp_path / "news.db", page="views/article.py", article=aid).run()
    assert not at.exception
    line = next(c.value for c in at.caption if "2019" in c.value)
    assert "2019\\-04\\-17" in line and "00:00" not in line and "00\\:00" not in line


def test_pages_without_ratings_or_countries_point_at_a_control_that_exists(app, tmp_path):
    from analysis.pipeline.load import import_file

    with Store(tmp_path / "news.db") as s:
        import_file(
            s,
            write_csv(
                tmp_path / "r.csv",
                [
                    {
                        "title": f"Story {i}",
                        "text": "The harbour council met again on the works. " * 4,
                        "outlet": f"O{i % 2}",
                        "date": "2019-04-17",
                    }
                    for i in range(4)
                ],
            ),
        )
    for page in ("views/headlines.py", "views/blindspots.py"):
        at = app(tmp_path / "news.db", page=page).run()
        assert not at.exception
        assert "Outlets: countries and bias ratings" in at.info[0].value, page
    collect = app(tmp_path / "news.db", page="views/collect.py").run()
    assert "Outlets: countries and bias ratings" in [s.value for s in collect.subheader]
    assert collect.button(key="save_outlets").disabled  # nothing changed yet


def test_the_article_links_of_a_chart_name_the_selection(app, fitted_db):
    at = app(fitted_db, page="views/overview.py", q="zeta", group="week").run()
    spec = chart(at, "Articles per week by outlet")
    assert "search “zeta”" in json.dumps(spec["layout"]["title"], ensure_ascii=False)


@pytest.mark.parametrize("page", ["views/search.py", "views/overview.py"])
@pytest.mark.parametrize("q", ["OR", "the of", "-hurricane", "(("])
def test_a_search_with_nothing_to_find_says_one_thing(app, fitted_db, page, q):
    at = app(fitted_db, page=page, q=q).run()
    assert not at.exception
    said = [w.value for w in at.warning]
    assert said and said[0].startswith("Nothing was searched") and not any("No article matches" in w for w in said)
    assert "plain words" not in texts(at)  # not "searched as plain words" beside "nothing was searched"


def test_a_downloads_name_keeps_what_was_searched():
    from ui.common import filename

    assert filename("search", "storm -hurricane", "newest") == "search_storm_not_hurricane_newest.csv"
    assert filename("attention", "search: (a -b)_vs_search: COVID-19", "month") == (
        "attention_search_a_not_b_vs_search_covid_19_month.csv"
    )
    assert filename("x" * 200).startswith("x") and len(filename("x" * 200)) <= 94
