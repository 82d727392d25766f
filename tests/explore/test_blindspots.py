"""Coverage bars and blindspots on hand-checked counts."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import binom

from analysis.explore import blindspots as b
from analysis.explore import sides


def test_a_story_of_three_outlets_has_a_known_coverage_bar():
    bar = sides.coverage_bar({"left": 1, "lean left": 1, "right": 1, "unknown": 2}).set_index("side")
    assert bar["count"].tolist() == [2, 0, 1, 2]
    assert bar.loc["left", "share"] == pytest.approx(2 / 3) and bar.loc["right", "share"] == pytest.approx(1 / 3)
    assert pd.isna(bar.loc["unrated", "share"])
    assert sides.bar_text({"left": 1, "lean left": 1, "right": 1, "unknown": 2}) == (
        "Left 2 (67%) · Center 0 (0%) · Right 1 (33%) · 2 unrated"
    )
    assert sides.bar_text({"unknown": 2}) == "2 unrated"


def test_the_mix_is_each_sides_share_of_all_rated_coverage():
    assert sides.mix([{"left": 2, "right": 1}, {"center": 1, "unknown": 5}]) == {
        "left": 0.5,
        "center": 0.25,
        "right": 0.25,
    }


def test_a_blindspot_that_must_be_found_and_ones_that_must_not():
    counts = pd.DataFrame(
        {"left": [0, 5, 0], "center": [6, 4, 2], "right": [6, 3, 1]}, index=["one-sided", "balanced", "small"]
    )
    mix = {"left": 0.4, "center": 0.3, "right": 0.3}
    tested = b.blindspots(counts, mix, min_rated=6)
    out = tested.table
    assert set(out["id"]) == {"one-sided", "balanced"}  # "small" has 3 rated outlets: never tested
    assert tested.tests == 4
    top = out.iloc[0]
    assert (top["id"], top["missing"], top["rated"], top["count"]) == ("one-sided", "left", 12, 0)
    assert top["p_value"] == pytest.approx(0.6**12) and top["q_value"] == pytest.approx(0.6**12 * 4)
    assert bool(top["significant"])
    balanced = out[(out["id"] == "balanced") & (out["missing"] == "left")].iloc[0]
    assert balanced["p_value"] == pytest.approx(binom.cdf(5, 12, 0.4)) and not balanced["significant"]
    assert out["significant"].sum() == 1


def test_topics_and_entities_covered_mostly_by_one_side():
    rows = [("L", "left")] * 30 + [("C", "center")] * 30 + [("R", "right")] * 30
    df = pd.DataFrame(
        {"article_id": [f"a{i}" for i in range(90)], "bias": [r[1] for r in rows], "outlet": [r[0] for r in rows]}
    )
    df["topic"] = [0 if (i < 30 and i % 2) or i >= 60 else 1 for i in range(90)]  # topic 1: no right-rated article
    df["topic_label"] = df["topic"].map({0: "Zero", 1: "One"})
    df["published"] = pd.NaT  # undated: every article is held against the whole mix
    topics = b.topic_blindspots(df).table
    found = topics[topics["significant"]]
    assert found[["topic_label", "missing", "count"]].values.tolist() == [["One", "right", 0]]
    links = pd.concat(
        [
            pd.DataFrame({"article_id": df.loc[df["topic"] == 1, "article_id"], "entity_id": 7}),
            pd.DataFrame({"article_id": df["article_id"], "entity_id": 8}),
        ]
    ).assign(count=1)
    table = pd.DataFrame({"entity_id": [7, 8], "name": ["Gotham", "Metropolis"], "kind": ["place", "place"]})
    found_ents = b.entity_blindspots(df, links, table)
    ents = found_ents.table
    assert found_ents.mix == pytest.approx({"left": 1 / 3, "center": 1 / 3, "right": 1 / 3})  # each article once
    assert ents.loc[ents["significant"], ["name", "missing", "rated"]].values.tolist() == [["Gotham", "right", 45]]
    rare = pd.concat([links, pd.DataFrame({"article_id": ["a0", "a1", "a61"], "entity_id": 9, "count": 1})])
    table9 = pd.concat([table, pd.DataFrame({"entity_id": [9], "name": ["Smallville"], "kind": ["place"]})])
    with_rare = b.entity_blindspots(df, rare, table9)
    assert 9 not in set(with_rare.table["entity_id"]) and with_rare.untested == 1  # too few to test, and counted


def _era_frame(right_in_2020: bool) -> pd.DataFrame:
    """Left, center and right outlets; the right one publishes in 2018 only unless right_in_2020. Topic 1 (the
    late one) appears in 2020 only, covered by left and center."""
    rows = []
    for year in (2018, 2020):
        for outlet, bias in (("L", "left"), ("C", "center"), ("R", "right")):
            if outlet == "R" and year == 2020 and not right_in_2020:
                continue
            for i in range(40):
                late = year == 2020 and outlet != "R" and i < 20
                rows.append(
                    (f"{outlet}{year}{i}", outlet, bias, pd.Timestamp(f"{year}-03-{1 + i % 28:02d}"), int(late))
                )
    df = pd.DataFrame(rows, columns=["article_id", "outlet", "bias", "published", "topic"])
    return df.assign(topic_label=df["topic"].map({0: "Early", 1: "Late"}))


@pytest.mark.parametrize("right_in_2020", [False, True])
def test_a_side_that_was_not_publishing_is_not_a_blindspot(right_in_2020):
    # Held against the whole mix, the late topic's 0 right-rated articles of 40 would look like a blindspot
    # (a third of all articles are right-rated); in its own months there was no right-rated outlet to cover it.
    found = b.topic_blindspots(_era_frame(right_in_2020), min_articles=20).table
    late = found[(found["topic_label"] == "Late") & (found["missing"] == "right")]
    assert bool(late["significant"].any()) is right_in_2020
    if not right_in_2020:
        assert late.empty or float(late["expected"].iloc[0]) == 0.0
