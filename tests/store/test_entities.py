"""The entities family: stable ids across regroupings, the user's renames and merges, mentions kept."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.enrich.entity_aliases import resolve
from analysis.errors import BadInput, NotFound


def mentions(*rows: tuple[str, str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "surface", "kind", "count"])


def test_ids_are_stable_when_entities_are_regrouped(store):
    first = mentions(("a1", "Barack Obama", "person", 2), ("a2", "NATO", "organisation", 1))
    store.entities.replace_entities(*resolve(first))
    ids = dict(zip(store.entities.entity_table()["name"], store.entities.entity_table()["entity_id"], strict=True))
    second = mentions(("a1", "Barack Obama", "person", 2), ("a3", "Kyiv", "place", 4))  # NATO gone, Kyiv new
    store.entities.replace_entities(*resolve(second))
    table = store.entities.entity_table().set_index("name")
    assert table.loc["Barack Obama", "entity_id"] == ids["Barack Obama"]
    assert "NATO" not in table.index  # no longer mentioned: not listed, but its id is kept
    assert table.loc["Kyiv", "entity_id"] not in ids.values()
    store.entities.replace_entities(*resolve(first))
    assert dict(store.entities.entity_table()[["name", "entity_id"]].values)["NATO"] == ids["NATO"]


def test_rename_merge_and_separate(store):
    store.entities.replace_entities(
        *resolve(
            mentions(
                ("a1", "Kyiv", "place", 3),
                ("a2", "Kiev", "place", 1),
                ("a2", "NATO", "organisation", 2),
            )
        )
    )
    ids = dict(store.entities.entity_table()[["name", "entity_id"]].values)
    store.entities.merge_entities(ids["Kiev"], ids["Kyiv"])
    table = store.entities.entity_table().set_index("name")
    assert "Kiev" not in table.index and table.loc["Kyiv", "mentions"] == 4 and table.loc["Kyiv", "articles"] == 2
    assert set(table.loc["Kyiv", "aliases"]) == {"Kyiv", "Kiev"}
    links = store.entities.article_entities()
    assert set(links.loc[links["entity_id"] == ids["Kyiv"], "article_id"]) == {"a1", "a2"}
    assert set(store.entities.raw_entity_ids([ids["Kyiv"]])) == {ids["Kyiv"], ids["Kiev"]}
    store.entities.rename_entity(ids["Kyiv"], "  Kyiv (Kiev) ")
    assert "Kyiv (Kiev)" in set(store.entities.entity_table()["name"])
    with pytest.raises(BadInput, match="cannot be merged into itself"):
        store.entities.merge_entities(ids["NATO"], ids["NATO"])
    with pytest.raises(BadInput, match="already merged into"):
        store.entities.merge_entities(ids["Kyiv"], ids["Kiev"])
    with pytest.raises(NotFound, match="There is no entity 999"):
        store.entities.rename_entity(999, "x")
    store.entities.unmerge_entity(ids["Kiev"])
    assert store.entities.entity_table().set_index("name").loc["Kiev", "mentions"] == 1


def test_mentions_and_what_was_read_are_kept_per_tagger(store):
    store.entities.save_mentions([("a1", "NATO", "organisation", 2)], ["a1", "a2"], "tagger-1")
    assert store.entities.done_ids("tagger-1") == {"a1", "a2"} and store.entities.done_ids("tagger-2") == set()
    store.entities.save_mentions([("a1", "Kyiv", "place", 1)], ["a1"], "tagger-2")  # a new tagger reads again
    assert store.entities.mentions().values.tolist() == [["a1", "Kyiv", "place", 1]]
