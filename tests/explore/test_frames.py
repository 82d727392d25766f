"""The app's in-memory article frame: the same rows as the SQL filters, and its Parquet cache."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.explore import frames
from analysis.filters import Filters
from analysis.store import Store


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(start=date(2020, 1, 8)),
        Filters(start=date(2020, 1, 8), end=date(2020, 1, 20)),
        Filters(outlets=("Daily Planet", "Gotham Gazette")),
        Filters(search="storm"),
        Filters(search='storm AND ("coastal'),  # malformed: searched as plain words
        Filters(search="storm", outlets=("Star City Star",), end=date(2020, 2, 1)),
    ],
)
def test_in_memory_filters_match_the_sql_filters(fixture_db, filters):
    with Store(fixture_db, readonly=True) as s:
        expected = s.articles.matching_ids(filters)
        got = frames.filtered(s, filters)
    assert set(got["article_id"]) == expected
    assert len(got) == len(expected)


@pytest.mark.parametrize("search", ["storm", 'storm AND ("coastal', "zzzunfound"])
def test_search_through_the_frames_row_numbers_gives_the_stores_ids_and_order(fixture_db, search):
    with Store(fixture_db, readonly=True) as s:
        df = frames.article_frame(s)
        direct = frames.search_ranks(s, search)
        by_frame = frames.search_ranks(s, search, df)
        shuffled = frames.search_ranks(s, search, df.sample(frac=1, random_state=1))  # rows in any order
    assert by_frame.index.tolist() == direct.index.tolist()
    assert by_frame.tolist() == pytest.approx(direct.tolist())
    assert shuffled.index.tolist() == direct.index.tolist()
    assert (len(direct) > 0) == (search != "zzzunfound")


@pytest.mark.parametrize("search", ["storm", "zzzunfound"])
def test_search_hits_by_frame_row_are_the_same_with_and_without_the_indexs_row_numbers(fixture_db, search):
    with Store(fixture_db, readonly=True) as s:
        df = frames.article_frame(s)
        part = df.iloc[::2]  # a frame missing some matches, rows labelled as in the whole frame
        by_row = frames.search_hits(s, search, df)
        part_by_row = frames.search_hits(s, search, part)
        s.filtering.search_rows = lambda _search: None  # as on PostgreSQL: the index answers by article id
        by_id = frames.search_hits(s, search, df)
        part_by_id = frames.search_hits(s, search, part)
        direct = frames.search_ranks(s, search)
    pd.testing.assert_series_equal(by_row, by_id)
    pd.testing.assert_series_equal(part_by_row, part_by_id)
    assert df.loc[by_row.index, "article_id"].tolist() == direct.index.tolist()
    assert set(part_by_row.index) == set(by_row.index) & set(part.index)
    assert (len(by_row) > 0) == (search != "zzzunfound")


def test_bias_country_and_topic_filters(fitted_db):
    with Store(fitted_db, readonly=True) as s:
        df = frames.article_frame(s)
        left = frames.apply_filters(df, Filters(biases=("Left",)))
        assert set(left["outlet"]) == {"Daily Planet", "Metropolis Mirror"}
        uk = frames.apply_filters(df, Filters(countries=("UK",)))
        assert set(uk["outlet"]) == {"Star City Star"}
        topic = int(df.loc[df["topic"] >= 0, "topic"].iloc[0])
        one = frames.apply_filters(df, Filters(topics=(topic,)))
        assert len(one) == (df["raw_topic"] == topic).sum() and set(one["topic"]) == {topic}
        sql = s.articles.matching_ids(Filters(topics=(topic,), biases=("Left",)))
        assert set(frames.apply_filters(df, Filters(topics=(topic,), biases=("Left",)))["article_id"]) == sql


def test_stats_volume_and_outlet_table(fixture_db):
    from tests.support.fixtures import fixture_rows

    with Store(fixture_db, readonly=True) as s:
        df = frames.article_frame(s)
    st = frames.stats(df)
    assert st["articles"] == len(fixture_rows()) and st["undated"] == 2 and st["outlets"] == 4
    vol = frames.volume(df, "week", top_n=2)
    assert vol["articles"].sum() == len(fixture_rows()) - 2  # undated left out
    assert set(vol["outlet"]) == {"Metropolis Mirror", "Star City Star", "Other outlets"}
    table = frames.outlet_table(df)
    assert table["articles"].sum() == len(fixture_rows()) and table["share"].sum() == pytest.approx(1, abs=1e-3)


def test_the_frame_file_follows_the_store_version(fixture_db_copy):
    with Store(fixture_db_copy) as s:
        first = frames.cached_article_frame(s)
        files = list((fixture_db_copy.parent / "cache").glob("*-frame-*"))
        assert len(files) == 1
        from_file = frames.cached_article_frame(s)
        pd.testing.assert_frame_equal(from_file, first, check_dtype=False)
        assert from_file["published"].dtype == first["published"].dtype and from_file["rid"].dtype == first["rid"].dtype
        s.outlets.update_outlet("Daily Planet", bias="Center")  # a write: new version, new file, old one gone
        again = frames.cached_article_frame(s)
        files2 = list((fixture_db_copy.parent / "cache").glob("*-frame-*"))
        assert len(files2) == 1 and files2 != files
        assert set(again.loc[again["outlet"] == "Daily Planet", "bias"]) == {"Center"}


def test_the_mentions_filter_is_the_same_in_memory_and_in_sql(fixture_db_copy):
    from analysis.enrich.entity_aliases import resolve

    with Store(fixture_db_copy) as s:
        ids = sorted(s.articles.matching_ids(Filters()))
        rows = [(a, "Gotham", "place", 1) for a in ids[::3]] + [(a, "Bruce Wayne", "person", 2) for a in ids[:4]]
        s.entities.replace_entities(*resolve(pd.DataFrame(rows, columns=["article_id", "surface", "kind", "count"])))
        table = s.entities.entity_table().set_index("name")
        gotham, wayne = int(table.loc["Gotham", "entity_id"]), int(table.loc["Bruce Wayne", "entity_id"])
        for f in (Filters(entities=(gotham,)), Filters(entities=(gotham, wayne)),
                  Filters(entities=(wayne,), search="storm"), Filters(entities=(gotham,), outlets=("Daily Planet",))):  # fmt: skip
            expected = s.articles.matching_ids(f)
            assert set(frames.filtered(s, f)["article_id"]) == expected
        assert s.articles.matching_ids(Filters(entities=(gotham, wayne))) == set(ids[::3]) | set(ids[:4])
        assert Filters(entities=(gotham,)).sources() == Filters()  # all coverage: no mention narrows it


def test_entity_links_are_kept_beside_the_store_until_its_version_changes(fixture_db_copy):
    from analysis.explore import entities

    with Store(fixture_db_copy) as s:
        ids = [a for (a,) in s.execute("SELECT id FROM articles ORDER BY id LIMIT 3")]
        s.entities.replace_entities(
            pd.DataFrame({"article_id": [ids[0], ids[0], ids[1], ids[2]], "key": ["p:a", "o:b", "p:a", "o:b"],
                          "count": [2, 1, 1, 3]}),
            pd.DataFrame({"key": ["p:a", "o:b"], "name": ["Ann", "Bank"], "kind": ["person", "organisation"],
                          "mentions": [3, 4], "articles": [2, 2], "aliases": [[], []]}),
        )  # fmt: skip
        fresh = s.entities.article_entities()
        assert len(fresh) == 4
        first = entities.cached_links(s)
        assert isinstance(first["article_id"].dtype, pd.CategoricalDtype)
        assert sorted(map(tuple, first.astype({"article_id": str}).values.tolist())) == sorted(
            map(tuple, fresh.values.tolist())
        )
        assert len(list((fixture_db_copy.parent / "cache").glob("*-links-v*.parquet"))) == 1
        pd.testing.assert_frame_equal(entities.cached_links(s), first)  # read back from the file, same types
        s.entities.replace_entities(pd.DataFrame({"article_id": [ids[2]], "key": ["p:a"], "count": [1]}),
                                    pd.DataFrame({"key": ["p:a"], "name": ["Ann"], "kind": ["person"], "mentions": [1],
                                                  "articles": [1], "aliases": [[]]}))  # fmt: skip
        again = entities.cached_links(s)  # a new version: rebuilt, the old file removed
        assert again.astype({"article_id": str}).values.tolist() == [[ids[2], 0, 1]]
        assert len(list((fixture_db_copy.parent / "cache").glob("*-links-v*.parquet"))) == 1


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(outlets=("Daily Planet",)), Filters(search="storm"), Filters(biases=("Left",))]
)
@pytest.mark.parametrize("sort", ["biggest", "newest"])
def test_story_list_from_the_in_memory_selection_matches_the_store_join(fitted_db, filters, sort):
    from analysis.explore.stories import story_list

    with Store(fitted_db, readonly=True) as s:
        df = frames.article_frame(s)
        selection = frames.apply_filters(df, filters, frames.search_hits(s, filters.search, df)
                                         if filters.search else None)  # fmt: skip
        joined = story_list(s, filters, sort, min_outlets=2)
        in_memory = story_list(s, filters, sort, min_outlets=2, selection=selection)
    pd.testing.assert_frame_equal(in_memory, joined, check_dtype=False)
    assert in_memory.attrs["total"] == joined.attrs["total"]
    if filters == Filters():
        assert len(joined) > 0  # the fixture has stories across outlets


@pytest.mark.parametrize("limit", [1, 3, 10, 500])
def test_search_results_by_relevance_are_the_best_ranked_first(fitted_db, limit):
    from analysis.explore.article import search

    with Store(fitted_db, readonly=True) as s:
        df = frames.article_frame(s)
        hits = frames.search_hits(s, "storm", df)
        by_id = frames.search_ranks(s, "storm")
        selection = frames.apply_filters(df, Filters(search="storm"), hits)
        hits = pd.concat([hits, hits.iloc[:2].set_axis([len(df), len(df) + 7])])  # rows not in the frame: skipped
        got = search(s, selection, hits, "relevance", limit)
        everyone = search(s, df, hits, "relevance", limit)  # unranked articles come after every ranked one
        shuffled = df.sample(frac=1, random_state=2).reset_index(drop=True)  # row order is not row number order
        again = search(s, shuffled, frames.search_hits(s, "storm", shuffled), "relevance", limit)
    full = selection.assign(rank=selection["article_id"].map(by_id)).sort_values(["rank", "article_id"])
    assert got["id"].tolist() == full["article_id"].head(limit).tolist()
    assert got.attrs["total"] == len(selection) and 0 < len(selection) < len(df)
    assert set(selection["article_id"]) == set(by_id.index)
    whole = df.assign(rank=df["article_id"].map(by_id)).sort_values(["rank", "article_id"])
    assert everyone["id"].tolist() == whole["article_id"].head(limit).tolist()
    assert again["id"].tolist() == everyone["id"].tolist()


def test_outlet_coverage_kept_beside_the_store_reads_back_as_computed(fitted_copy, monkeypatch):
    from analysis.explore import coverage

    with Store(fitted_copy) as s:
        computed = coverage.store_table(s)
        kept, again = coverage.cached_table(s), coverage.cached_table(s)  # written, then read back
        # gap months (lists of month starts) survive the file too
        gappy = computed.assign(gap_months=[[pd.Timestamp("2020-02-01"), pd.Timestamp("2020-04-01")]]
                                + [[] for _ in range(len(computed) - 1)])  # fmt: skip
        monkeypatch.setattr(coverage, "store_table", lambda store: gappy)
        s.bump_version()
        with_gaps = coverage.cached_table(s)
    assert len(computed) == 4 and set(computed["outlet"]) == set(kept["outlet"])
    for table in (kept, again):
        pd.testing.assert_frame_equal(table, computed, check_dtype=False)
    assert with_gaps["gap_months"].iloc[0] == [pd.Timestamp("2020-02-01"), pd.Timestamp("2020-04-01")]
    assert with_gaps["gap_months"].iloc[1] == []
