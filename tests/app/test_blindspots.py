"""The Stories page's search box, date jump and coverage bar, and the Blindspots page, on the fitted fixture
(its four-outlet story: Daily Planet and Metropolis Mirror rated left, Star City Star center, Gotham right)."""

from __future__ import annotations

import json

from analysis.store import Store
from ui.common import plain


def test_find_a_story_by_its_headline_and_jump_to_a_day(app, fitted_db):
    at = app(fitted_db, page="views/stories.py", find="zeta landfall").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 1 and "Hurricane Zeta" in table.iloc[0]["title"]
    assert table.iloc[0]["coverage"] == "Left 2 (50%) · Center 1 (25%) · Right 1 (25%)"
    at = app(fitted_db, page="views/stories.py", find="zeta", since="2020-03-12").run()
    assert not at.exception
    assert "No story matches" in at.info[0].value  # Zeta was first published on 9 March
    at = app(fitted_db, page="views/stories.py", since="not-a-day").run()
    assert not at.exception
    assert any("is not a date" in w.value for w in at.warning)


def test_a_story_shows_its_coverage_bar(app, fitted_db):
    with Store(fitted_db, readonly=True) as s:
        sid = s.execute("SELECT story_id FROM stories ORDER BY outlets DESC LIMIT 1").fetchone()[0]
    at = app(fitted_db, page="views/stories.py", story=str(sid)).run()
    assert not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert "Left 2 (50%) · Center 1 (25%) · Right 1 (25%)" in said  # the bar, drawn as text on the page
    at = app(fitted_db, page="views/stories.py", story=str(sid), part="By side and country").run()
    bar = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if json.loads(c.proto.spec)["layout"]["title"]["text"].startswith("Coverage by side")
    )
    assert [t["text"] for t in bar["data"]] == ["Left 2 (50%)", "Center 1 (25%)", "Right 1 (25%)"]
    countries = next(d.value for d in at.dataframe if "country" in d.value.columns)
    assert countries.values.tolist() == [["US", 2, 0, 1, 0, 3], ["UK", 0, 1, 0, 0, 1]]


def test_blindspots_are_tested_against_the_mix_and_say_when_none_is_found(app, fitted_db):
    at = app(fitted_db, page="views/blindspots.py").run()
    assert not at.exception
    assert "Nothing has 6 or more rated outlets" in at.info[0].value  # a four-outlet story is never tested
    at = app(fitted_db, page="views/blindspots.py", min_stories="3").run()
    assert not at.exception
    assert "No story is covered by significantly fewer of one side" in at.success[0].value
    found = at.dataframe[0].value
    assert (found["rated"] >= 3).all() and not found["significant"].any()
    assert any("one-sided binomial test" in c.value for c in at.caption)


def test_the_headlines_page_names_each_country_with_its_outlet_ranks(app, fitted_db):
    at = app(fitted_db, page="views/headlines.py").run()
    assert not at.exception
    assert [h.value for h in at.main.header] == [
        "Covered by outlets in the United States",
        "Covered by outlets in the United Kingdom",
    ]
    assert any(plain("in United Kingdom by stories covered") in c.value for c in at.caption)
    # each card names its outlets and draws the story's coverage bar
    assert any(plain("4 outlets: Daily Planet, Gotham Gazette, Metropolis Mirror") in c.value for c in at.caption)
    assert any("Left 2 (50%) · Center 1 (25%) · Right 1 (25%)" in m.value for m in at.markdown)  # each card's bar
