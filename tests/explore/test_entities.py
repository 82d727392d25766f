"""Who is in the news, on a small hand-checked fixture."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.explore import entities as ent

TABLE = pd.DataFrame(
    {"entity_id": [1, 2, 3], "name": ["Angela Merkel", "Berlin", "NATO"], "kind": ["person", "place", "organisation"]}
)


@pytest.fixture
def corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two outlets with 10 articles each over two weeks; A names Merkel in 6, B in 1."""
    rows, links = [], []
    for o in ("A", "B"):
        for i in range(10):
            aid = f"{o}{i}"
            rows.append(
                {"article_id": aid, "outlet": o, "published": pd.Timestamp("2024-03-04") + pd.Timedelta(days=i)}
            )
            if (o == "A" and i < 6) or (o == "B" and i == 0):
                links.append((aid, 1, 2))
                if i < 3:
                    links.append((aid, 2, 1))  # Berlin with Merkel in A0-A2 and B0
            if o == "B" and i >= 5:
                links.append((aid, 3, 1))
    return pd.DataFrame(rows), pd.DataFrame(links, columns=["article_id", "entity_id", "count"])


def test_the_most_named_entities_of_the_selection(corpus):
    df, links = corpus
    top = ent.top_entities(df, links, TABLE)
    assert top[["name", "articles", "mentions", "outlets"]].values.tolist() == [
        ["Angela Merkel", 7, 14, 2],
        ["NATO", 5, 5, 1],
        ["Berlin", 4, 4, 2],
    ]
    assert top["share"].iloc[0] == pytest.approx(7 / 20)
    only_b = ent.top_entities(df[df["outlet"] == "B"], links, TABLE, kind="person")
    assert only_b[["name", "articles"]].values.tolist() == [["Angela Merkel", 1]]


def test_links_with_categorical_ids_give_the_same_counts(corpus):
    df, links = corpus  # the app's shared links hold article ids as categories; a link to an article not in df
    cat = pd.concat([links, pd.DataFrame({"article_id": ["Z9"], "entity_id": [2], "count": [5]})], ignore_index=True)
    cat = cat.astype({"article_id": "category"})
    for frame in (df, df[df["outlet"] == "B"], df.iloc[::3]):
        pd.testing.assert_frame_equal(ent.top_entities(frame, cat, TABLE), ent.top_entities(frame, links, TABLE))
    assert ent.top_entities(df.iloc[:0], cat, TABLE).empty


def test_an_outlet_that_names_an_entity_more_than_the_others(corpus):
    df, links = corpus
    named = df["article_id"].isin(ent.mentioning(links, [1])).to_numpy()
    table = ent.by_group(df, named).set_index("outlet")
    # A: 6/10 against B's 1/10; pooled 7/20: z = 0.5 / sqrt(0.35 * 0.65 * 0.2) = 2.344
    assert table.loc["A", ["articles", "outlet_total"]].tolist() == [6, 10]
    assert table.loc["A", "z"] == pytest.approx(0.5 / math.sqrt(0.35 * 0.65 * 0.2), abs=1e-6)
    assert table.loc["B", "z"] == pytest.approx(-table.loc["A", "z"])
    assert table.loc["A", "ratio"] == pytest.approx(6.0)
    assert table.loc["A", "q_value"] == pytest.approx(table.loc["A", "p_value"])  # two tests, equal p: q = p
    assert bool(table.loc["A", "significant"])  # p = 0.019


def test_the_test_by_group_is_within_the_rows_it_is_given(corpus):
    df, links = corpus
    df = df.assign(bias=["left"] * 10 + ["right"] * 10)
    named = df["article_id"].isin(ent.mentioning(links, [1])).to_numpy()
    by_bias = ent.by_group(df, named, "bias").set_index("bias")
    assert by_bias.loc["left", ["articles", "bias_total"]].tolist() == [6, 10]
    half = df["published"] < pd.Timestamp("2024-03-09")  # a filter: each group's share is of its rows there
    within = ent.by_group(df[half], named[half.to_numpy()], "bias").set_index("bias")
    assert within.loc["left", ["articles", "bias_total"]].tolist() == [5, 5]
    assert within.loc["right", ["articles", "bias_total"]].tolist() == [1, 5]


def test_co_mentioned_entities_and_the_entities_of_a_set_of_articles(corpus):
    df, links = corpus
    co = ent.co_mentioned(df, links, TABLE, [1])
    assert co[["name", "together"]].values.tolist() == [["Berlin", 4]]  # NATO never appears with Merkel
    assert co["share"].iloc[0] == pytest.approx(4 / 7) and co["lift"].iloc[0] == pytest.approx((4 / 7) / (4 / 20))
    story = ent.entities_of(links, TABLE, ["A0", "B0", "B9"])
    assert story[["name", "articles", "mentions"]].values.tolist() == [
        ["Angela Merkel", 2, 4],
        ["Berlin", 2, 2],
        ["NATO", 1, 1],
    ]
    assert ent.entities_of(links, TABLE, []).empty and ent.co_mentioned(df, links, TABLE, [99]).empty


def test_whole_store_counts_kept_beside_it_give_the_same_top_entities(fitted_copy):
    from analysis.explore.frames import article_frame, links_of
    from analysis.store import Store

    with Store(fitted_copy) as s:
        df, links, table = article_frame(s), links_of(s), ent.table_of(s)
        kept = ent.cached_entity_counts(s)
        assert list(Path(s.local_dir, "cache").glob("*entity-counts*"))  # written beside the store
        again = ent.cached_entity_counts(s)  # read back
    pd.testing.assert_frame_equal(again, kept, check_dtype=False)
    assert len(kept) > 0
    for kind in (None, "person", "place"):
        pd.testing.assert_frame_equal(
            ent.top_entities(df, pd.DataFrame(), table, kind, 20, counts=kept),
            ent.top_entities(df, links, table, kind, 20),
            check_dtype=False,
        )
