"""The Entities page, the Mentions filter and the entities on the Article page, on a store whose names are
known."""

from __future__ import annotations

import pytest

from analysis.pipeline.load import import_file
from analysis.pipeline.regroup import group_entities
from analysis.pipeline.stages import run_named
from analysis.store import Store
from tests.support.fixtures import write_csv

ROWS = [
    *(
        {
            "title": f"Merkel speaks in Berlin ({i})",
            "text": f"Angela Merkel spoke in Berlin on day {i}. Merkel said the budget would pass.",
            "outlet": "Daily Planet",
            "url": f"https://planet.test/m{i}",
            "published": f"2024-05-0{i + 1}",
        }
        for i in range(4)
    ),
    {
        "title": "Macron in Paris",
        "text": "Emmanuel Macron met Angela Merkel in Paris.",
        "outlet": "Gotham Gazette",
        "url": "https://gotham.test/1",
        "published": "2024-05-02",
    },
    *(
        {
            "title": f"Storm warning {i}",
            "text": "Heavy rain is expected all week along the coast.",
            "outlet": "Gotham Gazette",
            "url": f"https://gotham.test/s{i}",
            "published": f"2024-05-0{i + 1}",
        }
        for i in range(5)
    ),
]


@pytest.fixture(scope="module")
def named_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("named") / "news.db"
    with Store(db) as store:
        import_file(store, write_csv(db.parent / "rows.csv", ROWS))
        run_named(store, ("entities",))
        group_entities(store)
        ids = dict(store.entities.entity_table()[["name", "entity_id"]].values)
    return db, ids


def test_the_entities_page_lists_who_is_named_and_opens_one(app, named_db):
    db, ids = named_db
    at = app(db, "views/entities.py")
    at.run()
    assert not at.exception
    top = at.dataframe[0].value.set_index("name")
    assert top.loc["Angela Merkel", "articles"] == 5 and top.loc["Angela Merkel", "outlets"] == 2
    assert top.loc["Angela Merkel", "share"] == pytest.approx(5 / 10)
    assert top.loc["Angela Merkel", "mentions"] == 9  # "Merkel" in the four Daily Planet articles is her
    at = app(db, "views/entities.py", entity=str(ids["Angela Merkel"]))
    at.run()
    assert not at.exception
    assert at.header[0].value == "Angela Merkel (person)"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles naming it"] == "5" and metrics["Of all coverage"] == "50.0%"
    assert metrics["Of the selection"] == "50.0%"  # no filter: the selection is all coverage
    at = app(db, "views/entities.py", entity=str(ids["Angela Merkel"]), part="Who names it more")
    at.run()
    outlets = at.dataframe[1].value.set_index("outlet")
    assert outlets.loc["Daily Planet", ["articles", "outlet_total"]].tolist() == [4, 4]
    assert outlets.loc["Gotham Gazette", ["articles", "outlet_total"]].tolist() == [1, 6]


def test_a_link_to_an_entity_that_is_gone_says_so(app, named_db):
    db, _ = named_db
    at = app(db, "views/entities.py", entity="9999")
    at.run()
    assert not at.exception
    assert "There is no entity '9999' in this store" in at.warning[0].value


def test_the_mentions_filter_narrows_every_page_and_stays_in_the_link(app, named_db):
    db, ids = named_db
    at = app(db, "views/overview.py", mentions=str(ids["Emmanuel Macron"]))
    at.run()
    assert not at.exception
    assert at.sidebar.multiselect(key="mentions").value == [ids["Emmanuel Macron"]]
    assert next(m.value for m in at.metric if m.label == "Articles") == "1"
    at.switch_page("views/stories.py").run()
    assert at.query_params["mentions"] == str(ids["Emmanuel Macron"])


def test_the_article_page_shows_its_entities(app, named_db):
    db, _ = named_db
    with Store(db, readonly=True) as s:
        article = s.execute("SELECT id FROM articles WHERE title = 'Macron in Paris'").fetchone()[0]
    at = app(db, "views/article.py", article=article)
    at.run()
    assert not at.exception
    pills = next(p for p in at.get("button_group") if p.proto.label.startswith("People"))
    assert {o.content for o in pills.proto.options} >= {"Emmanuel Macron", "Angela Merkel", "Paris"}
