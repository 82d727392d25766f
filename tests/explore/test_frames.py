"""The article frame and what is kept beside the store: the frame file, entity links and outlet coverage."""

from __future__ import annotations

import pandas as pd

from analysis.explore import frames
from analysis.store import Store


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


def test_entity_links_are_kept_beside_the_store_until_its_version_changes(fixture_db_copy):

    with Store(fixture_db_copy) as s:
        ids = [a for (a,) in s.execute("SELECT id FROM articles ORDER BY id LIMIT 3")]
        s.entities.replace_entities(
            pd.DataFrame(
                {
                    "article_id": [ids[0], ids[0], ids[1], ids[2]],
                    "key": ["p:a", "o:b", "p:a", "o:b"],
                    "count": [2, 1, 1, 3],
                }
            ),
            pd.DataFrame(
                {
                    "key": ["p:a", "o:b"],
                    "name": ["Ann", "Bank"],
                    "kind": ["person", "organisation"],
                    "mentions": [3, 4],
                    "articles": [2, 2],
                    "aliases": [[], []],
                }
            ),
        )
        fresh = s.entities.article_entities()
        assert len(fresh) == 4
        first = frames.cached_links(s)
        assert isinstance(first["article_id"].dtype, pd.CategoricalDtype)
        assert sorted(map(tuple, first.astype({"article_id": str}).values.tolist())) == sorted(
            map(tuple, fresh.values.tolist())
        )
        assert len(list((fixture_db_copy.parent / "cache").glob("*-links-v*.parquet"))) == 1
        pd.testing.assert_frame_equal(frames.cached_links(s), first)  # read back from the file, same types
        s.entities.replace_entities(
            pd.DataFrame({"article_id": [ids[2]], "key": ["p:a"], "count": [1]}),
            pd.DataFrame(
                {"key": ["p:a"], "name": ["Ann"], "kind": ["person"], "mentions": [1], "articles": [1], "aliases": [[]]}
            ),
        )
        again = frames.cached_links(s)  # a new version: rebuilt, the old file removed
        assert again.astype({"article_id": str}).values.tolist() == [[ids[2], 0, 1]]
        assert len(list((fixture_db_copy.parent / "cache").glob("*-links-v*.parquet"))) == 1


def test_outlet_coverage_kept_beside_the_store_reads_back_as_computed(fitted_copy, monkeypatch):
    from analysis.explore import coverage

    with Store(fitted_copy) as s:
        computed = coverage.store_table(s)
        kept, again = coverage.cached_table(s), coverage.cached_table(s)  # written, then read back
        # gap months (lists of month starts) survive the file too
        gappy = computed.assign(
            gap_months=[[pd.Timestamp("2020-02-01"), pd.Timestamp("2020-04-01")]]
            + [[] for _ in range(len(computed) - 1)]
        )
        monkeypatch.setattr(coverage, "store_table", lambda store: gappy)
        s.bump_version()
        with_gaps = coverage.cached_table(s)
    assert len(computed) == 4 and set(computed["outlet"]) == set(kept["outlet"])
    for table in (kept, again):
        pd.testing.assert_frame_equal(table, computed, check_dtype=False)
    assert with_gaps["gap_months"].iloc[0] == [pd.Timestamp("2020-02-01"), pd.Timestamp("2020-04-01")]
    assert with_gaps["gap_months"].iloc[1] == []
