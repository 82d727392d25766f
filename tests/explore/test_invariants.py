"""What must hold for every selection, tested with generated ones (Hypothesis) on a fitted store, on SQLite and on
PostgreSQL: every page that shows the selection's article count shows the same one; topic (or theme) sizes add up
to it minus the unassigned; every share lies in [0, 1] beside what it is a share of; a chosen outlet is in the
answer or named as empty; an outlet's coverage does not change when a topic, search or mention narrows the
selection; and no search string from a grammar of words, hyphens, quotes, operators, brackets, *, -, unicode and
punctuation raises on any question a page asks."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.explore import article, blindspots, entities, headlines, lines, outlets, overview, stories, topics, trends
from analysis.explore.resolve import resolve
from analysis.explore.selection import Selection, ThemeId, TopicId
from analysis.store import Store, open_store

# Generated inputs per backend (NEWS_HYPOTHESIS_SCALE multiplies them for a longer search on a developer's machine)
SCALE = float(os.environ.get("NEWS_HYPOTHESIS_SCALE", "1"))
SELECTIONS = int(40 * SCALE)  # selections, each asking every page's questions
SEARCHES = int(150 * SCALE)  # search strings
OUTLETS = ["Daily Planet", "Gotham Gazette", "Star City Star", "Metropolis Mirror", "Nowhere News"]
WORDS = [
    "hurricane",
    "election",
    "vaccine",
    "football",
    "budget",
    "wildfire",
    "zeta",
    "storm",
    "coast",
    "COVID-19",
    "U.S.",
    "e-mail",
    "the",
    "of",
    "and",
    "Zeta's",
    "co-op",
    "9/11",
    "naïve",
    "Straße",
    "東京",
    "ünïcödé",
    "x",
]
SIGNS = [
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "(",
    ")",
    '"',
    "*",
    "-",
    ",",
    ":",
    "^",
    "+",
    "'",
    "\\",
    "{",
    "}",
    "[",
    "]",
    "|",
    "&",
    "!",
    "~",
    "@",
    "#",
    "$",
    "%",
    ";",
    "/",
    "..",
    "—",
    "“",
    "”",
    "\t",
    "\x00",
    "🙂",
]

words = st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=6))
tokens = st.one_of(
    words,
    st.sampled_from(SIGNS),
    st.builds(lambda w: "-" + w, words),
    st.builds(lambda w: w + "*", words),
    st.builds(lambda a, b: f"{a}-{b}", words, words),
    st.builds(lambda a, b: f'"{a} {b}"', words, words),
)
searches = st.one_of(
    st.lists(tokens, max_size=8).map(" ".join), st.lists(tokens, max_size=8).map("".join), st.text(max_size=40)
)
FIRST, LAST = date(2020, 1, 1), date(2020, 7, 31)
days = st.integers(0, (LAST - FIRST).days).map(lambda n: FIRST + timedelta(days=n))


@st.composite
def selections(draw: st.DrawFn) -> Selection:
    start = draw(st.none() | days)
    end = draw(st.none() | days)
    level = draw(st.sampled_from(["topics", "themes"]))
    units = draw(st.lists(st.integers(-1, 12), max_size=2))
    use_units = draw(st.sampled_from(["none", "topics", "themes"]))
    return Selection(
        start=start,
        end=end,
        outlets=tuple(draw(st.lists(st.sampled_from(OUTLETS), max_size=2))),
        biases=tuple(draw(st.lists(st.sampled_from(["Left", "Right", "Center", "Purple"]), max_size=1))),
        countries=tuple(draw(st.lists(st.sampled_from(["US", "UK", "FR"]), max_size=1))),
        level=level,
        topics=tuple(TopicId(u) for u in units) if use_units == "topics" else (),
        themes=tuple(ThemeId(u) for u in units) if use_units == "themes" else (),
        mentions=tuple(draw(st.lists(st.integers(0, 30), max_size=1))),
        search=draw(st.sampled_from(["", "", "", "hurricane", "zeta OR storm", "COVID-19", "-coast", "the"])),
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fitted(request: pytest.FixtureRequest, fitted_db: Path):
    """The fitted fixture store on each backend (PostgreSQL: migrated from the SQLite file)."""
    if request.param == "sqlite":
        with Store(fitted_db, readonly=True) as s:
            yield s
        return
    from analysis.store.transfer import copy_store
    from tests.support.pg import fresh_database

    server = request.getfixturevalue("pg_server")
    for url in fresh_database(server):
        with Store(fitted_db, readonly=True) as src, open_store(url) as dst:
            copy_store(src, dst)
        with open_store(url, readonly=True) as s:
            yield s


def between(values: pd.Series) -> bool:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return bool(((v >= -1e-9) & (v <= 1 + 1e-9)).all())


def check(store, sel: Selection) -> None:
    count = len(resolve(store, sel).rows)
    ov = overview.overview(store, sel)
    table_of = overview.outlets(store, sel)
    sizes = overview.unit_sizes(store, sel)
    table = topics.unit_table(store, sel)
    # one count on every page that shows it
    assert ov.articles == count == sizes.articles == table.articles
    assert article.search(store, sel, "relevance", 5).total == count
    assert entities.top(store, sel, None, 5).of == count
    assert stories.story_list(store, sel, min_outlets=2).table["matching"].sum() <= count
    # sizes add up to the count minus the unassigned, at the selection's level
    assert int(sizes.table["articles"].sum()) + sizes.unassigned == count
    assert int(table.table["articles"].sum()) + table.unassigned == count
    assert ov.unassigned is None or ov.unassigned.count == sizes.unassigned
    # the biggest topic (or theme) opened shows the articles its size counted, whatever the level
    present = table.table[table.table["articles"] > 0]
    if len(present) and not (sel.topics or sel.themes):
        first = int(present[sel.unit].iloc[0])
        if sel.unit == "theme":
            opened = topics.theme_model(store, ThemeId(first))
            assert opened is not None
            unit, members = opened.theme, opened.members
        else:
            model = topics.topic_model(store, TopicId(first))
            assert model is not None
            unit, members = model.topic, model.members
        cov = topics.topic_coverage(store, sel, unit, members)
        assert cov.articles.count == int(present["articles"].iloc[0]) and cov.articles.total == len(
            resolve(store, sel.sources()).rows
        )
    # every share in [0, 1], beside what it is a share of
    assert between(table_of["share"]) and between(table_of["of_its_coverage"])
    assert (table_of["articles"] <= table_of["outlet_total"]).all()
    assert between(sizes.table["share"]) and (sizes.table["total"] == count).all()
    assert ov.unassigned is None or 0 <= ov.unassigned.value <= 1 or count == 0
    shares, changes = trends.topic_trends(store, sel), trends.changes(store, sel)
    assert {"articles", "total", "share"} <= set(shares.table.columns) and between(shares.table["share"])
    assert (shares.table["articles"] <= shares.table["total"]).all()
    dated = int(resolve(store, sel).rows["published"].notna().sum())
    assert int(shares.table["articles"].sum()) == dated  # every dated article counted once over time
    assert sel.unit in shares.table.columns and sel.unit in changes.table.columns  # named for its level
    assert between(changes.table["share_now"]) and between(changes.table["share_before"])
    assert between(entities.top(store, sel, None, 50).table["share"])
    # a chosen outlet is in the answer or named as empty, with the reason
    shown = set(table_of.loc[table_of["articles"] > 0, "outlet"])
    empty = {o for o, _ in ov.absent}
    assert set(sel.outlets) <= shown | empty and not (shown & empty)
    comparison = outlets.compare(store, sel, "outlet", tuple(sel.outlets) or ("Daily Planet", "Gotham Gazette"))
    assert set(comparison.compared) | {o for o, _ in comparison.absent} == set(comparison.chosen)
    # every tab of a comparison counts the articles its banner counts (the months compared)
    assert comparison.profiles.empty or int(comparison.profiles["articles"].sum()) == comparison.compared_articles
    # coverage describes an outlet's whole output in the chosen dates and outlets: no narrowing changes it
    whole = overview.outlets(store, sel.sources()).set_index("outlet")
    mine = table_of.set_index("outlet")
    both = [o for o in mine.index if o in whole.index and mine.loc[o, "articles"] > 0]
    cols = ["coverage", "gap_months", "outlet_total"]
    pd.testing.assert_frame_equal(mine.loc[both, cols], whole.loc[both, cols], check_dtype=False)
    cov = comparison.coverage.set_index("outlet")
    cov_whole = outlets.compare(store, sel.sources(), "outlet", comparison.chosen).coverage.set_index("outlet")
    for o in cov.index.intersection(cov_whole.index):
        assert (cov.loc[o, "first_month"], cov.loc[o, "gaps"]) == (
            cov_whole.loc[o, "first_month"],
            cov_whole.loc[o, "gaps"],
        )


@settings(max_examples=SELECTIONS, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sel=selections())
def test_every_page_agrees_on_a_generated_selection(fitted, sel):
    check(fitted, sel)


@settings(max_examples=SEARCHES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=searches)
def test_no_search_string_raises_on_any_question(fitted, text):
    sel = Selection(search=text)
    r = resolve(fitted, sel)
    assert all(isinstance(n, str) and n for n in r.notes)
    assert article.search(fitted, sel).total == len(r.rows)
    assert overview.overview(fitted, sel).articles == len(r.rows)
    overview.articles_over_time(fitted, sel, "auto")
    trends.topic_trends(fitted, sel)
    trends.changes(fitted, sel)
    lines.compared(fitted, Selection(), (lines.Line("a", search=text), lines.Line("b", search="zeta")))
    stories.story_list(fitted, Selection(), find=text)
    entities.top(fitted, sel)
    for kind in blindspots.KINDS:
        blindspots.blind_spots(fitted, sel, kind)
    headlines.headlines(fitted, sel)
    assert np.isfinite(len(fitted.search.matches(text)))


def test_the_invariants_hold_on_the_cases_a_user_reported(fitted):
    """The selections of the reported defects, always run (beside the generated ones)."""
    for sel in (
        Selection(search="COVID-19"),
        Selection(level="themes", topics=(TopicId(0),)),
        Selection(start=date(2020, 3, 1), end=date(2020, 4, 30), outlets=("Daily Planet", "Nowhere News")),
        Selection(topics=(TopicId(0),), outlets=("Gotham Gazette", "Daily Planet")),
    ):
        check(fitted, sel)
