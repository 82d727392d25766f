"""Themes: grouping topics, persisting them, edits across refits, exports; NPMI on a hand-checked corpus."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from analysis.enrich.themes import group_topics, theme_count, theme_keywords, theme_range
from analysis.errors import BadInput, NotFound
from analysis.explore.export import export_articles, export_topics
from analysis.pipeline.fit import backfill_themes, run_fit
from analysis.store import Store
from tests.support.fakes import HashingEmbedder


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def test_topics_near_each_other_share_a_theme():
    rng = np.random.default_rng(0)
    axes = np.eye(16)[:6]  # six well-separated directions, four topics around each
    cents, sizes = {}, {}
    for g, axis in enumerate(axes):
        for j in range(4):
            cents[g * 4 + j] = _unit(axis + 0.15 * rng.normal(size=16))
            sizes[g * 4 + j] = 10 + j
    of = group_topics(cents, sizes, k=6)
    assert len(set(of.values())) == 6  # cut into six for this test
    for g in range(6):
        assert len({of[g * 4 + j] for j in range(4)}) == 1
    assert theme_range(24) == (5, 12) and theme_range(6) == (3, 3) and theme_range(200) == (5, 25)
    assert [theme_count(n) for n in (6, 24, 93, 400)] == [3, 10, 19, 25]
    assert len(set(group_topics(cents, sizes).values())) == theme_count(24)


def test_theme_keywords_favour_words_of_its_big_topics():
    words = theme_keywords(
        {0: 0, 1: 0}, {0: [("tariffs", 0.5), ("china", 0.4)], 1: [("china", 0.5), ("soybeans", 0.4)]}, {0: 100, 1: 10}
    )
    assert [w for w, _ in words[0]] == ["tariffs", "china", "soybeans"]


def _rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_a_fit_has_themes_that_exports_and_edits_follow(fitted_copy, tmp_path):
    store = Store(fitted_copy)
    themes = store.topics.theme_table()
    topics = store.topics.topic_table(include_hidden=True)
    assert 1 <= len(themes) <= 25
    assert (topics["theme"] >= 0).all()  # every topic sits in a theme
    assert sorted(t for ts in themes["topics"] for t in ts) == sorted(topics.loc[~topics["hidden"], "topic"])
    assert themes["size"].sum() == topics.loc[~topics["hidden"], "size"].sum()
    assert themes["label"].str.lower().is_unique

    export_articles(store, tmp_path / "a.csv")
    rows = _rows(tmp_path / "a.csv")
    assert {"theme", "theme_label"} <= set(rows[0])
    label_of = dict(zip(themes["theme"].astype(str), themes["label"], strict=True))
    theme_of_topic = dict(zip(topics["topic"].astype(str), topics["theme"].astype(str), strict=True))
    for r in rows:
        if r["topic"] != "-1":
            assert r["theme"] == theme_of_topic[r["topic"]] and r["theme_label"] == label_of[r["theme"]]
        else:
            assert r["theme"] == "-1" and r["theme_label"] == "Unassigned"
    export_topics(store, tmp_path / "t.csv")
    assert {"theme", "theme_label"} <= set(_rows(tmp_path / "t.csv")[0])

    first = int(themes.iloc[0]["theme"])
    store.topics.rename_theme(first, "Money matters")
    assert len(themes) > 1, "the fixture's six subjects make more than one theme"
    with pytest.raises(BadInput, match="already called 'Money matters'"):
        store.topics.rename_theme(int(themes.iloc[-1]["theme"]), "money MATTERS")
    with pytest.raises(NotFound, match="no theme 9999"):
        store.topics.rename_theme(9999, "x")
    assert store.topics.theme_table().set_index("theme").loc[first, "label"] == "Money matters"
    second = int(themes.iloc[1]["theme"])
    moved = set(themes.iloc[1]["topics"])
    store.topics.merge_themes(second, first)
    after = store.topics.theme_table().set_index("theme")
    assert second not in after.index and moved <= set(after.loc[first, "topics"])
    merged = store.topics.article_topics()
    assert set(merged.loc[merged["topic"].isin(moved), "theme_label"]) == {"Money matters"}
    store.topics.unmerge_theme(second)
    assert second in set(store.topics.theme_table()["theme"])
    store.close()


def test_theme_names_survive_a_refit(fitted_copy):
    store = Store(fitted_copy)
    first = int(store.topics.theme_table().iloc[0]["theme"])
    store.topics.rename_theme(first, "Kept name")
    run_fit(store, HashingEmbedder())  # same articles, same seed: the same themes continue
    assert "Kept name" in set(store.topics.theme_table()["label"])
    store.close()


def test_a_fit_made_before_themes_gets_them_without_a_refit(fitted_copy):
    store = Store(fitted_copy)
    fit_id = store.active_fit
    store.execute("DELETE FROM themes WHERE fit_id = ?", (fit_id,))
    store.execute("UPDATE topics SET theme = NULL WHERE fit_id = ?", (fit_id,))
    assert store.topics.theme_table().empty
    made = backfill_themes(store)
    assert made >= 1 and len(store.topics.theme_table()) == made
    assert backfill_themes(store) == 0  # once is enough
    store.close()


def test_npmi_on_a_hand_checked_corpus():
    pytest.importorskip("gensim")
    from bench.eval_topics import diversity, npmi, top_words

    texts = [["tax", "budget"], ["tax", "budget"], ["storm", "flood"], ["storm", "flood"]]
    eps = 1e-12
    # "tax" and "budget" always together: p = 0.5 each and together, NPMI = log(p/(p*p)) / -log(p) = 1.
    assert npmi([["tax", "budget"]], texts) == pytest.approx(1.0, abs=1e-6)
    # "tax" and "storm" never together: gensim's smoothed value log(eps/0.25) / -log(eps).
    assert npmi([["tax", "storm"]], texts) == pytest.approx(math.log(eps / 0.25) / -math.log(eps), abs=1e-6)
    assert npmi([["tax", "budget"], ["tax", "storm"]], texts) == pytest.approx(
        (1.0 + math.log(eps / 0.25) / -math.log(eps)) / 2, abs=1e-6
    )
    assert top_words(["senate trial", "senate", "witnesses"], 3) == ["senate", "trial", "witnesses"]
    assert diversity([["a", "b"], ["b", "c"]]) == 0.75


def test_themes_on_the_command_line(fitted_copy, capsys):
    from analysis.cli import main

    assert main(["themes", "--db", str(fitted_copy)]) == 0
    listing = capsys.readouterr().out
    store = Store(fitted_copy)
    themes = store.topics.theme_table()
    store.close()
    assert all(label in listing for label in themes["label"])
    first = int(themes.iloc[0]["theme"])
    assert main(["themes", "rename", str(first), "Storm", "season", "--db", str(fitted_copy)]) == 0
    assert f"{first:>5}" in capsys.readouterr().out
    assert main(["themes", "merge", str(first), str(first), "--db", str(fitted_copy)]) == 1
    assert "error: A theme cannot be merged into itself." in capsys.readouterr().err
    assert main(["themes", "rename", "--db", str(fitted_copy)]) == 1
    assert "Give what to change" in capsys.readouterr().err
    store = Store(fitted_copy)
    assert "Storm season" in set(store.topics.theme_table()["label"])
    store.close()
