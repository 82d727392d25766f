"""The themes / topics level switch: in the URL, followed by the Overview, Topics, Trends and Outlets pages,
their charts and downloads; the theme filter; theme edits on the Topics page."""

from __future__ import annotations

import json

from analysis.store import Store
from tests.app.test_pages import chart, values


def _themes(db):
    with Store(db, readonly=True) as s:
        return s.topics.theme_table(), s.topics.topic_table()


def test_themes_level_changes_every_page(app, fitted_db):
    themes, _ = _themes(fitted_db)
    assert len(themes) >= 2
    at = app(fitted_db, page="views/overview.py", level="themes", view="Themes").run()
    assert not at.exception
    assert at.radio(key="level").value == "themes"
    assert next(m.value for m in at.metric if m.label == "Themes") == str(len(themes))
    bars = chart(at, "Articles per theme in the selection")
    assert set(values(bars["data"][0]["y"])) <= set(themes["label"])
    assert at.query_params.get("level") in ("themes", ["themes"])

    at = app(fitted_db, page="views/trends.py", level="themes").run()
    at.selectbox(key="period").select("month").run()
    at.radio(key="show").set_value("articles").run()
    assert not at.exception
    spec = chart(at, "Themes over time (articles per month)")
    names = {tr["name"] for tr in spec["data"]}
    assert names <= set(themes["label"]) | {"Other themes", "Other topics"}
    assert sum(sum(values(tr["y"])) for tr in spec["data"]) == 184  # the same articles, counted by theme
    assert any(t.label.startswith("Rising and falling themes") for t in at.tabs)

    at = app(fitted_db, page="views/topics.py", level="themes", view="Themes").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["label"]) == list(themes["label"]) and table["size"].sum() == themes["size"].sum()

    at = app(fitted_db, page="views/topics.py").run()  # the topics level shows no theme table
    assert "Themes" not in [t.label for t in at.tabs]


def test_theme_filter_selects_the_articles_of_its_topics(app, fitted_db):
    themes, _ = _themes(fitted_db)
    first = themes.iloc[0]
    at = app(fitted_db, page="views/overview.py", level="themes").run()
    at.multiselect(key="themes").select(int(first["theme"])).run()
    assert not at.exception
    assert next(m.value for m in at.metric if m.label == "Articles") == f"{int(first['size']):,}"
    assert at.query_params.get("themes") in (str(int(first["theme"])), [str(int(first["theme"]))])
    at.radio(key="level").set_value("topics").run()  # back to topics: the theme filter no longer applies
    assert not at.exception
    assert next(m.value for m in at.metric if m.label == "Articles") != f"{int(first['size']):,}"


def test_a_theme_renamed_on_the_topics_page_shows_everywhere(app, fitted_copy):
    themes, _ = _themes(fitted_copy)
    first = int(themes.iloc[0]["theme"])
    at = app(fitted_copy, page="views/topics.py", level="themes", view="Themes").run()
    at.selectbox(key="edit_theme").select(first).run()
    at.text_input(key="theme_label").input("Weather and storms").run()
    at.button(key="rename_theme").click().run()
    assert not at.exception
    assert "Weather and storms" in set(at.dataframe[0].value["label"])
    other = int(themes.iloc[1]["theme"])
    at.selectbox(key="edit_theme").select(other).run()
    at.text_input(key="theme_label").input("weather AND storms").run()
    at.button(key="rename_theme").click().run()
    assert any("already called 'Weather and storms'" in e.value for e in at.error)
    at.selectbox(key="edit_theme").select(first).run()
    at.selectbox(key="theme_into").select(other).run()
    at.button(key="merge_theme").click().run()
    assert not at.exception
    after = at.dataframe[0].value
    assert first not in set(after["theme"]) and len(after) == len(themes) - 1
    at.selectbox(key="edit_theme").select(other).run()
    at.button(key="unmerge_theme").click().run()
    assert not at.exception and len(at.dataframe[0].value) == len(themes)
    at = app(fitted_copy, page="views/overview.py", level="themes", view="Themes").run()
    bars = chart(at, "Articles per theme in the selection")
    assert "Weather and storms" in set(values(bars["data"][0]["y"]))
    assert json.dumps(bars)  # the chart is serialisable as sent to the browser
