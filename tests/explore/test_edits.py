"""Topics and themes as the user curates them: each edit's sentence and its effect on the tables."""

from __future__ import annotations

import pytest

from analysis.errors import BadInput, NotFound
from analysis.explore import edits
from analysis.store import Store


def test_each_topic_edit_says_what_it_did_and_the_tables_follow(fitted_copy):
    with Store(fitted_copy) as store:
        table = edits.topic_table(store)
        first, second = (int(t) for t in table["topic"][:2])
        assert (
            edits.edit_topic(store, "rename", first, "  Storm   season ")
            == f"Topic {first} is now called “Storm season”."
        )
        assert dict(edits.choices(store))[first] == "Storm season"
        assert edits.edit_topic(store, "merge", second, first) == f"Topic {second} was merged into topic {first}."
        assert second not in set(edits.topic_table(store)["topic"])
        assert set(edits.raw_topic_ids(store, (first,))) == {first, second}
        assert edits.edit_topic(store, "unmerge", second) == f"Topic {second} is separate again."
        assert edits.edit_topic(store, "hide", second) == f"Topic {second} is hidden; its articles count as unassigned."
        assert second not in dict(edits.choices(store))
        assert second in set(edits.topic_table(store, include_hidden=True)["topic"])
        assert edits.edit_topic(store, "show", second) == f"Topic {second} is shown again."
        with pytest.raises(BadInput, match="Unknown topic edit 'delete'"):
            edits.edit_topic(store, "delete", first)
        with pytest.raises(NotFound, match="There is no topic 99999"):
            edits.edit_topic(store, "rename", 99999, "x")


def test_each_theme_edit_says_what_it_did(fitted_copy):
    with Store(fitted_copy) as store:
        themes = [t for t, _ in edits.choices(store, "themes")]
        a, b = themes[:2]
        assert edits.edit_theme(store, "rename", a, "Weather") == f"Theme {a} is now called “Weather”."
        assert edits.edit_theme(store, "merge", b, a).startswith(f"Theme {b} was merged into theme {a}")
        assert edits.merged_themes(store) == {b: a}
        assert set(edits.raw_topic_ids(store, (a,), "themes")) >= set(edits.raw_topic_ids(store, (b,), "themes"))
        assert edits.edit_theme(store, "unmerge", b) == f"Theme {b} is separate again."
        assert edits.merged_themes(store) == {}
        assert dict(edits.choices(store, "themes"))[a] == "Weather"


def test_before_the_first_fit_there_is_nothing_to_choose(store):
    assert edits.choices(store) == [] and edits.choices(store, "themes") == []
