"""One selection, resolved in one place: the selected articles are those an independent SQL reading of the store
picks, the base is the same without topics, themes, mentions or search, and a chosen outlet with no article is
named with the reason."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.explore import working
from analysis.explore.resolve import resolve
from analysis.explore.selection import Selection, ThemeId, TopicId
from analysis.store import Store
from analysis.store.sqlite import fts5_query


def oracle(store: Store, sel: Selection) -> set[str]:
    """The ids a selection picks, read with plain SQL (and the store's one search)."""
    sql = "SELECT a.id FROM articles a LEFT JOIN outlets o ON o.name = a.outlet WHERE 1 = 1"
    params: list[object] = []
    if sel.start:
        sql += " AND a.published >= ?"
        params.append(sel.start.isoformat())
    if sel.end:
        sql += " AND a.published < ?"
        params.append((pd.Timestamp(sel.end) + pd.Timedelta(days=1)).date().isoformat())
    for col, values in (("a.outlet", sel.outlets), ("o.bias", sel.biases), ("o.country", sel.countries)):
        if values:
            sql += f" AND {col} IN ({','.join('?' * len(values))})"
            params += list(values)
    ids = {r[0] for r in store.execute(sql, params)}
    if sel.topics or sel.themes:
        frame = working.frame(store)
        col, wanted = ("topic", sel.topics) if sel.topics else ("theme", sel.themes)
        ids &= set(frame.loc[frame[col].isin([t.value for t in wanted]), "article_id"])
    if sel.search:
        ids &= set(store.search.ids_of(store.search.matches(sel.search)))
    if sel.mentions:
        raw = store.entities.raw_entity_ids(sel.mentions)
        ph = ",".join("?" * len(raw))
        ids &= {r[0] for r in store.execute(f"SELECT article_id FROM article_entities WHERE entity_id IN ({ph})", raw)}
    return ids


SELECTIONS = [
    Selection(),
    Selection(start=date(2020, 1, 8)),
    Selection(start=date(2020, 1, 8), end=date(2020, 1, 20)),
    Selection(outlets=("Daily Planet", "Gotham Gazette")),
    Selection(search="storm"),
    Selection(search='storm AND ("coastal'),  # read as plain words
    Selection(search="storm", outlets=("Star City Star",), end=date(2020, 2, 1)),
    Selection(biases=("left",), countries=("US",)),
    Selection(search="COVID-19"),
    Selection(search="the of"),
]


@pytest.mark.parametrize("sel", SELECTIONS)
def test_the_selected_articles_are_those_sql_picks_and_the_base_drops_only_content_filters(fixture_db, sel):
    with Store(fixture_db, readonly=True) as s:
        r = resolve(s, sel)
        assert set(r.rows["article_id"]) == oracle(s, sel) and len(r.rows) == r.count
        assert set(r.base["article_id"]) == oracle(s, sel.sources())
        assert set(r.rows.index) <= set(r.base.index)


def test_topics_themes_and_mentions_narrow_the_rows_not_the_base(fitted_db):
    with Store(fitted_db, readonly=True) as s:
        frame = working.frame(s)
        topic = int(frame.loc[frame["topic"] >= 0, "topic"].iloc[0])
        theme = int(frame.loc[frame["topic"] == topic, "theme"].iloc[0])
        for sel in (
            Selection(topics=(TopicId(topic),)),
            Selection(themes=(ThemeId(theme),), level="themes"),
            Selection(topics=(TopicId(topic),), biases=("Left",)),
        ):
            r = resolve(s, sel)
            assert set(r.rows["article_id"]) == oracle(s, sel) and 0 < len(r.rows) < len(r.base)
            assert len(r.base) == len(resolve(s, sel.sources()).rows)
        one = resolve(s, Selection(topics=(TopicId(topic),)))
        assert set(one.rows["topic"]) == {topic}
        # a theme id is never read as a topic id: theme 0 and topic 0 pick different articles
        t0, th0 = resolve(s, Selection(topics=(TopicId(0),))), resolve(s, Selection(themes=(ThemeId(0),)))
        assert set(t0.rows["topic"]) == {0} and set(th0.rows["theme"]) == {0}


def test_topic_and_theme_ids_cannot_be_confused():
    with pytest.raises(TypeError):
        Selection(topics=(ThemeId(1),))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Selection(themes=(1,))  # type: ignore[arg-type]
    assert TopicId(3) != ThemeId(3) and str(TopicId(3)) == "3"


def test_a_selection_reads_and_writes_the_address_and_never_raises():
    sel = Selection.parse(
        {
            "dates": ["2020-01-01", "2020-02-01"],
            "outlet": ["B", "A"],
            "level": ["themes"],
            "themes": ["4", "x"],
            "mentions": ["7"],
            "q": ["  covid   vaccine "],
        }
    )
    assert sel == Selection(
        start=date(2020, 1, 1),
        end=date(2020, 2, 1),
        outlets=("A", "B"),
        level="themes",
        themes=(ThemeId(4),),
        mentions=(7,),
        search="covid vaccine",
    )
    assert sel.notes and "x" in sel.notes[0]
    assert Selection.parse(sel.params()) == sel
    assert Selection.parse({"dates": ["soon"], "level": ["planets"]}) == Selection()
    assert Selection(outlets=("B", "A")) == Selection(outlets=("A", "B"))  # the same choice is the same selection
    assert Selection(start=date(2020, 3, 1), end=date(2020, 1, 1)).start == date(2020, 1, 1)
    assert "search “covid”" in Selection(search="covid").describe()


def test_a_chosen_outlet_without_articles_is_named_with_the_reason(fixture_db):
    with Store(fixture_db, readonly=True) as s:
        r = resolve(s, Selection(outlets=("Daily Planet", "Nowhere News"), search="zzzunfound"))
        why = dict(r.absent)
        assert why["Nowhere News"] == "not in this store"
        assert why["Daily Planet"] == "none of its articles matches the rest of the selection"
        late = resolve(s, Selection(outlets=("Daily Planet",), start=date(2021, 1, 1)))
        assert "outside these dates" in dict(late.absent)["Daily Planet"]
        assert resolve(s, Selection(outlets=("Daily Planet",))).absent == ()


@pytest.mark.parametrize("search", ["storm", "zzzunfound", "storm -election"])
def test_search_rows_are_the_same_by_row_number_and_by_article_id(fixture_db, search, monkeypatch):
    with Store(fixture_db, readonly=True) as s:
        by_row = working.search(s, search).ranks
        working.forget()
        monkeypatch.setattr(type(s.dialect), "by_row", False)  # as on PostgreSQL: the index answers by article id
        monkeypatch.setattr(
            type(s.dialect),
            "match",
            lambda self, node: (
                "SELECT a.id, bm25(articles_fts) FROM articles_fts JOIN articles a ON a.rid = articles_fts.rowid"
                " WHERE articles_fts MATCH ?",
                [fts5_query(node)],
            ),
        )
        by_id = working.search(s, search).ranks
        working.forget()
    pd.testing.assert_series_equal(by_row, by_id)
    assert (len(by_row) > 0) == (search != "zzzunfound")


def test_an_outlet_compared_outside_the_outlet_filter_names_the_filter(fixture_db):
    from analysis.explore.resolve import absent_outlets

    with Store(fixture_db, readonly=True) as s:
        sel = Selection(outlets=("Daily Planet",))
        rows = resolve(s, sel).rows.assign(outlet="Daily Planet")
        why = dict(absent_outlets(s, ("Daily Planet", "Nowhere News", "Gotham Gazette"), rows, sel))
        assert why["Nowhere News"] == "not in this store"
        assert "Daily Planet" not in why
        assert why["Gotham Gazette"] == "the outlet filter keeps only Daily Planet"  # in the store, filtered out
