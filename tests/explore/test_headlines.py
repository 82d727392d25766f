"""Headlines by country on the fitted fixture (three US outlets, Star City Star in the UK)."""

from __future__ import annotations

import json
from collections import Counter

from analysis.explore.headlines import country_name, headlines, with_article
from analysis.explore.selection import Selection
from analysis.store import Store


def test_the_latest_stories_of_each_country_with_the_best_placed_outlets_rank(fitted_db):
    with Store(fitted_db, readonly=True) as s:
        result = headlines(s, Selection(), per_country=50)
        found = {c.code: c.stories for c in result.countries}
        stories = s.execute("SELECT story_id, outlet_list, first_published FROM stories WHERE outlets >= 2").fetchall()
    assert set(found) == {"US", "UK"}
    per_outlet = Counter(o for _, lst, _ in stories for o in json.loads(lst))
    us = sorted((o for o in per_outlet if o != "Star City Star"), key=lambda o: (-per_outlet[o], o))
    zeta_us = found["US"][found["US"]["title"].str.contains("Hurricane Zeta")].iloc[0]
    assert zeta_us["top_outlet"] == us[0]
    assert zeta_us["rank_text"] == f"{us[0]}: #1 of 3 in United States by stories covered"
    assert set(zeta_us["country_outlets"]) == set(us) and zeta_us["outlets"] == 4  # the outlets behind the card
    assert zeta_us["bias"] == {"Left": 2, "Center": 1, "Right": 1}  # for its coverage bar
    assert zeta_us["coverage"] == "Left 2 (50%) · Center 1 (25%) · Right 1 (25%)"
    assert zeta_us["summary"]  # the central article's summary
    uk = found["UK"]
    assert (uk["rank_text"] == "Star City Star: #1 of 1 in United Kingdom by stories covered").all()
    uk_stories = {sid for sid, lst, _ in stories if "Star City Star" in json.loads(lst)}
    assert set(uk["story_id"]) == uk_stories
    assert list(uk["first_published"]) == sorted(uk["first_published"], reverse=True)  # newest first
    with Store(fitted_db, readonly=True) as s:
        assert len(headlines(s, Selection(), per_country=1).countries[0].stories) == 1
        left = headlines(s, Selection(biases=("Left",)), per_country=50)  # the selection's stories only
        assert all(len(c.stories) <= len(found[c.code]) for c in left.countries)


def test_country_names():
    assert country_name("US") == "United States" and country_name("gb") == "United Kingdom"
    assert country_name("Narnia") == "Narnia"
    assert with_article("United Kingdom") == "the United Kingdom" and with_article("France") == "France"


def test_no_headlines_without_countries(store):
    found = headlines(store, Selection())
    assert found.countries == () and not found.has_countries
