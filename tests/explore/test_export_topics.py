"""Exports gain topic columns once a fit exists."""

import pandas as pd

from analysis.explore.export import export_articles, export_topics
from analysis.pipeline.fit import run_fit
from analysis.pipeline.load import import_file
from analysis.store import Store
from tests.support.fakes import HashingEmbedder
from tests.support.fixtures import write_csv
from tests.support.topic_fixtures import topic_rows


def test_articles_topics_and_stories_exports_after_a_fit(tmp_path):
    store = Store(tmp_path / "n.db")
    rows = topic_rows()
    import_file(store, write_csv(tmp_path / "a.csv", rows))
    # One article that arrives after the fit has no topic yet: -1 / Unassigned.
    run_fit(store, HashingEmbedder())
    late = dict(rows[0], url="https://late.example/1", title="Late arrival", text="Something else entirely.")
    import_file(store, write_csv(tmp_path / "late.csv", [late]))
    first = int(store.topics.topic_table()["topic"].iloc[0])
    store.topics.rename_topic(first, "=Storms")  # a label a spreadsheet would run
    out = tmp_path / "articles.csv"
    assert export_articles(store, out) == len(rows) + 1
    df = pd.read_csv(out)
    assert list(df.columns) == [
        "id",
        "url",
        "title",
        "outlet",
        "published",
        "topic",
        "topic_label",
        "theme",
        "theme_label",
        "sentiment",
        "sentiment_label",
        "headline_sentiment",
        "summary",
        "tags",
        "story_id",
        "entities",
        "subject",
    ]
    fitted = df[df.title != "Late arrival"]
    assert fitted["sentiment"].between(-1, 1).all()
    assert set(fitted["sentiment_label"]) <= {"negative", "neutral", "positive"}
    assert fitted["summary"].str.len().gt(0).all()
    assert df.loc[df.title == "Late arrival", "sentiment"].isna().all()  # not scored until the next fit/update
    late_row = df.loc[df.title == "Late arrival", ["topic", "topic_label", "theme", "theme_label"]]
    assert late_row.values.tolist() == [[-1, "Unassigned", -1, "Unassigned"]]
    assert (df.loc[df.topic == first, "topic_label"] == "'=Storms").all()
    assert df["topic"].dtype.kind == "i"
    topics_out = tmp_path / "topics.csv"
    n = export_topics(store, topics_out)
    t = pd.read_csv(topics_out)
    assert n == len(t) == len(store.topics.topic_table(include_hidden=True))
    assert list(t.columns) == [
        "topic",
        "label",
        "auto_label",
        "keywords",
        "size",
        "share",
        "hidden",
        "representative_articles",
        "theme",
        "theme_label",
    ]
    assert (t["theme"] >= 0).all()
    assert t["size"].sum() == (df.topic >= 0).sum()
    stories_out = tmp_path / "stories.csv"
    from analysis.explore.export import export_stories

    n_stories = export_stories(store, stories_out)
    st = pd.read_csv(stories_out)
    assert len(st) == n_stories
    assert list(st.columns) == [
        "story_id",
        "title",
        "first_published",
        "first_outlet",
        "articles",
        "outlets",
        "outlet_list",
        "bias",
        "first_tied",
        "date_precision",
    ]
    assert (st["articles"] >= 2).all()


def test_the_entities_export_and_the_entities_column(tmp_path):
    from analysis.explore.export import export_entities
    from analysis.pipeline.regroup import group_entities
    from analysis.pipeline.stages import run_named

    rows = [
        {
            "title": "Merkel meets Macron in Paris",
            "text": "German Chancellor Angela Merkel met French President "
            "Emmanuel Macron in Paris on Monday. Merkel said the talks went well.",
            "outlet": "Daily Planet",
            "url": "https://planet.test/1",
            "published": "2024-05-01",
        },
        {
            "title": "Macron visits Berlin",
            "text": "Emmanuel Macron travelled to Berlin, where Angela Merkel welcomed him.",
            "outlet": "Gotham Gazette",
            "url": "https://gotham.test/2",
            "published": "2024-05-02",
        },
        {
            "title": "Weather",
            "text": "It will rain all week.",
            "outlet": "Daily Planet",
            "url": "https://planet.test/3",
            "published": "2024-05-03",
        },
    ]
    with Store(tmp_path / "n.db") as store:
        import_file(store, write_csv(tmp_path / "a.csv", rows))
        run_named(store, ("entities",))
        group_entities(store)
        n = export_entities(store, tmp_path / "entities.csv")
        ent = pd.read_csv(tmp_path / "entities.csv").set_index("name")
        assert list(ent.columns) == ["entity_id", "kind", "mentions", "articles", "aliases"] and n == len(ent)
        assert ent.loc["Angela Merkel", "kind"] == "person" and ent.loc["Angela Merkel", "articles"] == 2
        assert ent.loc["Angela Merkel", "mentions"] == 3  # "Merkel" in the first article is her too
        assert ent.loc["Paris", "kind"] == "place" and ent.loc["Berlin", "articles"] == 1
        export_articles(store, tmp_path / "articles.csv")
        art = pd.read_csv(tmp_path / "articles.csv", keep_default_na=False).set_index("title")
        named = art.loc["Merkel meets Macron in Paris", "entities"].split("; ")
        assert set(named[:2]) == {"Angela Merkel", "Emmanuel Macron"} and named[-1] == "Paris"  # most named first
        assert set(art.loc["Macron visits Berlin", "entities"].split("; ")) == {
            "Emmanuel Macron",
            "Berlin",
            "Angela Merkel",
        }
        assert art.loc["Weather", "entities"] == ""
